"""Load every rule file, gazetteer and cue file under a folder, collecting every problem.

One bad file never stops the others: its problems are recorded as ``path:line: rule <id>:
message`` and loading goes on. Errors and lint warnings are kept apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from monitor.rulebook.schema import (
    LANGUAGES,
    CountryNames,
    LanguageCues,
    Place,
    Rule,
)
from monitor.rulebook.yamlfile import LineDict, LineList, YamlProblem, line_of, read_yaml

GAZETTEER_DIR = "gazetteer"
CUES_DIR = "lang"
MIN_EXAMPLES = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or lint warning, located in a file."""

    path: str
    line: int
    message: str
    rule: str | None = None
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return (
            f"{where}: rule {self.rule}: {self.message}"
            if self.rule
            else f"{where}: {self.message}"
        )


@dataclass(frozen=True, slots=True)
class LoadedRule:
    """A validated rule with where it came from and the version of its file."""

    rule: Rule
    path: str
    line: int
    version: str
    example_lines: dict[tuple[str, str, int], int]


@dataclass(frozen=True)
class RuleBook:
    """Everything under a rules folder, validated; ``problems`` says what was wrong."""

    root: Path
    rules: tuple[LoadedRule, ...]
    cues: dict[str, LanguageCues]
    countries: dict[str, dict[str, CountryNames]]
    places: tuple[Place, ...]
    version: str
    problems: tuple[Problem, ...] = field(default=())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def languages(self) -> set[str]:
        return {lang for r in self.rules for lang in r.rule.languages}


def default_rules_dir() -> Path:
    """The ``rules/`` folder of the source tree (next to the package)."""
    return Path(__file__).resolve().parents[2] / "rules"


def load_rulebook(root: Path) -> RuleBook:
    """Read and validate every file under ``root``; never raises on bad content."""
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 0, "rules folder not found"))
    files = sorted(root.rglob("*.yaml")) + sorted(root.rglob("*.yml")) if root.is_dir() else []
    digest = hashlib.sha256()
    rules: list[LoadedRule] = []
    cues: dict[str, LanguageCues] = {}
    countries: dict[str, dict[str, CountryNames]] = {}
    places: list[Place] = []
    for path in files:
        shown = _shown(path)
        raw = path.read_bytes()
        digest.update(shown.encode() + b"\0" + raw)
        data = _read(path, shown, raw, problems)
        if data is None:
            continue
        part = path.relative_to(root).parts[0]
        if part == GAZETTEER_DIR and path.stem == "countries":
            countries.update(_countries(data, shown, problems))
        elif part == GAZETTEER_DIR and path.stem == "places":
            places.extend(_places(data, shown, problems))
        elif part == CUES_DIR:
            loaded = _model(LanguageCues, data, data, shown, None, problems)
            if isinstance(loaded, LanguageCues):
                cues[loaded.language] = loaded
        else:
            version = hashlib.sha256(raw).hexdigest()[:16]
            rules.extend(_rules(data, shown, version, problems))
    _check_unique_ids(rules, problems)
    for rule in rules:
        problems.extend(_lint_examples(rule))
    return RuleBook(
        root=root,
        rules=tuple(rules),
        cues=cues,
        countries=countries,
        places=tuple(places),
        version=digest.hexdigest()[:16],
        problems=tuple(problems),
    )


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(path: Path, shown: str, raw: bytes, problems: list[Problem]) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(shown, line, "not UTF-8 text"))
        return None
    try:
        data = read_yaml(text)
    except YamlProblem as exc:
        problems.append(Problem(shown, exc.line, exc.message))
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(shown, 1, "expected a mapping at the top of the file"))
        return None
    return data


def _model(
    model: type[BaseModel],
    value: Any,
    top: Any,
    shown: str,
    rule: str | None,
    problems: list[Problem],
    prefix: tuple[int | str, ...] = (),
) -> BaseModel | None:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        base = getattr(value, "line", 1) or 1
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
            where = ".".join(str(p) for p in loc)
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown key {loc[-1]!r}"
            elif error["type"] == "missing":
                message = f"missing field {loc[-1]!r}"
            elif where:
                message = f"{where}: {message}"
            else:
                loc = _location_in(message)  # a whole-rule check: point at the key it names
            problems.append(Problem(shown, line_of(top, prefix + loc, base), message, rule))
        return None


