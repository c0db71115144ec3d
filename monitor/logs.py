"""Logging: rich on a terminal, plain ``key=value`` lines otherwise (journald-friendly)."""

from __future__ import annotations

import logging
import sys

from rich.console import Console
from rich.logging import RichHandler


class KeyValueFormatter(logging.Formatter):
    """``level=INFO logger=monitor.pipeline msg="new article id=3 ..."``; one line each."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"level={record.levelname} logger={record.name} msg={_quote(record.getMessage())}"
        if record.exc_info:
            line += f" exc={_quote(self.formatException(record.exc_info))}"
        return line


_HANDLER_NAME = "monitor"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def setup_logging(level: str = "INFO", *, stream_is_tty: bool | None = None) -> None:
    """Install one handler on the root logger, replacing any earlier one of ours."""
    tty = sys.stderr.isatty() if stream_is_tty is None else stream_is_tty
    handler: logging.Handler
    if tty:
        handler = RichHandler(
            console=Console(stderr=True),
            show_path=False,
            markup=False,
            rich_tracebacks=False,
            log_time_format="[%X]",
        )
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler.set_name(_HANDLER_NAME)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
