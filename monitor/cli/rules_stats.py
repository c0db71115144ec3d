"""``monitor rules stats``: per rule, detections, alerts, verdicts and precision."""

from __future__ import annotations

import click

from monitor.alerts.queries import rule_stats
from monitor.cli.app import AppContext, command_options, output_console, pass_app
from monitor.review.format import format_json_lines, format_rule_stats, rule_stats_records


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@command_options
@pass_app
def stats(app: AppContext, fmt: str) -> None:
    """Per rule: detections, alerts, confirmed, dismissed, precision.

    Precision is confirmed / (confirmed + dismissed as false alarm); duplicates count in
    neither.
    """
    with app.store().session(readonly=True) as session:
        rows = rule_stats(session)
    if fmt == "json":
        click.echo(format_json_lines(rule_stats_records(rows)), nl=False)
    else:
        output_console().print(format_rule_stats(rows))
