"""BM25 over every chunk in one SQLite FTS5 file beside the store, written in the same step as it.

The bm25s index it replaces was rebuilt from scratch inside the first request after any write
(17 s at 100k chunks, every chunk's text in memory, one copy per process). This file is written
incrementally by `ChromaStore` as it writes (in the order its docstring gives), read by any number
of processes (SQLite WAL: a committed write is visible to the next search in every process), and
never rebuilt except once, from the store, when it does not exist yet.

Beside the terms it keeps what makes searches fast at scale: each chunk's record and vector at a
date-ordered rowid (`dense_windows.py`), each day's vectors as float32 blocks (`vector_blocks.py`)
and each article's current version (`stored_hashes`). A file from before the blocks or the version
table gets them once, when opened. Every process writing one file must run code that keeps them:
an older one's writes would be missing from both.

Terms are `service.text.search_terms`, the same as the bm25s index used, stored space-separated;
the FTS5 tokenizer keeps apostrophes, hyphens and underscores inside a token, so FTS5 sees exactly
those terms ("co-op", "harborview's"). Every query term is quoted: no question is FTS5 syntax.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from service.components import vector_blocks
from service.components.chunk_rowids import chunk_rowid, rowid_range
from service.components.dense_windows import (
    Window,
    count_in_window,
    dated_sources,
    nearest_in_window,
    vector_blob,
)
from service.components.fts_ranking import Bm25Stats, DocFrequencies, top_chunks
from service.components.sqlite_file import SqliteFile
from service.domain import Chunk, DateRange, date_to_int
from service.text import search_terms

_BACKFILL_PAGE = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS chunk (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    date INTEGER NOT NULL,
    source TEXT NOT NULL,
    n_terms INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunk_article ON chunk (article_id);
CREATE INDEX IF NOT EXISTS chunk_date ON chunk (date);
CREATE INDEX IF NOT EXISTS chunk_source ON chunk (source, date);
CREATE TABLE IF NOT EXISTS chunk_vector (rowid INTEGER PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS article (article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5 (
    terms, tokenize = "unicode61 tokenchars '''’-_'"
);
"""


class ChunkSource(Protocol):
    """What a backfill reads: the store's chunks with vectors, and each article's current version."""

    def iter_chunk_vectors(self) -> Iterator[tuple[Chunk, list[float]]]: ...

    def article_hashes(self) -> dict[str, str]: ...


def chunk_terms(chunk: Chunk) -> list[str]:
    """The one rule for what a chunk is found by: its title and text, as search terms."""
    return search_terms(f"{chunk.title} {chunk.text}")


def date_rowids(date_range: DateRange) -> tuple[int, int]:
    low = rowid_range(date_to_int(date_range.start), 0)[0] if date_range.start else 0
    high = rowid_range(0, date_to_int(date_range.end))[1] if date_range.end else (1 << 62)
    return low, high


def _attach_vocabulary(db: sqlite3.Connection) -> None:
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, chunk_terms, row)")


