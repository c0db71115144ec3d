"""The rule author's microscope: a plain-text account of how a text was read."""

from __future__ import annotations

from monitor.rulebook.engine import ArticleAnalysis, Engine
from monitor.rulebook.scan import SentenceView


def format_explanation(engine: Engine, result: ArticleAnalysis) -> str:
    """Language, then per sentence: tokens with lemmas and terms, countries, rules, roles."""
    lines = [
        f"language: {result.lang}" + ("" if result.has_rules else " (no rule book: no detections)")
    ]
    if result.note:
        lines.append(f"note: {result.note}")
    scan = result.scan
    if scan is None:
        return "\n".join(lines)
    index = scan.index
    for number in range(len(scan.spans)):
        view = scan.view(number)
        lines.append(f"\nsentence {number + 1} [{view.start}:{view.end}]: {view.text}")
        term_at: dict[int, list[str]] = {}
        for term_id, spans in view.by_term.items():
            for s, _e in spans:
                term_at.setdefault(s, []).append(index.terms[term_id].text)
        tokens = []
        for position, token in enumerate(view.tokens):
            lemmas = "|".join(index.morph.lemmas(token.text))
            terms = f" {{{'; '.join(term_at[position])}}}" if position in term_at else ""
            tokens.append(f"{token.text}[{lemmas}]{terms}")
        lines.append("  tokens: " + " ".join(tokens))
        for m in view.mentions:
            lines.append(f"  country: {m.code} {m.text!r} ({m.kind})")
        for p in view.places:
            place = index.place_list[p.place]
            lines.append(f"  place: {place.name} {p.text!r} ({'-'.join(place.countries)})")
        for kind, spans in sorted(view.cues.items()):
            if kind in {"prepositions", "host", "border_with", "negation_skip"}:
                continue
            words = ", ".join(repr(_say(view, s)) for s in spans)
            lines.append(f"  cue {kind}: {words}")
        for hit in (h for h in result.hits if h.sentence.number == number):
            state = "DETECTION" if hit.counted else "not counted"
            lines.append(
                f"  rule {hit.rule.loaded.rule.id} ({hit.rule.loaded.rule.event}): HIT, "
                f"{hit.modality} ({hit.why}) -> {state}"
            )
            for term in hit.matched:
                lines.append(f"    {term.group}: {term.text!r} by term {term.term!r}")
            for role, value in hit.roles.items():
                extra = f" [{value.countries}]" if value.countries else ""
                lines.append(f"    {role} = {value.value}{extra} via {value.how}")
        for miss in (m for m in result.misses if m.sentence.number == number):
            lines.append(f"  rule {miss.rule.loaded.rule.id}: no match, {miss.why}")
    lines.append(f"\ndetections: {len(result.findings)}")
    for f in result.findings:
        lines.append(
            f"  {f.signal}/{f.event} {f.modality} actor={f.actor} target={f.target} "
            f"subject={f.subject} place={f.place} ({f.rule_id})"
        )
    return "\n".join(lines)


def _say(view: SentenceView, span: tuple[int, int]) -> str:
    first, last = view.tokens[span[0]], view.tokens[span[1] - 1]
    return view.text[first.start - view.start : last.end - view.start]
