"""``monitor ingest``: one pass over the file sources."""

from __future__ import annotations

import click

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.config import FilesSource
from monitor.pipeline import IngestReport, Stages, ingest_files_source
from monitor.rulebook import load_engine

CLI_SOURCE_NAME = "cli"


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--source",
    "-s",
    "source_names",
    multiple=True,
    metavar="NAME",
    help="Only this configured source (repeatable).",
)
@click.option("--language", metavar="CODE", help="Language hint for PATHs, e.g. pl.")
@command_options
@pass_app
def ingest(
    app: AppContext, paths: tuple[str, ...], source_names: tuple[str, ...], language: str | None
) -> None:
    """Ingest articles from files into the database once; analyse the new ones.

    Without PATH, reads every configured files source (the bundled seed articles when
    the config names none). A PATH is a file, a folder or a glob; it is read as the
    source "cli". Formats: the seed format (" date YYYY-MM <text>"), plain .txt, and
    .jsonl (one JSON object a line with id, text and optional title, lang, date, url).
    New articles are analysed with the rules of rules_dir and their detections stored.
    Exit code 1 when anything was rejected.
    """
    settings = app.settings
    if paths:
        sources = [
            FilesSource(name=CLI_SOURCE_NAME, path=path, language=language) for path in paths
        ]
    else:
        sources = [s for s in settings.effective_sources() if isinstance(s, FilesSource)]
        if source_names:
            unknown = set(source_names) - {s.name for s in sources}
            if unknown:
                raise click.BadParameter(
                    f"no files source named {', '.join(sorted(unknown))}", param_hint="--source"
                )
            sources = [s for s in sources if s.name in source_names]
        sources = [s for s in sources if s.enabled]
    store = app.store()
    engine = load_engine(settings.rules_dir)
    for problem in engine.book.errors:
        click.secho(f"rules: {problem}", err=True, fg="yellow")
    stages = Stages(settings=settings, engine=engine)
    total = IngestReport()
    for source in sources:
        report = ingest_files_source(store, source, stages)
        total.merge(report)
        click.echo(
            f"{source.name}: {report.new} new, {report.known} known, "
            f"{len(report.rejected)} rejected, {report.detections} detections"
        )
    for rejection in total.rejected:
        click.secho(f"rejected: {rejection}", err=True, fg="yellow")
    click.echo(
        f"total: {total.new} new, {total.known} known, {len(total.rejected)} rejected"
        f" -> {store.url}"
    )
    if total.rejected:
        raise SystemExit(1)
