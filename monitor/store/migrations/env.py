"""Alembic environment: runs on the engine or connection handed over in code."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import monitor.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs table copies for ALTER
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


config = context.config
if "connection" in config.attributes:
    _run(config.attributes["connection"])
else:
    with config.attributes["engine"].begin() as conn:
        _run(conn)
