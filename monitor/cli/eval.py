"""``monitor eval``: score the rules against labelled passages."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.cli.rules import load_book, rules_dir_option
from monitor.evaluation import evaluate, format_evaluation, read_passages
from monitor.rulebook import Engine


@click.command("eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--min-precision",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Exit 1 if any signal's precision over all languages is below this.",
)
@click.option(
    "--min-recall",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Exit 1 if any signal's recall over all languages is below this.",
)
@rules_dir_option
@command_options
@pass_app
def eval_command(
    app: AppContext, file: Path, min_precision: float, min_recall: float, rules_dir: Path | None
) -> None:
    """Score detections against FILE.jsonl (id, lang, label, title, text per line).

    Prints precision and recall per signal and language, the totals per signal over all
    languages (the gate), then every miss and false alarm with its evidence.
    """
    passages = read_passages(file)
    result = evaluate(Engine(load_book(app, rules_dir)), passages)
    for line in format_evaluation(result):
        click.echo(line)
    failing = result.failing(min_precision, min_recall)
    if failing:
        click.secho(
            f"below precision {min_precision} / recall {min_recall}: {', '.join(failing)}",
            fg="red",
            err=True,
        )
        raise SystemExit(1)
