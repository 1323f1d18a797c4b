"""One poll round over the configured feeds, and the background thread that runs one on a schedule.

A round fetches feeds in parallel (one request at a time per host, see fetching.py) and ingests
each feed's new articles through the same `Ingestor` as every other door, one feed at a time so
embedding is not split across threads on a small machine. A feed that fails keeps its last good
state and waits longer before its next try; it never stops the others.

Answers in flight are not affected: an answer works from the passages it retrieved before the
model started, and the store swaps a replaced article's chunks in one step (see store.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Literal

from service.components.store import ChromaStore
from service.domain import Article, article_id_for
from service.feeds.feed_parsing import FeedEntry, NotAFeed, parse_feed
from service.feeds.fetching import FEED_ACCEPT, Fetcher, FetchFailed
from service.feeds.pages import PageFailed, fetch_article, web_article
from service.feeds.registry import FeedRegistry, FeedState
from service.ingest.pipeline import Ingestor
from service.settings import FeedSettings

log = logging.getLogger("newsdesk.feeds")


@dataclass
class FeedPollResult:
    url: str
    outcome: Literal["ok", "not_modified", "failed"] = "ok"
    error: str | None = None
    entries: int = 0
    new_entries: int = 0
    pages_fetched: int = 0
    pages_deferred: int = 0  # over max_pages_per_poll: fetched in a later round
    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    entry_errors: list[str] = field(default_factory=list)  # pages that failed; tried again next round
    seconds: float = 0.0


@dataclass
class PollReport:
    feeds: list[FeedPollResult] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"seconds": round(self.seconds, 3), "feeds": [asdict(result) for result in self.feeds]}


class FeedPoller:
    def __init__(
        self, settings: FeedSettings, registry: FeedRegistry, fetcher: Fetcher, ingestor: Ingestor, store: ChromaStore
    ) -> None:
        self._settings = settings
        self.registry = registry
        self._fetcher = fetcher
        self._ingestor = ingestor
        self._store = store
        self._ingest_lock = threading.Lock()
        self._round_lock = threading.Lock()  # the background thread and a request never poll at once

    def poll(self, force: bool = False) -> PollReport:
        """One round: every feed that is due (every feed with force), in parallel across hosts."""
        with self._round_lock:
            started = time.monotonic()
            feeds = self.registry.all() if force else self.registry.due(time.time())
            with ThreadPoolExecutor(max_workers=self._settings.workers, thread_name_prefix="feed") as pool:
                results = list(pool.map(self.poll_feed, feeds))
            if feeds:
                self.registry.set_last_poll(time.time())
            return PollReport(results, time.monotonic() - started)

    def poll_feed(self, feed: FeedState) -> FeedPollResult:
        started = time.monotonic()
        result = FeedPollResult(feed.url)
        try:
            self._poll(feed, result)
        except (FetchFailed, NotAFeed) as exc:
            self._failed(feed, result, str(exc))
        except Exception as exc:  # one broken feed never stops the round
            log.exception("polling %s failed", feed.url)
            self._failed(feed, result, f"internal error: {type(exc).__name__}: {exc}")
        result.seconds = time.monotonic() - started
        return result

    def _failed(self, feed: FeedState, result: FeedPollResult, error: str) -> None:
        result.outcome, result.error = "failed", error
        log.warning("feed %s: %s", feed.url, error)
        self.registry.record_failure(feed.url, error, self._next_poll_after_failures)

    def _next_poll_after_failures(self, failures: int) -> float:
        interval = self._settings.poll_interval_minutes * 60
        return time.time() + min(interval * 2 ** (failures - 1), self._settings.max_backoff_minutes * 60)

    def _poll(self, feed: FeedState, result: FeedPollResult) -> None:
        next_poll = time.time() + self._settings.poll_interval_minutes * 60
        fetched = self._fetcher.get(feed.url, FEED_ACCEPT, feed.etag, feed.last_modified)
        if fetched.not_modified:
            result.outcome = "not_modified"
            self.registry.record_success(
                feed.url, etag=fetched.etag or feed.etag, last_modified=fetched.last_modified or feed.last_modified,
                title=None, seen={}, ingested=0, next_poll=next_poll,
            )
            return
        parsed = parse_feed(fetched.body, fetched.url, fetched.content_type)
        result.entries = len(parsed.entries)
        seen = self.registry.seen_entries(feed.url)
        result.new_entries = sum(entry.key not in seen for entry in parsed.entries)
        articles: dict[str, Article] = {}  # entry key -> its article
        already: dict[str, str] = {}  # entry key -> id of the article the index already holds
        for entry in parsed.entries:
            article = self._entry_article(feed, entry, seen.get(entry.key), result, already)
            if article is not None:
                articles[entry.key] = article
        with self._ingest_lock:
            report = self._ingestor.ingest_articles(list(articles.values()))
        stored = set(report.article_ids)
        result.ingested, result.updated = report.ingested, report.updated
        result.unchanged = report.unchanged + len(already)
        result.entry_errors += [f"{failure.path}: {failure.error}" for failure in report.failed]
        # Validators are kept only when every entry was dealt with: a 304 next time would otherwise
        # hide the entries whose page failed or was left for later until the feed changes.
        complete = not result.entry_errors and not result.pages_deferred
        self.registry.record_success(
            feed.url, etag=fetched.etag if complete else None,
            last_modified=fetched.last_modified if complete else None, title=parsed.title,
            seen=already | {key: article.id for key, article in articles.items() if article.id in stored},
            ingested=report.ingested + report.updated, next_poll=next_poll,
        )

    def _entry_article(
        self, feed: FeedState, entry: FeedEntry, first_seen: dt.date | None, result: FeedPollResult,
        already: dict[str, str],
    ) -> Article | None:
        """The entry's article: from the feed's own full text, else from its page (fetched once)."""
        if len(entry.text) >= self._settings.full_content_min_chars:
            # Always passed on: an unchanged article costs a hash comparison, a corrected one is updated.
            # An undated entry keeps the day it was first read, or its hash would change every day.
            published = entry.published or first_seen or dt.datetime.now(dt.UTC).date()
            article = web_article(
                title=entry.title or entry.text[:80], text=entry.text, url=entry.link, source=feed.source,
                published=published, authors=entry.authors,
            )
            if article is None:
                result.entry_errors.append(f"{entry.link or entry.key}: no title or no words in its text")
            return article
        if first_seen or not entry.link:
            return None
        # Already in the index under this URL (tracking parameters aside): no need to fetch it again.
        known_id = article_id_for(entry.link, "", "")
        if self._store.stored_hashes([known_id]):
            already[entry.key] = known_id
            return None
        if result.pages_fetched >= self._settings.max_pages_per_poll:
            result.pages_deferred += 1  # left unseen: the next round fetches it
            return None
        result.pages_fetched += 1
        try:
            return fetch_article(self._fetcher, entry.link, entry, feed.source)
        except PageFailed as exc:
            result.entry_errors.append(f"{entry.link}: {exc}")
            return None


class BackgroundPoller:
    """Polls the feeds that are due, checking every so often, until stopped.

    The poller (and with it the embedding model) is built only once a feed is due, so a server
    with no feeds loads nothing for them.
    """

    def __init__(
        self, any_due: Callable[[], bool], make_poller: Callable[[], FeedPoller], check_every_s: float
    ) -> None:
        # Callables, not objects: nothing is opened on disk until the thread runs, so a server whose
        # data dir cannot hold feed state still starts (and logs why polling fails).
        self._any_due = any_due
        self._make_poller = make_poller
        self._check_every_s = check_every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="feed-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the round in progress, if any, to finish."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._any_due():
                    report = self._make_poller().poll()
                    log.info("polled %d feeds in %.1f s", len(report.feeds), report.seconds)
            except Exception:  # the schedule outlives any one bad round
                log.exception("poll round failed")
            self._stop.wait(self._check_every_s)
