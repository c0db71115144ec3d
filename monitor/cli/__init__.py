"""Command-line interface: commands only; domain errors become exit codes here.

Exit codes: 0 success; 1 some input was rejected or a check failed; 2 bad usage,
configuration or database.
"""

from __future__ import annotations

from typing import Any

import click

from monitor import __version__
from monitor.cli.alerts import alerts
from monitor.cli.app import AppContext, config_option
from monitor.cli.articles import articles
from monitor.cli.dashboard import dashboard
from monitor.cli.db import db
from monitor.cli.eval import eval_command
from monitor.cli.ingest import ingest
from monitor.cli.rules import rules
from monitor.cli.run import run
from monitor.cli.scan import scan
from monitor.cli.sources import sources
from monitor.errors import MonitorError

EXIT_ERROR = 2


class MonitorGroup(click.Group):
    """A group that reports ``MonitorError`` as one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MonitorError as exc:
            for line in str(exc).splitlines():
                click.secho(f"error: {line}", err=True, fg="red")
            ctx.exit(EXIT_ERROR)


@click.group(cls=MonitorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@config_option
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    help="Override the configured log level.",
)
@click.version_option(__version__, prog_name="monitor")
@click.pass_context
def main(ctx: click.Context, log_level: str | None) -> None:
    """Watch news for diplomatic escalation: ambassador disputes and border mobilization.

    Settings come from --config FILE, else ./monitor.toml when present, else built-in
    defaults; MONITOR_* environment variables override them.
    """
    app = ctx.ensure_object(AppContext)
    app.log_level = log_level.upper() if log_level else None


for command in (run, ingest, sources, articles, alerts, dashboard, rules, scan, eval_command, db):
    main.add_command(command)
