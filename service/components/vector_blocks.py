"""Each day's chunk vectors kept together as float32 blocks, so a date window is a few reads.

Scanning a window chunk by chunk cost about 9 µs a row at 303k chunks (one 768-byte row at a time
from pages that inserts of random dates scatter, then float16 to float32 in numpy): 51 ms for a
week, about 170 ms for a week at a million chunks, past the 80 ms a hybrid search may take. A block
holds up to BLOCK_ROWS chunks of one day as one float32 matrix and its rowids, so a week is a
handful of rows read and one matrix product per block, with no conversion.

Kept exact and in step with `chunk_vector` by the keyword file's own writes, in the same SQLite
transaction (`fts_index.py`): a chunk is in exactly one block, of its own day. Rowids grow within a
day (the sequence in the rowid only increases), so a new chunk goes into the day's last block and a
chunk's block is the one with the greatest first rowid not above its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from itertools import groupby

import numpy as np

from service.components.chunk_rowids import day_of, rowid_range

# An insert rewrites the day's last block: 256 rows of 384 floats is at most 393 KB per day a batch
# touches, while a week at a million chunks (19k rows) is still under a hundred reads.
BLOCK_ROWS = 256
SCHEMA = "CREATE TABLE IF NOT EXISTS vector_block (first_rowid INTEGER PRIMARY KEY, rowids BLOB, vectors BLOB)"
_BACKFILL_PAGE = 20_000


def _block(rowids: np.ndarray, vectors: np.ndarray) -> tuple[bytes, bytes]:
    return rowids.astype(np.int64).tobytes(), np.ascontiguousarray(vectors, dtype=np.float32).tobytes()


def _arrays(rowids: bytes, vectors: bytes) -> tuple[np.ndarray, np.ndarray]:
    ids = np.frombuffer(rowids, dtype=np.int64)
    return ids, np.frombuffer(vectors, dtype=np.float32).reshape(len(ids), -1)


def append(db: sqlite3.Connection, rows: Sequence[tuple[int, bytes]]) -> None:
    """Add (rowid, float16 vector) rows, each newer than every row of its day already in a block."""
    for day, group in groupby(sorted(rows), key=lambda row: day_of(row[0])):
        new = list(group)
        ids = np.array([rowid for rowid, _ in new], dtype=np.int64)
        vectors = np.frombuffer(b"".join(blob for _, blob in new), dtype=np.float16).reshape(len(new), -1)
        last = db.execute(
            "SELECT first_rowid, rowids, vectors FROM vector_block WHERE first_rowid BETWEEN ? AND ?"
            " ORDER BY first_rowid DESC LIMIT 1", rowid_range(day, day),
        ).fetchone()
        if last is not None and len(last[1]) // 8 < BLOCK_ROWS:
            old_ids, old_vectors = _arrays(last[1], last[2])
            ids = np.concatenate([old_ids, ids])
            vectors = np.concatenate([old_vectors, vectors.astype(np.float32)])
            db.execute("DELETE FROM vector_block WHERE first_rowid = ?", (last[0],))
        for start in range(0, len(ids), BLOCK_ROWS):
            part = slice(start, start + BLOCK_ROWS)
            db.execute("INSERT INTO vector_block VALUES (?, ?, ?)", (int(ids[start]), *_block(ids[part], vectors[part])))


def remove(db: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Take rows out of their blocks; a block left empty goes."""
    blocks: dict[int, set[int]] = {}
    for rowid in rowids:
        found = db.execute(
            "SELECT first_rowid FROM vector_block WHERE first_rowid <= ? ORDER BY first_rowid DESC LIMIT 1", (rowid,)
        ).fetchone()
        if found is not None:
            blocks.setdefault(found[0], set()).add(rowid)
    for first, gone in blocks.items():
        stored_ids, vectors = db.execute(
            "SELECT rowids, vectors FROM vector_block WHERE first_rowid = ?", (first,)
        ).fetchone()
        ids, matrix = _arrays(stored_ids, vectors)
        keep = ~np.isin(ids, np.fromiter(gone, dtype=np.int64))
        if keep.all():
            continue
        if keep.any():
            db.execute("UPDATE vector_block SET rowids = ?, vectors = ? WHERE first_rowid = ?",
                       (*_block(ids[keep], matrix[keep]), first))
        else:
            db.execute("DELETE FROM vector_block WHERE first_rowid = ?", (first,))


def backfill(db: sqlite3.Connection) -> None:
    """Blocks for every stored vector, for a keyword file written before blocks existed."""
    after = -1
    while page := db.execute(
        "SELECT rowid, vector FROM chunk_vector WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, _BACKFILL_PAGE)
    ).fetchall():
        append(db, page)
        after = page[-1][0]


def scores_in(db: sqlite3.Connection, low: int, high: int, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rowids, cosines) of every chunk whose rowid lies in low..high, whole days only."""
    ids, scores = [], []
    for stored_ids, vectors in db.execute(
        "SELECT rowids, vectors FROM vector_block WHERE first_rowid BETWEEN ? AND ?", (low, high)
    ):
        block_ids, matrix = _arrays(stored_ids, vectors)
        ids.append(block_ids)
        scores.append(matrix @ query)
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(scores)
