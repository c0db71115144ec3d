"""Versioned schema migrations (Alembic, configured in code: no alembic.ini needed).

A new schema change: edit ``monitor/models.py``, then
``python -m monitor.store.migrate revision "what changed"`` writes a new revision in
``monitor/store/migrations/versions``; review it and commit it. Databases are upgraded in
place, never dropped.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import StoreError
from monitor.store.engine import Store, create_db_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config(store: Store | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if store is not None:
        cfg.attributes["engine"] = store.engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(store: Store) -> list[str]:
    """Apply every pending migration in order; return the revisions applied."""
    before = current_revision(store)
    head = head_revision()
    if before == head:
        return []
    script = ScriptDirectory.from_config(_config())
    pending = [rev.revision for rev in script.iterate_revisions(head, before)]
    pending.reverse()
    try:
        command.upgrade(_config(store), "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"migrating {store.url} failed: {exc}") from exc
    for revision in pending:
        log.info("database migrated revision=%s url=%s", revision, store.url)
    return pending


def main(argv: list[str]) -> None:
    """Developer entry point: ``revision MESSAGE`` autogenerates a new migration."""
    if len(argv) != 2 or argv[0] != "revision":
        sys.exit("usage: python -m monitor.store.migrate revision MESSAGE")
    store = Store(create_db_engine("sqlite:///:memory:"))
    with store.engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        number = len(list((MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))) + 1
        command.revision(cfg, message=argv[1], autogenerate=True, rev_id=f"{number:04d}")


if __name__ == "__main__":
    main(sys.argv[1:])