def _location_in(message: str) -> tuple[str, ...]:
    head = message.split(":", 1)[0].split(" ", 1)[0]
    if head.startswith("roles."):
        return ("roles", head.removeprefix("roles."))
    return (head,) if head in {"event", "examples"} else ()


def _rules(data: LineDict, shown: str, version: str, problems: list[Problem]) -> list[LoadedRule]:
    unknown = [k for k in data if k != "rules"]
    for key in unknown:
        problems.append(
            Problem(shown, data.key_lines[key], f"unknown key {key!r} (expected 'rules')")
        )
    items = data.get("rules")
    if not isinstance(items, LineList) or not items:
        problems.append(Problem(shown, data.line, "expected 'rules': a non-empty list of rules"))
        return []
    out: list[LoadedRule] = []
    for index, item in enumerate(items):
        line = items.item_lines[index]
        rule_id = item.get("id") if isinstance(item, dict) else None
        rule_id = rule_id if isinstance(rule_id, str) else None
        if not isinstance(item, LineDict):
            problems.append(Problem(shown, line, "a rule must be a mapping"))
            continue
        rule = _model(Rule, item, item, shown, rule_id, problems)
        if isinstance(rule, Rule):
            out.append(LoadedRule(rule, shown, line, version, _example_lines(item)))
    return out


def _example_lines(item: LineDict) -> dict[tuple[str, str, int], int]:
    lines: dict[tuple[str, str, int], int] = {}
    examples = item.get("examples")
    if isinstance(examples, LineDict):
        for lang, kinds in examples.items():
            if isinstance(kinds, LineDict):
                for kind, entries in kinds.items():
                    if isinstance(entries, LineList):
                        for i, line in enumerate(entries.item_lines):
                            lines[(lang, kind, i)] = line
    return lines


def _check_unique_ids(rules: list[LoadedRule], problems: list[Problem]) -> None:
    first: dict[str, LoadedRule] = {}
    for loaded in rules:
        other = first.setdefault(loaded.rule.id, loaded)
        if other is not loaded:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line,
                    f"duplicate id (first at {other.path}:{other.line})",
                    loaded.rule.id,
                )
            )


def _lint_examples(loaded: LoadedRule) -> list[Problem]:
    out = []
    for lang in loaded.rule.languages:
        examples = loaded.rule.examples.get(lang)
        hits = len(examples.hit) if examples else 0
        misses = len(examples.miss) if examples else 0
        if hits < MIN_EXAMPLES or misses < MIN_EXAMPLES:
            out.append(
                Problem(
                    loaded.path,
                    loaded.line,
                    f"language {lang!r}: {hits} hit and {misses} miss examples "
                    f"(want at least {MIN_EXAMPLES} of each)",
                    loaded.rule.id,
                    "warning",
                )
            )
    return out


def _countries(
    data: LineDict, shown: str, problems: list[Problem]
) -> dict[str, dict[str, CountryNames]]:
    out: dict[str, dict[str, CountryNames]] = {}
    table = data.get("countries")
    if not isinstance(table, LineDict):
        problems.append(Problem(shown, data.line, "expected 'countries': a mapping of ISO codes"))
        return out
    for code, langs in table.items():
        line = table.key_lines[code]
        if len(code) != 3 or not code.isupper() or not code.isalpha():
            problems.append(Problem(shown, line, f"{code!r} is not an ISO 3166-1 alpha-3 code"))
            continue
        if not isinstance(langs, LineDict):
            problems.append(Problem(shown, line, f"{code}: expected a mapping of languages"))
            continue
        out[code] = {}
        for lang, names in langs.items():
            if lang not in LANGUAGES:
                problems.append(
                    Problem(shown, langs.key_lines[lang], f"{code}: unknown language {lang!r}")
                )
                continue
            model = _model(CountryNames, names, names, shown, None, problems)
            if isinstance(model, CountryNames):
                out[code][lang] = model
    return out


def _places(data: LineDict, shown: str, problems: list[Problem]) -> list[Place]:
    items = data.get("places")
    if not isinstance(items, LineList):
        problems.append(Problem(shown, data.line, "expected 'places': a list"))
        return []
    out = []
    for item in items:
        place = _model(Place, item, item, shown, None, problems)
        if isinstance(place, Place):
            out.append(place)
    return out
