"""Language identification with py3langid's bundled model (no download at run time)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SUPPORTED = ("pl", "en", "ru", "uk")
# Close neighbours, so that Czech or Belarusian text is not forced into pl or ru/uk.
DISTRACTORS = ("cs", "sk", "be", "bg", "de", "fr", "es", "it", "kk", "lt", "lv", "sr", "hr")
SAMPLE_CHARS = 600  # plenty for four well-separated languages; langid costs per character
CHECK_CHARS = 300  # with a declared language, only to catch a wrong declaration
MIN_CONFIDENCE = 0.5
OVERRIDE_CONFIDENCE = 0.99
SAME_SCRIPT_CONFIDENCE = 0.9999
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = frozenset({"ru", "uk", "be", "bg", "kk", "sr"})
OVERRIDE_MIN_CHARS = 200


def load_model() -> None:
    """Load the model now (about 0.5 s) rather than inside the first article."""
    _identifier()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED + DISTRACTORS))
    return identifier


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of ``text``; the declared ``hint`` wins unless the text clearly disagrees."""
    hint = (hint or "").strip().lower()[:2] or None
    sample = text[: SAMPLE_CHARS if hint is None else CHECK_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return hint or "und"
    if hint is not None and (
        len(sample) < OVERRIDE_MIN_CHARS or _script_of(sample) == _script(hint)
    ):
        # Too short to overrule a declaration, or written in the declared language's script:
        # the declaration stands (a cheap check; the model runs only on a disagreement).
        return hint
    lang, confidence = _identifier().classify(sample)
    if hint is None:
        return str(lang) if confidence >= MIN_CONFIDENCE else "und"
    if lang == hint:
        return hint
    # A feed that declares "pl" but carries Russian text: another script is easy to trust;
    # a close neighbour in the same script (pl/cs, ru/uk) must be near certain.
    needed = OVERRIDE_CONFIDENCE if _script(lang) != _script(hint) else SAME_SCRIPT_CONFIDENCE
    return str(lang) if confidence >= needed else hint


def _script_of(sample: str) -> str:
    cyrillic = len(_CYRILLIC_LETTER.findall(sample))
    return "cyrl" if cyrillic * 2 > len(_LETTER.findall(sample)) else "latn"


def _script(lang: str) -> str:
    return "cyrl" if lang in CYRILLIC else "latn"
