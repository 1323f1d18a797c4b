"""One SQLite file shared by threads and processes: the keyword index and the sentence vectors use it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Another process writing (or backfilling) holds the write lock; wait rather than fail a request.
BUSY_TIMEOUT_S = 120.0


class SqliteFile:
    """WAL mode, one connection per reading thread, one writer at a time.

    WAL with synchronous=NORMAL survives a killed process; only a power cut may lose the last
    commits, which each user of the file tolerates (the store's version check hides a missing
    chunk until the next ingest; a missing sentence vector is embedded again).
    """

    def __init__(self, path: Path, on_read_connection: Callable[[sqlite3.Connection], None] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._on_read_connection = on_read_connection
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def reader(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
            if self._on_read_connection:
                self._on_read_connection(db)
        return db

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: the write lock is taken first, so two writers queue, never deadlock."""
        with self._write_lock:
            db = self._writer = self._writer or self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
