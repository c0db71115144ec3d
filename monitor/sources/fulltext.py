"""Optional full text of an entry's linked page, extracted with trafilatura (off by default).

Only entries not yet stored are fetched, through the same Fetcher and so under the same
limits (timeouts, deadline, body cap, per-host concurrency). When the page cannot be fetched
or yields less text than the feed gave, the entry keeps the feed's text.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator

from monitor.sources.draft import ArticleDraft, Rejection, content_hash, normalise_text
from monitor.sources.fetch import FetchCancelled, Fetcher, FetchError

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def extract_text(page: bytes, url: str) -> str | None:
    """The main text of an HTML page (boilerplate, menus and comments removed), or None."""
    import trafilatura  # the optional 'fulltext' extra; checked when the config loads

    text = trafilatura.extract(
        page, url=url, favor_precision=True, include_comments=False, include_tables=False
    )
    return normalise_text(text) if isinstance(text, str) and text.strip() else None


def with_full_text(draft: ArticleDraft, fetcher: Fetcher) -> ArticleDraft:
    """``draft`` with the linked page's text, when that is longer than the feed's."""
    if not draft.url:
        return draft
    try:
        result = fetcher.fetch(draft.url)
    except FetchCancelled:
        raise
    except FetchError as exc:
        log.info("full text of %s not fetched (%s); keeping the feed's text", draft.url, exc)
        return draft
    content_type = result.headers.get("content-type", "")
    if not any(kind in content_type for kind in HTML_TYPES):
        log.info(
            "full text of %s: %s is not HTML; keeping the feed's text", draft.url, content_type
        )
        return draft
    body = extract_text(result.body, result.url)
    if body is None:
        return draft
    title = draft.title
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    if len(text) <= len(draft.text):
        return draft
    return dataclasses.replace(draft, text=text, content_hash=content_hash(text))


def add_full_text(
    items: Iterable[ArticleDraft | Rejection], fetcher: Fetcher, known: set[str]
) -> Iterator[ArticleDraft | Rejection]:
    """Drafts with their pages' full text, fetched one by one as the store asks for them."""
    for item in items:
        if isinstance(item, ArticleDraft) and item.identity not in known:
            item = with_full_text(item, fetcher)
        yield item
