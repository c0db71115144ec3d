"""Durations written as ``30s``, ``15m``, ``1h``, ``7d`` (or a bare number of seconds)."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")


def parse_duration(text: str | int | float | timedelta) -> timedelta:
    """Parse ``30s``/``15m``/``1h``/``7d``/``2w``; a bare number means seconds."""
    if isinstance(text, timedelta):
        return text
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _DURATION.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a duration (write e.g. 30s, 15m, 1h, 7d)")
        seconds = float(match.group(1)) * _UNITS_S[match.group(2) or "s"]
    if seconds <= 0:
        raise ValueError(f"{text!r}: a duration must be positive")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """Render a timedelta in the largest whole unit that fits (``90s`` -> ``90s``)."""
    seconds = int(delta.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
