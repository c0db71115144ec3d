"""What every source yields: article drafts, or rejections that say where and why."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"„«“(]?[A-ZĄĆĘŁŃÓŚŹŻА-ЯЁІЇЄҐ0-9])")
TITLE_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as read from a source, before it is stored."""

    identity: str
    content_hash: str
    origin: str
    text: str
    title: str = ""
    external_id: str | None = None
    url: str | None = None
    lang: str | None = None
    published: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """One input that could not become an article; ``where`` is ``path:line`` or a URL."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def normalise_text(text: str) -> str:
    """NFC, unified line ends, trimmed: the form that is stored and hashed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def content_hash(text: str) -> str:
    """SHA-256 of the text with white space folded, so re-wrapped copies hash alike."""
    folded = _SPACES.sub(" ", text).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def title_from_text(text: str) -> str:
    """The first sentence, cut to a sensible length."""
    first = text.strip().split("\n", 1)[0]
    first = _SENTENCE_END.split(first, maxsplit=1)[0].strip()
    if len(first) > TITLE_MAX_CHARS:
        cut = first[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
        first = cut.rstrip(",;:-– ") + "…"
    return first


_DATE_FORMATS = (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4))


def parse_date(value: str) -> tuple[str, datetime]:
    """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO 8601 timestamp.

    Returns the date as written (normalised) and its UTC start. Raises ValueError.
    """
    value = value.strip()
    for fmt, length in _DATE_FORMATS:
        if len(value) == length:
            try:
                return value, datetime.strptime(value, fmt).replace(tzinfo=UTC)
            except ValueError:
                break
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"date {value!r} cannot be parsed (expected YYYY-MM, YYYY-MM-DD or ISO 8601)"
        ) from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return value, stamp.astimezone(UTC)
