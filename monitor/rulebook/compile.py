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
    single_starts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    key_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    hot_forms: frozenset[str] = frozenset()
    hot_lemmas: frozenset[str] = frozenset()
    anchor_forms: dict[str, tuple[int, ...]] = field(default_factory=dict)
    anchor_lemmas: dict[str, tuple[int, ...]] = field(default_factory=dict)
    anchor_prefixes: list[tuple[str, int]] = field(default_factory=list)
    pre_groups: list[tuple[PreGroup, ...]] = field(default_factory=list)
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
        if first is not None and len(keys) == 1 and not case_sensitive:
            self.single_starts[first].append(term.id)  # matched without a closer look
        elif first is not None:
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


@dataclass(frozen=True, slots=True)
class PreGroup:
    """What the pre-check knows of one required group: its forms, lemmas and prefixes."""

    forms: frozenset[str]
    lemmas: frozenset[str]
    prefixes: tuple[str, ...]

    def present(self, forms: frozenset[str], lemmas: frozenset[str], joined: str) -> bool:
        if not self.forms.isdisjoint(forms) or not self.lemmas.isdisjoint(lemmas):
            return True
        return any("\n" + p in joined for p in self.prefixes)


def _index_hot_forms(index: LanguageIndex) -> None:
    """The pre-check: a sentence is looked at closely only if some rule could match it.

    Every ``all`` group (and one of the ``any`` groups) of a rule must have one of its forms
    in the sentence (a phrase by its longest word, a gazetteer class by its names). Each rule
    is indexed under its rarest group, its anchor; the others are tested only for the rules
    whose anchor occurs. So the cost follows the anchors found, not the number of rules.
    """
    forms_of: dict[str, list[str]] = defaultdict(list)
    for form, form_keys in index.form_keys.items():
        for form_key in form_keys:
            forms_of[form_key].append(form)
    anchor_forms: dict[str, list[int]] = defaultdict(list)
    anchor_lemmas: dict[str, list[int]] = defaultdict(list)
    for number, rule in enumerate(index.rules):
        required = [[g] for g in rule.groups if g.kind == "all"]
        alternatives = [g for g in rule.groups if g.kind == "any"]
        if alternatives:
            required.append(alternatives)  # one pre-check group: any of them will do
        pre = [_pre_group(index, groups, forms_of) for groups in required]
        anchor = min(pre, key=lambda g: len(g.forms) + len(g.lemmas) + 50 * len(g.prefixes))
        for form in anchor.forms:
            anchor_forms[form].append(number)
        for lemma in anchor.lemmas:
            anchor_lemmas[lemma].append(number)
        index.anchor_prefixes.extend((p, number) for p in anchor.prefixes)
        index.pre_groups.append(tuple(g for g in pre if g is not anchor))
    index.anchor_forms = {f: tuple(r) for f, r in anchor_forms.items()}
    index.anchor_lemmas = {f: tuple(r) for f, r in anchor_lemmas.items()}
    index.hot_forms = frozenset(index.anchor_forms)
    index.hot_lemmas = frozenset(index.anchor_lemmas)
    index.morph.lemmas("a")  # load the dictionary now, not in the first article


def _pre_group(
    index: LanguageIndex, groups: list[CompiledGroup], forms_of: dict[str, list[str]]
) -> PreGroup:
    term_ids = [t for g in groups for t in g.term_ids]
    for group in groups:  # @country / @place: any gazetteer name of the class
        term_ids.extend(index.countries if "country" in group.classes else ())
        term_ids.extend(index.places if "place" in group.classes else ())
    forms: set[str] = set()
    lemmas: set[str] = set()
    prefixes: set[str] = set()
    for term_id in term_ids:
        word, key = _telling_word(index.terms[term_id])
        if word.kind == "prefix":
            prefixes.add(word.value)
        elif key is not None:
            forms.update(forms_of[key])
            if not index.morph.generates and word.kind == "lemma":
                lemmas.add(word.value)
    return PreGroup(frozenset(forms), frozenset(lemmas), tuple(sorted(prefixes)))


def _telling_word(term: CompiledTerm) -> tuple[Word, str | None]:
    """The word of a phrase the pre-check looks for: the longest, as long words are rare."""
    best = max(
        (i for i, w in enumerate(term.words) if w.kind in {"lemma", "form"}),
        key=lambda i: (len(term.words[i].value), i),
        default=0,
    )
    return term.words[best], term.keys[best]


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
