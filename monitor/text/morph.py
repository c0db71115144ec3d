"""Lemmas and word forms per language: morfeusz2 (pl), pymorphy3 (ru, uk), simplemma (en).

Rule terms are expanded to all their forms when rules load (``expand``), so matching is a
dict lookup; ``lemmas`` and ``readings`` are for tokens on demand and are cached per form.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from monitor.text.tokens import fold

CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class Expansion:
    """The forms a dictionary word stands for, and whether the dictionary knew it."""

    forms: frozenset[str]
    known: bool
    lemmas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """One morphological reading of a form: its lemma and tag."""

    lemma: str
    tag: str


class Morphology:
    """Base: no dictionary, a word is its own lemma (languages without a rule book)."""

    lang = "und"
    generates = True

    def readings(self, form: str) -> tuple[Reading, ...]:
        return (Reading(fold(form), "ign"),)

    def lemmas(self, form: str) -> tuple[str, ...]:
        return _lemmas(self, form)

    def expand(self, word: str) -> Expansion:
        """Every form of the lemma ``word`` (itself included)."""
        return Expansion(frozenset({fold(word)}), False, (fold(word),))

    def is_nominative(self, form: str, singular: bool = False) -> bool:
        """``singular``: a name's plural reading (uk "України") does not count."""
        return True

    def is_genitive(self, form: str) -> bool:
        return True

    def is_future(self, form: str) -> bool:
        return False


@lru_cache(maxsize=CACHE_SIZE)
def _lemmas(morphology: Morphology, form: str) -> tuple[str, ...]:
    lemmas = dict.fromkeys(r.lemma for r in morphology.readings(form) if r.tag != "ign")
    return tuple(lemmas) or (fold(form),)


class PolishMorphology(Morphology):
    """morfeusz2 with the SGJP dictionary shipped in its wheel."""

    lang = "pl"

    def __init__(self) -> None:
        import morfeusz2

        self._m: Any = morfeusz2.Morfeusz(generate=True, expand_tags=False)

    @lru_cache(maxsize=CACHE_SIZE)  # noqa: B019 - one instance per process, kept for life
    def readings(self, form: str) -> tuple[Reading, ...]:
        out: list[Reading] = []
        for start, _end, (_orth, lemma, tag, *_rest) in self._m.analyse(form):
            if start == 0:
                out.append(Reading(fold(lemma.split(":", 1)[0]), tag))
        return tuple(out) or (Reading(fold(form), "ign"),)

    def expand(self, word: str) -> Expansion:
        raw = [
            lemma
            for start, _end, (_orth, lemma, tag, *_rest) in self._m.analyse(word)
            if start == 0 and tag != "ign"
        ]
        exact = [lemma for lemma in raw if fold(lemma.split(":", 1)[0]) == fold(word)]
        chosen = exact or raw
        forms = {fold(word)}
        for lemma in dict.fromkeys(chosen):
            try:
                generated = self._m.generate(lemma)
            except RuntimeError:
                continue
            # Negated gerunds/participles ("niewezwania") mean the opposite: never expand to them.
            forms.update(fold(orth) for orth, _l, tag, *_r in generated if ":neg" not in tag)
        lemmas = tuple(dict.fromkeys(fold(lemma.split(":", 1)[0]) for lemma in chosen))
        # A gerund or participle written as a term (wydalenie) is known: it is a form of its verb.
        return Expansion(frozenset(forms), bool(raw), lemmas or (fold(word),))

    def is_nominative(self, form: str, singular: bool = False) -> bool:
        # Polish plural-only names (Niemcy, Węgry, Czechy) must stay nominative: ignore it.
        return any(_has_case(r.tag, "nom") for r in self.readings(form))

    def is_genitive(self, form: str) -> bool:
        readings = self.readings(form)  # an unknown word (RP, an acronym) may be anything
        return any(r.tag == "ign" or _has_case(r.tag, "gen") for r in readings)

    def is_future(self, form: str) -> bool:
        # Perfective non-past (wezwą, wezwie, zostanie) is future in Polish; so is "będzie".
        return any(
            (r.tag.startswith("fin") and r.tag.endswith(":perf")) or r.tag.startswith("bedzie")
            for r in self.readings(form)
        )


def _has_case(tag: str, case: str) -> bool:
    parts = tag.split(":")
    return parts[0] in {"subst", "adj", "depr", "ppron3"} and any(
        case in part.split(".") for part in parts[1:]
    )


class SlavicMorphology(Morphology):
    """pymorphy3 with its Russian or Ukrainian dictionary."""

    def __init__(self, lang: str) -> None:
        import pymorphy3

        logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # it logs every dictionary load
        self.lang = lang
        self._m: Any = pymorphy3.MorphAnalyzer(lang=lang)

    @lru_cache(maxsize=CACHE_SIZE)  # noqa: B019 - one instance per process, kept for life
    def readings(self, form: str) -> tuple[Reading, ...]:
        return tuple(Reading(fold(p.normal_form), str(p.tag)) for p in self._m.parse(form))

    def expand(self, word: str) -> Expansion:
        parses = self._m.parse(word)
        exact = [p for p in parses if fold(p.normal_form) == fold(word)]
        forms = {fold(word)}
        for parse in exact or parses[:1]:
            forms.update(fold(f.word) for f in parse.lexeme)
        known = bool(exact) and bool(self._m.word_is_known(word))
        lemmas = tuple(dict.fromkeys(fold(p.normal_form) for p in exact or parses[:1]))
        return Expansion(frozenset(forms), known, lemmas or (fold(word),))

    def is_nominative(self, form: str, singular: bool = False) -> bool:
        readings = self.readings(form)
        if singular and any("plur" not in r.tag for r in readings):
            # The name has singular readings: its plural nominative ("України") is a genitive.
            return any("nomn" in r.tag and "plur" not in r.tag for r in readings)
        return any("nomn" in r.tag for r in readings)

    def is_genitive(self, form: str) -> bool:
        return any(
            "gent" in r.tag or "gen2" in r.tag or "Fixd" in r.tag for r in self.readings(form)
        )

    def is_future(self, form: str) -> bool:
        # The likeliest reading only: "запрет" (ban) is a noun before it is "will lock".
        readings = self.readings(form)
        return bool(readings) and "futr" in readings[0].tag


class EnglishMorphology(Morphology):
    """simplemma: lemmas by lookup; terms are matched on lemmas, not generated forms."""

    lang = "en"
    generates = False

    @lru_cache(maxsize=CACHE_SIZE)  # noqa: B019 - one instance per process, kept for life
    def readings(self, form: str) -> tuple[Reading, ...]:
        import simplemma

        word = form[:-2] if form.endswith(("'s", "’s")) else form
        lemma = fold(simplemma.lemmatize(word, lang="en"))
        return (
            (Reading(lemma, "lemma"),)
            if lemma == fold(word)
            else (
                Reading(lemma, "lemma"),
                Reading(fold(word), "form"),
            )
        )

    def expand(self, word: str) -> Expansion:
        import simplemma

        known = bool(simplemma.is_known(word, lang="en")) or bool(
            simplemma.is_known(word.lower(), lang="en")
        )
        return Expansion(frozenset({fold(word)}), known, (fold(word),))


@cache
def morphology_for(lang: str) -> Morphology:
    """The (shared, cached) morphology of a language; a plain one when none is bundled."""
    if lang == "pl":
        return PolishMorphology()
    if lang in {"ru", "uk"}:
        return SlavicMorphology(lang)
    if lang == "en":
        return EnglishMorphology()
    return Morphology()
