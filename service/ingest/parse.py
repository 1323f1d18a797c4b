"""Files and records -> Articles. Every rejection names its path, line and reason."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from service.domain import Article
from service.plain_text import is_web_url, plain_title

NATIVE_SUFFIXES = {".txt", ".md", ""}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_DATE_LINE = re.compile(r"^\s*date\s+(\S+)\s*(.*)$", re.IGNORECASE)
_URL_LINE = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class ParseFailure:
    path: str
    line: int | None
    error: str


class InvalidArticle(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def parse_date(value: object) -> dt.date:
    """Accept YYYY-MM-DD or an ISO datetime (with or without zone); reject anything else."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArticle(f"published_at must be a date string, got {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InvalidArticle(f"unparsable date {text!r} (expected YYYY-MM-DD)") from None


def decode_text(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise InvalidArticle("binary file (contains NUL bytes)", line=None)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidArticle(f"not UTF-8 (bad byte at offset {exc.start})", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_native(text: str) -> Article:
    """`date YYYY-MM-DD Title`, blank-line separated paragraphs, last line the source URL."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InvalidArticle("empty file", line=1)
    match = _DATE_LINE.match(lines[first])
    if not match:
        raise InvalidArticle("first line must be 'date YYYY-MM-DD Title'", line=first + 1)
    try:
        published = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise InvalidArticle(
            f"unparsable date {match.group(1)!r} (expected YYYY-MM-DD)", line=first + 1
        ) from None
    title = plain_title(match.group(2))
    if not title:
        raise InvalidArticle("the date line has no title", line=first + 1)

    body_lines = [line.strip() for line in lines[first + 1 :]]
    while body_lines and not body_lines[-1]:
        body_lines.pop()
    url = None
    if body_lines and _URL_LINE.match(body_lines[-1]):
        url = body_lines.pop()
    paragraphs = [" ".join(block.split("\n")) for block in "\n".join(body_lines).split("\n\n")]
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    if not body:
        raise InvalidArticle("empty body", line=first + 2)
    return Article.build(title=title, text=body, published=published, url=url)


# A lone surrogate ("\ud800" in JSON) is a valid JSON escape but not Unicode: it cannot be encoded
# as UTF-8, so it broke the embedder, the tokenizer and the log line of the 500 that followed.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return bool(_LONE_SURROGATE.search(text))


# Article ids appear in URL paths (GET and DELETE /v1/articles/{id}): an id holding "/" or ".."
# was stored and could then never be read or deleted. Generated ids are hex; given ones keep to this.
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def article_from_record(record: Any) -> Article:
    """One JSON record -> Article; every way a record can be wrong is an InvalidArticle naming the field."""
    if not isinstance(record, dict):
        raise InvalidArticle(f"expected a JSON object, got {type(record).__name__}")
    missing = [key for key in ("title", "text", "published_at") if not record.get(key)]
    if missing:
        raise InvalidArticle(f"missing or empty field(s): {', '.join(missing)}")
    for key in ("title", "text"):
        if not isinstance(record[key], str):
            raise InvalidArticle(f"field {key!r} must be a string")
    for key in ("url", "source", "id"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InvalidArticle(f"field {key!r} must be a string, got {type(record[key]).__name__}")
    authors_given = record.get("authors")
    texts = [record.get(key) for key in ("title", "text", "url", "source", "id")]
    texts += authors_given if isinstance(authors_given, list) else [authors_given]
    if any(isinstance(value, str) and has_lone_surrogate(value) for value in texts):
        raise InvalidArticle("a field holds a lone surrogate (\\ud800-\\udfff): not valid Unicode")
    url = record.get("url") or None
    if url is not None and not is_web_url(url.strip()):
        raise InvalidArticle("field 'url' must be an http(s) URL")
    article_id = record.get("id") or None
    if article_id is not None and not _ARTICLE_ID.match(article_id):
        raise InvalidArticle("field 'id' must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise InvalidArticle("field 'authors' must be a list of strings")
    title = plain_title(record["title"])
    text = record["text"].replace("\r\n", "\n").strip()
    blank = [key for key, value in (("title", title), ("text", text)) if not any(ch.isalnum() for ch in value)]
    if blank:
        # Whitespace alone embeds as NaN, which the store refused as if the disk were full.
        raise InvalidArticle(f"field(s) with no words: {', '.join(blank)}")
    source = plain_title(record["source"]) if record.get("source") else None
    try:
        return Article.build(
            title=title,
            text=text,
            published=parse_date(record["published_at"]),
            url=url.strip() if url else None,
            source=source or None,
            authors=authors,
            article_id=article_id,
        )
    except ValidationError as exc:
        # Anything the checks above missed is still this record's failure, not the batch's.
        fields = ", ".join(".".join(str(p) for p in error["loc"]) for error in exc.errors())
        raise InvalidArticle(f"invalid field(s): {fields}") from None


def suffix_of(name: str) -> str:
    """The format suffix of a file name as a client sends it (either slash separates folders)."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def parse_file(path: Path, max_bytes: int) -> Iterator[Article | ParseFailure]:
    """Yield each article of a file, or a failure for each part that cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield ParseFailure(name, None, f"file is {size} bytes, over the {max_bytes} limit")
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield ParseFailure(name, None, f"cannot read: {exc.strerror or exc}")
        return
    yield from _parse_raw(name, path.suffix.lower(), raw)


def parse_bytes(name: str, raw: bytes, max_bytes: int) -> Iterator[Article | ParseFailure]:
    """Parse a file received whole (an upload) exactly as parse_file parses one on disk.

    The name picks the format by its suffix and names every failure; it is never opened as a path.
    """
    if len(raw) > max_bytes:
        yield ParseFailure(name, None, f"file is {len(raw)} bytes, over the {max_bytes} limit")
        return
    yield from _parse_raw(name, suffix_of(name), raw)


def _parse_raw(name: str, suffix: str, raw: bytes) -> Iterator[Article | ParseFailure]:
    try:
        text = decode_text(raw)
    except InvalidArticle as exc:
        yield ParseFailure(name, exc.line, str(exc))
        return
    if suffix in {".jsonl", ".ndjson"}:
        yield from _parse_json_lines(name, text)
    elif suffix == ".json":
        yield from _parse_json_document(name, text)
    else:
        try:
            yield parse_native(text)
        except InvalidArticle as exc:
            yield ParseFailure(name, exc.line, str(exc))


def _parse_json_lines(name: str, text: str) -> Iterator[Article | ParseFailure]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield article_from_record(json.loads(line))
        except json.JSONDecodeError as exc:
            yield ParseFailure(name, number, f"malformed JSON: {exc.msg} at column {exc.colno}")
        except InvalidArticle as exc:
            yield ParseFailure(name, number, str(exc))


def _parse_json_document(name: str, text: str) -> Iterator[Article | ParseFailure]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ParseFailure(name, exc.lineno, f"malformed JSON: {exc.msg}")
        return
    records = document if isinstance(document, list) else [document]
    for index, record in enumerate(records):
        try:
            yield article_from_record(record)
        except InvalidArticle as exc:
            yield ParseFailure(name, None, f"record {index}: {exc}")


def discover_files(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and files under folders (recursively, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                hidden = any(part.startswith(".") for part in relative)
                readable = child.suffix.lower() in NATIVE_SUFFIXES | JSON_SUFFIXES
                if child.is_file() and not hidden and readable and child.name != "README.md":
                    yield child
        else:
            yield path
