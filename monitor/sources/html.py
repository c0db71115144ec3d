"""HTML fragments (feed summaries and content) to plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from monitor.sources.draft import normalise_text

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP = frozenset(("script", "style", "template", "noscript", "head"))
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


class _TextCollector(HTMLParser):
    """Collects text, breaking lines at block elements and skipping scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str, *, markup: bool = True) -> str:
    """Visible text of an HTML fragment, one paragraph a line; ``markup=False`` only tidies."""
    if not fragment:
        return ""
    if markup and "<" in fragment:
        collector = _TextCollector()
        collector.feed(fragment)
        collector.close()
        text = "".join(collector.parts)
    else:
        text = html.unescape(fragment) if markup else fragment
    lines = (_INLINE_SPACE.sub(" ", line).strip() for line in text.splitlines())
    text = "\n".join(lines)
    return normalise_text(_BLANK_LINES.sub("\n\n", text))
