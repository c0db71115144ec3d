"""``monitor alerts silence``: create, list and expire silences."""

from __future__ import annotations

from datetime import timedelta

import click
from rich.table import Table
from rich.text import Text

from monitor.alerts.silences import create_silence, expire_silence, list_silences
from monitor.cli.app import AppContext, command_options, output_console, pass_app, reviewer
from monitor.durations import format_duration, parse_duration
from monitor.models import Silence


def to_duration(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.group()
def silence() -> None:
    """Mute notifications of matching alerts for a while (alerts are still recorded)."""


@silence.command("create")
@click.option("--signal")
@click.option("--event")
@click.option("--rule", "rule_id", help="A rule id.")
@click.option("--pair", help="Two states, e.g. RUS-KAZ (order does not matter).")
@click.option(
    "--for", "duration", callback=to_duration, metavar="DURATION", default="1d", show_default=True
)
@click.option("--note", help="Why.")
@click.option("--by", help="Who (default: $MONITOR_USER or the login name).")
@command_options
@pass_app
def create(
    app: AppContext,
    signal: str | None,
    event: str | None,
    rule_id: str | None,
    pair: str | None,
    duration: timedelta,
    note: str | None,
    by: str | None,
) -> None:
    """Create a silence; every given matcher must fit an alert."""
    who = reviewer(by)
    with app.store().session() as session:
        made = create_silence(
            session,
            duration=duration,
            by=who,
            signal=signal,
            event=event,
            rule_id=rule_id,
            pair=pair,
            comment=note,
        )
    click.echo(f"silence {made.id}: {describe(made)} until {made.ends_at:%Y-%m-%d %H:%M} UTC")


@silence.command("list")
@click.option("--all", "include_expired", is_flag=True, help="Include ended silences.")
@command_options
@pass_app
def list_(app: AppContext, include_expired: bool) -> None:
    """List active silences (or all)."""
    with app.store().session(readonly=True) as session:
        rows = list_silences(session, include_expired=include_expired)
    table = Table(title=f"{len(rows)} silence(s)", title_justify="left")
    for name in ("id", "matches", "until", "for", "by", "note"):
        table.add_column(name)
    for s in rows:
        table.add_row(
            str(s.id),
            Text(describe(s)),
            f"{s.ends_at:%Y-%m-%d %H:%M}",
            format_duration(s.ends_at - s.starts_at) if s.ends_at > s.starts_at else "0s",
            Text(s.created_by),
            Text(s.comment or ""),
        )
    output_console().print(table)


@silence.command()
@click.argument("silence_id", type=int, metavar="ID")
@command_options
@pass_app
def expire(app: AppContext, silence_id: int) -> None:
    """End a silence now."""
    with app.store().session() as session:
        s = expire_silence(session, silence_id)
    click.echo(f"silence {s.id}: ended at {s.ends_at:%Y-%m-%d %H:%M} UTC")


def describe(s: Silence) -> str:
    parts = [
        f"{name}={value}"
        for name, value in (
            ("signal", s.signal),
            ("event", s.event),
            ("rule", s.rule_id),
            ("pair", s.pair),
        )
        if value
    ]
    return " ".join(parts)
