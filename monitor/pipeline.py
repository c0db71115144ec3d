"""The conductor: the one place that knows the order of the stages.

read (sources) -> store new articles -> analyse them (detections) -> (alert, later)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.config import FilesSource
from monitor.rulebook import Engine
from monitor.sources import files
from monitor.sources.draft import ArticleDraft, Rejection
from monitor.store import Store
from monitor.store.articles import add_articles, ensure_source
from monitor.store.detections import store_findings

log = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class IngestReport:
    """What one pass over one or more sources did."""

    new: int = 0
    known: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    detections: int = 0
    notes: list[str] = field(default_factory=list)  # analysis budget or language notes

    def merge(self, other: IngestReport) -> None:
        self.new += other.new
        self.known += other.known
        self.rejected.extend(other.rejected)
        self.detections += other.detections
        self.notes.extend(other.notes)


def ingest_items(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    items: Iterable[object],
    engine: Engine | None = None,
) -> IngestReport:
    """Store drafts in batches (one transaction each) and analyse the new ones with ``engine``.

    Rejections are logged and counted. Only new articles are analysed, so ingesting the
    same input again adds neither articles nor detections.
    """
    report = IngestReport()
    batch: list[ArticleDraft] = []
    for item in items:
        if isinstance(item, Rejection):
            log.warning("rejected source=%s where=%s reason=%s", source_name, item.where, item)
            report.rejected.append(item)
        elif isinstance(item, ArticleDraft):
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                report.merge(_store_batch(store, source_name, kind, location, batch, engine))
                batch = []
    if batch:
        report.merge(_store_batch(store, source_name, kind, location, batch, engine))
    return report


def _store_batch(
    store: Store,
    source_name: str,
    kind: str,
    location: str,
    batch: list[ArticleDraft],
    engine: Engine | None,
) -> IngestReport:
    report = IngestReport()
    with store.session() as session:
        source = ensure_source(session, source_name, kind, location)
        assert source.id is not None
        new = add_articles(session, source.id, batch)
        for article in new:
            if engine is None:
                continue
            try:
                year = article.published_at.year if article.published_at else None
                result = engine.analyse(article.text, article.lang, year=year)
            except Exception as exc:  # one article that trips the analyser never loses the batch
                log.exception("analysis failed article=%s", article.id)
                report.notes.append(
                    f"article {article.id} ({article.origin}): analysis failed: {exc}"
                )
                continue
            rows = store_findings(session, article, result.lang, result.findings)
            report.detections += len(rows)
            if result.note:
                report.notes.append(f"article {article.id} ({article.origin}): {result.note}")
                log.warning("analysis article=%s note=%s", article.id, result.note)
    for article in new:
        log.info("new article id=%s source=%s title=%s", article.id, source_name, article.title)
    report.new, report.known = len(new), len(batch) - len(new)
    return report


def ingest_files_source(
    store: Store, source: FilesSource, engine: Engine | None = None
) -> IngestReport:
    """One pass over a files source; new articles are analysed when an engine is given."""
    items = files.read_path(source.path, source.language)
    return ingest_items(store, source.name, source.kind, source.path, items, engine)
