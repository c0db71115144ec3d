"""Local files: the seed format, plain ``.txt`` and ``.jsonl`` (one article a line).

Seed format: `` date YYYY-MM <text>`` — the word ``date``, the date, then the text.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitor.sources.draft import (
    ArticleDraft,
    Rejection,
    content_hash,
    normalise_text,
    parse_date,
    title_from_text,
)

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES
MAX_FILE_BYTES = 64 * 1024 * 1024
_SEED_HEADER = re.compile(r"\A\s*date\s+(\S+)\s+")

Item = ArticleDraft | Rejection


def expand_path(path: str) -> tuple[list[Path], list[Rejection]]:
    """Files named by a file, a folder (its supported files) or a glob pattern."""
    if glob.has_magic(path):
        matches = sorted(Path(p) for p in glob.glob(path, recursive=True))
        files = [p for p in matches if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES]
        if not files:
            return [], [Rejection(path, "no file matches this pattern")]
        return files, []
    target = Path(path)
    if target.is_dir():
        files = sorted(
            p for p in target.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        )
        if not files:
            return [], [Rejection(path, "folder holds no .txt or .jsonl file")]
        return files, []
    if target.is_file():
        return [target], []
    return [], [Rejection(path, "no such file or folder")]


def read_path(path: str, language: str | None = None) -> Iterator[Item]:
    """Every draft (or rejection) from the files a path names."""
    files, rejections = expand_path(path)
    yield from rejections
    for file in files:
        yield from read_file(file, language)


def read_file(path: Path, language: str | None = None) -> Iterator[Item]:
    """Drafts from one file, by its suffix; problems come back as rejections."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Rejection(str(path), f"unsupported file type {suffix or '(none)'!r}")
        return
    text = _read_text(path)
    if isinstance(text, Rejection):
        yield text
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, text, language)
    else:
        yield _read_text_article(path, text, language)


def _read_text(path: Path) -> str | Rejection:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Rejection(str(path), f"file is {size} bytes, over the {MAX_FILE_BYTES} cap")
        data = path.read_bytes()
    except OSError as exc:
        return Rejection(str(path), f"cannot read file: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return Rejection(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Rejection(
            f"{path}:{line}",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8",
        )
    if not text.strip():
        return Rejection(str(path), "empty file")
    return text


def _read_text_article(path: Path, text: str, language: str | None) -> Item:
    published = published_at = None
    header = _SEED_HEADER.match(text)
    if header:
        try:
            published, published_at = parse_date(header.group(1))
        except ValueError as exc:
            return Rejection(f"{path}:1", str(exc))
        text = text[header.end() :]
    body = normalise_text(text)
    if not body:
        return Rejection(f"{path}:1", "no article text after the date")
    digest = content_hash(body)
    return ArticleDraft(
        identity=digest,
        content_hash=digest,
        origin=str(path),
        text=body,
        title=title_from_text(body),
        external_id=path.name,
        lang=language,
        published=published,
        published_at=published_at,
    )


def _read_jsonl(path: Path, text: str, language: str | None) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"not JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _jsonl_record(where, record, language)


def _jsonl_record(where: str, record: Any, language: str | None) -> Item:
    if not isinstance(record, dict):
        return Rejection(where, "a line must be a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return Rejection(where, "field 'text' is missing or empty")
    for field in ("id", "title", "lang", "date", "url"):
        value = record.get(field)
        if value is not None and not isinstance(value, str | int):
            return Rejection(where, f"field {field!r} must be a string")
    published = published_at = None
    if record.get("date"):
        try:
            published, published_at = parse_date(str(record["date"]))
        except ValueError as exc:
            return Rejection(where, f"field 'date': {exc}")
    body = normalise_text(body)
    digest = content_hash(body)
    external_id = str(record["id"]) if record.get("id") is not None else None
    title = str(record.get("title") or "").strip() or title_from_text(body)
    return ArticleDraft(
        identity=digest,
        content_hash=digest,
        origin=where,
        text=body,
        title=title,
        external_id=external_id,
        url=str(record["url"]) if record.get("url") else None,
        lang=str(record["lang"]) if record.get("lang") else language,
        published=published,
        published_at=published_at,
    )
