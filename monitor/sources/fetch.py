"""Polite, bounded HTTP fetching of feeds with httpx.

Every request has connect and read timeouts AND a hard overall deadline (enforced on each
socket read, so a server that drips one byte a second cannot hold a worker), a body cap
counted after decompression, at most ``max_redirects`` redirects, a clear User-Agent,
conditional GET (ETag / Last-Modified) and a per-host concurrency limit.

FetchError            the request failed; ``message`` is short (``HTTP 503``, ``timed out``)
 +-- FetchCancelled   the service is stopping; nothing was fetched
"""

from __future__ import annotations

import email.utils
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from monitor.sources.deadline import Budget, DeadlineTransport, budget

ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"


@dataclass(frozen=True)
class FetchLimits:
    """The limits of one request (from the ``[fetch]`` settings)."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    deadline_s: float = 60.0
    max_body_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "monitor (news escalation monitor; feed poller)"
    per_host: int = 2


@dataclass(frozen=True)
class FetchResult:
    """A response: 200 with its body, or 304 (``not_modified``) with none."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    elapsed_s: float

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A failed fetch; ``retry_after_s`` is set when the server asked us to wait."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after_s = retry_after_s


class FetchCancelled(FetchError):
    """The fetch was abandoned because the service is stopping."""


class Fetcher:
    """One HTTP client shared by all workers, with a semaphore per host."""

    def __init__(self, limits: FetchLimits, cancel: threading.Event | None = None) -> None:
        self.limits = limits
        self.cancel = cancel or threading.Event()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._client = httpx.Client(
            transport=DeadlineTransport(),
            timeout=httpx.Timeout(
                connect=limits.connect_timeout_s,
                read=limits.read_timeout_s,
                write=limits.read_timeout_s,
                pool=limits.deadline_s,
            ),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` within the limits; raise FetchError with a short reason otherwise."""
        headers = {"Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        deadline = Budget(started + self.limits.deadline_s, self.cancel)
        try:
            host = self._host_slot(url)
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None
        if not host.acquire(timeout=self.limits.deadline_s):
            raise FetchError("too many requests to this host in progress")
        try:
            with budget(deadline):
                return self._get(url, headers, started)
        except FetchError:
            raise
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            if self.cancel.is_set():
                raise FetchCancelled("cancelled: the service is stopping") from None
            raise FetchError(_timeout_reason(exc, deadline)) from None
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(f"unsupported URL: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(_network_reason(exc)) from None
        finally:
            host.release()

    def _get(self, url: str, headers: dict[str, str], started: float) -> FetchResult:
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                body = b""
            elif status in (429, 503):
                raise FetchError(
                    f"HTTP {status}",
                    status=status,
                    retry_after_s=parse_retry_after(response.headers.get("retry-after")),
                )
            elif status >= 300:
                raise FetchError(f"HTTP {status}", status=status)
            else:
                encoding = response.headers.get("content-encoding", "")
                body = read_capped(response.iter_raw(), encoding, self.limits.max_body_bytes)
            return FetchResult(
                url=str(response.url),
                status=status,
                body=body,
                headers={k.lower(): v for k, v in response.headers.items()},
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                elapsed_s=time.monotonic() - started,
            )

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        key = httpx.URL(url).netloc.decode("ascii", "replace").lower()
        with self._hosts_lock:
            slot = self._hosts.get(key)
            if slot is None:
                slot = self._hosts[key] = threading.BoundedSemaphore(self.limits.per_host)
            return slot


def read_capped(chunks: Iterator[bytes], content_encoding: str, max_bytes: int) -> bytes:
    """Join the raw body, decompressing gzip/deflate ourselves so the cap counts the output."""
    encoding = content_encoding.strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(47)  # 32+15: accept a gzip or a zlib header
    elif encoding not in ("", "identity"):
        raise FetchError(f"unsupported Content-Encoding {content_encoding!r}")
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in chunks:
            pending = chunk
            while pending:
                if decoder is None:
                    data, pending = pending, b""
                else:
                    # max_length bounds what one compressed chunk may expand to (gzip bombs).
                    data = decoder.decompress(pending, max_bytes - size + 1)
                    pending = decoder.unconsumed_tail
                size += len(data)
                if size > max_bytes:
                    raise FetchError(f"body larger than {max_bytes} bytes (after decompression)")
                parts.append(data)
                if decoder is not None and not data:
                    break
    except zlib.error as exc:
        raise FetchError(f"corrupt {encoding} body: {exc}") from None
    return b"".join(parts)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _timeout_reason(exc: httpx.TimeoutException, deadline: Budget) -> str:
    if deadline.expired():
        return "deadline exceeded (server too slow)"
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timed out"
    return "read timed out (server silent)"


def _network_reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}" if str(exc) else "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"connection broken: {exc}" if str(exc) else "connection broken"
    if isinstance(exc, httpx.ReadError):
        return "connection reset while reading"
    return f"{type(exc).__name__}: {exc}"


def response_headers(result: FetchResult) -> Mapping[str, str]:
    """The headers feedparser needs to pick the encoding."""
    return {k: v for k, v in result.headers.items() if k == "content-type"}
