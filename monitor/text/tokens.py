"""Sentences and word tokens with character offsets into the analysed text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# A word: letters/digits, joined by inner hyphens or apostrophes (Nur-Sultan, d'affaires, звʼязку).
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? … (plus closing quotes) before white space and an upper-case
# letter, digit or opening quote; a line break always ends one.
_BOUNDARY = re.compile(
    r"(?<=[.!?…])[\"”»)']*\s+(?=[\"„«“(\-–—]?\s?[A-ZĄĆĘŁŃÓŚŹŻА-ЯЁІЇЄҐ0-9])|\s*\n\s*"
)
MAX_SENTENCE_CHARS = 2_000  # a run-on "sentence" (tables, garbage) is cut into pieces
_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", "`": "'"})


def fold(word: str) -> str:
    """The form used for lookups: lower case, ё as е, one kind of apostrophe."""
    return word.lower().translate(_FOLD)


class Token(NamedTuple):
    """A word as written (``text``), its folded ``form`` and its offsets in the text."""

    text: str
    form: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's character span and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (white space trimmed)."""
    spans: list[tuple[int, int]] = []
    position = 0
    for boundary in _BOUNDARY.finditer(text):
        _add_span(text, position, boundary.start(), spans)
        position = boundary.end()
    _add_span(text, position, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        spans.append((start, cut))
        start = cut + 1 if cut < end and text[cut] == " " else cut
    if end > start:
        spans.append((start, end))


def tokenise(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """The word tokens of ``text[start:end]``, offsets relative to ``text``."""
    stop = len(text) if end is None else end
    return tuple(
        Token(m.group(), fold(m.group()), m.start(), m.end())
        for m in WORD.finditer(text, start, stop)
    )


def sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with its tokens."""
    return [Sentence(s, e, tokenise(text, s, e)) for s, e in split_sentences(text)]
