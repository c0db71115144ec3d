"""The store on a real SQLite file and on PostgreSQL: migrations, ingestion, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from monitor.config import FilesSource, bundled_seeds_dir
from monitor.errors import StoreError
from monitor.models import Article, Source
from monitor.pipeline import ingest_files_source
from monitor.store import Store, open_store
from monitor.store.articles import count_articles, count_by_source, list_articles
from monitor.store.migrate import current_revision, head_revision, upgrade_to_head

SEEDS = FilesSource(name="seeds", path=str(bundled_seeds_dir() / "*.txt"), language="pl")


def test_migration_from_an_empty_database(db_url: str) -> None:
    store = open_store(db_url, upgrade=False, require_schema=False)
    try:
        assert current_revision(store) is None
        applied = upgrade_to_head(store)
        assert applied[0] == "0001" and applied[-1] == head_revision()
        assert current_revision(store) == head_revision()
        assert upgrade_to_head(store) == []
        tables = set(sa.inspect(store.engine).get_table_names())
        assert {"sources", "articles", "detections", "alerts", "alert_detections"} <= tables
    finally:
        store.dispose()


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_older_database_is_upgraded_in_place(db_url: str) -> None:
    from alembic import command

    from monitor.store.migrate import _config

    store = open_store(db_url, upgrade=False, require_schema=False)
    try:
        command.upgrade(_config(store), "0001")
        with store.session() as session:
            session.add(Source(name="old", kind="files", location="/old"))
        upgrade_to_head(store)
        with store.session() as session:
            (kept,) = session.exec(select(Source)).all()
        assert kept.name == "old"
    finally:
        store.dispose()


def test_ingest_is_idempotent(store: Store) -> None:
    first = ingest_files_source(store, SEEDS)
    assert (first.new, first.known, first.rejected) == (2, 0, [])
    second = ingest_files_source(store, SEEDS)
    assert (second.new, second.known) == (0, 2)
    with store.session() as session:
        assert count_articles(session) == 2
        assert count_by_source(session) == {"seeds": 2}
        rows = list_articles(session)
        assert {r.article.published for r in rows} == {"2022-09", "2022-10"}
        assert all(r.article.lang == "pl" for r in rows)
        texts = session.exec(select(Article.text)).all()
    assert any("obwodzie astrachańskim" in t for t in texts)


def test_bad_files_do_not_stop_the_batch(store: Store, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Dobry tekst o ambasadorze.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("Zły tekst: żółć".encode("cp1250"))
    (tmp_path / "empty.txt").write_text("")
    report = ingest_files_source(store, FilesSource(name="mixed", path=str(tmp_path)))
    assert report.new == 1
    assert sorted(r.where.split("/")[-1] for r in report.rejected) == ["bad.txt:1", "empty.txt"]


def test_unopenable_databases_are_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create database folder"):
        open_store(f"sqlite:///{blocker / 'sub' / 'm.db'}")
    with pytest.raises(StoreError, match="unknown database kind 'bogus'"):
        open_store("bogus://nowhere")
    with pytest.raises(StoreError, match="cannot open database postgresql"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_read_only_open_requires_a_schema(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="has no schema yet: run `monitor db upgrade`"):
        open_store(f"sqlite:///{tmp_path / 'empty.db'}", upgrade=False)


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        store.dispose()


def test_sqlite_writers_in_threads_never_fail_on_a_stale_snapshot(sqlite_url: str) -> None:
    """Each thread reads, then writes: with deferred BEGIN the upgrade fails at once."""
    import threading

    store = open_store(sqlite_url)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                with store.session() as session:
                    session.exec(select(Source)).all()  # a read first, then a write
                    session.add(Source(name=f"t{n}-{i}", kind="files", location="/x"))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        with store.session(readonly=True) as session:
            assert len(session.exec(select(Source)).all()) == 80
    finally:
        store.dispose()
