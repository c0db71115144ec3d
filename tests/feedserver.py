"""A real HTTP server on 127.0.0.1 for tests: feeds, faults and a log of every request."""

from __future__ import annotations

import gzip
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Route = Callable[["Handler"], None]


@dataclass
class Hit:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    at: float
    status: int = 0


def shared_dir() -> Path | None:
    """``../shared`` next to the repository, or ``$MONITOR_SHARED_DIR``."""
    env = os.environ.get("MONITOR_SHARED_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    return path if path.is_dir() else None


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        hit = Hit(path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        self.hit = hit
        with self.server.lock:
            self.server.hits.append(hit)
        route = self.server.routes.get(path)
        try:
            if route is None:
                self.reply(404, b"not found", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def reply(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.hit.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up on purpose (caps, deadlines) are not errors here

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


@pytest.fixture
def feed_server() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


# --- routes ---------------------------------------------------------------------------
def feed(
    body: bytes | Callable[[], bytes],
    content_type: str = "application/rss+xml; charset=utf-8",
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Route:
    """A feed; answers 304 to a matching If-None-Match / If-Modified-Since."""

    def route(h: Handler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            return h.reply(304, b"", content_type, ETag=etag)
        if last_modified and h.headers.get("If-Modified-Since") == last_modified:
            return h.reply(304, b"", content_type, Last_Modified=last_modified)
        headers = {}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        h.reply(200, body() if callable(body) else body, content_type, **headers)

    return route


def status(code: int, body: bytes = b"", **headers: str) -> Route:
    return lambda h: h.reply(code, body, "text/plain", **headers)


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route; the last one repeats."""
    count = iter(range(1 << 30))

    def route(h: Handler) -> None:
        n = next(count)
        routes[min(n, len(routes) - 1)](h)

    return route


def hang(h: Handler) -> None:
    """Read the request, then say nothing until the server stops."""
    h.server.stopping.wait(60)
    h.close_connection = True


def drip(body: bytes, delay_s: float = 0.05, *, in_headers: bool = False) -> Route:
    """Send one byte at a time (the status line too when ``in_headers``)."""

    def route(h: Handler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n"
        data = head + b"\r\n" + body if in_headers else body
        if not in_headers:
            h.wfile.write(head + b"\r\n")
        h.close_connection = True
        for byte in data:
            if h.server.stopping.is_set():
                return
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(delay_s)

    return route


def reset(h: Handler) -> None:
    """Close the connection with a TCP RST instead of an answer."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def redirect(to: str) -> Route:
    return lambda h: h.reply(302, b"", "text/plain", Location=to)


def gzipped(body: bytes, content_type: str = "application/rss+xml") -> Route:
    data = gzip.compress(body, compresslevel=6)
    return lambda h: h.reply(200, data, content_type, Content_Encoding="gzip")


def endless(total_bytes: int, chunk: bytes = b"<!-- padding -->" * 4096) -> Route:
    """A body of ``total_bytes`` generated as it is sent (never held in memory)."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(total_bytes))
        h.end_headers()
        sent = 0
        while sent < total_bytes and not h.server.stopping.is_set():
            part = chunk[: total_bytes - sent]
            h.wfile.write(part)
            sent += len(part)

    return route


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document from (guid, title, description) triples, UTF-8."""
    entries = "".join(
        f"<item><guid isPermaLink='false'>{g}</guid><title>{t}</title>"
        f"<link>https://news.example/{g}</link><description>{d}</description>"
        "<pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate></item>"
        for g, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>https://news.example/</link>{entries}</channel></rss>"
    ).encode()
