"""Shared CLI state: the config path, settings and store, loaded on first use."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from monitor.config import Settings, load_settings
from monitor.logs import setup_logging
from monitor.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    """What every command needs, loaded lazily so ``--help`` never touches the disk."""

    config_path: Path | None = None
    log_level: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
            setup_logging(self.log_level or self._settings.log_level)
        return self._settings

    def store(self, *, upgrade: bool = True, require_schema: bool = True) -> Store:
        """The database, migrated to the newest schema unless ``upgrade`` is False."""
        if self._store is None:
            self._store = open_store(
                self.settings.database_url, upgrade=upgrade, require_schema=require_schema
            )
            click.get_current_context().call_on_close(self._store.dispose)
        return self._store


def _remember_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(AppContext).config_path = value


config_option = click.option(
    "--config",
    "-c",
    type=click.Path(path_type=Path, dir_okay=False),
    expose_value=False,
    callback=_remember_config,
    help="TOML config file (default: ./monitor.toml if present, else built-in defaults).",
)


def command_options(func: F) -> F:
    """Options every sub-command accepts (so ``monitor CMD --config F`` works too)."""
    return config_option(func)


pass_app = click.make_pass_decorator(AppContext, ensure=True)


PIPE_WIDTH = 160


def output_console(*, soft_wrap: bool = False) -> Console:
    """Console for command output: the terminal's width, or wide lines into a pipe/file."""
    console = Console(highlight=False, soft_wrap=soft_wrap)
    if not console.is_terminal:
        console = Console(highlight=False, soft_wrap=soft_wrap, width=PIPE_WIDTH)
    return console


def reviewer(by: str | None) -> str:
    """Who acts: ``--by``, else ``$MONITOR_USER``, else the login name, else "unknown"."""
    if by:
        return by
    try:
        return os.environ.get("MONITOR_USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"
