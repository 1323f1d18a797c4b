"""Feed documents (RSS 0.9x, 1.0, 2.0, Atom) -> entries, via feedparser."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from service.feeds.extraction import html_to_text


class NotAFeed(ValueError):
    """The document is not RSS or Atom (an HTML page, JSON, garbage)."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # the entry's id, else its link: what "already seen" is judged by
    link: str | None  # absolute http(s) URL of the article page, when the entry has one
    title: str
    published: dt.date | None
    authors: list[str]
    text: str  # the entry's content (or description) as plain text; may be only a teaser


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    version: str  # feedparser's name for the format: rss20, rss091u, rss10, atom10, ...
    entries: list[FeedEntry]


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser gives UTC struct_time; timegm reads it as UTC, as it is.
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
    return None


def _text(entry: Any) -> str:
    """The longest HTML or text the entry carries: full content when present, else the description."""
    candidates = [part.get("value", "") for part in entry.get("content") or []]
    candidates.append(entry.get("summary", ""))
    texts = [html_to_text(value) for value in candidates if value and value.strip()]
    return max(texts, key=len, default="")


def _link(entry: Any, base: str) -> str | None:
    link = entry.get("link")
    if not link:
        return None
    absolute = urljoin(base, link.strip())
    return absolute if urlsplit(absolute).scheme in {"http", "https"} else None


def _authors(entry: Any) -> list[str]:
    names = [a.get("name", "").strip() for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [str(entry["author"]).strip()]
    return names


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Entries of a fetched feed; `url` is where it came from, for relative links."""
    # A file-like object, never bytes or str: feedparser opens a str as a URL and bytes as a file
    # name, and a feed body must never make it fetch or read anything.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-location": url, "content-type": content_type or "application/xml"}
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    entries = []
    for entry in parsed.entries:
        link = _link(entry, url)
        title = " ".join(str(entry.get("title", "")).split())
        key = str(entry.get("id") or link or hashlib.sha1(title.encode()).hexdigest())
        entries.append(FeedEntry(key, link, title, _date(entry), _authors(entry), _text(entry)))
    return ParsedFeed(" ".join(str(parsed.feed.get("title", "")).split()), str(parsed.get("version", "")), entries)
