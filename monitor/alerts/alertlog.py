"""The append-only JSON Lines alert log, rotated by size, written with fsync.

Writers take an exclusive ``flock`` on the log itself, so the service and a CLI command
can append at the same time; after taking the lock a writer checks it still holds the
current file (another writer may have rotated it). A line cut short by a full disk is
closed with a newline before the next write, so every later line still parses.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from monitor.errors import MonitorError


class AlertLogError(MonitorError):
    """The alert log cannot be written; the entries stay queued."""


def append_lines(path: Path, lines: Sequence[str], max_bytes: int, backups: int) -> None:
    """Append JSON lines durably; rotate first when the file would grow past ``max_bytes``."""
    data = "".join(line.rstrip("\n") + "\n" for line in lines).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _open_locked(path)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_size and info.st_size + len(data) > max_bytes:
                _rotate(path, backups)
                os.close(fd)
                fd = _open_locked(path)
                info = os.fstat(fd)
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_size
                and not _ends_with_newline(fd, info.st_size)
            ):
                data = b"\n" + data
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        reason = "disk full: " if exc.errno == errno.ENOSPC else ""
        reason += exc.strerror or str(exc)
        raise AlertLogError(
            f"{path}: cannot write the alert log ({reason}); {len(lines)} entr"
            f"{'y stays' if len(lines) == 1 else 'ies stay'} queued and will be retried"
        ) from None


def _open_locked(path: Path) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # rotated under us: open the new file


def _rotate(path: Path, backups: int) -> None:
    """alerts.jsonl -> .1 -> .2 ... ; the oldest beyond ``backups`` is dropped."""
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{index + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _ends_with_newline(fd: int, size: int) -> bool:
    return os.pread(fd, 1, size - 1) == b"\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
