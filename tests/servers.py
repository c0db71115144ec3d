"""Real local servers for notifier tests: an HTTP webhook sink and an SMTP sink."""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class WebhookSink:
    """Answers with the queued statuses in turn (then 200); records every request."""

    statuses: list[int] = field(default_factory=list)
    delay_s: float = 0.0
    requests: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""
    host: str = ""

    @property
    def delivered(self) -> list[bytes]:
        return [body for _, body, status in self.requests if status == 200]


@contextmanager
def webhook_server(sink: WebhookSink) -> Iterator[WebhookSink]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if sink.delay_s:
                time.sleep(sink.delay_s)  # a slow endpoint, to trip the client's timeout
            status = sink.statuses.pop(0) if sink.statuses else 200
            sink.requests.append((dict(self.headers), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.host = f"http://127.0.0.1:{server.server_address[1]}"
    sink.url = f"{sink.host}/hook/T0KEN-in-the-path"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class MailSink:
    messages: list[str] = field(default_factory=list)
    port: int = 0


@contextmanager
def smtp_server(sink: MailSink) -> Iterator[MailSink]:
    """A minimal SMTP server (HELO/EHLO, MAIL, RCPT, DATA, QUIT) keeping each message."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.reply("220 sink ready")
            while line := self.rfile.readline():
                verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
                if verb == "DATA":
                    self.reply("354 go on")
                    data = []
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data.append(chunk.decode("utf-8", "replace"))
                    sink.messages.append("".join(data))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

        def reply(self, text: str) -> None:
            self.wfile.write(text.encode("ascii") + b"\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
