"""Article pages and feed HTML -> plain text, title, date, authors and canonical URL, via trafilatura.

Only plain text leaves this module: scripts are never run, markup never reaches the index, and
menus, cookie banners and related-link lists are left behind by trafilatura's main-text detection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura
from trafilatura.settings import Document, use_config

# trafilatura's default time limit uses SIGALRM, which only works on the main thread; polls run on
# worker threads, and the download size limit already bounds the work.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
# Short feed items are real content, not noise: keep them.
_FRAGMENT_CONFIG = use_config()
_FRAGMENT_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
_FRAGMENT_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
_FRAGMENT_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")


class ExtractionFailed(ValueError):
    """The page holds no article text trafilatura can find."""


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    text: str
    published: dt.date | None
    authors: list[str]
    canonical_url: str  # the id source: the page's rel=canonical when on the same site, else the URL fetched


def same_site(a: str, b: str) -> bool:
    """Same host, ignoring a leading www.: a page may name itself canonical only on its own site."""
    host_a = (urlsplit(a).hostname or "").removeprefix("www.")
    host_b = (urlsplit(b).hostname or "").removeprefix("www.")
    return bool(host_a) and host_a == host_b


def _paragraphs(text: str, title: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if lines and lines[0] == title:  # trafilatura repeats the headline as the first line
        lines = lines[1:]
    return "\n\n".join(lines)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def extract_page(html: bytes, url: str) -> ExtractedPage:
    """The article in a fetched page; `url` is where it was fetched from (after redirects)."""
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, favor_precision=True, config=_CONFIG,
        )
    except Exception as exc:  # any page may be hostile or broken: it fails alone, never the request
        raise ExtractionFailed(f"cannot read {url}: {type(exc).__name__}") from None
    if not isinstance(document, Document) or not document.text:
        raise ExtractionFailed(f"no article text found in {url}")
    title = " ".join((document.title or "").split())
    text = _paragraphs(document.text, title)
    if not title or not text:
        raise ExtractionFailed(f"no {'title' if not title else 'article text'} found in {url}")
    canonical = document.url if document.url and same_site(document.url, url) else url
    if urlsplit(canonical).scheme not in {"http", "https"}:
        canonical = url
    authors = [name.strip() for name in (document.author or "").split(";") if name.strip()]
    return ExtractedPage(title, text, _date(document.date), authors, canonical)


def html_to_text(fragment: str) -> str:
    """A feed entry's HTML content as paragraphs of plain text ("" when it holds none)."""
    wrapped = f"<html><body><article>{fragment}</article></body></html>"
    text = trafilatura.extract(wrapped, include_comments=False, favor_recall=True, config=_FRAGMENT_CONFIG)
    return _paragraphs(text or "", "")
