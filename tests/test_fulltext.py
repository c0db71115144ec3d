"""Full text of linked pages (per source, off by default), against a real local server."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from monitor.config import FeedSource
from monitor.models import Article
from monitor.pipeline import CheckOutcome, check_source
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import Store, open_store
from tests.feedserver import Server, feed, feed_server, status

__all__ = ["feed_server"]

PAGE = (
    "<html><head><title>Portal</title></head><body><nav><a href='/'>Start</a> Kraj Świat</nav>"
    "<article><h1>Ambasador wezwany</h1><p>Ministerstwo Spraw Zagranicznych wezwało ambasadora "
    "Rosji w związku z wypowiedziami dotyczącymi Kazachstanu. Rzecznik resortu powiedział, że "
    "rozmowa była stanowcza.</p><p>Moskwa zapowiedziała odpowiedź na ten krok dyplomatyczny w "
    "najbliższych dniach, a Astana wezwała obie strony do powściągliwości.</p></article>"
    "<footer>Copyright 2026 Portal. Polityka cookies.</footer></body></html>"
)


def feed_doc(base: str) -> bytes:
    items = "".join(
        f"<item><guid>{g}</guid><title>Ambasador wezwany</title><link>{base}/{g}</link>"
        "<description>Krótko: MSZ wezwało ambasadora.</description></item>"
        for g in ("page", "missing", "pdf")
    )
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'monitor.db'}")


def check(store: Store, server: Server, full_text: bool) -> CheckOutcome:
    source = FeedSource(name="f", url=server.url("/feed"), full_text=full_text)
    with Fetcher(FetchLimits(deadline_s=5)) as fetcher:
        return check_source(
            store, source, fetcher, backoff_ceiling=timedelta(hours=1), rng=random.Random(0)
        )


def serve(server: Server) -> None:
    server.routes["/feed"] = feed(feed_doc(server.url("")))
    server.routes["/page"] = feed(PAGE.encode(), "text/html; charset=utf-8")
    server.routes["/missing"] = status(404)
    server.routes["/pdf"] = feed(b"%PDF-1.4", "application/pdf")


def texts(store: Store) -> dict[str | None, str]:
    with store.session() as session:
        rows = session.exec(select(Article).order_by(col(Article.id)))
        return {a.external_id: a.text for a in rows}


def test_full_text_replaces_the_summary_when_the_page_has_more(
    feed_server: Server, store: Store
) -> None:
    serve(feed_server)
    assert check(store, feed_server, full_text=True).report.new == 3
    stored = texts(store)
    page = stored["page"]
    assert page.startswith("Ambasador wezwany\n")
    assert "Astana wezwała obie strony do powściągliwości." in page
    assert "Polityka cookies" not in page and "Start" not in page
    summary = "Ambasador wezwany\n\nKrótko: MSZ wezwało ambasadora."
    assert stored["missing"] == summary and stored["pdf"] == summary  # fell back, not lost
    # A second poll fetches no page again: those entries are already stored.
    hits = len(feed_server.hits_for("/page"))
    assert check(store, feed_server, full_text=True).report.new == 0
    assert len(feed_server.hits_for("/page")) == hits == 1


def test_full_text_is_off_by_default(feed_server: Server, store: Store) -> None:
    serve(feed_server)
    assert FeedSource(name="x", url="https://x/").full_text is False
    assert check(store, feed_server, full_text=False).report.new == 3
    assert feed_server.hits_for("/page") == []
    assert texts(store)["page"] == "Ambasador wezwany\n\nKrótko: MSZ wezwało ambasadora."
