"""Compile a rule book per language: every term expanded to its forms, indexed for lookup.

The hot path of matching is a set intersection of a sentence's folded word forms with
``hot_forms``; only sentences where some rule could match are looked at closely.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from monitor.rulebook.loader import LoadedRule, Problem, RuleBook
from monitor.rulebook.schema import LanguageCues, Place
from monitor.rulebook.terms import Word, parse_term
from monitor.text.morph import Morphology, morphology_for


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    """A term with the lookup key of each word (``None`` for a ``*`` wildcard)."""

    id: int
    text: str
    words: tuple[Word, ...]
    keys: tuple[str | None, ...]
    case_sensitive: bool  # gazetteer names: a capitalised entry needs a capitalised token


@dataclass(frozen=True, slots=True)
class CompiledGroup:
    name: str
    kind: str  # all | any | none
    term_ids: frozenset[int]
    classes: frozenset[str]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    loaded: LoadedRule
    lang: str
    groups: tuple[CompiledGroup, ...]
    within: int | None

    @property
    def trigger(self) -> CompiledGroup:
        return self.groups[0]

    def group(self, name: str) -> CompiledGroup | None:
        return next((g for g in self.groups if g.name == name), None)


@dataclass
class LanguageIndex:
    """Everything one language needs to match: forms -> keys, keys -> terms, owners."""

    lang: str
    morph: Morphology
    cues: LanguageCues
    terms: list[CompiledTerm] = field(default_factory=list)
    form_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    lemma_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    prefixes: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    starts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    hot_forms: frozenset[str] = frozenset()
    hot_lemmas: frozenset[str] = frozenset()
    hot_prefixes: tuple[str, ...] = ()
    form_groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    lemma_groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    prefix_groups: list[tuple[str, int]] = field(default_factory=list)
    group_rule: list[int] = field(default_factory=list)
    rule_needs: list[int] = field(default_factory=list)
    class_only: tuple[int, ...] = ()
    rules: list[CompiledRule] = field(default_factory=list)
    trigger_rules: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    class_rules: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    places: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    cue_terms: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    unknown: list[tuple[str, str]] = field(default_factory=list)
    place_list: tuple[Place, ...] = ()
    _by_text: dict[tuple[str, bool], int] = field(default_factory=dict)

    def add_term(self, text: str, *, case_sensitive: bool = False) -> int:
        """The id of a term (compiled once per text), its words expanded into the index."""
        key = (text, case_sensitive)
        if key in self._by_text:
            return self._by_text[key]
        words = parse_term(text)
        keys = tuple(self._index_word(w, text) for w in words)
        term = CompiledTerm(len(self.terms), text, words, keys, case_sensitive)
        self.terms.append(term)
        self._by_text[key] = term.id
        first = keys[0]
        if first is not None:
            self.starts[first].append(term.id)
        return term.id

    def _index_word(self, word: Word, term: str) -> str | None:
        if word.kind == "any" or word.kind == "class":
            return None
        key = f"{word.kind[0]}:{word.value}"
        if word.kind == "form":
            self.form_keys[word.value].add(key)
        elif word.kind == "prefix":
            if key not in {k for _p, k in self.prefixes[word.value[:3]]}:
                self.prefixes[word.value[:3]].append((word.value, key))
        else:
            expansion = self.morph.expand(word.written)
            if not expansion.known:
                self.unknown.append((term, word.written))
            for form in expansion.forms:
                self.form_keys[form].add(key)
            if not self.morph.generates:
                self.lemma_keys[word.value].add(key)
        return key


def compile_language(book: RuleBook, lang: str) -> LanguageIndex:
    """The index of one language: its rules, the gazetteer and its cue words."""
    cues = book.cues.get(lang, LanguageCues(language=lang))
    index = LanguageIndex(lang, morphology_for(lang), cues, place_list=book.places)
    for kind, terms in index.cues.cue_lists().items():
        for text in terms:
            index.cue_terms[index.add_term(text)].add(kind)
    for code, by_lang in book.countries.items():
        names = by_lang.get(lang)
        if names is None:
            continue
        for kind in ("names", "adjectives", "seats", "people"):
            for text in getattr(names, kind):
                index.countries[index.add_term(text, case_sensitive=True)].append((code, kind))
    for number, place in enumerate(book.places):
        for text in getattr(place, lang, ()):
            index.places[index.add_term(text, case_sensitive=True)].append(number)
    for loaded in book.rules:
        if lang in loaded.rule.languages:
            _add_rule(index, loaded)
    _index_hot_forms(index)
    return index


def _add_rule(index: LanguageIndex, loaded: LoadedRule) -> None:
    match = loaded.rule.match
    groups = []
    for kind, table in (("all", match.all), ("any", match.any), ("none", match.none)):
        for name, terms in table.items():
            ids = []
            classes = set()
            for text in terms:
                words = parse_term(text)
                if words[0].kind == "class":
                    classes.add(words[0].value)
                else:
                    ids.append(index.add_term(text))
            groups.append(CompiledGroup(name, kind, frozenset(ids), frozenset(classes)))
    within = None if match.within == "sentence" else int(match.within)
    rule = CompiledRule(loaded, index.lang, tuple(groups), within)
    number = len(index.rules)
    index.rules.append(rule)
    for term_id in rule.trigger.term_ids:
        index.trigger_rules[term_id].append(number)
    for cls in rule.trigger.classes:
        index.class_rules[cls].append(number)


def _index_hot_forms(index: LanguageIndex) -> None:
    """The pre-check: which forms serve which ``all`` group of which rule.

    A sentence is looked at closely only when, for some rule, every ``all`` group has one
    of its forms in the sentence (phrases by their first word; gazetteer classes count as
    present). It is a set intersection per sentence, whatever the number of rules.
    """
    form_groups: dict[str, list[int]] = defaultdict(list)
    lemma_groups: dict[str, list[int]] = defaultdict(list)
    for number, rule in enumerate(index.rules):
        needs = 0
        for group in rule.groups:
            if group.kind != "all" or group.classes:
                continue
            gid = len(index.group_rule)
            index.group_rule.append(number)
            needs += 1
            keys = set()
            for term_id in group.term_ids:
                word, key = index.terms[term_id].words[0], index.terms[term_id].keys[0]
                if word.kind == "prefix":
                    index.prefix_groups.append((word.value, gid))
                elif key is not None:
                    keys.add(key)
                    if not index.morph.generates and word.kind == "lemma":
                        lemma_groups[word.value].append(gid)
            for form, form_keys in index.form_keys.items():
                if form_keys & keys:
                    form_groups[form].append(gid)
        index.rule_needs.append(needs)
    index.class_only = tuple(r for r, needs in enumerate(index.rule_needs) if needs == 0)
    index.form_groups = {f: tuple(g) for f, g in form_groups.items()}
    index.lemma_groups = {f: tuple(g) for f, g in lemma_groups.items()}
    index.hot_forms = frozenset(index.form_groups)
    index.hot_lemmas = frozenset(index.lemma_groups)
    index.hot_prefixes = tuple(p for p, _g in index.prefix_groups)
    index.morph.lemmas("a")  # load the dictionary now, not in the first article


def lint_unknown_terms(book: RuleBook, indexes: dict[str, LanguageIndex]) -> list[Problem]:
    """Warnings for rule terms no dictionary knows (they match their surface form only)."""
    problems: list[Problem] = []
    for lang, index in indexes.items():
        unknown = {term for term, _word in index.unknown}
        words = dict(index.unknown)
        for loaded in book.rules:
            if lang not in loaded.rule.languages:
                continue
            for terms in loaded.rule.match.groups().values():
                for term in terms:
                    if term in unknown:
                        problems.append(
                            Problem(
                                loaded.path,
                                loaded.line,
                                f"term {term!r}: {words[term]!r} is not a {lang} dictionary lemma "
                                "(matches that form only; use =form or prefix* if intended)",
                                loaded.rule.id,
                                "warning",
                            )
                        )
    return problems
