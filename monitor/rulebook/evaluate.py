"""Does a rule hit a sentence? Groups, window, exclusions, then modality and roles."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.rulebook.compile import CompiledRule, LanguageIndex
from monitor.rulebook.modality import modality_of
from monitor.rulebook.roles import RoleContext, RoleValue, resolve_roles
from monitor.rulebook.scan import ArticleScan, SentenceView, TokenSpan


@dataclass(frozen=True)
class MatchedTerm:
    group: str
    term: str
    text: str
    start: int  # character offsets in the analysed text
    end: int


@dataclass(frozen=True)
class RuleHit:
    """A rule matched in a sentence; ``counted`` when its modality makes it a detection."""

    rule: CompiledRule
    sentence: SentenceView
    modality: str
    why: str
    counted: bool
    roles: dict[str, RoleValue]
    matched: tuple[MatchedTerm, ...]


@dataclass(frozen=True)
class RuleMiss:
    """A rule whose trigger occurred in a sentence but which did not match, and why."""

    rule: CompiledRule
    sentence: SentenceView
    why: str


def evaluate_rule(
    rule: CompiledRule,
    view: SentenceView,
    scan: ArticleScan,
    index: LanguageIndex,
    *,
    explain: bool = False,
) -> RuleHit | RuleMiss:
    """The rule's outcome in this sentence; roles are filled for detections (and to explain)."""
    spans = group_spans(rule, view)
    missing = [g.name for g in rule.groups if g.kind == "all" and not spans[g.name]]
    if missing:
        return RuleMiss(rule, view, f"no term of group {', '.join(missing)} in the sentence")
    any_groups = [g.name for g in rule.groups if g.kind == "any"]
    if any_groups and not any(spans[g] for g in any_groups):
        return RuleMiss(rule, view, f"none of the 'any' groups ({', '.join(any_groups)}) hit")
    for group in rule.groups:
        if group.kind == "none" and spans[group.name]:
            s, e = spans[group.name][0]
            return RuleMiss(
                rule, view, f"excluded by 'none' group {group.name}: {_say(view, (s, e))!r}"
            )
    first_uncounted: RuleHit | None = None
    for trigger in spans[rule.trigger.name]:
        choice = _choose(rule, spans, trigger, any_groups)
        if choice is None:
            continue
        matched = {p for s, e in choice.values() for p in range(s, e)}
        modality, why = modality_of(view, trigger, matched, index.morph, scan.year)
        ctx = RoleContext(rule, index, scan, view, spans, trigger, set())
        counted = modality in rule.loaded.rule.modalities
        roles = resolve_roles(ctx) if counted or (explain and modality != "negated") else {}
        hit = RuleHit(
            rule,
            view,
            modality,
            why,
            counted,
            roles,
            tuple(_matched(rule, view, choice, index)),
        )
        if hit.counted:
            return hit
        first_uncounted = first_uncounted or hit
    if first_uncounted is not None:
        return first_uncounted
    return RuleMiss(rule, view, f"the groups do not fall within {rule.within} tokens")


def group_spans(rule: CompiledRule, view: SentenceView) -> dict[str, list[TokenSpan]]:
    spans: dict[str, list[TokenSpan]] = {}
    for group in rule.groups:
        found = [s for t in group.term_ids for s in view.by_term.get(t, ())]
        if "country" in group.classes:
            found.extend((m.start, m.end) for m in view.mentions)
        if "place" in group.classes:
            found.extend((p.start, p.end) for p in view.places)
        spans[group.name] = sorted(set(found))
    return spans


def _choose(
    rule: CompiledRule, spans: dict[str, list[TokenSpan]], trigger: TokenSpan, any_groups: list[str]
) -> dict[str, TokenSpan] | None:
    """For a trigger, the nearest hit of every other required group; None if too far apart."""
    chosen = {rule.trigger.name: trigger}

    def distance(span: TokenSpan) -> int:
        return max(span[0] - trigger[1], trigger[0] - span[1], 0)

    for group in rule.groups[1:]:
        if group.kind == "all":
            chosen[group.name] = min(spans[group.name], key=distance)
    if any_groups:
        options = [(g, s) for g in any_groups for s in spans[g]]
        name, span = min(options, key=lambda o: distance(o[1]))
        chosen[name] = span
    if rule.within is not None:
        width = max(e for _s, e in chosen.values()) - min(s for s, _e in chosen.values())
        if width > rule.within:
            return None
    return chosen


def _matched(
    rule: CompiledRule, view: SentenceView, choice: dict[str, TokenSpan], index: LanguageIndex
) -> list[MatchedTerm]:
    out = []
    for group in rule.groups:
        span = choice.get(group.name)
        if span is None:
            continue
        term = next((t for t in group.term_ids if span in view.by_term.get(t, ())), None)
        first, last = view.tokens[span[0]], view.tokens[span[1] - 1]
        out.append(
            MatchedTerm(
                group.name,
                index.terms[term].text if term is not None else "@gazetteer",
                view.text[first.start - view.start : last.end - view.start],
                first.start,
                last.end,
            )
        )
    return out


def _say(view: SentenceView, span: TokenSpan) -> str:
    first, last = view.tokens[span[0]], view.tokens[span[1] - 1]
    return view.text[first.start - view.start : last.end - view.start]
