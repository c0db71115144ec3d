"""Feed bytes -> article drafts, with feedparser given the bytes and the response headers.

feedparser never sees a URL or a path (it would fetch it itself, without our limits).
Internal DTD subsets are cut before parsing (entity-expansion bombs); chardet is installed,
so feedparser decodes undeclared legacy encodings (windows-1250, windows-1251, KOI8-R).
An entry's identity is its GUID, else its link, else a hash of its title and text; the
store scopes it to the feed.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from monitor.sources.draft import ArticleDraft, Rejection, content_hash, title_from_text
from monitor.sources.html import html_to_text

Item = ArticleDraft | Rejection

_PROLOG_END = re.compile(rb"<[A-Za-z_]")
_DTD_SUBSET = re.compile(rb"<!DOCTYPE\s+([^\s\[>]+)[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_HTML_START = re.compile(rb"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


class FeedError(Exception):
    """The bytes are not a usable feed; the message says why (``not a feed: ...``)."""


@dataclass
class ParsedFeed:
    """What one feed document holds."""

    title: str
    version: str
    encoding: str
    language: str | None
    items: list[Item] = field(default_factory=list)
    warning: str | None = None

    @property
    def drafts(self) -> list[ArticleDraft]:
        return [i for i in self.items if isinstance(i, ArticleDraft)]


def neutralise_dtd(body: bytes) -> bytes:
    """Drop an internal DTD subset (where entities are declared) from the prolog."""
    root = _PROLOG_END.search(body)
    prolog_end = root.start() if root else len(body)
    match = _DTD_SUBSET.search(body, 0, prolog_end)
    if match is None:
        return body
    return body[: match.start()] + b"<!DOCTYPE " + match.group(1) + b">" + body[match.end() :]


def parse_feed(
    body: bytes, headers: Mapping[str, str], url: str, language: str | None = None
) -> ParsedFeed:
    """Parse a feed document; raise FeedError when it is not a feed at all."""
    if not body.strip():
        raise FeedError("not a feed: empty body")
    headers = {k.lower(): v for k, v in headers.items()}
    # No Content-Location: feedparser would resolve GUIDs against it, and an identity must
    # not change when the feed moves (http -> https, a new host). Links are joined below.
    headers.pop("content-location", None)
    # Without a Content-Type feedparser assumes a broken HTTP reply and decodes as latin-1.
    headers.setdefault("content-type", "application/xml")
    parsed = feedparser.parse(neutralise_dtd(body), response_headers=headers)
    entries: list[Any] = parsed.get("entries", [])
    version = parsed.get("version", "")
    problem = _bozo_message(parsed)
    if not entries and not version:
        if "html" in headers.get("content-type", "") or _HTML_START.match(body[:4096]):
            raise FeedError("not a feed: got an HTML page")
        raise FeedError(f"not a feed: {problem or 'no RSS or Atom root element'}")
    if not entries and problem:
        raise FeedError(f"broken feed: {problem}")
    meta = parsed.get("feed", {})
    feed_language = language or _language(meta.get("language"))
    items = [entry_item(entry, n, url, feed_language) for n, entry in enumerate(entries, 1)]
    return ParsedFeed(
        title=html_to_text(meta.get("title", "")),
        version=version or "unknown",
        encoding=parsed.get("encoding", ""),
        language=feed_language,
        items=items,
        warning=problem,
    )


def entry_item(entry: Mapping[str, Any], index: int, feed_url: str, language: str | None) -> Item:
    """One entry as a draft, or a rejection naming the feed and the entry."""
    title = html_to_text(entry.get("title", ""))
    body = _entry_body(entry)
    # Headlines carry the signal as often as the body, so the text starts with the title.
    headed = title and body and not body.startswith(title)
    text = f"{title}\n\n{body}" if headed else body or title
    link = (entry.get("link") or "").strip() or None
    guid = (entry.get("id") or "").strip() or None
    if not text:
        return Rejection(f"{feed_url} entry {index}", "entry has neither title nor text")
    digest = content_hash(text)
    if guid:
        key = f"guid:{guid}"
    elif link:
        key = f"link:{link}"
    else:
        key = f"hash:{digest}"
    published_at = _entry_time(entry)
    return ArticleDraft(
        identity=hashlib.sha256(key.encode("utf-8")).hexdigest(),
        content_hash=digest,
        origin=urljoin(feed_url, link) if link else f"{feed_url} entry {index}",
        text=text,
        title=title or title_from_text(text),
        external_id=guid or link,
        url=urljoin(feed_url, link) if link else None,
        lang=language,
        published=published_at.isoformat() if published_at else None,
        published_at=published_at,
    )


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The longest content block, else the summary (many feeds carry only that)."""
    blocks = [c for c in entry.get("content", []) if c.get("value")]
    if blocks:
        best = max(blocks, key=lambda c: len(c["value"]))
        return _as_text(best["value"], best.get("type", "text/html"))
    detail = entry.get("summary_detail") or {}
    return _as_text(entry.get("summary", ""), detail.get("type", "text/html"))


def _as_text(value: str, mime: str) -> str:
    return html_to_text(value) if "html" in mime else html_to_text(value, markup=False)


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _language(value: Any) -> str | None:
    match = _LANG.match(value.strip()) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def _bozo_message(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "malformed feed"
    if type(exc).__name__ == "CharacterEncodingOverride":
        return f"encoding guessed as {parsed.get('encoding', '?')}"
    line = getattr(exc, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    return f"malformed XML{where}: {getattr(exc, 'getMessage', lambda: str(exc))()}"
