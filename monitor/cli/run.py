"""``monitor run``: the long-running service (or one pass with ``--once``)."""

from __future__ import annotations

import logging
import os
import sys
import threading

import click

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.config import load_settings
from monitor.daemon import Daemon
from monitor.models import Article
from monitor.pipeline import CheckOutcome
from monitor.review.format import format_alert_line, format_detection_line
from monitor.review.safe import clean
from monitor.rulebook import load_engine

log = logging.getLogger(__name__)
_print_lock = threading.Lock()


def format_article_line(source: str, article: Article) -> str:
    """One line per new article: ``new  [source] #id title <url>``."""
    title = " ".join(clean(article.title).split()) or "(untitled)"
    url = f" <{clean(article.url)}>" if article.url else ""
    lang = f" ({article.lang})" if article.lang else ""
    return f"new  [{clean(source)}] #{article.id}{lang} {title}{url}"


def format_outcome_line(outcome: CheckOutcome) -> str | None:
    """A line for a failed check (successes show as their new articles)."""
    if outcome.error is None:
        return None
    when = outcome.next_check_at.strftime("%H:%M:%S") if outcome.next_check_at else "?"
    return f"fail [{outcome.source}] {outcome.error}; next try {when} UTC"


def print_outcome(outcome: CheckOutcome) -> None:
    report = outcome.report
    lines = [format_article_line(outcome.source, a) for a in report.articles]
    lines += [format_detection_line(outcome.source, d) for d in report.found]
    lines += [format_alert_line(kind, alert) for kind, alert in report.alerts]
    failed = format_outcome_line(outcome)
    if failed:
        lines.append(failed)
    if lines:
        with _print_lock:
            click.echo("\n".join(lines))
            sys.stdout.flush()


@click.command()
@click.option("--once", is_flag=True, help="Check every due source once, then exit (for cron).")
@command_options
@pass_app
def run(app: AppContext, once: bool) -> None:
    """Run the service: poll feeds and re-scan file sources on their schedules.

    Prints one line per new article, detection, alert and failed check. SIGTERM or
    SIGINT stops it within a few seconds; SIGHUP reloads the config and the rule files
    (keeping the running ones if the new ones have errors). Under systemd (Type=notify)
    it reports READY, STATUS and WATCHDOG. With --once: one pass over the sources that
    are due, exit code 1 if any check failed.
    """
    settings = app.settings
    for warning in settings.warnings():
        log.warning("%s", warning)
    store = app.store()
    config_path = app.config_path
    daemon = Daemon(
        lambda: load_settings(config_path),
        store,
        on_outcome=print_outcome,
        rules_loader=lambda settings: load_engine(settings.rules_dir, strict=True),
    )
    if once:
        daemon.install_once_signals()
        outcomes = daemon.run_once()
        failed = [o for o in outcomes if o.error]
        click.echo(
            f"checked {len(outcomes)} sources: {sum(o.report.new for o in outcomes)} new "
            f"articles, {len(failed)} failed -> {store.url}"
        )
        if failed:
            raise SystemExit(1)
        return
    clean = daemon.serve()
    if not clean:
        # Worker threads still hold work; SQLite rolls back what they had not committed.
        sys.stdout.flush()
        sys.stderr.flush()
        store.dispose()
        os._exit(0)
