"""Typed settings: built-in defaults < TOML file < ``MONITOR_*`` environment variables.

The file is ``--config FILE`` when given, else ``monitor.toml`` in the working directory
when present. Relative paths in a file (database, rules, state, file sources) are taken
relative to that file's folder; without a file, relative to the working directory.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from datetime import timedelta
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from monitor import __version__
from monitor.durations import format_duration, parse_duration
from monitor.errors import ConfigError

DEFAULT_CONFIG_NAME = "monitor.toml"
SEEDS_SOURCE_NAME = "seeds"


def bundled_seeds_dir() -> Path:
    """Folder of the seed articles shipped inside the package."""
    return Path(str(resources.files("monitor") / "data" / "seeds"))


# A duration written as "30s", "15m", "1h" (or seconds); shown back in the same form.
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
MIN_QUIET_INTERVAL = timedelta(minutes=1)
MIB = 1024 * 1024


class FilesSource(BaseModel):
    """Local files: a file, a folder, or a glob; seed format, ``.txt`` or ``.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Unique name of the source.")
    kind: Literal["files"] = "files"
    path: str = Field(min_length=1, description="File, folder or glob, relative to the config.")
    language: str | None = Field(default=None, description="ISO 639-1 hint, e.g. 'pl'.")
    enabled: bool = True
    interval: Duration = Field(
        default=timedelta(minutes=5), description="How often `monitor run` re-scans the files."
    )

    @property
    def location(self) -> str:
        return self.path


class FeedSource(BaseModel):
    """An RSS/Atom feed polled over HTTP(S) by `monitor run`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Unique name; default: the URL's host.")
    kind: Literal["feed"] = "feed"
    url: str = Field(min_length=1, description="http:// or https:// URL of the feed.")
    interval: Duration = Field(default=timedelta(minutes=15), description="Poll interval.")
    language: str | None = Field(default=None, description="ISO 639-1 hint, e.g. 'pl'.")
    enabled: bool = True
    full_text: bool = Field(
        default=False, description="Fetch each new entry's page and extract its full text."
    )

    @field_validator("full_text")
    @classmethod
    def _extractor_installed(cls, full_text: bool) -> bool:
        if full_text and find_spec("trafilatura") is None:
            raise ValueError("needs the 'fulltext' extra: pip install 'monitor[fulltext]'")
        return full_text

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name") and isinstance(data.get("url"), str):
            data = {**data, "name": feed_name_from_url(data["url"])}
        return data

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        return url.strip()

    @property
    def location(self) -> str:
        return self.url


def feed_name_from_url(url: str) -> str:
    """Default feed name: the URL's host without ``www.`` (``https://www.pap.pl/rss`` -> pap.pl)."""
    host = urlsplit(url.strip()).hostname or url
    return host.removeprefix("www.")


class FetchSettings(BaseModel):
    """The ``[fetch]`` table: limits every HTTP request of the feed poller obeys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connect_timeout: Duration = Field(default=timedelta(seconds=10), description="TCP+TLS.")
    read_timeout: Duration = Field(default=timedelta(seconds=30), description="Silence limit.")
    deadline: Duration = Field(
        default=timedelta(seconds=60), description="Hard limit for a whole request."
    )
    max_body_bytes: int = Field(
        default=15 * MIB, gt=0, description="Body cap, counted after decompression."
    )
    max_redirects: int = Field(default=5, ge=0, le=20)
    user_agent: str = Field(
        default=f"monitor/{__version__} (news escalation monitor; feed poller)", min_length=1
    )
    per_host: int = Field(default=2, ge=1, description="Concurrent requests per host.")
    workers: int = Field(default=4, ge=1, le=64, description="Feeds fetched at once.")
    backoff_ceiling: Duration = Field(
        default=timedelta(hours=24), description="Longest wait after repeated failures."
    )


SourceConfig = Annotated[FilesSource | FeedSource, Field(discriminator="kind")]


class AlertSettings(BaseModel):
    """The ``[alerts]`` table: merging, escalation, bursts, throttling and notifiers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    merge_window: Duration = Field(default=timedelta(days=7), description="e.g. 7d.")
    ladder_window: Duration = Field(default=timedelta(days=90), description="Ladder memory.")
    mirror_window: Duration = Field(default=timedelta(days=14), description="Tit-for-tat.")
    throttle: Duration = Field(default=timedelta(hours=1), description="Re-alert throttle.")
    duplicate_threshold: float = Field(default=0.8, gt=0, le=1, description="MinHash Jaccard.")
    burst_days: int = Field(default=14, ge=3, description="Baseline days before today.")
    burst_k: float = Field(default=3.0, gt=0, description="Sigmas above the baseline mean.")
    burst_min_count: int = Field(default=5, ge=1, description="Articles a day, at least.")
    log_path: Path | None = Field(default=None, description="Default: state_dir/alerts.jsonl.")
    log_max_bytes: int = Field(default=10_000_000, ge=1024, description="Rotate above this.")
    log_backups: int = Field(default=5, ge=1, description="Rotated files kept.")
    retry_base: Duration = Field(default=timedelta(seconds=30), description="First retry.")
    retry_max: Duration = Field(default=timedelta(hours=1), description="Longest backoff.")
    webhook_url: str | None = Field(default=None, description="POST each alert as JSON.")
    webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key.")
    webhook_timeout_s: float = Field(default=5.0, gt=0)
    smtp_host: str | None = Field(default=None, description="E-mail alerts when set.")
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    email_from: str = "monitor@localhost"
    email_to: list[str] = Field(default_factory=list)

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _recipients(self) -> AlertSettings:
        if self.smtp_host and not self.email_to:
            raise ValueError("smtp_host is set but email_to names no recipient")
        return self


