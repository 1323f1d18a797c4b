"""Date-bounded dense search without Chroma's metadata filter.

Chroma's filtered query lists every chunk matching the `where` from its metadata tables first:
219 ms for a 7-day window at 100k chunks, and here even a 1-day window at 20k chunks took a second,
against milliseconds for the unfiltered query. Reading records' metadata back is slow too (1,000
results with metadata: 480 ms; with distances only: 75 ms). So the FTS5 file beside the store
(`fts_index.py`) also keeps each chunk's vector, at a rowid that starts with its date:
- a window holding few chunks is scanned whole, exactly: its days' float32 blocks of vectors
  (`vector_blocks.py`), one rowid range, one matrix product per block;
- a window holding a large share of the index takes the unfiltered nearest chunks (ids and
  distances only), over-fetched by the share, and keeps those inside, dated from the file;
- whatever the over-fetch leaves short falls back to the exact scan.
Chunk records come from the file too; Chroma answers only "which ids are nearest".
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from service.components import vector_blocks
from service.components.chunk_rowids import rowid_range

# Over-fetch this many times the results the window's share predicts, so a query whose nearest
# chunks lie a little less often in the window still gets all n from the first search.
OVERFETCH_MARGIN = 2.0
# Past 1,000 ids an unfiltered query costs more than it saves (about 32-40 ms at 303k chunks). The
# day blocks scan about 1.3 µs a row (7 days, 5.7k rows: 9.4 ms; 30 days, 25k rows: 32 ms, even with
# the over-fetch at 303k), so a window up to 25,000 chunks is scanned, exactly.
MAX_OVERFETCH = 1000
SCAN_MAX_CHUNKS = 25_000
@dataclass(frozen=True)
class Window:
    """The date bounds (YYYYMMDD) and outlets a `where` from `store.date_filter` asks for."""

    low: int
    high: int
    sources: frozenset[str] | None

    def holds(self, day: int, source: str) -> bool:
        return self.low <= day <= self.high and (self.sources is None or source in self.sources)


def window_of(where: dict[str, Any] | None) -> Window | None:
    """The inverse of `store.date_filter`; None for any other shape (it then goes to Chroma as is)."""
    if not where:
        return None
    clauses: Sequence[Any] = where.get("$and", [where]) if len(where) == 1 else []
    low, high, sources = 0, 99_999_999, None
    for clause in clauses:
        if not isinstance(clause, dict) or len(clause) != 1:
            return None
        ((field, condition),) = clause.items()
        if field == "date" and isinstance(condition, dict) and set(condition) <= {"$gte", "$lte"}:
            low = max(low, int(condition.get("$gte", low)))
            high = min(high, int(condition.get("$lte", high)))
        elif field == "source" and isinstance(condition, dict) and set(condition) == {"$in"}:
            sources = frozenset(condition["$in"])
        else:
            return None
    return Window(low, high, sources) if clauses else None


def overfetch_depth(n: int, share: float | None) -> int | None:
    """How many unfiltered nearest chunks to read for n inside a window holding `share` of the index;
    None when that would pass MAX_OVERFETCH."""
    if share is None or share <= 0:
        return None
    depth = math.ceil(n / share * OVERFETCH_MARGIN)
    return depth if depth <= MAX_OVERFETCH else None


def vector_blob(vector: Sequence[float]) -> bytes:
    # float16 halves the file; cosines move by about 1e-3, far below the gaps that order results.
    array = np.asarray(vector, dtype=np.float32)
    return (array / max(float(np.linalg.norm(array)), 1e-12)).astype(np.float16).tobytes()


def _source_clause(sources: Sequence[str] | None) -> tuple[str, list[str]]:
    if not sources:
        return "", []
    return f" AND source IN ({','.join('?' * len(sources))})", list(sources)


def count_in_window(db: sqlite3.Connection, low: int, high: int, sources: Sequence[str] | None) -> int:
    clause, args = _source_clause(sources)
    sql = f"SELECT count(*) FROM chunk WHERE date BETWEEN ? AND ?{clause}"
    return int(db.execute(sql, [low, high, *args]).fetchone()[0])


def nearest_in_window(
    db: sqlite3.Connection, vector: Sequence[float], n: int, window: Window
) -> list[tuple[str, float]]:
    """(chunk id, cosine) of the n nearest chunks in the window, every one of them compared."""
    query = np.asarray(vector, dtype=np.float32)
    query = query / max(float(np.linalg.norm(query)), 1e-12)
    clause, args = _source_clause(sorted(window.sources) if window.sources is not None else None)
    if clause:  # the (source, date) index finds the outlets' rows; their days' blocks would hold 40x more
        rows = db.execute(
            "SELECT chunk_vector.rowid, chunk_vector.vector FROM chunk JOIN chunk_vector USING (rowid)"
            f" WHERE chunk.date BETWEEN ? AND ?{clause}", [window.low, window.high, *args],
        ).fetchall()
        if not rows:
            return []
        matrix = np.frombuffer(b"".join(blob for _, blob in rows), dtype=np.float16).reshape(len(rows), -1)
        rowids, scores = np.array([rowid for rowid, _ in rows], dtype=np.int64), matrix.astype(np.float32) @ query
    else:
        rowids, scores = vector_blocks.scores_in(db, *rowid_range(window.low, window.high), query)
    top = np.argsort(-scores, kind="stable")[:n]
    if not len(top):
        return []
    wanted = [int(rowids[i]) for i in top]
    ids = dict(db.execute(f"SELECT rowid, chunk_id FROM chunk WHERE rowid IN ({','.join('?' * len(wanted))})", wanted))
    return [(ids[rowid], float(scores[i])) for rowid, i in zip(wanted, top, strict=True) if rowid in ids]


def dated_sources(db: sqlite3.Connection, chunk_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    rows = db.execute(
        f"SELECT chunk_id, date, source FROM chunk WHERE chunk_id IN ({','.join('?' * len(chunk_ids))})",
        list(chunk_ids),
    )
    return {chunk_id: (int(day), str(source)) for chunk_id, day, source in rows}
