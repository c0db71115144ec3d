"""Bad feeds and faulty servers through the whole check: each becomes data on the row."""

from __future__ import annotations

import gzip
import html
import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from monitor.config import FeedSource
from monitor.models import Article, Source, utcnow
from monitor.pipeline import CheckOutcome, check_source
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import Store, open_store
from monitor.store.schedule import get_source
from tests.feedserver import (
    Route,
    Server,
    drip,
    endless,
    feed,
    feed_server,
    gzipped,
    hang,
    redirect,
    reset,
    rss,
    sequence,
    shared_dir,
    status,
)

__all__ = ["feed_server"]

LIMITS = FetchLimits(connect_timeout_s=1, read_timeout_s=0.4, deadline_s=1)
POLISH = "Rosja zażądała wydalenia ambasadora; MSZ wezwało chargé d'affaires. Zażółć gęślą jaźń."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'monitor.db'}")


def check(store: Store, server: Server, path: str, name: str = "f") -> CheckOutcome:
    source = FeedSource(name=name, url=server.url(path), interval=timedelta(minutes=10))
    with Fetcher(LIMITS) as fetcher:
        return check_source(
            store, source, fetcher, backoff_ceiling=timedelta(hours=24), rng=random.Random(7)
        )


def row(store: Store, name: str = "f") -> Source:
    with store.session() as session:
        found = get_source(session, name)
    assert found is not None
    return found


def articles(store: Store, name: str = "f") -> list[Article]:
    with store.session() as session:
        query = select(Article).join(Source).where(Source.name == name).order_by(col(Article.id))
        return list(session.exec(query))


FAULTS: dict[str, tuple[Route, str]] = {
    "hang": (hang, "fetch: read timed out (server silent)"),
    "drip": (drip(rss([("a", "t", "d")]) * 20, 0.05), "fetch: deadline exceeded (server too slow)"),
    "reset": (reset, "fetch: connection"),
    "404": (status(404), "fetch: HTTP 404"),
    "500": (status(500), "fetch: HTTP 500"),
    "loop": (redirect("/fault"), "fetch: more than 5 redirects"),
    "gzip-bomb": (
        gzipped(b"\0" * (64 * 1024 * 1024)),
        "fetch: body larger than 15728640 bytes (after decompression)",
    ),
    "100MB": (endless(100 * 1024 * 1024), "fetch: body larger than 15728640 bytes"),
    "html": (
        feed(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "text/html"),
        "parse: not a feed: got an HTML page",
    ),
    "truncated": (
        feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut'),
        "parse: broken feed: malformed XML at line 1",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_is_recorded_on_the_row_and_backs_off(
    feed_server: Server, store: Store, fault: str
) -> None:
    route, expected = FAULTS[fault]
    feed_server.routes["/fault"] = route
    before = utcnow()
    outcome = check(store, feed_server, "/fault")
    state = row(store)
    assert outcome.error is not None and outcome.error.startswith(expected)
    assert state.error_count == 1 and state.last_error == outcome.error
    assert state.last_success_at is None and state.last_checked_at is not None
    # Backoff: the first failure waits twice the interval (+-10 % jitter).
    assert state.next_check_at is not None
    assert state.next_check_at - before >= timedelta(minutes=18)
    assert articles(store) == []


def test_500_then_recovers_resets_the_counter(feed_server: Server, store: Store) -> None:
    body = rss([("g1", "Pierwszy", "Treść pierwsza")])
    feed_server.routes["/f"] = sequence(status(500), status(500), feed(body))
    assert check(store, feed_server, "/f").error == "fetch: HTTP 500"
    first_wait = row(store).next_check_at
    assert check(store, feed_server, "/f").error == "fetch: HTTP 500"
    state = row(store)
    assert state.error_count == 2 and state.next_check_at and first_wait
    assert state.next_check_at - first_wait > timedelta(minutes=15)  # grows: 20m then 40m
    outcome = check(store, feed_server, "/f")
    state = row(store)
    assert outcome.error is None and outcome.report.new == 1
    assert (state.error_count, state.last_error) == (0, None)
    assert state.last_success_at is not None


def test_retry_after_sets_the_earliest_next_check(feed_server: Server, store: Store) -> None:
    feed_server.routes["/f"] = status(429, Retry_After="7200")
    before = utcnow()
    outcome = check(store, feed_server, "/f")
    assert outcome.error == "fetch: HTTP 429 (retry after 7200s)"
    next_at = row(store).next_check_at
    assert next_at is not None and next_at - before >= timedelta(hours=2)


def test_entity_expansion_bomb_is_neutralised(feed_server: Server, store: Store) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1 or "") + ";") * 10}">' for n in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>Bomb</title><item><guid>b1</guid><title>Ambasador &lol9;</title>"
        "<description>Wezwanie ambasadora &lol9;</description></item></channel></rss>"
    ).encode()
    feed_server.routes["/bomb"] = feed(body)
    outcome = check(store, feed_server, "/bomb")
    assert outcome.error is None
    [article] = articles(store)
    assert "Ambasador" in article.title and "lollol" not in article.text
    assert len(article.text) < 200


def test_windows_1250_without_declaration_keeps_polish(feed_server: Server, store: Store) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wiadomości</title>'
        f"<item><guid>p1</guid><title>Wezwanie ambasadora</title><description>{POLISH}"
        "</description></item></channel></rss>"
    ).encode("cp1250")
    feed_server.routes["/pl"] = feed(body, "application/rss+xml")
    assert check(store, feed_server, "/pl").error is None
    [article] = articles(store)
    assert POLISH in article.text and article.title == "Wezwanie ambasadora"