class FtsIndex:
    """The lexical index in `path`; `search` keeps the interface retrieval.py uses."""

    def __init__(self, path: Path, max_scored: int = 5_000) -> None:
        self.created = not Path(path).exists()
        self._file = SqliteFile(path, _attach_vocabulary)
        self._reader = self._file.reader
        self._write = self._file.write
        self._max_scored = max_scored
        self._doc_freqs = DocFrequencies()
        with self._write() as db:
            for statement in [*_SCHEMA.split(";"), vector_blocks.SCHEMA]:
                db.execute(statement)
            if not self._meta(db, "blocks"):  # a file from before the blocks: built once, from its vectors
                vector_blocks.backfill(db)
                self._bump(db, "blocks", 1)

    # --- writes (called by ChromaStore, in its write order) -----------------------------

    def add_chunks(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Index chunks not yet indexed; a chunk id names its content, so a re-run adds nothing."""
        with self._write() as db:
            self._insert(db, zip(chunks, vectors, strict=True))

    def keep_versions(self, current: dict[str, str]) -> None:
        """Record each article's current content hash and drop its chunks of any other."""
        with self._write() as db:
            self._record_versions(db, current.items())
            for article_id, content_hash in current.items():
                self._delete(db, "article_id = ? AND content_hash != ?", (article_id, content_hash))

    def drop_article(self, article_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM article WHERE article_id = ?", (article_id,))
            self._delete(db, "article_id = ?", (article_id,))

    def backfill(self, source: ChunkSource) -> int:
        """Index the store's current chunks once, for a data dir older than this file."""
        with self._write() as db:
            if self._meta(db, "backfilled"):
                return 0  # another process did it while this one waited for the lock
            current = source.article_hashes()
            self._record_versions(db, current.items())
            added = 0
            page: list[tuple[Chunk, list[float]]] = []
            for item in itertools.chain(source.iter_chunk_vectors(), [None]):
                if item is not None:
                    page.append(item)
                if page and (item is None or len(page) >= _BACKFILL_PAGE):
                    added += self._insert(db, ((c, v) for c, v in page if current.get(c.article_id) == c.content_hash))
                    page = []
            self._bump(db, "backfilled", 1)
            self._bump(db, "articles", 1)
            return added

    def backfill_versions(self, source: ChunkSource) -> None:
        """Record every article's current version once, for a file from before the article table."""
        with self._write() as db:
            if not self._meta(db, "articles"):
                self._record_versions(db, source.article_hashes().items())
                self._bump(db, "articles", 1)

    def mark_backfilled(self) -> None:
        with self._write() as db:
            for key in ("backfilled", "articles"):
                if not self._meta(db, key):
                    self._bump(db, key, 1)

    def needs_backfill(self) -> bool:
        return not self._meta(self._reader(), "backfilled")

    def needs_versions(self) -> bool:
        return not self._meta(self._reader(), "articles")

    @staticmethod
    def _record_versions(db: sqlite3.Connection, versions: Iterable[tuple[str, str]]) -> None:
        db.executemany(
            "INSERT INTO article VALUES (?, ?) ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash",
            versions,
        )

    def _insert(self, db: sqlite3.Connection, chunks: Iterable[tuple[Chunk, Sequence[float]]]) -> int:
        sequence = self._meta(db, "sequence")
        added = tokens = 0
        blocks: list[tuple[int, bytes]] = []
        for chunk, vector in chunks:
            rowid = chunk_rowid(date_to_int(chunk.published), sequence)
            terms = chunk_terms(chunk)
            inserted = db.execute(
                "INSERT OR IGNORE INTO chunk VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (rowid, chunk.id, chunk.article_id, chunk.content_hash, date_to_int(chunk.published),
                 chunk.source, len(terms), chunk.model_dump_json()),
            ).rowcount
            if inserted:
                db.execute("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", (rowid, " ".join(terms)))
                blob = vector_blob(vector)
                db.execute("INSERT INTO chunk_vector VALUES (?, ?)", (rowid, blob))
                blocks.append((rowid, blob))
                sequence += 1
                added += 1
                tokens += len(terms)
        vector_blocks.append(db, blocks)
        self._bump(db, "sequence", sequence - self._meta(db, "sequence"))
        self._bump(db, "chunks", added)
        self._bump(db, "tokens", tokens)
        return added

    def _delete(self, db: sqlite3.Connection, where: str, args: tuple[str, ...]) -> None:
        rows = db.execute(f"SELECT rowid, n_terms FROM chunk WHERE {where}", args).fetchall()
        for rowid, _ in rows:
            db.execute("DELETE FROM chunk_terms WHERE rowid = ?", (rowid,))
            db.execute("DELETE FROM chunk_vector WHERE rowid = ?", (rowid,))
            db.execute("DELETE FROM chunk WHERE rowid = ?", (rowid,))
        vector_blocks.remove(db, [rowid for rowid, _ in rows])
        self._bump(db, "chunks", -len(rows))
        self._bump(db, "tokens", -sum(n for _, n in rows))

    @staticmethod
    def _meta(db: sqlite3.Connection, key: str) -> int:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _bump(db: sqlite3.Connection, key: str, delta: int) -> None:
        db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
            (key, delta),
        )

    # --- reads --------------------------------------------------------------------------

    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The content hash of each article's current version, as the store recorded it."""
        db, ids, hashes = self._reader(), list(article_ids), dict[str, str]()
        for offset in range(0, len(ids), _BACKFILL_PAGE):
            page = ids[offset : offset + _BACKFILL_PAGE]
            sql = f"SELECT article_id, content_hash FROM article WHERE article_id IN ({','.join('?' * len(page))})"
            hashes.update(db.execute(sql, page))
        return hashes

    def count_chunks(self) -> int:
        return self._meta(self._reader(), "chunks")

    def newest_date(self) -> int | None:
        """The latest publication day (YYYYMMDD) of any chunk, off the date index."""
        return self._reader().execute("SELECT max(date) FROM chunk").fetchone()[0]

    def share_between(self, low: int, high: int, sources: Sequence[str] | None = None) -> float:
        """The share of indexed chunks dated low..high (YYYYMMDD) and from sources, read off an index."""
        db = self._reader()
        return count_in_window(db, low, high, sources) / max(self._meta(db, "chunks"), 1)

    def nearest_in_window(self, vector: Sequence[float], n: int, window: Window) -> list[tuple[str, float]]:
        return nearest_in_window(self._reader(), vector, n, window)

    def windows_of(self, chunk_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """(date, source) of each indexed chunk id."""
        return dated_sources(self._reader(), chunk_ids)

    def records(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        rows = self._reader().execute(
            f"SELECT chunk_id, record FROM chunk WHERE chunk_id IN ({','.join('?' * len(chunk_ids))})", list(chunk_ids)
        )
        return {chunk_id: Chunk.model_validate_json(record) for chunk_id, record in rows}

    def search(
        self, query: str, n: int, date_range: DateRange, sources: Sequence[str] | None
    ) -> list[tuple[Chunk, float]]:
        db = self._reader()
        stats = Bm25Stats(self._meta(db, "chunks"), self._meta(db, "tokens"))
        terms = list(dict.fromkeys(search_terms(query)))
        if not terms or not stats.chunks:
            return []
        share = 1.0
        if date_range.start or date_range.end:
            low, high = date_range.start or dt.date.min, date_range.end or dt.date.max
            share = self.share_between(date_to_int(low), date_to_int(high))
        hits = top_chunks(db, terms, n, share, date_rowids(date_range), sources, stats, self._max_scored, self._doc_freqs)
        if not hits:
            return []
        rowids = [rowid for rowid, _ in hits]
        records = dict(
            db.execute(f"SELECT rowid, record FROM chunk WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)
        )
        return [(Chunk.model_validate_json(records[rowid]), score) for rowid, score in hits if rowid in records]
