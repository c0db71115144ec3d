"""Database tables: sources, articles, detections, alerts and the links between them.

Times are stored as UTC. Country codes are ISO 3166-1 alpha-3 (``RUS``, ``KAZ``).
Later schema changes go through a new migration in ``monitor/store/migrations``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A datetime stored as naive UTC and read back as timezone-aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(stamp, datetime)
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Source(SQLModel, table=True):
    """A configured source of articles (a files glob or a feed URL)."""

    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=20)
    location: str = Field(description="Path/glob for files, URL for feeds.")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Schedule state (Miniflux-style: a bad source is data on its row, reset on success).
    enabled: bool = True
    interval_s: int | None = Field(default=None, description="Poll interval in seconds.")
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error_count: int = Field(default=0, description="Consecutive failures; 0 after a success.")
    last_error: str | None = Field(default=None, description="'stage: message'.")
    etag: str | None = None
    last_modified: str | None = None


class Article(SQLModel, table=True):
    """One article as ingested; ``identity`` is unique within its source."""

    __tablename__ = "articles"
    __table_args__ = (sa.UniqueConstraint("source_id", "identity", name="uq_articles_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True)
    identity: str = Field(max_length=128, description="Content hash, GUID or link hash.")
    content_hash: str = Field(max_length=64, index=True)
    external_id: str | None = Field(default=None, description="Id given by the source.")
    origin: str = Field(description="Where it came from: path:line or URL.")
    url: str | None = None
    title: str = ""
    text: str = Field(sa_type=sa.Text)
    lang: str | None = Field(default=None, max_length=8, description="Declared or detected.")
    published: str | None = Field(
        default=None, max_length=32, description="Date as given: YYYY-MM, YYYY-MM-DD or ISO."
    )
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    analysed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Detection(SQLModel, table=True):
    """One rule hit in one sentence of one article."""

    __tablename__ = "detections"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "rule_id", "evidence_start", name="uq_detections_hit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True)
    rule_id: str = Field(max_length=200, index=True)
    rule_version: str = Field(max_length=64, description="Hash of the rule file.")
    signal: str = Field(max_length=40, index=True)
    event: str = Field(max_length=40, index=True)
    modality: str = Field(max_length=20, description="asserted|demanded|announced")
    lang: str = Field(max_length=8)
    actor: str | None = Field(default=None, max_length=3)
    target: str | None = Field(default=None, max_length=3)
    subject: str | None = Field(default=None, max_length=3)
    place: str | None = Field(default=None, max_length=200)
    place_countries: str | None = Field(default=None, max_length=20, description="e.g. RUS-KAZ")
    severity: float = 0.0
    evidence_sentence: str = Field(sa_type=sa.Text)
    evidence_start: int = Field(description="Character offset in the article text.")
    evidence_end: int
    matched: str = Field(default="[]", sa_type=sa.Text, description="JSON list of term hits.")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Alert(SQLModel, table=True):
    """One real-world event, however many articles report it."""

    __tablename__ = "alerts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True, description="Merge key: signal/event/roles.")
    signal: str = Field(max_length=40, index=True)
    event: str = Field(max_length=40, index=True)
    actor: str | None = Field(default=None, max_length=3, index=True)
    target: str | None = Field(default=None, max_length=3, index=True)
    subject: str | None = Field(default=None, max_length=3)
    place: str | None = Field(default=None, max_length=200)
    place_countries: str | None = Field(default=None, max_length=20)
    ladder_step: int | None = None
    weight: float = 0.0
    severity: float = Field(default=0.0, index=True)
    status: str = Field(default="new", max_length=20, index=True)
    tit_for_tat: bool = False
    num_articles: int = 0
    num_sources: int = 0
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    event_date: str | None = Field(default=None, max_length=32)
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status_by: str | None = Field(default=None, max_length=100)
    status_note: str | None = Field(default=None, sa_type=sa.Text)
    verdict: str | None = Field(default=None, max_length=20)
    pair: str | None = Field(default=None, max_length=7, index=True, description="KAZ-RUS.")
    raised_reason: str | None = Field(default=None, description="Why severity was raised.")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Every article of an alert is dated within the merge window of every other one: these
    # two bounds (latest article start, earliest article end) are what a newcomer must meet.
    latest_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    earliest_end: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AlertDetection(SQLModel, table=True):
    """Which detections (and so which articles and evidence) an alert is made of."""

    __tablename__ = "alert_detections"

    alert_id: int = Field(foreign_key="alerts.id", primary_key=True)
    detection_id: int = Field(foreign_key="detections.id", primary_key=True, index=True)


class AlertAudit(SQLModel, table=True):
    """Who changed an alert's status, when and why (append-only)."""

    __tablename__ = "alert_audit"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alerts.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str = Field(max_length=100)
    action: str = Field(max_length=20, description="ack|resolve|dismiss")
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    verdict: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, sa_type=sa.Text)


class Silence(SQLModel, table=True):
    """Mute notifications of matching alerts for a while; the alerts are still recorded."""

    __tablename__ = "silences"

    id: int | None = Field(default=None, primary_key=True)
    signal: str | None = Field(default=None, max_length=40)
    event: str | None = Field(default=None, max_length=40)
    rule_id: str | None = Field(default=None, max_length=200)
    pair: str | None = Field(default=None, max_length=7)
    starts_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)
    comment: str | None = Field(default=None, sa_type=sa.Text)


class OutboxEntry(SQLModel, table=True):
    """One notification to deliver on one channel; pending rows survive restarts."""

    __tablename__ = "alert_outbox"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alerts.id", index=True)
    kind: str = Field(max_length=20, description="new|merged|escalated|status")
    channel: str = Field(max_length=20, description="log|webhook|email")
    payload: str = Field(sa_type=sa.Text, description="The JSON document sent.")
    status: str = Field(default="pending", max_length=20, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ArticleFingerprint(SQLModel, table=True):
    """MinHash of an article's text, and the earlier article it nearly duplicates."""

    __tablename__ = "article_fingerprints"

    article_id: int = Field(foreign_key="articles.id", primary_key=True)
    hashvalues: bytes = Field(sa_type=sa.LargeBinary)
    duplicate_of: int | None = Field(default=None, foreign_key="articles.id", index=True)
