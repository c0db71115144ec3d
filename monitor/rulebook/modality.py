"""Modality of a rule hit, read around its trigger from cue words and the morphology."""

from __future__ import annotations

from monitor.rulebook.scan import SentenceView, TokenSpan
from monitor.text.morph import Morphology

CUE_REACH = 8  # cue words further than this before the trigger belong to another clause
REFUSAL_REACH = 6
NEGATION_SKIP_MAX = 2


def modality_of(
    view: SentenceView,
    trigger: TokenSpan,
    matched: set[int],
    morph: Morphology,
    year: int | None = None,
) -> tuple[str, str]:
    """``(modality, why)``: negated, hypothetical, background, demanded, announced, asserted."""
    start = trigger[0]

    # "said it would summon" reports an announced act: its "would" is no condition.
    reported = [
        (s, e)
        for s, e in view.cues.get("reported_future", ())
        if e <= start and start - e <= CUE_REACH
    ]

    def before(kind: str, reach: int = CUE_REACH) -> TokenSpan | None:
        for s, e in view.cues.get(kind, ()):
            if e <= start and start - e <= reach and not matched.intersection(range(s, e)):
                if any(rs <= s and e <= re for rs, re in reported):
                    continue
                return (s, e)
        return None

    def say(span: TokenSpan) -> str:
        return view.text[
            view.tokens[span[0]].start - view.start : view.tokens[span[1] - 1].end - view.start
        ]

    negation = _negation(view, start, matched)
    if negation is not None:
        return "negated", f"negation {say(negation)!r} before the trigger"
    refusal = before("refusal", REFUSAL_REACH)
    if refusal:
        return "negated", f"refusal {say(refusal)!r} before the trigger"
    for kind in ("hypothetical", "opinion", "threat"):
        cue = before(kind)
        if cue:
            return "hypothetical", f"{kind} cue {say(cue)!r}"
    if view.text.rstrip(" \"'”»").endswith("?"):
        return "hypothetical", "the sentence is a question"
    for s, e in view.cues.get("background", ()):
        if not matched.intersection(range(s, e)):
            return "background", f"background cue {say((s, e))!r}"
    if year is not None:
        for token in view.tokens[: trigger[0]]:
            if len(token.text) == 4 and token.text.isdigit() and 1900 < int(token.text) < year:
                return "background", f"dated {token.text}, before the article ({year})"
    demand = before("demand")
    if demand:
        return "demanded", f"demand cue {say(demand)!r} (not part of this rule's match)"
    if reported:
        return "announced", f"reported future {say(reported[0])!r}"
    announce = before("announce")
    if announce:
        return "announced", f"announcement cue {say(announce)!r}"
    for s, e in view.cues.get("future_aux", ()):
        if e <= start and start - e <= NEGATION_SKIP_MAX:
            return "announced", f"future auxiliary {say((s, e))!r}"
    for position in range(max(0, start - NEGATION_SKIP_MAX), trigger[1]):
        token = view.tokens[position]
        auxiliary = position < start and view.cue_at("negation_skip", position)
        if (position >= start or auxiliary) and morph.is_future(token.text):
            return "announced", f"future form {token.text!r}"
    return "asserted", "no modality cue"


def _negation(view: SentenceView, start: int, matched: set[int]) -> TokenSpan | None:
    """A negation right before the trigger, allowing a couple of auxiliaries in between."""
    position = start - 1
    skipped = 0
    while position >= 0:
        for s, e in view.cues.get("negation", ()):
            if e == position + 1 and s not in matched:
                return (s, e)
        if skipped < NEGATION_SKIP_MAX and view.cue_at("negation_skip", position):
            skipped += 1
            position -= 1
            continue
        return None
    return None
