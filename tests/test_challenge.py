"""The held-out challenge set (tests/data/challenge.jsonl): written for it, never tuned on."""

from __future__ import annotations

from collections import Counter

import pytest

from monitor.evaluation import Evaluation, evaluate, read_passages
from monitor.rulebook import Engine, load_rulebook
from tests.conftest import REPO

CHALLENGE = REPO / "tests" / "data" / "challenge.jsonl"
SIGNALS = ("ambassador_dispute", "border_mobilization")
LANGS = ("pl", "en", "ru", "uk")


@pytest.fixture(scope="module")
def result() -> Evaluation:
    return evaluate(Engine(load_rulebook(REPO / "rules")), read_passages(CHALLENGE))


def test_the_challenge_set_covers_every_language_and_label() -> None:
    passages = read_passages(CHALLENGE)
    per = Counter((p.lang, p.label) for p in passages)
    for lang in LANGS:
        assert sum(n for (lang_, _), n in per.items() if lang_ == lang) >= 25, lang
        for label in (*SIGNALS, "none"):
            assert per[(lang, label)] >= 5, (lang, label)


@pytest.mark.parametrize("signal", SIGNALS)
def test_each_signal_meets_the_gate_over_all_languages(result: Evaluation, signal: str) -> None:
    score = result.score(signal, "all")
    assert score.precision >= 0.90, (signal, score)
    assert score.recall >= 0.85, (signal, score)
    assert result.failing(0.90, 0.85) == []
