"""Silences: mute notifications of matching alerts for a while (the alerts are recorded)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from monitor.errors import InputError
from monitor.models import Alert, Silence, utcnow


def create_silence(
    session: Session,
    *,
    duration: timedelta,
    by: str,
    signal: str | None = None,
    event: str | None = None,
    rule_id: str | None = None,
    pair: str | None = None,
    comment: str | None = None,
    now: datetime | None = None,
) -> Silence:
    """A silence matching every given matcher; at least one matcher is required."""
    if not any((signal, event, rule_id, pair)):
        raise InputError("silence", "name at least one of --signal, --event, --rule, --pair")
    if pair is not None:
        pair = normalise_pair(pair)
    now = now or utcnow()
    silence = Silence(
        signal=signal,
        event=event,
        rule_id=rule_id,
        pair=pair,
        starts_at=now,
        ends_at=now + duration,
        created_at=now,
        created_by=by,
        comment=comment,
    )
    session.add(silence)
    session.flush()
    return silence


def normalise_pair(pair: str) -> str:
    """``rus-kaz`` -> ``KAZ-RUS``; refuses anything but two alpha-3 codes."""
    states = [p.strip().upper() for p in pair.split("-")]
    if len(states) != 2 or not all(len(s) == 3 and s.isalpha() for s in states):
        raise InputError("--pair", f"{pair!r} is not a pair of ISO alpha-3 codes like RUS-KAZ")
    return "-".join(sorted(states))


def list_silences(
    session: Session, *, include_expired: bool = False, now: datetime | None = None
) -> list[Silence]:
    """Active silences (or all), newest first."""
    query = select(Silence).order_by(col(Silence.id).desc())
    if not include_expired:
        query = query.where(col(Silence.ends_at) > (now or utcnow()))
    return list(session.exec(query))


def expire_silence(session: Session, silence_id: int, now: datetime | None = None) -> Silence:
    """End a silence now; an unknown id or one already over is an error."""
    now = now or utcnow()
    silence = session.get(Silence, silence_id)
    if silence is None:
        raise InputError(f"silence {silence_id}", "no such silence")
    if silence.ends_at <= now:
        raise InputError(
            f"silence {silence_id}", f"already ended at {silence.ends_at:%Y-%m-%d %H:%M} UTC"
        )
    silence.ends_at = now
    session.add(silence)
    return silence


def matching_silence(
    silences: Iterable[Silence], alert: Alert, rule_ids: Iterable[str], now: datetime
) -> Silence | None:
    """The first silence active at ``now`` whose every matcher fits the alert and its rules."""
    rules = set(rule_ids)
    for silence in silences:
        if not silence.starts_at <= now < silence.ends_at:
            continue
        if silence.signal and silence.signal != alert.signal:
            continue
        if silence.event and silence.event != alert.event:
            continue
        if silence.pair and silence.pair != alert.pair:
            continue
        if silence.rule_id and silence.rule_id not in rules:
            continue
        return silence
    return None
