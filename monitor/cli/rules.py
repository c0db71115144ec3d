"""``monitor rules check|test|explain``: the rule author's tools."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.app import AppContext, command_options, pass_app
from monitor.cli.rules_stats import stats
from monitor.rulebook import Engine, RuleBook, check_rulebook, load_rulebook, resolve_rules_dir
from monitor.rulebook.examples import run_examples
from monitor.rulebook.explain import format_explanation

rules_dir_option = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rules folder (default: rules_dir of the config, else the rules/ of the source tree).",
)


def load_book(app: AppContext, rules_dir: Path | None) -> RuleBook:
    """The rule book named on the command line or in the settings."""
    return load_rulebook(rules_dir or resolve_rules_dir(app.settings.rules_dir))


@click.group()
def rules() -> None:
    """Rule files: check, test and explain them; how they fare (stats)."""


rules.add_command(stats)


@rules.command()
@rules_dir_option
@click.option("--strict", is_flag=True, help="Treat lint warnings as errors.")
@command_options
@pass_app
def check(app: AppContext, rules_dir: Path | None, strict: bool) -> None:
    """Load every rule file and report every problem as path:line: rule <id>: message.

    Errors first, then lint warnings (few examples, terms no dictionary knows). Exit
    code 1 on any error (or any warning with --strict).
    """
    book = load_book(app, rules_dir)
    problems = check_rulebook(book)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for problem in errors:
        click.secho(f"error: {problem}", fg="red", err=True)
    for problem in warnings:
        click.secho(f"warning: {problem}", fg="yellow", err=True)
    click.echo(
        f"{len(book.rules)} rules in {book.root}: {len(errors)} errors, {len(warnings)} warnings"
        f" (version {book.version})"
    )
    if errors or (strict and warnings):
        raise SystemExit(1)


@rules.command()
@rules_dir_option
@command_options
@pass_app
def test(app: AppContext, rules_dir: Path | None) -> None:
    """Run every rule's hit and miss examples; print each failure and why. Exit 1 on any."""
    book = load_book(app, rules_dir)
    for problem in book.errors:
        click.secho(f"error: {problem}", fg="red", err=True)
    total, failures = run_examples(Engine(book))
    for failure in failures:
        click.secho(f"FAIL {failure}", fg="red")
    click.echo(f"{total} examples of {len(book.rules)} rules: {len(failures)} failed")
    if failures or book.errors:
        raise SystemExit(1)


@rules.command()
@click.argument("text")
@click.option("--lang", metavar="CODE", help="Language of TEXT (default: detected).")
@rules_dir_option
@command_options
@pass_app
def explain(app: AppContext, text: str, lang: str | None, rules_dir: Path | None) -> None:
    """Show how TEXT is read: language, tokens and lemmas, terms, rules, roles, modality."""
    engine = Engine(load_book(app, rules_dir))
    result = engine.analyse(text, lang, explain=True, detect=lang is None)
    click.echo(format_explanation(engine, result))
