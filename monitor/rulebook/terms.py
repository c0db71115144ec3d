"""Term syntax: ``lemma``, ``=form``, ``prefix*``, ``word word`` (phrase), ``@class``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from monitor.text.tokens import WORD, fold

WordKind = Literal["lemma", "form", "prefix", "any", "class"]
CLASSES = frozenset({"country", "place"})
MIN_PREFIX = 3


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a term: how it matches and the folded value it matches on."""

    kind: WordKind
    value: str
    written: str
    capitalised: bool = False


def parse_term(text: str) -> tuple[Word, ...]:
    """The words of a term; raises ValueError saying what is wrong with it."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a term must be a non-empty string")
    raw = text.strip()
    if raw.startswith("@"):
        name = raw[1:]
        if name not in CLASSES:
            known = ", ".join("@" + c for c in sorted(CLASSES))
            raise ValueError(f"unknown gazetteer class {raw!r} (known: {known})")
        return (Word("class", name, raw),)
    words = tuple(_parse_word(part, raw) for part in raw.split())
    if all(w.kind == "any" for w in words):
        raise ValueError(f"term {raw!r} matches anything")
    if words[0].kind == "any" or words[-1].kind == "any":
        raise ValueError(f"term {raw!r}: a phrase cannot start or end with '*'")
    return words


def _parse_word(part: str, term: str) -> Word:
    if part == "*":
        return Word("any", "", part)
    if part.startswith("@"):
        raise ValueError(f"term {term!r}: a gazetteer class must stand alone")
    kind: WordKind = "lemma"
    body = part
    if body.startswith("="):
        kind, body = "form", body[1:]
    elif body.endswith("*"):
        kind, body = "prefix", body[:-1]
        if len(body) < MIN_PREFIX:
            raise ValueError(f"term {term!r}: a prefix needs at least {MIN_PREFIX} letters")
    if not body or WORD.fullmatch(body) is None:
        raise ValueError(
            f"term {term!r}: {part!r} is not one word (letters/digits, inner - or ')"
            " — no regular expressions; split phrases with spaces"
        )
    return Word(kind, fold(body), body, capitalised=body[0].isupper())
