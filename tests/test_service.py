"""End to end: `monitor run` as a subprocess against local feed servers (good, flaky, bad)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from tests.feedserver import (
    Handler,
    Route,
    Server,
    drip,
    feed,
    feed_server,
    hang,
    rss,
    sequence,
    status,
)
from tests.service import Service, integrity, query

__all__ = ["feed_server"]

MAX_ITEMS = 8


@pytest.fixture
def bad_server() -> Iterator[Server]:
    """A second server (another host:port), so per-host limits keep good and bad apart."""
    server = Server()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


def growing(started: float) -> Route:
    """A feed that gains one entry a second (up to MAX_ITEMS), with an ETag per version."""

    def route(h: Handler) -> None:
        n = min(3 + int(time.monotonic() - started), MAX_ITEMS)
        etag = f'"v{n}"'
        if h.headers.get("If-None-Match") == etag:
            return h.reply(304, b"", "application/rss+xml", ETag=etag)
        items = [
            (f"g{i}", f"Wiadomość {i}: ambasador wezwany", f"Zażółć gęślą jaźń {i}.")
            for i in range(n)
        ]
        h.reply(200, rss(items), "application/rss+xml; charset=utf-8", ETag=etag)

    return route


def feed_block(name: str, url: str, interval: str = "1s") -> str:
    return f'[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{url}"\ninterval = "{interval}"\n'


def write_config(folder: Path, blocks: list[str]) -> Path:
    path = folder / "monitor.toml"
    path.write_text(
        'database_url = "sqlite:///state/monitor.db"\n'
        '[fetch]\nconnect_timeout = "1s"\nread_timeout = "1s"\ndeadline = "2s"\nworkers = 6\n'
        + "".join(blocks),
        encoding="utf-8",
    )
    return path


def test_service_end_to_end(tmp_path: Path, feed_server: Server, bad_server: Server) -> None:
    a, b = feed_server, bad_server
    a.routes["/good"] = growing(time.monotonic())
    a.routes["/good2"] = feed(
        rss([("x1", "Stały wpis", "Bez zmian")]), last_modified="Tue, 10 Nov 2026 10:00:00 GMT"
    )
    a.routes["/flaky"] = sequence(status(500), status(500), feed(rss([("f1", "Po awarii", "Ok")])))
    a.routes["/limited"] = sequence(
        status(429, Retry_After="3"), feed(rss([("l1", "Limit", "Ok")]))
    )
    b.routes["/hang"] = hang
    b.routes["/drip"] = drip(b"<rss>" * 1000, 0.05)
    b.routes["/html"] = feed(b"<!DOCTYPE html><html><body>hi</body></html>", "text/html")
    config = write_config(
        tmp_path,
        [
            feed_block("good", a.url("/good")),
            feed_block("good2", a.url("/good2")),
            feed_block("flaky", a.url("/flaky")),
            feed_block("limited", a.url("/limited")),
            feed_block("hang", b.url("/hang")),
            feed_block("drip", b.url("/drip")),
            feed_block("html", b.url("/html")),
        ],
    )
    db = tmp_path / "state" / "monitor.db"
    service = Service(config, watchdog_s=2)
    try:

        def settled() -> bool:
            recovered = all(
                any(h.status == 200 for h in a.hits_for(path)) for path in ("/flaky", "/limited")
            )
            good = sum(1 for line in service.lines if line.startswith("new  [good] "))
            not_modified = any(h.status == 304 for h in a.hits_for("/good"))
            return recovered and good == MAX_ITEMS and not_modified

        assert service.wait_for(settled, 25), service.stderr
        time.sleep(0.5)
        code, took = service.stop(signal.SIGTERM)
    finally:
        service.close()
    assert code == 0 and took < 5, service.stderr
    assert integrity(db) == "ok"

    # Each entry stored once, and printed once as it arrived.
    stored = query(
        db,
        "SELECT a.title FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE s.name = 'good' ORDER BY a.id",
    )
    assert [t for (t,) in stored] == [f"Wiadomość {i}: ambasador wezwany" for i in range(MAX_ITEMS)]
    assert sum(1 for line in service.lines if line.startswith("new  [good] ")) == MAX_ITEMS

    # Conditional GET: unchanged feeds answered 304 (ETag and Last-Modified both).
    assert any(h.status == 304 for h in a.hits_for("/good"))
    good2 = a.hits_for("/good2")
    assert good2[0].status == 200 and {h.status for h in good2[1:]} == {304}
    assert query(
        db,
        "SELECT count(*) FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE s.name = 'good2'",
    ) == [(1,)]

    # Backoff: 500, wait ~2 intervals, 500, wait ~4 intervals, then 200 and the counter reset.
    flaky = a.hits_for("/flaky")
    assert [h.status for h in flaky[:3]] == [500, 500, 200]
    assert flaky[1].at - flaky[0].at >= 1.75 and flaky[2].at - flaky[1].at >= 3.55
    rows = {
        r[0]: r[1:]
        for r in query(db, "SELECT name, error_count, last_error, last_success_at FROM sources")
    }
    assert rows["flaky"][:2] == (0, None) and rows["flaky"][2] is not None
    failures = [line for line in service.lines if line.startswith("fail [flaky] ")]
    assert [line.split(";")[0] for line in failures] == ["fail [flaky] fetch: HTTP 500"] * 2

    # Retry-After: 3 s is longer than the 2 s backoff, and it was respected.
    limited = a.hits_for("/limited")
    assert limited[1].at - limited[0].at >= 2.95  # (clock granularity)

    # The bad feeds were recorded as such...
    assert rows["hang"][0] >= 1 and rows["hang"][1] == "fetch: read timed out (server silent)"
    assert rows["drip"][1] == "fetch: deadline exceeded (server too slow)"
    assert rows["html"][1] == "parse: not a feed: got an HTML page"
    assert any(line.startswith("fail [html] parse: not a feed") for line in service.lines)
    # ...and did not delay the good one, polled every second throughout.
    good_times = [h.at for h in a.hits_for("/good")]
    assert len(good_times) >= 6
    assert max(t2 - t1 for t1, t2 in pairwise(good_times)) < 1.8

    # systemd heard READY, the watchdog and STOPPING.
    assert service.notes[0].startswith("READY=1\nSTATUS=7 sources")
    assert "WATCHDOG=1" in service.notes
    assert service.notes[-1].startswith("STOPPING=1")


def test_sighup_reloads_and_keeps_the_last_good_config(tmp_path: Path, feed_server: Server) -> None:
    feed_server.routes["/one"] = feed(rss([("a", "Jeden", "x")]))
    feed_server.routes["/two"] = feed(rss([("b", "Dwa", "y")]))
    config = write_config(tmp_path, [feed_block("one", feed_server.url("/one"))])
    service = Service(config)
    try:
        assert service.wait_for(lambda: any("[one]" in line for line in service.lines), 10)
        write_config(
            tmp_path,
            [
                feed_block("one", feed_server.url("/one")),
                feed_block("two", feed_server.url("/two")),
            ],
        )
        service.proc.send_signal(signal.SIGHUP)
        assert service.wait_for(lambda: any("[two]" in line for line in service.lines), 10)
        config.write_text(config.read_text() + "nonsense = true\n", encoding="utf-8")
        service.proc.send_signal(signal.SIGHUP)
        assert service.wait_for(lambda: "keeping the running one" in service.stderr, 10)
        hits = len(feed_server.hits_for("/two"))
        assert service.wait_for(lambda: len(feed_server.hits_for("/two")) > hits + 1, 10)
        code, _ = service.stop()
    finally:
        service.close()
    assert code == 0
    assert "sources[1].nonsense: unknown setting" in service.stderr
