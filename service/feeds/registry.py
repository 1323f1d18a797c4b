"""The feeds to poll and what each poll left behind, in a small SQLite file in the data directory.

SQLite rather than a JSON file: `newsdesk feeds poll` from cron and `newsdesk serve` may update
the same file, and each change is one transaction, so neither loses the other's writes and a
crash mid-write leaves the last good state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, source TEXT, title TEXT NOT NULL DEFAULT '', added_at REAL NOT NULL,
    etag TEXT, last_modified TEXT, last_attempt REAL, last_success REAL, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, next_poll REAL NOT NULL DEFAULT 0,
    entries_seen INTEGER NOT NULL DEFAULT 0, articles_ingested INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS seen (
    feed_url TEXT NOT NULL, entry_key TEXT NOT NULL, article_id TEXT NOT NULL, seen_at REAL NOT NULL,
    PRIMARY KEY (feed_url, entry_key)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _time(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


def feed_id(url: str) -> str:
    """A short stable name for a feed, for URLs and commands (DELETE /v1/feeds/{id})."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


class FeedState(BaseModel):
    id: str
    url: str
    source: str | None = Field(None, description="Outlet name given to this feed's articles; None: each page's domain.")
    title: str = Field("", description="The feed's own title, from its last good fetch.")
    added_at: dt.datetime
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = Field(None, description="Last fetch that gave a feed or a 304.")
    last_error: str | None = Field(None, description="Why the last fetch failed; None once one succeeds.")
    consecutive_failures: int = 0
    next_poll: dt.datetime | None = Field(None, description="Not polled before this (interval, or backoff after errors).")
    entries_seen: int = Field(0, description="Distinct entries read from this feed so far.")
    articles_ingested: int = Field(0, description="Articles this feed added or updated in the index.")
    etag: str | None = None
    last_modified: str | None = None


class FeedRegistry:
    def __init__(self, path: Path) -> None:
        self._path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short connection per change: safe from any thread, and committed (or rolled back) at exit.
        db = sqlite3.connect(self._path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

    @staticmethod
    def _state(row: sqlite3.Row) -> FeedState:
        return FeedState(
            id=feed_id(row["url"]), url=row["url"], source=row["source"], title=row["title"], added_at=_time(row["added_at"]),
            last_attempt=_time(row["last_attempt"]), last_success=_time(row["last_success"]),
            last_error=row["last_error"], consecutive_failures=row["failures"],
            next_poll=_time(row["next_poll"] or None), entries_seen=row["entries_seen"],
            articles_ingested=row["articles_ingested"], etag=row["etag"], last_modified=row["last_modified"],
        )

    def add(self, url: str, source: str | None = None) -> tuple[FeedState, bool]:
        """The feed's state and whether it is new; adding a known feed again only updates its source."""
        with self._connect() as db:
            created = db.execute(
                "INSERT OR IGNORE INTO feeds (url, source, added_at) VALUES (?, ?, ?)", (url, source, time.time())
            ).rowcount == 1
            if not created and source is not None:
                db.execute("UPDATE feeds SET source = ? WHERE url = ?", (source, url))
        state = self.get(url)
        assert state is not None
        return state, created

    def remove(self, url: str) -> bool:
        """Forget the feed and its seen entries; its articles stay in the index."""
        with self._connect() as db:
            db.execute("DELETE FROM seen WHERE feed_url = ?", (url,))
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def get(self, url: str) -> FeedState | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        return self._state(row) if row else None

    def find(self, url_or_id: str) -> FeedState | None:
        """The feed with this URL or id."""
        return self.get(url_or_id) or next((f for f in self.all() if f.id == url_or_id), None)

    def all(self) -> list[FeedState]:
        with self._connect() as db:
            return [self._state(row) for row in db.execute("SELECT * FROM feeds ORDER BY added_at, url")]

    def due(self, now: float) -> list[FeedState]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM feeds WHERE next_poll <= ? ORDER BY next_poll, url", (now,))
            return [self._state(row) for row in rows]

    def seen_entries(self, url: str) -> dict[str, dt.date]:
        """Entry keys already read from this feed, each with the (UTC) day it was first read."""
        with self._connect() as db:
            rows = db.execute("SELECT entry_key, seen_at FROM seen WHERE feed_url = ?", (url,))
            return {key: dt.datetime.fromtimestamp(at, dt.UTC).date() for key, at in rows}

    def record_success(
        self, url: str, *, etag: str | None, last_modified: str | None, title: str | None,
        seen: dict[str, str], ingested: int, next_poll: float,
    ) -> None:
        """A good fetch: validators, newly seen entries (key -> article id) and counts, in one transaction."""
        now = time.time()
        with self._connect() as db:
            if db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone() is None:
                return  # removed while it was being polled: leave nothing behind
            new = 0
            for key, article_id in seen.items():
                new += db.execute(
                    "INSERT OR IGNORE INTO seen (feed_url, entry_key, article_id, seen_at) VALUES (?, ?, ?, ?)",
                    (url, key, article_id, now),
                ).rowcount
            db.execute(
                """UPDATE feeds SET etag = ?, last_modified = ?, title = COALESCE(?, title), last_attempt = ?,
                   last_success = ?, last_error = NULL, failures = 0, next_poll = ?,
                   entries_seen = entries_seen + ?, articles_ingested = articles_ingested + ? WHERE url = ?""",
                (etag, last_modified, title, now, now, next_poll, new, ingested, url),
            )

    def record_failure(self, url: str, error: str, next_poll_for: Callable[[int], float]) -> None:
        """A failed fetch keeps the last good validators and counts; next_poll_for(failures in a row) -> when."""
        now = time.time()
        with self._connect() as db:
            row = db.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                return  # removed while it was being polled
            failures = row[0] + 1
            db.execute(
                "UPDATE feeds SET last_attempt = ?, last_error = ?, failures = ?, next_poll = ? WHERE url = ?",
                (now, error[:500], failures, next_poll_for(failures), url),
            )

    def set_last_poll(self, when: float) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_poll', ?)", (repr(when),))

    def last_poll(self) -> dt.datetime | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'last_poll'").fetchone()
        return _time(float(row[0])) if row else None
