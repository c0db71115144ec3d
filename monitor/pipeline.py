"""The conductor: the one place that knows the order of the stages.

read (sources) -> store new articles -> (analyse) -> alert -> notify (after commit)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.alerts import deliver_due, raise_alerts_for_articles
from monitor.config import FilesSource, Settings
from monitor.sources import files
from monitor.sources.draft import ArticleDraft, Rejection
from monitor.store import Store
from monitor.store.articles import add_articles, ensure_source

log = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class IngestReport:
    """What one pass over one or more sources did."""

    new: int = 0
    known: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.new += other.new
        self.known += other.known
        self.rejected.extend(other.rejected)


def ingest_items(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    items: Iterable[object],
    settings: Settings | None = None,
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
                report.merge(_store_batch(store, source_name, kind, location, batch, settings))
                batch = []
    if batch:
        report.merge(_store_batch(store, source_name, kind, location, batch, settings))
    return report


def _store_batch(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    batch: list[ArticleDraft],
    settings: Settings | None = None,
) -> IngestReport:
    with store.session() as session:
        source = ensure_source(session, source_name, kind, location)
        assert source.id is not None
        new = add_articles(session, source.id, batch)
        # (the rule engine stores its detections for `new` here)
        new_ids = [a.id for a in new if a.id is not None]
        raise_alerts_for_articles(session, new_ids, settings or Settings())
    if settings is not None:
        _notify(store, settings)
    for article in new:
        log.info("new article id=%s source=%s title=%s", article.id, source_name, article.title)
    return IngestReport(new=len(new), known=len(batch) - len(new))


def _notify(store: Store, settings: Settings) -> None:
    """Deliver queued notifications; a failure here must never stop ingestion."""
    try:
        deliver_due(store, settings)
    except Exception:  # the outbox keeps every row; the next pass retries
        log.exception("delivering notifications failed; they stay queued")


def ingest_files_source(
    store: Store, source: FilesSource, settings: Settings | None = None
) -> IngestReport:
    """One pass over a files source."""
    items = files.read_path(source.path, source.language)
    return ingest_items(store, source.name, source.kind, source.path, items, settings)
