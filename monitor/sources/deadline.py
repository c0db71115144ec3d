"""A hard deadline for a whole HTTP request, enforced at the socket.

httpx timeouts bound each socket operation, not the request: a server that sends one byte
a second never trips them. Here every connect, read and write of the request is cut to
the time left before its deadline, and reads wake up every fraction of a second to notice
a stop request. The deadline travels in a context variable set around the request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

WAKE_S = 0.25


@dataclass(frozen=True)
class Budget:
    """When the request in hand must be over, and the flag that cancels it early."""

    deadline: float
    cancel: threading.Event

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def remaining(self) -> float:
        """Seconds left; raises (as a timeout, which httpx maps) when none or cancelled."""
        if self.cancel.is_set():
            raise httpcore.ReadTimeout("cancelled")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("deadline exceeded")
        return left


_budget: ContextVar[Budget | None] = ContextVar("monitor_fetch_budget", default=None)


@contextmanager
def budget(value: Budget) -> Iterator[None]:
    """Apply ``value`` to every socket operation in this block."""
    token = _budget.set(value)
    try:
        yield
    finally:
        _budget.reset(token)


def _cap(timeout: float | None, left: float) -> float:
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose operations never outlive the current budget."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        current = _budget.get()
        if current is None:
            return self._inner.read(max_bytes, timeout)
        silent_until = None if timeout is None else time.monotonic() + timeout
        while True:
            left = current.remaining()
            if silent_until is not None:
                left = min(left, silent_until - time.monotonic())
            try:
                return self._inner.read(max_bytes, max(0.001, min(left, WAKE_S)))
            except httpcore.ReadTimeout:
                if silent_until is not None and time.monotonic() >= silent_until:
                    raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        current = _budget.get()
        if current is not None:
            timeout = _cap(timeout, current.remaining())
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        current = _budget.get()
        if current is not None:
            timeout = _cap(timeout, current.remaining())
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every stream wrapped in ``DeadlineStream``."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        current = _budget.get()
        if current is not None:
            timeout = _cap(timeout, current.remaining())
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses ``DeadlineBackend``."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx offers no public hook for the network backend; the pool is what
        # HTTPTransport.handle_request drives, so we build it ourselves.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=DeadlineBackend(),
        )
