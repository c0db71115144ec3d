"""Raw article text to analysable text: HTML stripped, Unicode normalised, length capped."""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

MAX_CHARS = 200_000  # per-article budget: longer text is cut (and reported as truncated)
_TAG_HINT = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*|!--)[^<>]{0,2000}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_BLOCK_TAGS = frozenset(
    {
        *("p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"),
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript"})


class _TextExtractor(HTMLParser):
    """Collects text nodes; block elements become line breaks, scripts are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_ANY_TAG = re.compile(r"<[^<>]*>")


def looks_like_html(text: str) -> bool:
    return "<" in text and _TAG_HINT.search(text) is not None


def html_to_text(text: str) -> str:
    """Visible text of an HTML fragment (stdlib parser: tolerant of broken markup)."""
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except AssertionError:
        # Python < 3.13's parser asserts on some garbage ("<![" + binary): drop tags by hand.
        parser.parts = [_ANY_TAG.sub(" ", text)]
    return unescape("".join(parser.parts)) if "&" in text else "".join(parser.parts)


def clean_text(text: str, max_chars: int = MAX_CHARS) -> tuple[str, bool]:
    """NFC text without markup or control characters; True when it had to be cut."""
    truncated = False
    if len(text) > max_chars * 2:  # cut before the HTML parser sees megabytes
        text, truncated = text[: max_chars * 2], True
    if looks_like_html(text):
        text = html_to_text(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    if len(text) > max_chars:
        text, truncated = text[:max_chars], True
    return text, truncated
