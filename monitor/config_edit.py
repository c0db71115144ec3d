"""Edit the ``[[sources]]`` blocks of a TOML config file as text, keeping its comments.

Adding appends a block at the end; removing cuts exactly the lines of one block. The result
is validated as a whole before the file is replaced (atomically), so a failed edit leaves
the file as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError

_TABLE_HEADER = re.compile(r"^\s*\[")
_SOURCES_HEADER = re.compile(r"^\s*\[\[\s*sources\s*\]\]\s*(#.*)?$")
_COMMENT_OR_BLANK = re.compile(r"^\s*(#.*)?$")


def format_source_block(fields: dict[str, Any]) -> str:
    """A ``[[sources]]`` block with the given keys, values written as TOML."""
    lines = ["[[sources]]"]
    for key, value in fields.items():
        if value is None:
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def add_source_text(text: str, fields: dict[str, Any]) -> str:
    """``text`` with a new ``[[sources]]`` block appended."""
    if text and not text.endswith("\n"):
        text += "\n"
    separator = "\n" if text.strip() else ""
    return text + separator + format_source_block(fields)


def remove_source_text(text: str, path: Path, name: str) -> str:
    """``text`` without the ``[[sources]]`` block whose name (or url) is ``name``."""
    data = _parse(text, path)
    sources = data.get("sources", [])
    index = next(
        (i for i, s in enumerate(sources) if name in (s.get("name"), s.get("url"))),
        None,
    )
    if index is None:
        raise ConfigError(f"{path}: no source named {name!r}")
    lines = text.splitlines(keepends=True)
    headers = [n for n, line in enumerate(lines) if _SOURCES_HEADER.match(line)]
    if len(headers) != len(sources):
        raise ConfigError(
            f"{path}: sources are not all written as [[sources]] blocks; edit the file by hand"
        )
    start = headers[index]
    end = next(
        (n for n in range(start + 1, len(lines)) if _TABLE_HEADER.match(lines[n])), len(lines)
    )
    # Comments right above the next table describe that table, not this block.
    while end > start + 1 and end < len(lines) and _COMMENT_OR_BLANK.match(lines[end - 1]):
        end -= 1
    # Comments directly above this block's header describe it and go with it, unless they
    # open the file (then they describe the file).
    above = start
    while above > 0 and lines[above - 1].strip().startswith("#"):
        above -= 1
    if above > 0:
        start = above
    # Do not leave two blank lines where the block was.
    if end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
        end += 1
    return "".join(lines[:start] + lines[end:])


def write_config(path: Path, text: str, check: Any) -> None:
    """Validate ``text`` with ``check(path_of_candidate)`` and then replace ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            check(tmp)
        except ConfigError as exc:  # name the real file, not the candidate
            raise ConfigError(str(exc).replace(str(tmp), str(path))) from None
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
