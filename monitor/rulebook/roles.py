"""Who acted, towards whom, about whom and where: role strategies over country mentions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.rulebook.compile import CompiledRule, LanguageIndex
from monitor.rulebook.scan import ArticleScan, Mention, SentenceView, TokenSpan

ATTACH_BEFORE = 2  # "ukraińskiego ambasadora", "Kazakhstan's Foreign Ministry"
ATTACH_AFTER = 3  # "ambasador Ukrainy", "ambassador of Ukraine"
HOST_REACH = 6
AFTER_REACH = 2
CONTEXT_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class RoleValue:
    """A filled role: the country (or place) and the strategy that found it."""

    value: str
    how: str
    countries: str | None = None  # for place: "RUS-KAZ"


@dataclass
class RoleContext:
    """What a strategy may look at: the rule, the article, the sentence and the hit."""

    rule: CompiledRule
    index: LanguageIndex
    scan: ArticleScan
    view: SentenceView
    spans: dict[str, list[TokenSpan]]  # group -> every hit span in this sentence
    trigger: TokenSpan
    taken: set[str]


def resolve_roles(ctx: RoleContext) -> dict[str, RoleValue]:
    """Every role the rule names, in the order written, strategies tried in order."""
    filled: dict[str, RoleValue] = {}
    for role, strategies in ctx.rule.loaded.rule.roles.items():
        value = _place(ctx, strategies, filled) if role == "place" else _country(ctx, strategies)
        if value is not None:
            filled[role] = value
            if role != "place":
                ctx.taken.add(value.value)
    return filled


def _country(ctx: RoleContext, strategies: Sequence[str]) -> RoleValue | None:
    for strategy in strategies:
        name, _, arg = strategy.partition(" ")
        if name == "context":
            found = _from_context(ctx, [s for s in strategies if s != "context"])
            if found is not None:
                return found
            continue
        mention = STRATEGIES[name](ctx, ctx.view, arg) if name in STRATEGIES else None
        if mention is not None:
            return RoleValue(mention.code, f"{strategy}: {mention.text!r}")
    return None


def _from_context(ctx: RoleContext, strategies: list[str]) -> RoleValue | None:
    for number in range(ctx.view.number - 1, max(-1, ctx.view.number - 1 - CONTEXT_SENTENCES), -1):
        view = ctx.scan.view(number)
        spans = _group_spans(ctx.rule, view)
        inner = RoleContext(
            ctx.rule,
            ctx.index,
            ctx.scan,
            view,
            spans,
            (len(view.tokens), len(view.tokens)),
            ctx.taken,
        )
        for strategy in strategies:
            name, _, arg = strategy.partition(" ")
            if name in {"other", "nominative"}:
                continue  # too loose to reach across sentences
            mention = STRATEGIES[name](inner, view, arg) if name in STRATEGIES else None
            if mention is not None:
                return RoleValue(
                    mention.code, f"context (sentence {number + 1}) {strategy}: {mention.text!r}"
                )
    return None


def _group_spans(rule: CompiledRule, view: SentenceView) -> dict[str, list[TokenSpan]]:
    spans: dict[str, list[TokenSpan]] = {}
    for group in rule.groups:
        spans[group.name] = sorted(s for t in group.term_ids for s in view.by_term.get(t, ()))
    return spans


def _free(ctx: RoleContext, view: SentenceView) -> list[Mention]:
    return [m for m in view.mentions if m.code not in ctx.taken]


def _is_prep(view: SentenceView, position: int) -> bool:
    return view.cue_at("prepositions", position)


def _bound_to(ctx: RoleContext, view: SentenceView, spans: Sequence[TokenSpan]) -> Mention | None:
    """A mention attached to one of ``spans``: inside, just before, or just after it."""
    free = _free(ctx, view)
    morph = ctx.index.morph
    for s, e in spans:
        for m in free:
            if s <= m.start and m.end <= e:
                return m
        for m in free:
            gap = s - m.end
            close = 0 <= gap < ATTACH_BEFORE and (gap == 0 or m.kind == "adjectives")
            if close and not any(_is_prep(view, p) for p in range(m.end, s)):
                return m
        for m in free:
            close = e <= m.start and m.start - e <= ATTACH_AFTER - 1
            # A name after the word is bound to it in the genitive ("ambasador Ukrainy"); a
            # nominative there starts a new clause ("...dyplomaty Kreml zażądał").
            bound = m.kind == "adjectives" or morph.is_genitive(view.tokens[m.start].text)
            if close and bound and not any(_is_prep(view, p) for p in range(e, m.start)):
                return m
    return None


def _attached(ctx: RoleContext, view: SentenceView, group: str) -> Mention | None:
    return _bound_to(ctx, view, ctx.spans.get(group, []))


def _host(ctx: RoleContext, view: SentenceView, group: str) -> Mention | None:
    free = _free(ctx, view)
    for _s, e in ctx.spans.get(group, []):
        for position in range(e, min(len(view.tokens), e + HOST_REACH)):
            if view.cue_at("host", position):
                for m in free:
                    if m.start == position + 1:
                        return m
    return None


def _after(ctx: RoleContext, view: SentenceView, word: str) -> Mention | None:
    free = _free(ctx, view)
    for position, token in enumerate(view.tokens):
        if token.form == word:
            for m in free:
                if position < m.start <= position + AFTER_REACH:
                    return m
    return None


def _institution(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    return _bound_to(ctx, view, view.cues.get("institutions", []))


def _nominative(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    morph = ctx.index.morph
    subjects = [
        m
        for m in _free(ctx, view)
        if m.kind != "adjectives" and not (m.start > 0 and _is_prep(view, m.start - 1))
    ]
    if not morph.generates:
        # English has no case: the subject is the name nearest before the verb, which skips
        # a dateline ("MOSCOW (Reuters) - Poland summoned") and an earlier clause's subject.
        before = [m for m in subjects if m.start < ctx.trigger[0]]
        return before[-1] if before else None
    for m in subjects:
        # A name counts in the singular nominative only (uk "України" is also plural nomn).
        if morph.is_nominative(view.tokens[m.start].text, singular=m.kind == "names"):
            return m
    return None


def _place_owner(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    for p in view.places:
        place = ctx.index.place_list[p.place]
        code = place.countries[0]
        if code not in ctx.taken:
            return Mention(code, "place", p.start, p.end, p.text)
    return None


def _border(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    free = _free(ctx, view)
    for _s, e in view.cues.get("border", []):
        after = [m for m in free if e <= m.start <= e + 4]
        for m in after:
            if m.start > 0 and view.cue_at("border_with", m.start - 1):
                return m
        if after:
            return after[0]
    return None


def _people(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    return next((m for m in _free(ctx, view) if m.kind == "people"), None)


def _other(ctx: RoleContext, view: SentenceView, _arg: str) -> Mention | None:
    free = _free(ctx, view)
    return free[0] if free else None


STRATEGIES: dict[str, Callable[[RoleContext, SentenceView, str], Mention | None]] = {
    "attached": _attached,
    "host": _host,
    "after": _after,
    "institution": _institution,
    "nominative": _nominative,
    "place-owner": _place_owner,
    "border": _border,
    "people": _people,
    "other": _other,
}


def _place(
    ctx: RoleContext, strategies: Sequence[str], filled: dict[str, RoleValue]
) -> RoleValue | None:
    for strategy in strategies:
        if strategy == "place":
            for p in ctx.view.places:
                place = ctx.index.place_list[p.place]
                return RoleValue(place.name, f"place: {p.text!r}", "-".join(place.countries))
        elif strategy == "border":
            saved, ctx.taken = ctx.taken, set()
            mention = _border(ctx, ctx.view, "")
            ctx.taken = saved
            actor = filled.get("actor")
            if mention is not None and actor is not None and mention.code != actor.value:
                pair = f"{actor.value}-{mention.code}"
                return RoleValue(f"{pair} border", f"border: {mention.text!r}", pair)
    return None
