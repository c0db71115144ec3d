"""The analysis of one article: language, sentences, rule hits, detections (findings)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

from monitor.rulebook.compile import LanguageIndex, compile_language
from monitor.rulebook.evaluate import MatchedTerm, RuleHit, RuleMiss, evaluate_rule
from monitor.rulebook.loader import RuleBook
from monitor.rulebook.scan import ArticleScan
from monitor.text.clean import MAX_CHARS, clean_text
from monitor.text.langid import detect_language, load_model

TIME_BUDGET_S = 2.0  # per article; beyond it the rest of the text is skipped and reported
BUDGET_CHECK_EVERY = 64  # sentences
QUALIFYING = frozenset({"negated", "background"})  # a hypothetical body may add to a fact


@dataclass(frozen=True)
class Finding:
    """One detection: an event with its roles, modality and the sentence that proves it."""

    rule_id: str
    rule_version: str
    signal: str
    event: str
    severity: float
    lang: str
    modality: str
    actor: str | None
    target: str | None
    subject: str | None
    place: str | None
    place_countries: str | None
    sentence: str
    start: int
    end: int
    matched: tuple[MatchedTerm, ...]

    def key(self) -> tuple[str | None, ...]:
        return (self.signal, self.event, self.actor, self.target, self.subject, self.place)


@dataclass
class ArticleAnalysis:
    """What analysing one text found; ``hits``/``misses`` only with ``explain``."""

    lang: str
    text: str
    has_rules: bool
    truncated: bool = False
    over_time: bool = False
    sentences: int = 0
    sentences_viewed: int = 0  # looked at closely (the rest failed the cheap pre-check)
    findings: list[Finding] = field(default_factory=list)
    hits: list[RuleHit] = field(default_factory=list)
    misses: list[RuleMiss] = field(default_factory=list)
    scan: ArticleScan | None = None
    # events the body tells as negated or past (see _qualify_headline)
    withheld: set[tuple[str, str]] = field(default_factory=set)

    @property
    def note(self) -> str | None:
        notes = []
        if not self.has_rules:
            notes.append(f"no rule book for language {self.lang!r}")
        if self.truncated:
            notes.append(f"text cut to {MAX_CHARS} characters")
        if self.over_time:
            notes.append(f"time budget of {TIME_BUDGET_S}s reached")
        return "; ".join(notes) or None


class Engine:
    """Rules compiled per language on first use; ``analyse`` is the one entry point."""

    def __init__(self, book: RuleBook, *, time_budget_s: float = TIME_BUDGET_S) -> None:
        self.book = book
        self.time_budget_s = time_budget_s
        self._languages = book.languages()
        self._indexes: dict[str, LanguageIndex] = {}
        # The service checks sources on worker threads; morfeusz2 instances and the caches
        # are not made for concurrent use, and analysis is CPU-bound under the GIL anyway.
        self._lock = threading.RLock()
        load_model()

    def index(self, lang: str) -> LanguageIndex:
        with self._lock:
            index = self._indexes.get(lang)
            if index is None:
                index = self._indexes[lang] = compile_language(self.book, lang)
            return index

    def clear_caches(self) -> None:
        """Forget the per-form lookups (the benchmark's cold runs)."""
        for index in self._indexes.values():
            index.key_cache.clear()

    def analyse(
        self,
        text: str,
        lang_hint: str | None = None,
        *,
        explain: bool = False,
        detect: bool = True,
        year: int | None = None,
    ) -> ArticleAnalysis:
        """Find the detections in one article's text (``year``: when it was published)."""
        with self._lock:
            return self._analyse(text, lang_hint, explain=explain, detect=detect, year=year)

    def _analyse(
        self, text: str, lang_hint: str | None, *, explain: bool, detect: bool, year: int | None
    ) -> ArticleAnalysis:
        clean, truncated = clean_text(text)
        lang = detect_language(clean, lang_hint) if detect or not lang_hint else lang_hint
        result = ArticleAnalysis(lang, clean, lang in self._languages, truncated)
        if not result.has_rules or not clean.strip():
            return result
        index = self.index(lang)
        scan = ArticleScan(index, clean, year)
        result.scan = scan
        result.sentences = len(scan.spans)
        started = time.monotonic()
        seen: set[str] = set()  # boilerplate repeated in one article is read once
        for number, (start, end) in enumerate(scan.spans):
            checkpoint = number % BUDGET_CHECK_EVERY == BUDGET_CHECK_EVERY - 1
            if checkpoint and time.monotonic() - started > self.time_budget_s:
                result.over_time = True
                break
            if explain:
                self._sentence(index, scan, number, result, explain, None)
                continue
            sentence = clean[start:end]
            if sentence in seen:
                continue
            seen.add(sentence)
            candidates = scan.candidates(number)
            if candidates:
                self._sentence(index, scan, number, result, explain, candidates)
        result.sentences_viewed = scan.viewed
        result.findings = _dedupe(_qualify_headline(result.findings, scan, result.withheld))
        return result

    def _sentence(
        self,
        index: LanguageIndex,
        scan: ArticleScan,
        number: int,
        result: ArticleAnalysis,
        explain: bool,
        rules: list[int] | None,
    ) -> None:
        view = scan.view(number)
        candidates: set[int] = set(rules or ())
        if rules is None:  # explain: every rule whose trigger occurs, to say why it missed
            for term_id in view.by_term:
                candidates.update(index.trigger_rules.get(term_id, ()))
            if view.mentions:
                candidates.update(index.class_rules.get("country", ()))
            if view.places:
                candidates.update(index.class_rules.get("place", ()))
        for number_ in sorted(candidates):
            rule = index.rules[number_]
            outcome = evaluate_rule(rule, view, scan, index, explain=explain)
            if isinstance(outcome, RuleMiss):
                if explain:
                    result.misses.append(outcome)
                continue
            if explain:
                result.hits.append(outcome)
            if outcome.counted:
                result.findings.append(_finding(outcome, result.lang))
            elif number > 0 and outcome.modality in QUALIFYING:
                result.withheld.add((rule.loaded.rule.signal, rule.loaded.rule.event))


def _qualify_headline(
    findings: list[Finding], scan: ArticleScan, withheld: set[tuple[str, str]]
) -> list[Finding]:
    """Drop a headline finding whose event the body tells only as denied or past.

    A headline is telegraphic ("Expulsions of diplomats"); the body's modality qualifies it
    ("In 2018 Russia expelled ..."). Only when no body sentence counts for that signal.
    """
    if len(scan.spans) < 2 or not withheld:
        return findings
    head_end = scan.spans[0][1]
    in_body = {f.signal for f in findings if f.start >= head_end}
    return [
        f
        for f in findings
        if f.start >= head_end or (f.signal, f.event) not in withheld or f.signal in in_body
    ]


def _finding(hit: RuleHit, lang: str) -> Finding:
    rule = hit.rule.loaded.rule
    roles = hit.roles
    place = roles.get("place")
    return Finding(
        rule_id=rule.id,
        rule_version=hit.rule.loaded.version,
        signal=rule.signal,
        event=rule.event,
        severity=rule.severity,
        lang=lang,
        modality=hit.modality,
        actor=roles["actor"].value if "actor" in roles else None,
        target=roles["target"].value if "target" in roles else None,
        subject=roles["subject"].value if "subject" in roles else None,
        place=place.value if place else None,
        place_countries=place.countries if place else None,
        sentence=hit.sentence.text,
        start=hit.sentence.start,
        end=hit.sentence.end,
        matched=hit.matched,
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per event in an article unless their roles conflict (A->B vs B->A).

    A later finding whose roles agree with an earlier one (equal, or missing on one side)
    only fills the earlier one's missing roles; the first sentence stays the evidence.
    """
    out: list[Finding] = []
    for finding in findings:
        for number, kept in enumerate(out):
            if _compatible(kept, finding):
                out[number] = replace(
                    kept, **{r: getattr(finding, r) for r in _ROLES if getattr(kept, r) is None}
                )
                break
        else:
            out.append(finding)
    return out


_ROLES = ("actor", "target", "subject", "place", "place_countries")


def _compatible(a: Finding, b: Finding) -> bool:
    if (a.signal, a.event) != (b.signal, b.event):
        return False
    return all(
        getattr(a, r) is None or getattr(b, r) is None or getattr(a, r) == getattr(b, r)
        for r in _ROLES
    )
