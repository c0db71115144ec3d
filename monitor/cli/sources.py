"""``monitor sources``: list, add, remove and check sources."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from pydantic import ValidationError

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.config import DEFAULT_CONFIG_NAME, FeedSource, load_settings
from monitor.config_edit import add_source_text, remove_source_text, write_config
from monitor.daemon import fetch_limits
from monitor.durations import format_duration
from monitor.errors import ConfigError
from monitor.models import Source
from monitor.sources.feeds import FeedError, ParsedFeed, parse_feed
from monitor.sources.fetch import Fetcher, FetchError, FetchResult, response_headers
from monitor.store.articles import count_by_source
from monitor.store.schedule import all_sources


@click.group()
def sources() -> None:
    """Configured sources: their state, adding and removing feeds, checking a feed URL."""


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def format_source_row(
    row: Source | None, name: str, kind: str, interval: str, where: str, n: int
) -> list[str]:
    """One source's cells: name, kind, interval, next check, articles, state, location."""
    if row is None:
        state = "never checked"
    elif row.error_count:
        state = f"failing x{row.error_count}: {row.last_error}"
    else:
        state = f"ok {_stamp(row.last_success_at)}"
    next_at = _stamp(row.next_check_at) if row else "-"
    return [name, kind, interval, next_at, str(n), state, where]


def format_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (the last one is left ragged)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(r, widths, strict=False)), r[-1]])
        for r in [header, *rows]
    ]


@sources.command("list")
@command_options
@pass_app
def list_sources(app: AppContext) -> None:
    """Every configured source with its schedule state (times in UTC)."""
    settings = app.settings
    with app.store().session(readonly=True) as session:
        rows = {row.name: row for row in all_sources(session)}
        counts = count_by_source(session)
    cells = [
        format_source_row(
            rows.get(source.name),
            source.name,
            source.kind + ("" if source.enabled else " (disabled)"),
            format_duration(source.interval),
            source.location,
            counts.get(source.name, 0),
        )
        for source in settings.effective_sources()
    ]
    header = ["NAME", "KIND", "EVERY", "NEXT CHECK (UTC)", "ARTICLES", "STATE", "LOCATION"]
    click.echo("\n".join(format_table(header, cells)))


def _config_file(app: AppContext) -> Path:
    path = app.config_path or Path(DEFAULT_CONFIG_NAME)
    return path if path.is_absolute() else Path.cwd() / path


@sources.command()
@click.argument("url")
@click.option("--name", help="Source name (default: the URL's host).")
@click.option("--interval", default="15m", show_default=True, help="Poll interval: 30s, 15m, 1h.")
@click.option("--language", metavar="CODE", help="Language hint, e.g. pl.")
@click.option("--full-text", is_flag=True, help="Fetch each new entry's page for its full text.")
@command_options
@pass_app
def add(
    app: AppContext,
    url: str,
    name: str | None,
    interval: str,
    language: str | None,
    full_text: bool,
) -> None:
    """Add a feed to the config file (a [[sources]] block appended; comments kept).

    The file is --config, else ./monitor.toml (created if missing). A running service
    picks the feed up on SIGHUP (systemctl reload monitor) or restart.
    """
    path = _config_file(app)
    try:
        feed = FeedSource.model_validate(
            {
                "url": url,
                "name": name,
                "interval": interval,
                "language": language,
                "full_text": full_text,
            }
        )
    except ValidationError as exc:
        message = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise click.BadParameter(message, param_hint="URL or --interval") from None
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    settings = load_settings(path) if path.exists() else None
    if settings and any(getattr(s, "url", None) == feed.url for s in settings.sources):
        raise ConfigError(f"{path}: {feed.url} is already configured")
    fields: dict[str, str | bool] = {
        "name": feed.name,
        "kind": "feed",
        "url": feed.url,
        "interval": interval,
    }
    if language:
        fields["language"] = language
    if full_text:
        fields["full_text"] = True
    write_config(path, add_source_text(text, fields), load_settings)
    click.echo(f"added feed {feed.name!r} ({feed.url}, every {interval}) to {path}")
    for warning in load_settings(path).warnings():
        click.secho(f"warning: {warning}", err=True, fg="yellow")


@sources.command()
@click.argument("name")
@command_options
@pass_app
def remove(app: AppContext, name: str) -> None:
    """Remove the source NAME (or with that URL) from the config file.

    Its articles stay in the database. A running service drops it on SIGHUP or restart.
    """
    path = _config_file(app)
    if not path.exists():
        raise ConfigError(f"{path}: config file not found")
    text = path.read_text(encoding="utf-8")
    write_config(path, remove_source_text(text, path, name), load_settings)
    click.echo(f"removed source {name!r} from {path}")


def format_check(url: str, result: FetchResult, feed: ParsedFeed, sample: int = 5) -> list[str]:
    """What `sources check` found, as lines."""
    drafts = feed.drafts
    lines = [
        f"{url}: HTTP {result.status}, {len(result.body)} bytes, "
        f"{result.headers.get('content-type', 'no Content-Type')}, {result.elapsed_s:.2f}s",
    ]
    if result.url != url:
        lines.append(f"  redirected to {result.url}")
    lines.append(
        f"  feed {feed.title!r}: {feed.version}, encoding {feed.encoding or '?'}, "
        f"language {feed.language or '?'}"
    )
    lines.append(f"  {len(drafts)} entries usable, {len(feed.items) - len(drafts)} rejected")
    for draft in drafts[:sample]:
        day = draft.published_at.strftime("%Y-%m-%d") if draft.published_at else "----------"
        lines.append(f"  {day} {draft.title[:100]}")
    if feed.warning:
        lines.append(f"  warning: {feed.warning}")
    return lines


@sources.command()
@click.argument("url")
@command_options
@pass_app
def check(app: AppContext, url: str) -> None:
    """Fetch and parse URL (or a configured feed's name) once; store nothing.

    Uses the [fetch] limits. Exit code 1 when the fetch or the parse fails.
    """
    settings = app.settings
    language = None
    for source in settings.sources:
        if isinstance(source, FeedSource) and url in (source.name, source.url):
            url, language = source.url, source.language
    with Fetcher(fetch_limits(settings)) as fetcher:
        try:
            result = fetcher.fetch(url)
            feed = parse_feed(result.body, response_headers(result), result.url, language)
        except FetchError as exc:
            click.secho(f"{url}: fetch: {exc.message}", err=True, fg="red")
            raise SystemExit(1) from None
        except FeedError as exc:
            click.secho(f"{url}: parse: {exc}", err=True, fg="red")
            raise SystemExit(1) from None
    click.echo("\n".join(format_check(url, result, feed)))
