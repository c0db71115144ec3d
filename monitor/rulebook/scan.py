"""One article in one language: sentences, a cheap hot-path test, and close looks on demand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from monitor.rulebook.compile import LanguageIndex
from monitor.text.tokens import WORD, Token, fold, split_sentences, tokenise

TokenSpan = tuple[int, int]
KEY_CACHE_SIZE = 200_000  # token indices [start, end) within a sentence


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
    """A sentence looked at closely: tokens, term hits; countries, places, cues on demand."""

    number: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    keys: list[frozenset[str]]
    index: LanguageIndex
    by_term: dict[int, list[TokenSpan]] = field(default_factory=lambda: defaultdict(list))
    _derived: tuple[list[Mention], list[PlaceMention], dict[str, list[TokenSpan]]] | None = None

    @property
    def mentions(self) -> list[Mention]:
        return self._derive()[0]

    @property
    def places(self) -> list[PlaceMention]:
        return self._derive()[1]

    @property
    def cues(self) -> dict[str, list[TokenSpan]]:
        return self._derive()[2]

    def cue_at(self, kind: str, position: int) -> bool:
        return any(s <= position < e for s, e in self.cues.get(kind, ()))

    def say(self, span: TokenSpan) -> str:
        """The text of a token span as written."""
        first, last = self.tokens[span[0]], self.tokens[span[1] - 1]
        return self.text[first.start - self.start : last.end - self.start]

    def _derive(self) -> tuple[list[Mention], list[PlaceMention], dict[str, list[TokenSpan]]]:
        # Only rules whose groups all hit need these: built the first time one asks.
        if self._derived is None:
            index = self.index
            mentions: list[Mention] = []
            places: list[PlaceMention] = []
            cues: dict[str, list[TokenSpan]] = defaultdict(list)
            for term_id, spans in self.by_term.items():
                for span in spans:
                    for code, kind in index.countries.get(term_id, ()):
                        mentions.append(Mention(code, kind, *span, self.say(span)))
                    for place in index.places.get(term_id, ()):
                        places.append(PlaceMention(place, *span, self.say(span)))
                    for cue in index.cue_terms.get(term_id, ()):
                        cues[cue].append(span)
            mentions = _outermost(mentions)
            mentions.sort(key=lambda m: m.start)
            places.sort(key=lambda p: p.start)
            self._derived = (mentions, places, cues)
        return self._derived


class ArticleScan:
    """Sentences of one text and, lazily, their close views."""

    def __init__(self, index: LanguageIndex, text: str, year: int | None = None) -> None:
        self.index = index
        self.text = text
        self.year = year  # of publication: an event dated to an earlier year is background
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
        present = frozenset(forms)
        if index.hot_lemmas:  # English possessives: "russia's" stands for "russia" too
            present = present.union(f[:-2] for f in forms if f.endswith("'s"))
        rules: set[int] = set()
        for form in index.hot_forms.intersection(present):
            rules.update(index.anchor_forms[form])
        lemmas: frozenset[str] = frozenset()
        if index.hot_lemmas:  # languages matched on lemmas (English)
            lemmas = frozenset(lemma for form in present for lemma in index.morph.lemmas(form))
            for lemma in index.hot_lemmas.intersection(lemmas):
                rules.update(index.anchor_lemmas[lemma])
        joined = "\n" + "\n".join(present) if index.anchor_prefixes or rules else ""
        rules.update(r for prefix, r in index.anchor_prefixes if "\n" + prefix in joined)
        return sorted(
            r for r in rules if all(g.present(present, lemmas, joined) for g in index.pre_groups[r])
        )

    @property
    def viewed(self) -> int:
        return len(self._views)

    def view(self, number: int) -> SentenceView:
        """The close look at one sentence (built once)."""
        cached = self._views.get(number)
        if cached is None:
            cached = self._views[number] = self._build(number)
        return cached

    def _build(self, number: int) -> SentenceView:
        start, end = self.spans[number]
        folded, text = self._folded, self.text
        if folded is not None:  # offsets agree: slice the folded text instead of folding again
            tokens = tuple(
                Token(text[m.start() : m.end()], m.group(), m.start(), m.end())
                for m in WORD.finditer(folded, start, end)
            )
        else:
            tokens = tokenise(text, start, end)
        view = SentenceView(
            number,
            start,
            end,
            self.text[start:end],
            tokens,
            [self._keys(t.form) for t in tokens],
            self.index,
        )
        self._find_terms(view)
        return view

    def _keys(self, form: str) -> frozenset[str]:
        cached = self.index.key_cache.get(form)
        if cached is None:
            cached = self._lookup_keys(form)
            if len(self.index.key_cache) > KEY_CACHE_SIZE:
                self.index.key_cache.clear()
            self.index.key_cache[form] = cached
        return cached

    def _lookup_keys(self, form: str) -> frozenset[str]:
        index = self.index
        keys = set(index.form_keys.get(form, ()))
        if index.lemma_keys:
            for lemma in index.morph.lemmas(form):
                keys.update(index.lemma_keys.get(lemma, ()))
        if form.endswith("'s") and len(form) > 3:  # English possessive: Russia's
            keys.update(self._lookup_keys(form[:-2]))
        for prefix, key in index.prefixes.get(form[:3], ()):
            if form.startswith(prefix):
                keys.add(key)
        return frozenset(keys)

    def _find_terms(self, view: SentenceView) -> None:
        index = self.index
        single, starts = index.single_starts, index.starts
        for position, keys in enumerate(view.keys):
            if not keys:
                continue
            for key in keys:
                for term_id in single.get(key, ()):
                    view.by_term[term_id].append((position, position + 1))
                for term_id in starts.get(key, ()):
                    end = self._match_at(view, term_id, position)
                    if end is not None:
                        view.by_term[term_id].append((position, end))

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
