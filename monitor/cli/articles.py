"""``monitor articles``: what is stored."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.store.articles import ArticleRow, get_article, list_articles


@click.group()
def articles() -> None:
    """Stored articles."""


@articles.command("list")
@click.option("--limit", "-n", default=50, show_default=True, help="At most this many.")
@click.option("--source", "-s", metavar="NAME", help="Only this source.")
@click.option("--lang", metavar="CODE", help="Only this language.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format (json: one object a line).",
)
@command_options
@pass_app
def list_(app: AppContext, limit: int, source: str | None, lang: str | None, fmt: str) -> None:
    """List stored articles, newest first."""
    with app.store().session(readonly=True) as session:
        rows = list_articles(session, limit=limit, source=source, lang=lang)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(_as_dict(row, with_text=False), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} article(s)", title_justify="left")
    for name in ("id", "date", "lang", "source", "title"):
        table.add_column(name, overflow="fold" if name == "title" else "ellipsis")
    for row in rows:
        a = row.article
        table.add_row(
            str(a.id), a.published or "", a.lang or "", escape(row.source), escape(a.title)
        )
    Console().print(table)


@articles.command()
@click.argument("article_id", type=int, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@command_options
@pass_app
def show(app: AppContext, article_id: int, fmt: str) -> None:
    """Show one article with its text."""
    with app.store().session(readonly=True) as session:
        row = get_article(session, article_id)
    if row is None:
        raise click.ClickException(f"no article with id {article_id}")
    if fmt == "json":
        click.echo(json.dumps(_as_dict(row, with_text=True), ensure_ascii=False, indent=2))
        return
    a = row.article
    click.echo(f"#{a.id} {a.title}")
    click.echo(f"source: {row.source}   origin: {a.origin}")
    click.echo(f"date: {a.published or '-'}   lang: {a.lang or '-'}   url: {a.url or '-'}")
    click.echo(f"ingested: {a.ingested_at:%Y-%m-%d %H:%M:%S} UTC")
    click.echo("")
    click.echo(a.text)


def _as_dict(row: ArticleRow, *, with_text: bool) -> dict[str, object]:
    a = row.article
    data: dict[str, object] = {
        "id": a.id,
        "source": row.source,
        "origin": a.origin,
        "external_id": a.external_id,
        "title": a.title,
        "lang": a.lang,
        "date": a.published,
        "url": a.url,
        "ingested_at": a.ingested_at.isoformat(),
    }
    if with_text:
        data["text"] = a.text
    return data
