"""Next-check times: interval with jitter, exponential backoff, Retry-After, ceiling."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from monitor.schedule import backoff_delay, next_after_failure, next_after_success

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(hours=24)


def test_success_is_one_interval_with_jitter() -> None:
    rng = random.Random(1)
    waits = [next_after_success(NOW, 10 * MINUTE, rng) - NOW for _ in range(200)]
    assert all(9 * MINUTE <= w <= 11 * MINUTE for w in waits)
    assert len({round(w.total_seconds()) for w in waits}) > 50  # really spread


def test_backoff_doubles_and_stops_at_the_ceiling() -> None:
    rng = random.Random(2)
    waits = [backoff_delay(15 * MINUTE, n, DAY, rng) for n in range(1, 12)]
    for n, wait in enumerate(waits[:5], start=1):
        base = 15 * MINUTE * 2**n
        assert base * 0.9 <= wait <= base * 1.1
    assert DAY * 0.9 <= waits[-1] <= DAY and all(w <= DAY for w in waits)
    assert DAY * 0.9 <= backoff_delay(15 * MINUTE, 10_000, DAY, rng) <= DAY  # no overflow


def test_retry_after_is_a_floor_capped_by_the_ceiling() -> None:
    rng = random.Random(3)
    assert next_after_failure(NOW, MINUTE, 1, DAY, rng, retry_after=timedelta(hours=3)) == (
        NOW + timedelta(hours=3)
    )
    short = next_after_failure(NOW, 10 * MINUTE, 1, DAY, rng, retry_after=timedelta(seconds=5))
    assert short - NOW >= 18 * MINUTE  # backoff is longer than the server asked
    huge = next_after_failure(NOW, MINUTE, 1, DAY, rng, retry_after=timedelta(days=365))
    assert huge == NOW + DAY  # a failing feed is never stopped for good
