"""sd_notify spoken directly: datagrams to the socket systemd names in ``$NOTIFY_SOCKET``.

No dependency: the protocol is ``KEY=value`` lines in one datagram to a unix socket; a name
starting with ``@`` is in the abstract namespace. Without ``$NOTIFY_SOCKET`` (not started by
systemd) every call is a no-op, so the service runs the same under a terminal.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

log = logging.getLogger(__name__)


class Notifier:
    """Sends READY/WATCHDOG/STATUS/STOPPING to systemd when it asked for them."""

    def __init__(self, address: str | None = None) -> None:
        raw = os.environ.get("NOTIFY_SOCKET") if address is None else address
        self.address = _socket_address(raw) if raw else None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, **fields: str) -> bool:
        """Send ``KEY=value`` lines (keys upper-cased); False when nothing was sent."""
        if self.address is None:
            return False
        message = "\n".join(f"{key.upper()}={value}" for key, value in fields.items())
        with self._lock:
            try:
                if self._sock is None:
                    self._sock = socket.socket(
                        socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                    )
                self._sock.sendto(message.encode("utf-8"), self.address)
            except OSError as exc:
                if not self._warned:  # once: a vanished socket must not flood the journal
                    log.warning("sd_notify to %r failed: %s", self.address, exc)
                    self._warned = True
                return False
        return True

    def ready(self, status: str) -> bool:
        return self.send(ready="1", status=status)

    def watchdog(self) -> bool:
        return self.send(watchdog="1")

    def status(self, text: str) -> bool:
        return self.send(status=text.replace("\n", " "))

    def stopping(self, status: str = "stopping") -> bool:
        return self.send(stopping="1", status=status)

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None


def _socket_address(raw: str) -> str | bytes | None:
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode("utf-8")  # abstract namespace
    if raw.startswith("/"):
        return raw
    log.warning("ignoring NOTIFY_SOCKET=%r: not a unix socket path", raw)
    return None


def watchdog_interval_s() -> float | None:
    """Half of systemd's watchdog timeout, when the watchdog applies to this process."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(0.5, int(usec) / 1_000_000 / 2)
    except ValueError:
        return None
