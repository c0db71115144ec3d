"""Queries on the schedule state kept on each ``sources`` row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from monitor.models import Source
from monitor.store.articles import ensure_source

MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class SourceSpec:
    """What the configuration says about a source."""

    name: str
    kind: str
    location: str
    interval_s: int
    enabled: bool


def sync_sources(session: Session, specs: Sequence[SourceSpec]) -> list[Source]:
    """Create or update the rows of the configured sources; schedule state is kept."""
    rows = []
    for spec in specs:
        row = ensure_source(session, spec.name, spec.kind, spec.location)
        row.interval_s, row.enabled = spec.interval_s, spec.enabled
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def get_source(session: Session, name: str) -> Source | None:
    return session.exec(select(Source).where(Source.name == name)).first()


def all_sources(session: Session) -> list[Source]:
    return list(session.exec(select(Source).order_by(col(Source.name))))


def record_success(
    session: Session,
    name: str,
    *,
    now: datetime,
    next_check_at: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = False,
) -> None:
    """A check worked: reset the error counter and schedule the next one."""
    row = get_source(session, name)
    if row is None:
        return
    row.last_checked_at = row.last_success_at = now
    row.next_check_at = next_check_at
    row.error_count, row.last_error = 0, None
    if not keep_validators:
        row.etag, row.last_modified = etag, last_modified
    session.add(row)


def record_failure(
    session: Session, name: str, *, now: datetime, error: str, next_check_at: datetime
) -> None:
    """A check failed: count it, keep the message (``stage: message``), back off."""
    row = get_source(session, name)
    if row is None:
        return
    row.last_checked_at = now
    row.next_check_at = next_check_at
    row.error_count += 1
    row.last_error = error[:MAX_ERROR_CHARS]
    session.add(row)
