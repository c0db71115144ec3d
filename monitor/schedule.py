"""When a source is next due: its interval with jitter, or exponential backoff on failure.

Pure functions over times, so the scheduler, `run --once` and the tests agree.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

JITTER = 0.1  # +-10 %: feeds configured alike drift apart instead of polling in lockstep
MAX_DOUBLINGS = 30


def jittered(delay: timedelta, rng: random.Random) -> timedelta:
    """``delay`` stretched or shrunk by up to ``JITTER``."""
    return delay * rng.uniform(1 - JITTER, 1 + JITTER)


def next_after_success(now: datetime, interval: timedelta, rng: random.Random) -> datetime:
    """A healthy source is due again one interval (with jitter) from now."""
    return now + jittered(interval, rng)


def backoff_delay(
    interval: timedelta, error_count: int, ceiling: timedelta, rng: random.Random
) -> timedelta:
    """Interval doubled per consecutive failure, with jitter, never above ``ceiling``."""
    doublings = min(max(error_count, 1), MAX_DOUBLINGS)
    base = min(ceiling, interval * (2**doublings))
    return min(ceiling, jittered(base, rng))


def next_after_failure(
    now: datetime,
    interval: timedelta,
    error_count: int,
    ceiling: timedelta,
    rng: random.Random,
    retry_after: timedelta | None = None,
) -> datetime:
    """When to try a failing source again; a server's Retry-After is a floor (up to the ceiling)."""
    delay = backoff_delay(interval, error_count, ceiling, rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, ceiling))
    return now + delay
