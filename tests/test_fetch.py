"""Fetching against a real local HTTP server: limits, faults, conditional GET."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from monitor.sources.fetch import FetchCancelled, Fetcher, FetchError, FetchLimits, read_capped
from monitor.sources.fetch import parse_retry_after as retry_after
from tests.feedserver import (
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
    status,
)

__all__ = ["feed_server"]

LIMITS = FetchLimits(connect_timeout_s=1, read_timeout_s=0.4, deadline_s=1, user_agent="ua-test")
BODY = rss([("g1", "Ambasador wezwany", "Treść")])


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(LIMITS)


def fetch_error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    return info.value


def test_ok_sends_user_agent_and_returns_validators(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/f"] = feed(
        BODY, etag='"v1"', last_modified="Tue, 10 Nov 2026 10:00:00 GMT"
    )
    result = fetcher.fetch(feed_server.url("/f"))
    assert (result.status, result.body, result.etag) == (200, BODY, '"v1"')
    assert result.last_modified == "Tue, 10 Nov 2026 10:00:00 GMT"
    assert feed_server.hits_for("/f")[0].headers["user-agent"] == "ua-test"


def test_conditional_get_gives_not_modified(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/f"] = feed(BODY, etag='"v1"')
    result = fetcher.fetch(feed_server.url("/f"), etag='"v1"')
    assert result.not_modified and result.body == b""
    assert feed_server.hits_for("/f")[0].headers["if-none-match"] == '"v1"'
    feed_server.routes["/m"] = feed(BODY, last_modified="Tue, 10 Nov 2026 10:00:00 GMT")
    again = fetcher.fetch(feed_server.url("/m"), last_modified="Tue, 10 Nov 2026 10:00:00 GMT")
    assert again.not_modified


def test_server_that_hangs_times_out(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/hang"] = hang
    assert (
        fetch_error(fetcher, feed_server.url("/hang")).message == "read timed out (server silent)"
    )


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_dripping_server_hits_the_deadline(
    feed_server: Server, fetcher: Fetcher, in_headers: bool
) -> None:
    # One byte every 50 ms never trips the 0.5 s read timeout; only the deadline stops it.
    feed_server.routes["/drip"] = drip(BODY * 10, 0.05, in_headers=in_headers)
    started = time.monotonic()
    error = fetch_error(fetcher, feed_server.url("/drip"))
    assert error.message == "deadline exceeded (server too slow)"
    assert time.monotonic() - started < LIMITS.deadline_s + 1.5


def test_connection_reset(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/reset"] = reset
    assert fetch_error(fetcher, feed_server.url("/reset")).message.startswith("connection")


@pytest.mark.parametrize("code", [404, 500, 403])
def test_http_errors_name_the_status(feed_server: Server, fetcher: Fetcher, code: int) -> None:
    feed_server.routes["/e"] = status(code)
    error = fetch_error(fetcher, feed_server.url("/e"))
    assert (error.message, error.status, error.retry_after_s) == (f"HTTP {code}", code, None)


def test_429_and_503_carry_retry_after(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/busy"] = status(429, Retry_After="120")
    error = fetch_error(fetcher, feed_server.url("/busy"))
    assert (error.message, error.retry_after_s) == ("HTTP 429", 120.0)
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)
    feed_server.routes["/down"] = status(503, Retry_After=later)
    error = fetch_error(fetcher, feed_server.url("/down"))
    assert error.message == "HTTP 503"
    assert error.retry_after_s is not None and 590 <= error.retry_after_s <= 600


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert retry_after("30", now) == 30.0
    assert retry_after("Sun, 22 Nov 2026 12:01:00 GMT", now) == 60.0
    assert retry_after("Sun, 22 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_redirects_followed_up_to_the_limit(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/f"] = feed(BODY)
    feed_server.routes["/r1"] = redirect("/r2")
    feed_server.routes["/r2"] = redirect("/f")
    result = fetcher.fetch(feed_server.url("/r1"))
    assert result.url == feed_server.url("/f") and result.body == BODY
    feed_server.routes["/loop-a"] = redirect("/loop-b")
    feed_server.routes["/loop-b"] = redirect("/loop-a")
    error = fetch_error(fetcher, feed_server.url("/loop-a"))
    assert error.message == "more than 5 redirects"
    assert len(feed_server.hits_for("/loop-a")) + len(feed_server.hits_for("/loop-b")) == 6


def test_gzip_body_is_decoded(feed_server: Server, fetcher: Fetcher) -> None:
    feed_server.routes["/gz"] = gzipped(BODY)
    assert fetcher.fetch(feed_server.url("/gz")).body == BODY


def test_gzip_bomb_stops_at_the_cap_after_decompression(feed_server: Server) -> None:
    # 200 MB of zeros compress to ~200 KB: the cap must count what comes out.
    feed_server.routes["/bomb"] = gzipped(b"\0" * (200 * 1024 * 1024))
    small = Fetcher(FetchLimits(deadline_s=10, max_body_bytes=15 * 1024 * 1024))
    error = fetch_error(small, feed_server.url("/bomb"))
    assert error.message == "body larger than 15728640 bytes (after decompression)"


def test_100_mb_body_is_cut_at_the_cap(feed_server: Server) -> None:
    feed_server.routes["/huge"] = endless(100 * 1024 * 1024)
    fetcher = Fetcher(FetchLimits(deadline_s=10))
    error = fetch_error(fetcher, feed_server.url("/huge"))
    assert error.message == "body larger than 15728640 bytes (after decompression)"


def test_read_capped_without_network() -> None:
    assert read_capped(iter([b"ab", b"cd"]), "", 4) == b"abcd"
    with pytest.raises(FetchError, match="body larger than 3 bytes"):
        read_capped(iter([b"ab", b"cd"]), "identity", 3)
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        read_capped(iter([b"x"]), "br", 10)
    with pytest.raises(FetchError, match="corrupt gzip body"):
        read_capped(iter([b"not gzip at all"]), "gzip", 100)


def test_cancel_stops_a_fetch_in_progress(feed_server: Server) -> None:
    feed_server.routes["/hang"] = hang
    cancel = threading.Event()
    fetcher = Fetcher(FetchLimits(read_timeout_s=30, deadline_s=30), cancel)
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(FetchCancelled):
        fetcher.fetch(feed_server.url("/hang"))
    assert time.monotonic() - started < 3


def test_per_host_limit_serialises_requests(feed_server: Server) -> None:
    def slow(h):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        h.reply(200, BODY, "application/rss+xml")

    feed_server.routes["/slow"] = slow
    fetcher = Fetcher(FetchLimits(per_host=1, deadline_s=5))
    threads = [
        threading.Thread(target=fetcher.fetch, args=(feed_server.url("/slow"),)) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts = sorted(h.at for h in feed_server.hits_for("/slow"))
    assert len(starts) == 3
    assert starts[1] - starts[0] >= 0.25 and starts[2] - starts[1] >= 0.25


def test_unreachable_host(fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, "http://127.0.0.1:9/feed")
    assert error.message.startswith("cannot connect")


def test_bad_urls_are_fetch_errors(fetcher: Fetcher) -> None:
    assert fetch_error(fetcher, "ftp://127.0.0.1/feed").message.startswith("unsupported URL")
    assert fetch_error(fetcher, "file:///etc/passwd").message.startswith("unsupported URL")
    assert fetch_error(fetcher, "http://[::1/feed").message.startswith("invalid URL")
