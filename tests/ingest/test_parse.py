from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from service.ingest.parse import ParseFailure, parse_bytes, parse_file, parse_native
from tests.conftest import write_article

LIMIT = 1_000_000


def parse_one(path: Path) -> list:
    return list(parse_file(path, LIMIT))


def test_seed_article_is_parsed_exactly(shared_dir: Path) -> None:
    path = next((shared_dir / "data" / "seed").glob("*.txt"))
    [article] = parse_one(path)
    assert article.published == dt.date(2025, 7, 8)
    assert article.title.startswith("Between Aid And Deadlock: Kyiv’s Struggle")
    assert article.url == "https://southfront.press/kyiv-struggle-amid-shifting-us-support/"
    assert article.source == "southfront.press"
    assert len(article.text.split("\n\n")) == 8
    assert "southfront.press" not in article.text


def test_bom_crlf_and_leading_spaces_are_tolerated(tmp_path: Path) -> None:
    raw = "\ufeff  date 2026-03-02 Title here\r\n\r\nFirst paragraph.\r\nSame paragraph.\r\n\r\nSecond.\r\nhttps://x.example/a\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    [article] = parse_one(path)
    assert article.title == "Title here"
    assert article.text == "First paragraph. Same paragraph.\n\nSecond."
    assert article.url == "https://x.example/a"


def test_same_url_gives_same_id_and_changed_text_changes_hash() -> None:
    a = parse_native("date 2026-03-02 T\n\nBody one.\n\nhttps://www.X.example/a/?utm_source=z")
    b = parse_native("date 2026-03-02 T\n\nBody two.\n\nhttps://x.example/a")
    assert a.id == b.id
    assert a.content_hash != b.content_hash


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"Title without date\n\nBody.\n", 1, "first line must be"),
        (b"date 2026-13-45 Bad date\n\nBody.\n", 1, "unparsable date"),
        (b"date 2026-03-02 Only a title\n\nhttps://x.example/a\n", 2, "empty body"),
        (b"date 2026-03-02 T\n\nCaf\xe9 au lait.\n", 3, "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", None, "binary"),
        (b"", 1, "empty file"),
    ],
)
def test_bad_native_files_are_reported_with_line_and_reason(
    tmp_path: Path, content: bytes, line: int | None, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [failure] = parse_one(path)
    assert isinstance(failure, ParseFailure)
    assert failure.path == str(path)
    assert failure.line == line
    assert reason in failure.error


def test_oversized_file_is_rejected_unread(tmp_path: Path) -> None:
    path = write_article(tmp_path, "big.txt", paragraphs=["word " * 5000])
    [failure] = list(parse_file(path, max_bytes=10_000))
    assert isinstance(failure, ParseFailure)
    assert "over the 10000 limit" in failure.error


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path: Path) -> None:
    good = {
        "title": "A",
        "text": "Body A.",
        "published_at": "2026-03-02T10:00:00Z",
        "url": "https://a.example/1",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"title": "B", "text": "Body B.", "published_at": "yesterday"}),
        json.dumps({"title": "C", "published_at": "2026-03-02"}),
        "",
        json.dumps({**good, "url": "https://a.example/2", "source": "Wire", "authors": ["Ann Lee"]}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines))
    results = parse_one(path)
    failures = [r for r in results if isinstance(r, ParseFailure)]
    articles = [r for r in results if not isinstance(r, ParseFailure)]
    assert [f.line for f in failures] == [2, 3, 4]
    assert "malformed JSON" in failures[0].error
    assert "unparsable date" in failures[1].error
    assert "text" in failures[2].error
    assert [a.published for a in articles] == [dt.date(2026, 3, 2)] * 2
    assert articles[1].source == "Wire"
    assert articles[1].authors == ["Ann Lee"]
    assert articles[0].source == "a.example"


def test_json_document_with_a_list(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        json.dumps([{"title": "A", "text": "x", "published_at": "2026-03-02", "id": "custom-1"}, 5])
    )
    results = parse_one(path)
    assert results[0].id == "custom-1"
    assert isinstance(results[1], ParseFailure)
    assert "record 1" in results[1].error


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ok.txt", "\ufeff date 2026-03-02 Title\r\n\r\nBody.\r\nhttps://x.example/a\r\n".encode()),
        ("bad.txt", b"Title without date\n\nBody.\n"),
        ("latin1.txt", b"date 2026-03-02 T\n\nCaf\xe9 au lait.\n"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
        ("lines.jsonl", b'{"title": "A", "text": "x", "published_at": "2026-03-02"}\n{not json\n\n[1]\n'),
        ("latin1.jsonl", b'{"title": "A", "text": "x", "published_at": "2026-03-02"}\n{"title": "Caf\xe9"}\n'),
        ("doc.json", b'[{"title": "A", "text": "x", "published_at": "2026-03-02"}, 5]'),
        ("broken.json", b'{\n"title": "A",\n oops}'),
        ("big.txt", b"date 2026-03-02 T\n\n" + b"word " * 300),
    ],
)
def test_bytes_parse_exactly_as_the_same_file_on_disk(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    from_disk = [
        ParseFailure(name, item.line, item.error) if isinstance(item, ParseFailure) else item
        for item in parse_file(path, max_bytes=1000)
    ]
    assert list(parse_bytes(name, content, max_bytes=1000)) == from_disk
    assert from_disk  # every case yields something: an article or a failure


def test_bytes_take_their_format_from_the_name_only() -> None:
    record = b'{"title": "A", "text": "x", "published_at": "2026-03-02"}\nnot json\n'
    [article, failure] = parse_bytes("..\\uploads\\Batch.JSONL", record, LIMIT)
    assert article.title == "A"
    assert failure == ParseFailure("..\\uploads\\Batch.JSONL", 2, "malformed JSON: Expecting value at column 1")
