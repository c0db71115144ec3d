"""``monitor db``: schema migrations."""

from __future__ import annotations

import click

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.store.migrate import current_revision, head_revision, upgrade_to_head


@click.group()
def db() -> None:
    """Database schema: status and upgrades."""


@db.command()
@command_options
@pass_app
def upgrade(app: AppContext) -> None:
    """Apply pending schema migrations in place (never drops data)."""
    store = app.store(upgrade=False, require_schema=False)
    applied = upgrade_to_head(store)
    if applied:
        click.echo(f"{store.url}: applied {', '.join(applied)}; now at {head_revision()}")
    else:
        click.echo(f"{store.url}: already at {head_revision()}")


@db.command()
@command_options
@pass_app
def status(app: AppContext) -> None:
    """Show the schema revision of the database and the newest one known."""
    store = app.store(upgrade=False, require_schema=False)
    current = current_revision(store) or "(empty)"
    head = head_revision()
    state = "up to date" if current == head else "needs `monitor db upgrade`"
    click.echo(f"{store.url}: at {current}, newest {head}: {state}")
