"""``monitor scan``: analyse files and print detections, without touching the database."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.cli.rules import load_book, rules_dir_option
from monitor.rulebook import Engine
from monitor.rulebook.output import ROW_HEADERS, article_json, finding_row
from monitor.sources import files
from monitor.sources.draft import ArticleDraft, Rejection


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="table",
    show_default=True,
    help="jsonl: one JSON object per article; table: one row per detection.",
)
@click.option("--language", metavar="CODE", help="Language hint for the files, e.g. pl.")
@rules_dir_option
@command_options
@pass_app
def scan(
    app: AppContext, paths: tuple[str, ...], fmt: str, language: str | None, rules_dir: Path | None
) -> None:
    """Analyse files (seed format, .txt, .jsonl as for ingest) and print their detections.

    Exit code 1 when a file or line was rejected.
    """
    book = load_book(app, rules_dir)
    for problem in book.errors:
        click.secho(f"error: {problem}", fg="red", err=True)
    engine = Engine(book)
    rejected = 0
    table = Table(*ROW_HEADERS)
    for path in paths:
        for item in files.read_path(path, language):
            if isinstance(item, Rejection):
                rejected += 1
                click.secho(f"rejected: {item}", fg="yellow", err=True)
                continue
            assert isinstance(item, ArticleDraft)
            article_id = item.external_id or item.origin
            year = item.published_at.year if item.published_at else None
            result = engine.analyse(item.text, item.lang, year=year)
            if fmt == "jsonl":
                click.echo(json.dumps(article_json(article_id, result), ensure_ascii=False))
            else:
                for finding in result.findings:
                    table.add_row(*finding_row(article_id, finding))
    if fmt == "table":
        Console(width=200).print(table)
    if rejected:
        raise SystemExit(1)
