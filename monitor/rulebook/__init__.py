"""Rule files: schema, loading with located errors, compiling, matching.

Problems are data (``Problem``: path, line, rule, message, level), never exceptions: a bad
file is reported and the others load.
"""

from __future__ import annotations

from pathlib import Path

from monitor.errors import ConfigError
from monitor.rulebook.compile import compile_language, lint_unknown_terms
from monitor.rulebook.engine import ArticleAnalysis, Engine, Finding
from monitor.rulebook.loader import Problem, RuleBook, default_rules_dir, load_rulebook

__all__ = [
    "ArticleAnalysis",
    "Engine",
    "Finding",
    "Problem",
    "RuleBook",
    "check_rulebook",
    "default_rules_dir",
    "load_engine",
    "load_rulebook",
    "resolve_rules_dir",
]


def resolve_rules_dir(configured: Path | None) -> Path:
    """The configured rules folder when it exists, else the one of the source tree."""
    if configured is not None and configured.is_dir():
        return configured
    return default_rules_dir()


def check_rulebook(book: RuleBook) -> list[Problem]:
    """Load problems plus lint warnings that need the morphology (unknown terms)."""
    indexes = {lang: compile_language(book, lang) for lang in sorted(book.languages())}
    return [*book.problems, *lint_unknown_terms(book, indexes)]


def load_engine(configured: Path | None, *, strict: bool = False) -> Engine:
    """An engine on the rules folder; with ``strict``, any rule-file error raises instead.

    Not strict (one-off commands): the valid rules run and the bad files are reported by the
    caller from ``engine.book.errors``. Strict (the service's reload): keep the last good set.
    """
    book = load_rulebook(resolve_rules_dir(configured))
    if strict and book.errors:
        shown = "\n".join(str(p) for p in book.errors[:20])
        raise ConfigError(f"{len(book.errors)} error(s) in the rule files:\n{shown}")
    return Engine(book)
