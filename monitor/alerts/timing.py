"""When an article's event happened: its date as an interval, by the date's precision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.models import Article


def article_interval(article: Article) -> tuple[datetime, datetime]:
    """``[start, end)`` of the article's date; ``2022-10`` spans the whole month.

    Falls back to the ingestion time when the article carries no date.
    """
    start = article.published_at
    if start is None:
        return article.ingested_at, article.ingested_at
    given = (article.published or "").strip()
    if len(given) == 4:
        return start, start.replace(year=start.year + 1)
    if len(given) == 7:
        year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        return start, start.replace(year=year, month=month)
    if len(given) == 10:
        return start, start + timedelta(days=1)
    return start, start


def gap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> timedelta:
    """Time between two intervals; zero when they touch or overlap."""
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return timedelta(0)


def as_utc(stamp: datetime) -> datetime:
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
