"""One article in one language: sentences, a cheap hot-path test, and close looks on demand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from monitor.rulebook.compile import LanguageIndex
from monitor.text.tokens import WORD, Token, fold, split_sentences, tokenise

TokenSpan = tuple[int, int]  # token indices [start, end) within a sentence


@dataclass(frozen=True, slots=True)
class Mention:
    """A country named in a sentence (by name, adjective, seat or demonym)."""

    code: str
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A border place named in a sentence."""

    place: int
    start: int
    end: int
    text: str


@dataclass
class SentenceView:
    """A sentence looked at closely: tokens, term hits, countries, places, cue words."""

    number: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    keys: list[frozenset[str]]
    by_term: dict[int, list[TokenSpan]] = field(default_factory=lambda: defaultdict(list))
    mentions: list[Mention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    cues: dict[str, list[TokenSpan]] = field(default_factory=lambda: defaultdict(list))

    def cue_at(self, kind: str, position: int) -> bool:
        return any(s <= position < e for s, e in self.cues.get(kind, ()))


class ArticleScan:
    """Sentences of one text and, lazily, their close views."""

    def __init__(self, index: LanguageIndex, text: str) -> None:
        self.index = index
        self.text = text
        self.spans = split_sentences(text)
        folded = fold(text)
        self._folded = folded if len(folded) == len(text) else None
        self._views: dict[int, SentenceView] = {}

    def candidates(self, number: int) -> list[int]:
        """Rules that could match the sentence: every ``all`` group has a form in it.

        A set intersection and a few dict lookups; no token objects are built.
        """
        start, end = self.spans[number]
        index = self.index
        if self._folded is not None:
            forms = WORD.findall(self._folded, start, end)
        else:
            forms = [fold(w) for w in WORD.findall(self.text, start, end)]
        gids: set[int] = set()
        for form in index.hot_forms.intersection(forms):
            gids.update(index.form_groups[form])
        if index.hot_lemmas:
            lemmas = index.morph.lemmas
            for form in forms:
                for lemma in index.hot_lemmas.intersection(lemmas(form)):
                    gids.update(index.lemma_groups[lemma])
        if index.prefix_groups:
            for prefix, gid in index.prefix_groups:
                if any(f.startswith(prefix) for f in forms):
                    gids.add(gid)
        if not gids and not index.class_only:
            return []
        satisfied: dict[int, int] = dict.fromkeys(index.class_only, 0)
        for gid in gids:
            rule = index.group_rule[gid]
            satisfied[rule] = satisfied.get(rule, 0) + 1
        return sorted(r for r, n in satisfied.items() if n >= index.rule_needs[r])

    def view(self, number: int) -> SentenceView:
        """The close look at one sentence (built once)."""
        cached = self._views.get(number)
        if cached is None:
            cached = self._views[number] = self._build(number)
        return cached

    def _build(self, number: int) -> SentenceView:
        start, end = self.spans[number]
        tokens = tokenise(self.text, start, end)
        view = SentenceView(
            number, start, end, self.text[start:end], tokens, [self._keys(t.form) for t in tokens]
        )
        self._find_terms(view)
        return view

    def _keys(self, form: str) -> frozenset[str]:
        index = self.index
        keys = set(index.form_keys.get(form, ()))
        if index.lemma_keys:
            for lemma in index.morph.lemmas(form):
                keys.update(index.lemma_keys.get(lemma, ()))
        if form.endswith("'s") and len(form) > 3:  # English possessive: Russia's
            keys.update(self._keys(form[:-2]))
        for prefix, key in index.prefixes.get(form[:3], ()):
            if form.startswith(prefix):
                keys.add(key)
        return frozenset(keys)

    def _find_terms(self, view: SentenceView) -> None:
        index = self.index
        for position, keys in enumerate(view.keys):
            for key in keys:
                for term_id in index.starts.get(key, ()):
                    end = self._match_at(view, term_id, position)
                    if end is not None:
                        view.by_term[term_id].append((position, end))
        for term_id, spans in view.by_term.items():
            for span in spans:
                for code, kind in index.countries.get(term_id, ()):
                    view.mentions.append(Mention(code, kind, *span, self._text(view, span)))
                for place in index.places.get(term_id, ()):
                    view.places.append(PlaceMention(place, *span, self._text(view, span)))
                for cue in index.cue_terms.get(term_id, ()):
                    view.cues[cue].append(span)
        view.mentions = _outermost(view.mentions)
        view.mentions.sort(key=lambda m: m.start)
        view.places.sort(key=lambda p: p.start)

    def _match_at(self, view: SentenceView, term_id: int, position: int) -> int | None:
        term = self.index.terms[term_id]
        if position + len(term.keys) > len(view.tokens):
            return None
        for offset, (word, key) in enumerate(zip(term.words, term.keys, strict=True)):
            at = position + offset
            if key is not None and key not in view.keys[at]:
                return None
            if term.case_sensitive and word.capitalised and view.tokens[at].text.islower():
                return None
        return position + len(term.keys)

    @staticmethod
    def _text(view: SentenceView, span: TokenSpan) -> str:
        first, last = view.tokens[span[0]], view.tokens[span[1] - 1]
        return view.text[first.start - view.start : last.end - view.start]


_KIND_ORDER = {"names": 0, "seats": 1, "people": 2, "adjectives": 3}


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions inside a longer one ("Rosyjska" inside "Federacja Rosyjska")."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: _KIND_ORDER.get(m.kind, 9)):
        inside = any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in mentions
        )
        if not inside and not any(
            o.start == m.start and o.end == m.end and o.code == m.code for o in out
        ):
            out.append(m)
    return out
