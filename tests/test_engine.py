"""The engine on sentences written for these tests: events, modality, roles, budgets."""

from __future__ import annotations

import os
import time
from functools import cache

import pytest

from monitor.config import bundled_seeds_dir
from monitor.rulebook import Engine, load_rulebook
from monitor.sources.draft import ArticleDraft
from monitor.sources.files import read_file
from tests.conftest import REPO


@cache
def engine() -> Engine:
    return Engine(load_rulebook(REPO / "rules"))


def events(text: str, lang: str = "pl") -> list[tuple[str, str]]:
    result = engine().analyse(text, lang)
    return [(f.event, f.modality) for f in result.findings]


def test_inflected_forms_match_the_rule_lemmas() -> None:
    assert events("Polski MSZ wezwał ambasadora Rosji.") == [("summons", "asserted")]
    assert events("Ambasadorowi Rosji wręczono notę protestacyjną.") == [("summons", "asserted")]
    assert events("Wezwany do MSZ ambasador Niemiec nie skomentował sprawy.") == [
        ("summons", "asserted")
    ]
    assert events("Polska wydaliła ambasadorów Białorusi.") == [("expulsion", "asserted")]


def test_a_demand_is_not_an_act() -> None:
    assert events("Rosja zażądała wydalenia ukraińskiego ambasadora.") == [
        ("expulsion_demand", "asserted")
    ]


def test_negated_and_refused_acts_yield_nothing() -> None:
    assert events("Władze nie wydali rosyjskich dyplomatów.") == []
    assert events("Polska nie wydaliła rosyjskich dyplomatów.") == []
    assert events("Rząd odmówił wydalenia ambasadora Rosji.") == []
    result = engine().analyse("Rząd odmówił wydalenia ambasadora Rosji.", "pl", explain=True)
    assert [(h.rule.loaded.rule.id, h.modality, h.counted) for h in result.hits] == [
        ("pl-expulsion", "negated", False)
    ]


def test_announced_acts_count_and_are_marked() -> None:
    assert events("Ambasador Kazachstanu zostanie wezwany do MSZ Rosji.") == [
        ("summons", "announced")
    ]
    assert events("Władze Litwy wezwą szefa białoruskiej misji.") == [("summons", "announced")]


def test_hypothetical_opinion_and_background_yield_nothing() -> None:
    assert events("Gdyby Rosja wydaliła polskich dyplomatów, Polska odpowie.") == []
    assert events("Poseł uważa, że rząd powinien wydalić ambasadora Rosji.") == []
    assert events("Czy MSZ wezwie ambasadora Rosji?") == []
    assert events("Rok temu MSZ wezwał ambasadora Rosji.") == []
    dated = "W 2019 roku MSZ wezwał ambasadora Rosji."
    assert engine().analyse(dated, "pl", year=2022).findings == []
    assert [f.event for f in engine().analyse(dated, "pl", year=2019).findings] == ["summons"]


def test_traps_brand_ambassador_voters_and_trucks() -> None:
    assert events("Firma odwołała ambasadora marki po skandalu.") == []
    assert events("Partie walczą o mobilizację wyborców przed wyborami.") == []
    assert events("Przejście graniczne z Białorusią ponownie otwarto dla ciężarówek.") == []


def test_roles_from_capitals_adjectives_and_context() -> None:
    text = (
        "Ambasador Ukrainy w Kazachstanie udzielił wywiadu. "
        "Po tym wywiadzie Kreml zażądał od Astany wydalenia ambasadora."
    )
    [finding] = engine().analyse(text, "pl").findings
    assert (finding.event, finding.actor, finding.target, finding.subject) == (
        "expulsion_demand",
        "RUS",
        "KAZ",
        "UKR",
    )
    assert finding.sentence.startswith("Po tym wywiadzie")
    assert text[finding.start : finding.end] == finding.sentence


SEED_EVENTS = {
    ("ambassador_dispute", "expulsion_demand", "RUS", "KAZ", "UKR", None, None),
    ("ambassador_dispute", "replacement_request", "KAZ", "UKR", None, None, None),
    ("ambassador_dispute", "summons", "RUS", "KAZ", None, None, None),
    ("ambassador_dispute", "summons", "KAZ", "RUS", None, None, None),
    ("border_mobilization", "mobilization_point", "RUS", None, None, "Astrakhan oblast", "RUS-KAZ"),
    ("border_mobilization", "mobilization_exodus", "RUS", "KAZ", None, None, None),
}


