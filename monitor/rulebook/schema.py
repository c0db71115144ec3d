"""Rule-file schema: pydantic models, frozen once validated."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from monitor.rulebook.terms import parse_term

Language = Literal["pl", "en", "ru", "uk"]
LANGUAGES: tuple[str, ...] = ("pl", "en", "ru", "uk")
Modality = Literal["asserted", "announced", "demanded"]
RoleName = Literal["actor", "target", "subject", "place"]

EVENTS: dict[str, tuple[str, ...]] = {
    "ambassador_dispute": (
        "expulsion_demand",
        "expulsion",
        "summons",
        "recall",
        "replacement_request",
        "downgrade",
        "threat",
    ),
    "border_mobilization": ("mobilization_point", "exit_restriction", "mobilization_exodus"),
}
GROUP_STRATEGIES = frozenset({"attached", "host"})
WORD_STRATEGIES = frozenset({"after"})
PLAIN_STRATEGIES = frozenset(
    {"institution", "nominative", "people", "place-owner", "border", "other", "context", "place"}
)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _example_from_str(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Example(Frozen):
    text: str = Field(min_length=1)
    roles: dict[RoleName, str] = Field(default_factory=dict)


class Examples(Frozen):
    hit: tuple[Annotated[Example, BeforeValidator(_example_from_str)], ...] = ()
    miss: tuple[Annotated[Example, BeforeValidator(_example_from_str)], ...] = ()


def _check_term(value: str) -> str:
    parse_term(value)
    return value


Term = Annotated[str, AfterValidator(_check_term)]
Terms = tuple[Term, ...]


class Match(Frozen):
    within: Literal["sentence"] | Annotated[int, Field(ge=1, le=200)] = "sentence"
    all: dict[str, Terms] = Field(min_length=1)
    any: dict[str, Terms] = Field(default_factory=dict)
    none: dict[str, Terms] = Field(default_factory=dict)

    @field_validator("all", "any", "none")
    @classmethod
    def _check_groups(cls, groups: dict[str, Terms]) -> dict[str, Terms]:
        for name, terms in groups.items():
            if not terms:
                raise ValueError(f"group {name!r} has no terms")
        return groups

    @model_validator(mode="after")
    def _unique_groups(self) -> Match:
        seen: set[str] = set()
        for name in [*self.all, *self.any, *self.none]:
            if name in seen:
                raise ValueError(f"group name {name!r} is used twice")
            seen.add(name)
        return self

    def groups(self) -> dict[str, Terms]:
        return {**self.all, **self.any, **self.none}


class Codes(Frozen):
    cameo: str | None = None
    plover: str | None = None


class Rule(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=120)
    title: str = Field(min_length=1)
    signal: Literal["ambassador_dispute", "border_mobilization"]
    event: str
    severity: float = Field(ge=-10, le=10)
    codes: Codes = Codes()
    languages: tuple[Language, ...] = Field(min_length=1)
    modalities: tuple[Modality, ...] = ("asserted", "announced")
    match: Match
    roles: dict[RoleName, tuple[str, ...]] = Field(default_factory=dict)
    examples: dict[Language, Examples] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Rule:
        events = EVENTS[self.signal]
        if self.event not in events:
            raise ValueError(
                f"event {self.event!r} is not an event of {self.signal} ({', '.join(events)})"
            )
        for lang in self.examples:
            if lang not in self.languages:
                raise ValueError(f"examples in {lang!r}, which the rule does not declare")
        groups = self.match.groups()
        for role, strategies in self.roles.items():
            for strategy in strategies:
                _check_strategy(role, strategy, groups)
        return self


def _check_strategy(role: str, strategy: str, groups: dict[str, Terms]) -> None:
    name, _, arg = strategy.partition(" ")
    if name in GROUP_STRATEGIES:
        if arg not in groups:
            raise ValueError(f"roles.{role}: {strategy!r} names no group of this rule's match")
    elif name in WORD_STRATEGIES:
        if not arg or " " in arg:
            raise ValueError(f"roles.{role}: {strategy!r} needs one word, e.g. 'after od'")
    elif name in PLAIN_STRATEGIES:
        if arg:
            raise ValueError(f"roles.{role}: {name!r} takes no argument")
    else:
        known = sorted(GROUP_STRATEGIES | WORD_STRATEGIES | PLAIN_STRATEGIES)
        raise ValueError(f"roles.{role}: unknown strategy {name!r} (known: {', '.join(known)})")


class LanguageCues(Frozen):
    """Per-language cue words (``rules/lang/<lang>.yaml``)."""

    language: str = Field(min_length=2, max_length=8)
    negation: Terms = ()
    negation_skip: Terms = ()
    refusal: Terms = ()
    hypothetical: Terms = ()
    opinion: Terms = ()
    threat: Terms = ()
    background: Terms = ()
    demand: Terms = ()
    announce: Terms = ()
    future_aux: Terms = ()
    reported_future: Terms = ()  # "said it would": announced, not hypothetical
    institutions: Terms = ()
    prepositions: Terms = ()
    host: Terms = ()
    border: Terms = ()
    border_with: Terms = ()

    def cue_lists(self) -> dict[str, Terms]:
        return {k: v for k, v in self.model_dump().items() if k != "language"}


class CountryNames(Frozen):
    names: Terms = ()
    adjectives: Terms = ()
    seats: Terms = ()
    people: Terms = ()


class Place(Frozen):
    name: str
    kind: Literal["crossing", "region"]
    countries: tuple[str, str]
    pl: Terms = ()
    en: Terms = ()
    ru: Terms = ()
    uk: Terms = ()
