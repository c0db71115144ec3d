"""The conductor: the one place that knows the order of the stages.

read files | fetch feed -> parse -> store new articles -> analyse (detections) -> alert
-> record the source's schedule state (next check, errors as ``stage: message``)
-> notify (after the commit; a failing notifier never stops ingestion).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from monitor.alerts import deliver_due, raise_alerts_for_articles
from monitor.config import FeedSource, FilesSource, Settings
from monitor.models import Alert, Article, Detection, utcnow
from monitor.rulebook import ArticleAnalysis, Engine
from monitor.schedule import next_after_failure, next_after_success
from monitor.sources import files
from monitor.sources.draft import ArticleDraft, Rejection
from monitor.sources.feeds import FeedError, parse_feed
from monitor.sources.fetch import FetchCancelled, Fetcher, FetchError, response_headers
from monitor.sources.fulltext import add_full_text
from monitor.store import Store
from monitor.store.articles import add_articles, ensure_source, known_identities
from monitor.store.detections import store_findings
from monitor.store.schedule import get_source, record_failure, record_success

log = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass(frozen=True)
class Stages:
    """What happens to new articles once stored: analysis with ``engine`` (its detections
    stored), then alerting (and notifying) with ``settings``."""

    settings: Settings | None = None
    engine: Engine | None = None


@dataclass
class IngestReport:
    """What one pass over one or more sources did."""

    new: int = 0
    known: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    detections: int = 0
    notes: list[str] = field(default_factory=list)  # analysis budget or language notes
    found: list[Detection] = field(default_factory=list)  # the new detections
    alerts: list[tuple[str, Alert]] = field(default_factory=list)  # ("new"|"merged", alert)

    def merge(self, other: IngestReport) -> None:
        self.new += other.new
        self.known += other.known
        self.rejected.extend(other.rejected)
        self.articles.extend(other.articles)
        self.detections += other.detections
        self.notes.extend(other.notes)
        self.found.extend(other.found)
        self.alerts.extend(other.alerts)


def ingest_items(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    items: Iterable[object],
    stages: Stages = Stages(),
) -> IngestReport:
    """Store drafts in batches (one transaction each); rejections are logged and counted."""
    report = IngestReport()
    batch: list[ArticleDraft] = []
    for item in items:
        if isinstance(item, Rejection):
            log.warning("rejected source=%s where=%s reason=%s", source_name, item.where, item)
            report.rejected.append(item)
        elif isinstance(item, ArticleDraft):
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                report.merge(_store_batch(store, source_name, kind, location, batch, stages))
                batch = []
    if batch:
        report.merge(_store_batch(store, source_name, kind, location, batch, stages))
    return report


def _store_batch(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    batch: list[ArticleDraft],
    stages: Stages,
) -> IngestReport:
    settings = stages.settings or Settings()
    report = IngestReport()
    # Analysis is CPU work: done before the write transaction, on the drafts not yet stored
    # (one thread checks a source at a time), so other sources' writers never wait on it.
    analyses = _analyse(store, stages.engine, source_name, kind, location, batch, report)
    with store.session() as session:
        source = ensure_source(session, source_name, kind, location)
        assert source.id is not None
        new = add_articles(session, source.id, batch)
        for article in new:
            result = analyses.get(article.identity)
            if result is not None:
                found = store_findings(session, article, result.lang, result.findings)
                report.detections += len(found)
                report.found.extend(found)
        ids = [a.id for a in new if a.id is not None]
        for change in raise_alerts_for_articles(session, ids, settings):
            alert = session.get(Alert, change.alert_id)
            if alert is not None:
                report.alerts.append((change.kind, alert))
    if stages.settings is not None:
        _notify(store, stages.settings)
    for article in new:  # debug: `monitor run` prints each new article on stdout already
        log.debug("new article id=%s source=%s title=%s", article.id, source_name, article.title)
    report.new, report.known, report.articles = len(new), len(batch) - len(new), new
    return report


def _analyse(
    store: Store,
    engine: Engine | None,
    source_name: str,
    kind: str,
    location: str,
    batch: list[ArticleDraft],
    report: IngestReport,
) -> dict[str, ArticleAnalysis]:
    """Analyses of the drafts this source has not stored yet, by identity."""
    if engine is None:
        return {}
    with store.session() as session:
        source = ensure_source(session, source_name, kind, location)
        assert source.id is not None
        known = known_identities(session, source.id, [d.identity for d in batch])
    out: dict[str, ArticleAnalysis] = {}
    for draft in batch:
        if draft.identity in known or draft.identity in out:
            continue
        year = draft.published_at.year if draft.published_at else None
        try:
            result = engine.analyse(draft.text, draft.lang, year=year)
        except Exception as exc:  # one article that trips the analyser never loses the batch
            log.exception("analysis failed origin=%s", draft.origin)
            report.notes.append(f"{draft.origin}: analysis failed: {exc}")
            continue
        out[draft.identity] = result
        if result.note:
            report.notes.append(f"{draft.origin}: {result.note}")
            log.warning("analysis origin=%s note=%s", draft.origin, result.note)
    return out


def _notify(store: Store, settings: Settings) -> None:
    """Deliver queued notifications; a failure here must never stop ingestion."""
    try:
        deliver_due(store, settings)
    except Exception:  # the outbox keeps every row; the next pass retries
        log.exception("delivering notifications failed; they stay queued")


def ingest_files_source(
    store: Store, source: FilesSource, stages: Stages = Stages()
) -> IngestReport:
    """One pass over a files source."""
    items = files.read_path(source.path, source.language)
    return ingest_items(store, source.name, source.kind, source.path, items, stages)


@dataclass
class CheckOutcome:
    """What one scheduled check of one source did."""

    source: str
    report: IngestReport = field(default_factory=IngestReport)
    error: str | None = None  # 'stage: message'
    not_modified: bool = False
    cancelled: bool = False
    next_check_at: datetime | None = None
    retry_after_s: float | None = None
    etag: str | None = None
    last_modified: str | None = None


def check_source(
    store: Store,
    source: FilesSource | FeedSource,
    fetcher: Fetcher,
    *,
    backoff_ceiling: timedelta,
    rng: random.Random | None = None,
    stages: Stages = Stages(),
) -> CheckOutcome:
    """One check of one source (fetch, parse, store), recorded on its row; never raises."""
    rng = rng or random.Random()
    outcome = CheckOutcome(source.name)
    try:
        with store.session() as session:  # the row that holds the schedule state
            ensure_source(session, source.name, source.kind, source.location)
        if isinstance(source, FeedSource):
            _check_feed(store, source, fetcher, outcome, stages)
        else:
            outcome.report = ingest_files_source(store, source, stages)
            if outcome.report.rejected and not outcome.report.new + outcome.report.known:
                outcome.error = f"read: {outcome.report.rejected[0]}"
    except SQLAlchemyError as exc:
        outcome.error = f"store: {type(exc).__name__}: {str(exc).splitlines()[0]}"
        statement = getattr(exc, "statement", None)
        log.warning("store failed source=%s statement=%s", source.name, statement, exc_info=True)
    except Exception as exc:  # a bug must cost one check of one source, never the schedule
        log.exception("check of %s failed unexpectedly", source.name)
        outcome.error = f"internal: {type(exc).__name__}: {exc}"
    if not outcome.cancelled:
        _record(store, source, outcome, backoff_ceiling, rng)
    return outcome


def _check_feed(
    store: Store, source: FeedSource, fetcher: Fetcher, out: CheckOutcome, stages: Stages
) -> None:
    with store.session(readonly=True) as session:
        row = get_source(session, source.name)
        etag, modified = (row.etag, row.last_modified) if row else (None, None)
    try:
        result = fetcher.fetch(source.url, etag=etag, last_modified=modified)
    except FetchCancelled:
        out.cancelled = True
        return
    except FetchError as exc:
        out.error = f"fetch: {exc.message}"
        if exc.retry_after_s is not None:
            out.error += f" (retry after {exc.retry_after_s:.0f}s)"
        out.retry_after_s = exc.retry_after_s
        return
    if result.not_modified:
        out.not_modified = True
        return
    try:
        parsed = parse_feed(result.body, response_headers(result), result.url, source.language)
    except FeedError as exc:
        out.error = f"parse: {exc}"
        return
    except Exception as exc:  # a feedparser bug must not stop the service
        log.exception("feedparser failed on %s", source.url)
        out.error = f"parse: {type(exc).__name__}: {exc}"
        return
    if parsed.warning:
        log.info("feed %s parsed with a warning: %s", source.url, parsed.warning)
    items: Iterable[ArticleDraft | Rejection] = parsed.items
    if source.full_text:
        with store.session() as session:
            row = ensure_source(session, source.name, source.kind, source.url)
            assert row.id is not None
            known = known_identities(session, row.id, [d.identity for d in parsed.drafts])
        items = add_full_text(items, fetcher, known)
    try:
        out.report = ingest_items(store, source.name, source.kind, source.url, items, stages)
    except FetchCancelled:  # stopping while fetching pages: stored batches stay, no validators
        out.cancelled = True
        return
    # Validators are saved only after every article is stored: a crash in between means
    # a full re-fetch, which dedup absorbs, never a lost article.
    out.etag, out.last_modified = result.etag, result.last_modified


def _record(
    store: Store,
    source: FilesSource | FeedSource,
    out: CheckOutcome,
    ceiling: timedelta,
    rng: random.Random,
) -> None:
    now = utcnow()
    try:
        with store.session() as session:
            if out.error is None:
                out.next_check_at = next_after_success(now, source.interval, rng)
                record_success(
                    session,
                    source.name,
                    now=now,
                    next_check_at=out.next_check_at,
                    etag=out.etag,
                    last_modified=out.last_modified,
                    keep_validators=out.not_modified or isinstance(source, FilesSource),
                )
                return
            row = get_source(session, source.name)
            errors = (row.error_count if row else 0) + 1
            wait = timedelta(seconds=out.retry_after_s) if out.retry_after_s is not None else None
            out.next_check_at = next_after_failure(
                now, source.interval, errors, ceiling, rng, retry_after=wait
            )
            record_failure(
                session, source.name, now=now, error=out.error, next_check_at=out.next_check_at
            )
        if out.error:
            log.warning(
                "source %s failed (%s); next try at %s",
                source.name,
                out.error,
                out.next_check_at,
            )
    except SQLAlchemyError as exc:
        log.error("cannot record the check of %s: %s", source.name, exc)
