"""``monitor dashboard``: the live terminal view (read-only)."""

from __future__ import annotations

import time

import click
from rich.console import Console, RenderableType
from rich.live import Live
from sqlalchemy.exc import SQLAlchemyError

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.dashboard.snapshot import take_snapshot
from monitor.dashboard.view import render, render_error
from monitor.store import Store


@click.command()
@click.option("--once", is_flag=True, help="Render one frame and exit.")
@click.option(
    "--refresh",
    type=click.FloatRange(min=0.2),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds between refreshes.",
)
@command_options
@pass_app
def dashboard(app: AppContext, once: bool, refresh: float) -> None:
    """Live view: open alerts by severity, escalation per pair, source health, throughput.

    Read-only: each refresh reads in its own short transaction. Quit with Ctrl-C.
    """
    store = app.store(upgrade=False)
    console = Console(highlight=False)
    if once:
        console.print(_frame(store, console))
        return
    try:
        with Live(console=console, screen=True, auto_refresh=False) as live:
            while True:
                live.update(_frame(store, console), refresh=True)
                time.sleep(refresh)
    except KeyboardInterrupt:
        pass


def _frame(store: Store, console: Console) -> RenderableType:
    width, height = console.size
    try:
        return render(take_snapshot(store), width, height)
    except SQLAlchemyError as exc:  # a locked or vanished database: say so, keep going
        return render_error(f"cannot read {store.url}: {exc}")
