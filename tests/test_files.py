"""Reading local files: the seed format, .txt, .jsonl, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.config import bundled_seeds_dir
from monitor.sources.draft import ArticleDraft, Rejection, parse_date, title_from_text
from monitor.sources.files import read_path


def _read(path: Path | str) -> tuple[list[ArticleDraft], list[Rejection]]:
    items = list(read_path(str(path)))
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    return drafts, rejections


def test_bundled_seeds_read_with_date_and_title() -> None:
    drafts, rejections = _read(bundled_seeds_dir() / "*.txt")
    assert rejections == []
    assert [d.published for d in drafts] == ["2022-10", "2022-09"]
    first = drafts[0]
    assert first.text.startswith("Żądania Rosji, by Kazachstan wydalił")
    assert not first.text.startswith("date")
    assert first.title.startswith("Żądania Rosji")
    assert first.title.endswith("…") or first.title.endswith("Reutera.")
    assert first.published_at is not None and first.published_at.month == 10
    assert first.identity == first.content_hash and len(first.identity) == 64


def test_identity_is_stable_across_reads_and_rewrapping(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ambasador został wezwany do MSZ. Drugie zdanie.")
    (tmp_path / "b.txt").write_text("Ambasador  został\nwezwany do MSZ.   Drugie zdanie.\n")
    drafts, _ = _read(tmp_path)
    assert drafts[0].identity == drafts[1].identity
    again, _ = _read(tmp_path / "a.txt")
    assert again[0].identity == drafts[0].identity


def test_plain_text_title_is_first_sentence(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Rosja wezwała ambasadora. Potem coś jeszcze.", encoding="utf-8")
    drafts, rejections = _read(path)
    assert rejections == []
    assert drafts[0].title == "Rosja wezwała ambasadora."
    assert drafts[0].published is None


def test_jsonl_articles_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Pierwszy tekst.", "lang": "pl", "date": "2022-10-05"}),
        "{not json",
        json.dumps({"id": "a2", "title": "bez tekstu"}),
        "",
        json.dumps({"id": "a3", "text": "Trzeci tekst.", "date": "sometime in 2004"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a4", "text": "Czwarty.", "url": "https://example.org/4"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    drafts, rejections = _read(path)
    assert [d.external_id for d in drafts] == ["a1", "a4"]
    assert drafts[0].lang == "pl" and drafts[0].published == "2022-10-05"
    assert drafts[1].url == "https://example.org/4"
    messages = [str(r) for r in rejections]
    assert messages[0].startswith(f"{path}:2: not JSON")
    assert messages[1] == f"{path}:3: field 'text' is missing or empty"
    assert messages[2].startswith(f"{path}:5: field 'date': date 'sometime in 2004' cannot")
    assert messages[3] == f"{path}:6: a line must be a JSON object"


def test_wrong_encoding_is_rejected_with_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1250.txt"
    path.write_bytes("Pierwsza linia.\nŻądanie wydalenia ambasadora.".encode("cp1250"))
    drafts, rejections = _read(path)
    assert drafts == []
    assert str(rejections[0]).startswith(f"{path}:2: not UTF-8 text")


def test_empty_and_blank_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    drafts, rejections = _read(tmp_path)
    assert drafts == []
    assert sorted(str(r) for r in rejections) == [
        f"{tmp_path / 'blank.jsonl'}: empty file",
        f"{tmp_path / 'empty.txt'}: empty file",
    ]


def test_seed_date_that_cannot_be_parsed(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(" date 2022-13 Tekst artykułu.", encoding="utf-8")
    _, rejections = _read(path)
    assert str(rejections[0]).startswith(f"{path}:1: date '2022-13' cannot be parsed")


def test_missing_path_unreadable_file_and_binary(tmp_path: Path) -> None:
    _, missing = _read(tmp_path / "nowhere.txt")
    assert str(missing[0]) == f"{tmp_path / 'nowhere.txt'}: no such file or folder"
    unreadable = tmp_path / "dir.txt"
    unreadable.mkdir()
    from monitor.sources.files import read_file

    (item,) = list(read_file(unreadable))
    assert isinstance(item, Rejection)
    assert str(item).startswith(f"{unreadable}: cannot read file:")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02garbage")
    _, rejections = _read(binary)
    assert str(rejections[0]) == f"{binary}: binary file, not text"


def test_glob_matching_nothing_and_unsupported_suffix(tmp_path: Path) -> None:
    _, rejections = _read(tmp_path / "*.txt")
    assert str(rejections[0]) == f"{tmp_path / '*.txt'}: no file matches this pattern"
    other = tmp_path / "doc.pdf"
    other.write_bytes(b"%PDF")
    _, rejections = _read(other)
    assert str(rejections[0]) == f"{other}: unsupported file type '.pdf'"


def test_parse_date_forms() -> None:
    assert parse_date("2022-10")[1].isoformat() == "2022-10-01T00:00:00+00:00"
    assert parse_date("2022")[0] == "2022"
    assert parse_date("2022-10-05T12:00:00Z")[1].hour == 12


def test_title_is_cut_at_a_word() -> None:
    title = title_from_text("słowo " * 100)
    assert len(title) <= 201 and title.endswith("…")
