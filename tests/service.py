"""Run ``monitor run`` as a real subprocess for end-to-end tests and soak scripts."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path


class Service:
    """A ``monitor run`` child process with its stdout lines and sd_notify messages."""

    def __init__(self, config: Path, *, once: bool = False, watchdog_s: float = 2.0) -> None:
        self.folder = config.parent
        self.lines: list[str] = []
        self.notes: list[str] = []
        notify_path = self.folder / f"notify-{time.monotonic_ns()}.sock"
        self._notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._notify.bind(str(notify_path))
        self._notify.settimeout(0.2)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
        env.update(NOTIFY_SOCKET=str(notify_path), WATCHDOG_USEC=str(int(watchdog_s * 1e6)))
        env.pop("WATCHDOG_PID", None)
        args = [sys.executable, "-m", "monitor", "--config", str(config), "run"]
        self.stderr_path = self.folder / "stderr.log"
        self._stderr = self.stderr_path.open("ab")
        self.proc = subprocess.Popen(
            [*args, "--once"] if once else args,
            cwd=self.folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self._threads = [
            threading.Thread(target=self._read_lines, daemon=True),
            threading.Thread(target=self._read_notes, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_lines(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def _read_notes(self) -> None:
        while True:
            try:
                self.notes.append(self._notify.recv(4096).decode())
            except TimeoutError:
                if self.proc.poll() is not None:
                    return
            except OSError:
                return

    def wait_for(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        """Poll ``condition`` until true or the time is up (the service keeps running)."""
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if condition():
                return True
            if self.proc.poll() is not None:
                return condition()
            time.sleep(0.05)
        return False

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 10) -> tuple[int, float]:
        """Send ``sig``; return the exit code and how long the exit took."""
        started = time.monotonic()
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout_s)
        took = time.monotonic() - started
        self.close()
        return code, took

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for thread in self._threads:
            thread.join(2)
        self._notify.close()
        self._stderr.close()

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of the database (``ok`` when intact)."""
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, params).fetchall())
