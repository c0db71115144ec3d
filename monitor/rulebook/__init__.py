"""Rule files: schema, loading with located errors, compiling, matching.

Problems are data (``Problem``: path, line, rule, message, level), never exceptions: a bad
file is reported and the others load.
"""

from __future__ import annotations

from pathlib import Path

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