def seed(name: str) -> ArticleDraft:
    [draft] = list(read_file(bundled_seeds_dir() / name))
    assert isinstance(draft, ArticleDraft)
    return draft


def test_the_first_seed_yields_its_six_events_with_their_roles() -> None:
    result = engine().analyse(seed("000_f409f92c391b5b88.txt").text)
    assert result.lang == "pl"
    found = {
        (f.signal, f.event, f.actor, f.target, f.subject, f.place, f.place_countries)
        for f in result.findings
    }
    assert found == SEED_EVENTS
    modality = {(f.event, f.actor): f.modality for f in result.findings}
    assert modality[("summons", "RUS")] == modality[("summons", "KAZ")] == "announced"


def test_the_second_seed_is_an_exodus_and_no_ambassador_dispute() -> None:
    result = engine().analyse(seed("001_f85f1ae454ee3e3d.txt").text)
    assert {(f.event, f.actor) for f in result.findings} == {("mobilization_exodus", "RUS")}


def test_a_language_without_a_rule_book_is_analysed_and_yields_nothing() -> None:
    text = "Das Außenministerium hat den russischen Botschafter einbestellt und ausgewiesen. " * 3
    result = engine().analyse(text)
    assert result.lang == "de"
    assert not result.has_rules and result.findings == []
    assert result.note == "no rule book for language 'de'"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        os.urandom(300_000).decode("latin-1"),
        "\x00\x01\x02" * 100_000,
        ("Polski MSZ wezwał ambasadora Rosji. " + "słowo " * 400 + "\n") * 4_000,
    ],
    ids=["empty", "blank", "binary", "control", "10MB"],
)
def test_bad_or_huge_text_stays_within_the_budget(text: str) -> None:
    started = time.monotonic()
    result = engine().analyse(text, "pl")
    assert time.monotonic() - started < 10
    if len(text) > 1_000_000:
        assert result.truncated and "cut to 200000 characters" in (result.note or "")
        assert result.findings and result.findings[0].event == "summons"


def test_odd_unicode_never_breaks_analysis() -> None:
    import random

    rng = random.Random(3)
    alphabet = "İıßẞ́ ̈ёЁʼ’'-–.?!\n\t\u200b\u202e😀ąęŁż中文АБВгд0123 ambasador wezwał MSZ Rosji"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        result = engine().analyse(text, rng.choice(["pl", "en", "ru", "uk", None]))
        for finding in result.findings:
            assert result.text[finding.start : finding.end] == finding.sentence
    text = "İstanbul: Polski MSZ wezwał ambasadora Rosji. İİİ"  # lower() changes the length
    [finding] = engine().analyse(text, "pl").findings
    assert finding.event == "summons" and text[finding.start : finding.end] == finding.sentence


def test_the_pre_check_never_hides_a_detection() -> None:
    """Every example of every rule: the fast path finds what the close look at all finds."""
    book = engine().book
    for loaded in book.rules:
        for lang, examples in loaded.rule.examples.items():
            for example in (*examples.hit, *examples.miss):
                fast = engine().analyse(example.text, lang, detect=False).findings
                full = engine().analyse(example.text, lang, detect=False, explain=True).findings
                assert [f.key() for f in fast] == [f.key() for f in full], example.text


def test_a_nominative_after_an_envoy_word_starts_a_new_clause() -> None:
    text = "Po tym stwierdzeniu dyplomaty Kreml zażądał od Astany wydalenia ambasadora."
    [finding] = engine().analyse(text, "pl").findings
    assert (finding.actor, finding.target, finding.subject) == ("RUS", "KAZ", None)


def test_worker_threads_can_share_one_engine() -> None:
    from concurrent.futures import ThreadPoolExecutor

    fresh = Engine(load_rulebook(REPO / "rules"))  # compiled lazily, by whichever thread is first
    texts = [seed("000_f409f92c391b5b88.txt").text, "Polski MSZ wezwał ambasadora Rosji."] * 8
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: [f.key() for f in fresh.analyse(t).findings], texts))
    assert all(r == results[i % 2] for i, r in enumerate(results))
    assert len(results[0]) == 6 and len(results[1]) == 1