def test_summary_only_entries_are_kept_as_text(feed_server: Server, store: Store) -> None:
    html = "<p>Ambasador <b>Rosji</b> wezwany.</p><p>Drugi&nbsp;akapit.</p><script>x()</script>"
    body = rss([("s1", "Tytuł", html.replace("<", "&lt;").replace(">", "&gt;"))])
    feed_server.routes["/s"] = feed(body)
    assert check(store, feed_server, "/s").error is None
    [article] = articles(store)
    assert article.text == "Tytuł\n\nAmbasador Rosji wezwany.\n\nDrugi akapit."


def test_identity_is_guid_else_link_else_content(feed_server: Server, store: Store) -> None:
    items = (
        "<item><guid>same-guid</guid><title>A</title><link>https://x/1</link></item>"
        "<item><title>B</title><link>https://x/2</link></item>"
        "<item><title>C no guid no link</title><description>c</description></item>"
    )
    doc = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    feed_server.routes["/v1"] = feed(doc.encode())
    assert check(store, feed_server, "/v1").report.new == 3
    # Edited titles keep GUID and link identities; only the hashed entry becomes new.
    doc2 = doc.replace(">A<", ">A edited<").replace(">B<", ">B edited<").replace(">c<", ">c2<")
    feed_server.routes["/v1"] = feed(doc2.encode())
    outcome = check(store, feed_server, "/v1")
    assert (outcome.report.new, outcome.report.known) == (1, 2)
    assert [a.external_id for a in articles(store)] == ["same-guid", "https://x/2", None, None]


def test_unchanged_feed_writes_nothing(feed_server: Server, store: Store) -> None:
    body = rss([(f"g{n}", f"Tytuł {n}", "Treść") for n in range(5)])
    feed_server.routes["/etag"] = feed(body, etag='"abc"')
    feed_server.routes["/plain"] = feed(body)  # ignores conditional requests
    for path in ("/etag", "/plain"):
        assert check(store, feed_server, path, name=path).report.new == 5
        snapshot = [(a.id, a.ingested_at) for a in articles(store, path)]
        again = check(store, feed_server, path, name=path)
        assert again.report.new == 0 and again.error is None
        assert [(a.id, a.ingested_at) for a in articles(store, path)] == snapshot
    assert check(store, feed_server, "/etag", name="/etag").not_modified
    assert feed_server.hits_for("/etag")[-1].status == 304
    assert feed_server.hits_for("/etag")[-1].headers["if-none-match"] == '"abc"'


def test_truncated_large_feed_keeps_entries_before_the_cut(
    feed_server: Server, store: Store
) -> None:
    body = gzip.decompress(gzip.compress(rss([(f"g{n}", f"T{n}", "d" * 200) for n in range(50)])))
    feed_server.routes["/cut"] = feed(body[: len(body) // 2])
    outcome = check(store, feed_server, "/cut")
    assert outcome.error is None and 10 < outcome.report.new < 50


FEEDS = shared_dir() / "feeds" if shared_dir() else None


@pytest.mark.skipif(FEEDS is None, reason="../shared is absent")
def test_every_shared_feed_is_ingested_without_an_exception(
    feed_server: Server, store: Store
) -> None:
    assert FEEDS is not None
    files = sorted(p for p in FEEDS.iterdir() if p.suffix in (".xml", ".atom", ".html"))
    assert len(files) == 41
    for path in files:
        feed_server.routes[f"/{path.name}"] = feed(path.read_bytes(), "application/xml")
        outcome = check(store, feed_server, f"/{path.name}", name=path.name)
        assert outcome.error is None or outcome.error.startswith("parse: "), path.name
    with store.session() as session:
        total = session.exec(select(func.count()).select_from(Article)).one()
    assert total > 1500
    polish = articles(store, "pl_bankier_rss.xml")
    raw = (FEEDS / "pl_bankier_rss.xml").read_text(encoding="utf-8")
    titles = [html.unescape(t) for t in re.findall(r"<item>\s*<title>(.*?)</title>", raw, re.S)]
    assert len(polish) == len(titles) == 96
    assert [a.title for a in polish] == titles  # every Polish letter arrives intact
    assert all(a.lang == "pl" for a in polish)
    tryb = articles(store, "pl_trybunalski_feed_HEAD.xml")
    assert any("ł" in a.text and "ż" in a.text for a in tryb)
    assert all("Ã" not in a.text and "Å" not in a.text for a in tryb)  # no mojibake


@pytest.mark.skipif(FEEDS is None, reason="../shared is absent")
def test_trybunalski_snapshots_an_hour_apart_add_nothing(feed_server: Server, store: Store) -> None:
    assert FEEDS is not None
    feed_server.routes["/t"] = feed((FEEDS / "pl_trybunalski_feed_prev_snapshot.xml").read_bytes())
    assert check(store, feed_server, "/t").report.new == 400
    feed_server.routes["/t"] = feed((FEEDS / "pl_trybunalski_feed_HEAD.xml").read_bytes())
    outcome = check(store, feed_server, "/t")
    assert (outcome.report.new, outcome.report.known) == (0, 400)
    assert len(articles(store)) == 400
