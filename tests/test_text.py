"""Text analysis: cleaning, language, sentences and tokens with offsets, morphology."""

from __future__ import annotations

import pytest

from monitor.text.clean import clean_text
from monitor.text.langid import detect_language
from monitor.text.morph import morphology_for
from monitor.text.tokens import sentences, split_sentences


def test_html_is_stripped_and_entities_decoded() -> None:
    text, cut = clean_text(
        "<p>Ambasador&nbsp;Rosji</p><script>x=1</script><p>wezwany &amp; już</p>"
    )
    assert not cut
    assert text.split() == ["Ambasador", "Rosji", "wezwany", "&", "już"]


def test_text_without_markup_keeps_its_offsets() -> None:
    raw = "MSZ wezwał ambasadora. 3 < 5 is not a tag."
    assert clean_text(raw) == (raw, False)


def test_sentences_and_token_offsets_point_into_the_text() -> None:
    text = 'Kreml zażądał wydalenia. "Ambasador" m.in. wyjechał!\nNowy akapit bez kropki'
    found = sentences(text)
    assert [text[s.start : s.end] for s in found] == [
        "Kreml zażądał wydalenia.",
        '"Ambasador" m.in. wyjechał!',
        "Nowy akapit bez kropki",
    ]
    for sentence in found:
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text
    assert [t.form for t in found[0].tokens] == ["kreml", "zażądał", "wydalenia"]


def test_a_run_on_sentence_is_cut_into_pieces() -> None:
    spans = split_sentences("słowo " * 2000)
    assert len(spans) > 1 and all(e - s <= 2000 for s, e in spans)


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("ambasador", ["ambasador", "ambasadora", "ambasadorowi", "ambasadorem", "ambasadorów"]),
        ("wezwać", ["wezwać", "wezwą", "wezwany", "wezwał", "wezwie", "wezwania"]),
        ("wydalić", ["wydalił", "wydalenia", "wydalą", "wydaleni"]),
        ("Kazachstan", ["kazachstan", "kazachstanu", "kazachstanem"]),
        ("Kijów", ["kijów", "kijowa", "kijowie"]),
        ("Astana", ["astana", "astany", "astanie"]),
    ],
)
def test_polish_lemmas_expand_to_their_inflected_forms(lemma: str, forms: list[str]) -> None:
    expansion = morphology_for("pl").expand(lemma)
    assert expansion.known
    assert set(forms) <= expansion.forms


def test_negated_gerunds_are_not_forms_of_the_verb() -> None:
    assert "niewezwania" not in morphology_for("pl").expand("wezwać").forms


def test_polish_readings_give_lemmas_case_and_tense() -> None:
    pl = morphology_for("pl")
    assert "wezwać" in pl.lemmas("wezwany")
    assert "kijów" in pl.lemmas("Kijowa")
    assert pl.is_future("wezwą") and pl.is_future("zostanie") and not pl.is_future("wezwał")
    assert pl.is_nominative("Kazachstan") and not pl.is_nominative("Kazachstanu")


def test_unknown_words_keep_their_surface_form() -> None:
    pl = morphology_for("pl")
    assert pl.lemmas("wrublewskiego") == ("wrublewskiego",)
    assert not pl.expand("Wrublewski").known


def test_russian_ukrainian_and_english_morphology() -> None:
    assert {"посла", "послу"} <= morphology_for("ru").expand("посол").forms
    assert morphology_for("ru").is_future("вызовут")
    assert "посла" in morphology_for("uk").expand("посол").forms
    assert "expel" in morphology_for("en").lemmas("expelled")


def test_language_is_detected_and_the_hint_is_respected() -> None:
    assert detect_language("Kreml zażądał od Astany wydalenia ambasadora Ukrainy.") == "pl"
    assert detect_language("МИД России вызвал посла Казахстана для беседы.") == "ru"
    assert detect_language("МЗС України викликало посла Чехії до міністерства.") == "uk"
    assert detect_language("Kazakhstan summoned the Ukrainian ambassador on Tuesday.") == "en"
    assert detect_language("short", "pl") == "pl"
    assert detect_language("", None) == "und"
    russian = "Министерство иностранных дел России вызвало посла Казахстана для беседы. " * 4
    assert detect_language(russian, "pl") == "ru"  # a wrong declaration is overruled


def test_garbage_markup_that_trips_the_stdlib_parser_is_still_cleaned() -> None:
    # "<![" followed by no name made html.parser raise AssertionError (Python < 3.13).
    text, _ = clean_text("<p>Ambasador</p> <![\xe92\xd7 garbage <b>wezwany</b>")
    assert "Ambasador" in text and "wezwany" in text and "<b>" not in text
