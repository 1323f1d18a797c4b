"""How current the index is: its newest article's date and when the feeds were last polled.

Shown by /healthz and the web page, so a user reading an answer about "this week" can tell whether
this week's news has been read yet.
"""

from __future__ import annotations

import datetime as dt
import threading

from service.components.store import ChromaStore
from service.domain import int_to_date
from service.feeds.registry import FeedRegistry


class Freshness:
    def __init__(self, store: ChromaStore, registry: FeedRegistry) -> None:
        self._store = store
        self._registry = registry
        self._lock = threading.Lock()
        self._cached: tuple[str, dt.date | None] | None = None  # (store change token, newest date)

    def newest_article(self) -> dt.date | None:
        """The latest publication date in the index; recomputed only after the index changes."""
        token = self._store.change_token()
        with self._lock:
            if self._cached and self._cached[0] == token:
                return self._cached[1]
        day = self._store.fts.newest_date() if self._store.fts else self._newest_in_chroma()
        newest = int_to_date(day) if day else None
        with self._lock:
            self._cached = (token, newest)
        return newest

    def _newest_in_chroma(self) -> int | None:
        """Without the keyword file: the newest "date" among the articles' metadata."""
        dates = (value for _, meta in self._store.article_metadatas() if isinstance(value := meta.get("date"), int))
        return max(dates, default=None)

    def as_dict(self) -> dict[str, object]:
        last_poll = self._registry.last_poll()
        newest = self.newest_article()
        return {
            "newest_article": newest.isoformat() if newest else None,
            "last_poll": last_poll.isoformat(timespec="seconds") if last_poll else None,
        }
