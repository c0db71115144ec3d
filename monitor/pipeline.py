"""The conductor: the one place that knows the order of the stages.

read (sources) -> store new articles -> (analyse -> alert, in later stages)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.config import FilesSource
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
    store: Store, source_name: str, kind: str, location: str, items: Iterable[object]
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
                report.merge(_store_batch(store, source_name, kind, location, batch))
                batch = []
    if batch:
        report.merge(_store_batch(store, source_name, kind, location, batch))
    return report


def _store_batch(
    store: Store, source_name: str, kind: str, location: str, batch: list[ArticleDraft]
) -> IngestReport:
    with store.session() as session:
        source = ensure_source(session, source_name, kind, location)
        assert source.id is not None
        new = add_articles(session, source.id, batch)
    for article in new:
        log.info("new article id=%s source=%s title=%s", article.id, source_name, article.title)
    return IngestReport(new=len(new), known=len(batch) - len(new))


def ingest_files_source(store: Store, source: FilesSource) -> IngestReport:
    """One pass over a files source."""
    items = files.read_path(source.path, source.language)
    return ingest_items(store, source.name, source.kind, source.path, items)
