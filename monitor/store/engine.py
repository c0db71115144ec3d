"""Engine setup (SQLite in WAL mode with a busy timeout, or PostgreSQL) and sessions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from monitor.errors import StoreError

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Store:
    """A database: the engine plus short-lived sessions over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time: this process's threads queue here, with no
        # timeout, instead of racing for the file lock against SQLite's busy timeout (a
        # batch waiting behind a long one failed with "database is locked" in the soak).
        self._serialise_writes = engine.url.get_backend_name() == "sqlite"
        self._write_lock = threading.RLock()

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error.

        On SQLite a session takes the write lock when it begins (``BEGIN IMMEDIATE``), so two
        writers never deadlock on upgrading a read snapshot (which fails at once with
        "database is locked" instead of waiting); ``readonly`` sessions begin deferred and
        never block a writer.
        """
        bind = self.engine
        if readonly:
            bind = self.engine.execution_options(sqlite_begin="DEFERRED")
        with (
            self._write_lock if self._serialise_writes and not readonly else nullcontext(),
            Session(bind, expire_on_commit=False) as session,
        ):
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)


def create_db_engine(url: str) -> Engine:
    """Build an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    try:
        parsed = sa.engine.make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"database URL {url!r} is not valid: {exc}") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create database folder {folder}: {exc}") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise StoreError(
            f"database URL {parsed.render_as_string(hide_password=True)}: unknown database "
            f"kind {parsed.drivername!r} (use sqlite:///PATH or postgresql+psycopg://...)"
        ) from None
    except ImportError as exc:
        raise StoreError(
            f"database URL {parsed.render_as_string(hide_password=True)}: driver missing "
            f"({exc}); for PostgreSQL install monitor[postgres]"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy's recipe: the driver opens no transaction itself; _sqlite_begin does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def open_store(url: str, *, upgrade: bool = True, require_schema: bool = True) -> Store:
    """Open the database at ``url``, applying pending migrations unless told not to.

    With ``upgrade=False`` an empty database is an error, unless ``require_schema=False``.
    """
    from monitor.store.migrate import current_revision, upgrade_to_head

    engine = create_db_engine(url)
    store = Store(engine)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {store.url}: {reason}") from None
    if upgrade:
        upgrade_to_head(store)
    elif require_schema and current_revision(store) is None:
        engine.dispose()
        raise StoreError(f"database {store.url} has no schema yet: run `monitor db upgrade`")
    return store
