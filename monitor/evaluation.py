"""Score the rules against labelled passages (format of the dev set's articles.jsonl).

For a signal S: true positive = labelled S and detected S; false negative = labelled S and
not detected; false positive = labelled ``none`` and detected S.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from monitor.errors import InputError
from monitor.rulebook.engine import Engine, Finding
from monitor.rulebook.schema import EVENTS

SIGNALS = tuple(EVENTS)
ALL = "all"


@dataclass(frozen=True)
class Passage:
    id: str
    lang: str
    label: str
    text: str
    year: int | None = None


@dataclass(frozen=True)
class Outcome:
    """One passage scored for one signal: tp, fn or fp, with the evidence when detected."""

    passage: Passage
    signal: str
    kind: str
    findings: tuple[Finding, ...]


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    """Scores per (signal, language), totals per signal under ``ALL``, and the errors."""

    scores: dict[tuple[str, str], Score] = field(default_factory=dict)
    errors: list[Outcome] = field(default_factory=list)
    passages: int = 0

    def score(self, signal: str, lang: str) -> Score:
        return self.scores.setdefault((signal, lang), Score())

    def failing(self, min_precision: float, min_recall: float) -> list[str]:
        """Signals whose totals over all languages fall below a threshold."""
        out = []
        for signal in SIGNALS:
            total = self.score(signal, ALL)
            if total.precision < min_precision or total.recall < min_recall:
                out.append(signal)
        return out


def read_passages(path: Path) -> list[Passage]:
    """Labelled passages; a bad line raises ``InputError`` naming path:line."""
    passages = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not JSON: {exc.msg}") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(where, "expected an object with a 'text' string")
        label = record.get("label", "none")
        if label not in (*SIGNALS, "none"):
            raise InputError(where, f"unknown label {label!r}")
        title = str(record.get("title") or "").strip()
        text = f"{title}\n{record['text']}" if title else record["text"]
        date = str(record.get("date") or "")
        year = int(date[:4]) if date[:4].isdigit() else None
        lang = str(record.get("lang") or "")
        passages.append(Passage(str(record.get("id", number)), lang, label, text, year))
    return passages


def evaluate(engine: Engine, passages: list[Passage]) -> Evaluation:
    result = Evaluation(passages=len(passages))
    for passage in passages:
        analysis = engine.analyse(passage.text, passage.lang or None, year=passage.year)
        lang = passage.lang or analysis.lang
        for signal in SIGNALS:
            found = tuple(f for f in analysis.findings if f.signal == signal)
            if passage.label == signal:
                kind = "tp" if found else "fn"
            elif passage.label == "none" and found:
                kind = "fp"
            else:
                continue
            for key in (lang, ALL):
                score = result.score(signal, key)
                setattr(score, kind, getattr(score, kind) + 1)
            if kind != "tp":
                result.errors.append(Outcome(passage, signal, kind, found))
    return result


def format_evaluation(result: Evaluation) -> list[str]:
    """A table per signal and language, totals, then every miss and false alarm."""
    lines = [f"{'signal':<22}{'lang':<6}{'tp':>4}{'fn':>4}{'fp':>4}{'precision':>11}{'recall':>8}"]
    for signal in SIGNALS:
        langs = sorted(lang for s, lang in result.scores if s == signal and lang != ALL)
        for lang in [*langs, ALL]:
            sc = result.score(signal, lang)
            lines.append(
                f"{signal:<22}{lang:<6}{sc.tp:>4}{sc.fn:>4}{sc.fp:>4}{sc.precision:>11.2f}{sc.recall:>8.2f}"
            )
    for outcome in result.errors:
        name = "MISS" if outcome.kind == "fn" else "FALSE ALARM"
        lines.append(f"\n{name} {outcome.signal} {outcome.passage.id} ({outcome.passage.lang})")
        if outcome.kind == "fn":
            lines.append(f"  text: {outcome.passage.text[:300]!r}")
        for finding in outcome.findings:
            lines.append(
                f"  {finding.event} by {finding.rule_id} ({finding.modality}): {finding.sentence!r}"
            )
    return lines
