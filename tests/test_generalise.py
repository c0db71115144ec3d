"""Modality and roles that the challenge set asked of the engine, one language at a time."""

from __future__ import annotations

from functools import cache

import pytest

from monitor.rulebook import Engine, load_rulebook
from tests.conftest import REPO


@cache
def engine() -> Engine:
    return Engine(load_rulebook(REPO / "rules"))


def found(text: str, lang: str, year: int | None = None) -> list[tuple[str, ...]]:
    result = engine().analyse(text, lang, detect=False, year=year)
    return [(f.event, f.modality, f.actor or "-", f.target or "-") for f in result.findings]


@pytest.mark.parametrize(
    ("lang", "negated", "asserted"),
    [
        (
            "ru",
            "Власти не вводили запрет на выезд для мужчин призывного возраста.",
            "Власти ввели запрет на выезд для мужчин призывного возраста.",
        ),
        (
            "en",
            "The government has no plans to recall its ambassador from Beijing.",
            "The government plans to recall its ambassador from Beijing.",
        ),
        (
            "ru",
            "МИД не планирует высылать американских дипломатов.",
            "МИД планирует выслать американских дипломатов.",
        ),
        (
            "uk",
            "МЗС не має наміру висилати посла Угорщини.",
            "МЗС має намір вислати посла Угорщини.",
        ),
    ],
)
def test_negation_reaches_across_a_light_verb_or_a_plan(
    lang: str, negated: str, asserted: str
) -> None:
    assert found(negated, lang) == []
    assert len(found(asserted, lang)) == 1


def test_a_noun_with_a_rare_future_reading_is_not_announced() -> None:
    # "запрет" is a ban first and "will lock" (запереть) only second.
    [(event, modality, *_)] = found(
        "Власти ввели запрет на выезд для мужчин призывного возраста.", "ru"
    )
    assert (event, modality) == ("exit_restriction", "asserted")


def test_reported_would_is_announced_and_bare_would_is_hypothetical() -> None:
    assert found("Poland said Warsaw would expel two Russian diplomats.", "en") == [
        ("expulsion", "announced", "POL", "RUS")
    ]
    assert found("Poland would expel two Russian diplomats.", "en") == []


def test_a_headline_the_body_tells_as_past_is_no_detection() -> None:
    past = (
        "Ретроспектива: высылки дипломатов\nВ 2018 году Россия выслала 60 американских дипломатов."
    )
    assert found(past, "ru", year=2026) == []
    news = "Россия высылает дипломатов\nРоссия выслала 60 американских дипломатов."
    assert found(news, "ru", year=2026) == [("expulsion", "asserted", "RUS", "USA")]


def test_english_actor_is_the_name_nearest_before_the_verb() -> None:
    text = "MOSCOW (Reuters) - Poland summoned Russia's ambassador on Monday."
    assert found(text, "en") == [("summons", "asserted", "POL", "RUS")]


def test_ukrainian_genitive_name_is_not_the_subject() -> None:
    # "України" also reads as a plural nominative; the envoy's state is the target.
    assert found("Посла України викликали до МЗС Угорщини.", "uk") == [
        ("summons", "asserted", "HUN", "UKR")
    ]


def test_an_envoy_head_is_no_institution_of_the_acting_state() -> None:
    text = "Казахстан вызовет главу российской дипмиссии в МИД."
    assert found(text, "ru") == [("summons", "announced", "KAZ", "RUS")]


def test_a_hypothetical_body_does_not_undo_its_headline() -> None:
    text = "Poland expels Russian diplomat\nWarsaw could expel more diplomats if Moscow retaliates."
    assert [f[:2] for f in found(text, "en")] == [("expulsion", "asserted")]
