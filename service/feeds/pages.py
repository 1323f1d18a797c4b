"""Article pages -> Articles: fetch with the safe fetcher, extract, and ingest through the usual pipeline.

`newsdesk ingest --url`, `POST /v1/articles/urls` and the feed poller all come through here, so a
page is read the same way whichever door it came in by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from service.domain import Article
from service.feeds.extraction import ExtractionFailed, extract_page
from service.feeds.feed_parsing import FeedEntry
from service.feeds.fetching import PAGE_ACCEPT, Fetcher, FetchFailed
from service.ingest.parse import ParseFailure
from service.ingest.pipeline import Ingestor, IngestReport
from service.plain_text import is_web_url, plain_title


class PageFailed(Exception):
    """Why a page gave no article, in words."""


def fetch_article(
    fetcher: Fetcher, url: str, entry: FeedEntry | None = None, source: str | None = None
) -> Article:
    """The article on the page at url; the feed entry, when there is one, fills what the page lacks."""
    try:
        fetched = fetcher.get(url, PAGE_ACCEPT)
        kind = fetched.content_type.split(";")[0].strip().lower()
        if kind and "html" not in kind and "xml" not in kind:
            raise PageFailed(f"{fetched.url} is {kind}, not an HTML page")
        page = extract_page(fetched.body, fetched.url)
    except (FetchFailed, ExtractionFailed) as exc:
        raise PageFailed(str(exc)) from None
    # A page without a machine-readable date is dated by its feed entry, else by the day it was read.
    published = page.published or (entry.published if entry else None) or dt.datetime.now(dt.UTC).date()
    article = web_article(
        title=page.title or (entry.title if entry else ""),
        text=page.text,
        published=published,
        url=page.canonical_url,
        source=source,
        authors=page.authors or (entry.authors if entry else []),
    )
    if article is None:
        raise PageFailed(f"{fetched.url} has no title or no words in its text")
    return article


def web_article(
    *, title: str, text: str, published: dt.date, url: str | None, source: str | None, authors: list[str]
) -> Article | None:
    """An Article from what a page or feed said, held to the rules ingest holds JSON records to
    (titles, outlet and author names as plain single lines; words in title and text); None if it fails them."""
    title = plain_title(title)
    if not any(ch.isalnum() for ch in title) or not any(ch.isalnum() for ch in text):
        return None
    names = [name for name in (plain_title(a) for a in authors) if name]
    return Article.build(
        title=title, text=text, published=published, url=url if is_web_url(url) else None,
        source=plain_title(source) if source else None, authors=names,
    )


def ingest_urls(
    fetcher: Fetcher, ingestor: Ingestor, urls: Sequence[str], report: IngestReport | None = None, workers: int = 4
) -> IngestReport:
    """Fetch, extract and ingest each page; every page that fails is reported by its URL and reason."""
    report = report or IngestReport()

    def fetch(url: str) -> Article | ParseFailure:
        try:
            return fetch_article(fetcher, url)
        except PageFailed as exc:
            return ParseFailure(url, None, str(exc))

    # Several at once, so one slow site does not hold the rest (the fetcher keeps one per host).
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(fetch, urls))
    report.failed += [r for r in results if isinstance(r, ParseFailure)]
    return ingestor.ingest_articles([r for r in results if isinstance(r, Article)], report)
