"""``monitor alerts``: review the alert log (list, show, ack/resolve/dismiss, export)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from monitor.alerts import DeliveryReport, deliver_due
from monitor.alerts.lifecycle import STATUSES, VERDICTS, apply_action
from monitor.alerts.queries import AlertFilter, get_alert_detail, list_alerts
from monitor.alerts.records import alert_record
from monitor.cli.alerts_silence import silence
from monitor.cli.app import AppContext, command_options, output_console, pass_app, reviewer
from monitor.durations import parse_duration
from monitor.models import utcnow
from monitor.review.format import (
    format_alert_detail,
    format_alert_table,
    format_csv,
    format_json_lines,
)
from monitor.sources.draft import parse_date

EXIT_FAILED = 1


def parse_when(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """A date (YYYY-MM-DD, YYYY-MM, ISO 8601) or a duration back from now (``7d``)."""
    if value is None:
        return None
    try:
        return parse_date(value)[1]
    except ValueError:
        pass
    try:
        return utcnow() - parse_duration(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither a date (YYYY-MM-DD, YYYY-MM, ISO 8601) nor a duration"
            " back from now (30m, 12h, 7d)",
            ctx,
            param,
        ) from None


def filter_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option(
                "--since",
                callback=parse_when,
                metavar="WHEN",
                help="Events on or after (date or 7d).",
            ),
            click.option(
                "--until",
                callback=parse_when,
                metavar="WHEN",
                help="Events on or before (date or 7d).",
            ),
            click.option("--signal", help="ambassador_dispute or border_mobilization."),
            click.option("--event", help="e.g. summons, mobilization_point, burst."),
            click.option("--country", metavar="ISO3", help="As actor, target, subject or border."),
            click.option("--status", type=click.Choice(STATUSES)),
            click.option("--min-severity", type=float, help="0..10."),
            click.option("--limit", "-n", type=int, default=None, help="At most this many."),
        ]
    ):
        func = option(func)
    return func


def _filter(**kw: object) -> AlertFilter:
    return AlertFilter(**kw)  # type: ignore[arg-type]


@click.group()
def alerts() -> None:
    """Review alerts: list, show, acknowledge, resolve, dismiss, silence, export."""


@alerts.command("list")
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="json: one object a line.",
)
@command_options
@pass_app
def list_(app: AppContext, /, fmt: str, **filters: object) -> None:
    """List alerts, newest event first."""
    with app.store().session(readonly=True) as session:
        rows = list_alerts(session, _filter(**filters))
    if fmt == "json":
        click.echo(format_json_lines([alert_record(a) for a in rows]), nl=False)
    elif fmt == "csv":
        click.echo(format_csv(rows), nl=False)
    else:
        output_console().print(format_alert_table(rows))


@alerts.command()
@click.argument("alert_id", type=int, metavar="ID")
@command_options
@pass_app
def show(app: AppContext, alert_id: int) -> None:
    """Show one alert: roles, place, ladder step, every article and its evidence."""
    with app.store(upgrade=False).session(readonly=True) as session:
        detail = get_alert_detail(session, alert_id)
    console = output_console(soft_wrap=True)
    console.print(format_alert_detail(detail, plain=not console.is_terminal))


def _review_command(action: str, help_text: str) -> click.Command:
    @click.command(action, help=help_text)
    @click.argument("alert_ids", type=int, nargs=-1, required=True, metavar="ID...")
    @click.option("--note", help="Why (kept in the audit log).")
    @click.option("--by", help="Who (default: $MONITOR_USER or the login name).")
    @click.option("--verdict", type=click.Choice(VERDICTS), help="true, false_alarm, duplicate.")
    @command_options
    @pass_app
    def command(
        app: AppContext,
        alert_ids: tuple[int, ...],
        note: str | None,
        by: str | None,
        verdict: str | None,
    ) -> None:
        who = reviewer(by)
        with app.store().session() as session:
            changed = apply_action(session, alert_ids, action, by=who, note=note, verdict=verdict)
        for alert in changed:
            click.echo(
                f"alert {alert.id}: {alert.status} (verdict {alert.verdict or '-'}) by {who}"
            )
        _deliver(app)

    return command


for _name, _help in (
    ("ack", "Acknowledge alerts: someone is looking at them."),
    ("resolve", "Resolve alerts (verdict true unless --verdict says otherwise)."),
    ("dismiss", "Dismiss alerts as false alarms (or --verdict duplicate)."),
):
    alerts.add_command(_review_command(_name, _help))


@alerts.command()
@filter_options
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@command_options
@pass_app
def export(app: AppContext, /, fmt: str, output: str | None, **filters: object) -> None:
    """Export alerts as JSON Lines or CSV for other tools."""
    with app.store().session(readonly=True) as session:
        rows = list_alerts(session, _filter(**filters))
    text = (
        format_json_lines([alert_record(a) for a in rows]) if fmt == "jsonl" else format_csv(rows)
    )
    if output is None:
        click.echo(text, nl=False)
        return
    with click.open_file(output, "w", encoding="utf-8", atomic=True) as handle:
        handle.write(text)
    click.echo(f"{len(rows)} alert(s) -> {output}", err=True)


@alerts.command()
@command_options
@pass_app
def deliver(app: AppContext) -> None:
    """Deliver queued notifications now (log, webhook, e-mail); exit 1 if any failed."""
    report = _deliver(app)
    click.echo(f"sent {report.sent}, failed {report.failed}, pending {report.pending}")
    if report.failed:
        raise SystemExit(EXIT_FAILED)


def _deliver(app: AppContext) -> DeliveryReport:
    report = deliver_due(app.store(), app.settings, datetime.now(UTC))
    for error in report.errors:
        click.secho(f"warning: {error}", err=True, fg="yellow")
    return report


alerts.add_command(silence)