class Settings(BaseSettings):
    """Every setting of ``monitor``; see the README's configuration reference."""

    model_config = SettingsConfigDict(
        env_prefix="MONITOR_",
        extra="forbid",
        frozen=True,
        env_nested_delimiter="__",
    )

    database_url: str = Field(
        default="sqlite:///state/monitor.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db.",
    )
    rules_dir: Path = Field(default=Path("rules"), description="Folder of rule files.")
    state_dir: Path = Field(default=Path("state"), description="Folder for runtime data.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    sources: list[SourceConfig] = Field(
        default_factory=list,
        description="Sources to ingest; the bundled seed articles when none is named.",
    )
    fetch: FetchSettings = Field(default_factory=FetchSettings, description="HTTP limits.")
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="Alerting.")

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[SourceConfig]) -> list[SourceConfig]:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice")
            seen.add(source.name)
        return sources

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment overrides the file; the file arrives as init arguments.
        return (env_settings, init_settings)

    def effective_sources(self) -> list[SourceConfig]:
        """The configured sources, or the bundled seeds when the config names none."""
        if self.sources:
            return list(self.sources)
        seeds = str(bundled_seeds_dir() / "*.txt")
        return [FilesSource(name=SEEDS_SOURCE_NAME, path=seeds, language="pl")]

    def warnings(self) -> list[str]:
        """Settings that are allowed but probably not meant for production."""
        return [
            f"source {s.name!r}: interval {format_duration(s.interval)} is under a minute; "
            "fine for testing, impolite to a real server"
            for s in self.sources
            if isinstance(s, FeedSource) and s.interval < MIN_QUIET_INTERVAL
        ]

    @property
    def alert_log_path(self) -> Path:
        """Where the JSON Lines alert log goes."""
        return self.alerts.log_path or self.state_dir / "alerts.jsonl"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(config_path: Path | None = None, cwd: Path | None = None) -> Settings:
    """Load settings from ``config_path`` (or ``./monitor.toml`` if present) and the env."""
    cwd = cwd or Path.cwd()
    data: dict[str, Any] = {}
    text = ""
    if config_path is None and (cwd / DEFAULT_CONFIG_NAME).is_file():
        config_path = cwd / DEFAULT_CONFIG_NAME
    base = cwd
    if config_path is not None:
        config_path = config_path if config_path.is_absolute() else cwd / config_path
        try:
            text = config_path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except FileNotFoundError:
            raise ConfigError(f"{config_path}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path}: cannot read config file: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: invalid TOML: {exc}") from None
        base = config_path.parent
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, config_path, text)) from None
    return _resolve_paths(settings, base)


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    sources = [
        s.model_copy(update={"path": str(_resolve(Path(s.path), base))})
        if isinstance(s, FilesSource)
        else s
        for s in settings.sources
    ]
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rest = url.removeprefix("sqlite:///")
        if rest and rest != ":memory:":
            url = f"sqlite:///{_resolve(Path(rest), base)}"
    alerts = settings.alerts
    if alerts.log_path is not None:
        alerts = alerts.model_copy(update={"log_path": _resolve(alerts.log_path, base)})
    return settings.model_copy(
        update={
            "alerts": alerts,
            "database_url": url,
            "rules_dir": _resolve(settings.rules_dir, base),
            "state_dir": _resolve(settings.state_dir, base),
            "sources": sources,
        }
    )


def _resolve(path: Path, base: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else base / path


def _format_validation_error(exc: ValidationError, path: Path | None, text: str) -> str:
    where = str(path) if path else "settings"
    lines = []
    for error in exc.errors():
        loc: Sequence[int | str] = error["loc"]
        if len(loc) > 2 and loc[0] == "sources" and isinstance(loc[1], int):
            loc = (*loc[:2], *loc[3:])  # drop the union tag ("files", "feed")
        field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
        field = field.replace(".[", "[")
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown setting"
        line = _find_line(text, loc, missing=error["type"] == "missing") if text else None
        at = f"{where}:{line}" if line else where
        lines.append(f"{at}: {field}: {message}")
    return "\n".join(lines)


def _find_line(text: str, loc: Sequence[int | str], *, missing: bool) -> int | None:
    """Best-effort line of the offending key; for an array-of-tables entry, its block."""
    start, end = 0, len(text)
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        headers = list(re.finditer(rf"^[ \t]*\[\[\s*{re.escape(loc[0])}\s*\]\]", text, re.M))
        if loc[1] >= len(headers):
            return None
        start = headers[loc[1]].start()
        following = re.compile(r"^\s*\[", re.M).search(text, headers[loc[1]].end())
        end = following.start() if following else len(text)
        if missing:
            return text.count("\n", 0, start) + 1
    elif missing:
        return None
    key = str(loc[-1])
    # [ \t], not \s: a blank line before the key must not be counted as its line
    pattern = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", re.MULTILINE)
    match = pattern.search(text, start, end)
    return text.count("\n", 0, match.start()) + 1 if match else None
