"""Settings: defaults, TOML file, environment overrides and clear errors with locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import FilesSource, bundled_seeds_dir, load_settings
from monitor.errors import ConfigError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'state' / 'monitor.db'}"
    assert settings.rules_dir == tmp_path / "rules"
    (seeds,) = settings.effective_sources()
    assert isinstance(seeds, FilesSource)
    assert seeds.name == "seeds" and seeds.language == "pl"
    assert Path(seeds.path).parent == bundled_seeds_dir()
    assert len(list(bundled_seeds_dir().glob("*.txt"))) == 2


def test_file_in_working_directory_and_relative_paths(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "monitor.toml").write_text(
        'database_url = "sqlite:///data/m.db"\n'
        'rules_dir = "myrules"\n'
        "[[sources]]\n"
        'name = "local"\n'
        'kind = "files"\n'
        'path = "articles/*.txt"\n',
        encoding="utf-8",
    )
    settings = load_settings(cwd=conf)
    assert settings.database_url == f"sqlite:///{conf / 'data' / 'm.db'}"
    assert settings.rules_dir == conf / "myrules"
    (source,) = settings.effective_sources()
    assert isinstance(source, FilesSource)
    assert source.path == str(conf / "articles" / "*.txt")


def test_explicit_config_and_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "other.toml"
    path.write_text('log_level = "DEBUG"\nrules_dir = "/opt/rules"\n', encoding="utf-8")
    monkeypatch.setenv("MONITOR_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("MONITOR_DATABASE_URL", "postgresql+psycopg://u@h/db")
    settings = load_settings(path, cwd=tmp_path)
    assert settings.log_level == "WARNING"
    assert settings.rules_dir == Path("/opt/rules")
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('database_url = "sqlite:///x.db"\nrules_dir = \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}: invalid TOML: .*line 2"):
        load_settings(path, cwd=tmp_path)


def test_unknown_setting_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text('rules_dir = "rules"\ndatabse_url = "sqlite:///x.db"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path, cwd=tmp_path)
    assert str(info.value) == f"{path}:2: databse_url: unknown setting"


def test_bad_source_entry_and_duplicate_names(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(
        '[[sources]]\nname = "a"\nkind = "files"\n\n[[sources]]\nname = "a"\nkind = "files"\n'
        'path = "x"\ncolour = "red"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_settings(path, cwd=tmp_path)
    message = str(info.value)
    assert f"{path}:1: sources[0].path: Field required" in message
    assert f"{path}:9: sources[1].colour: unknown setting" in message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", cwd=tmp_path)
