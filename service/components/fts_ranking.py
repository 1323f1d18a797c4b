"""Top chunks by BM25 inside the FTS5 file, with a bounded amount of scoring work per query.

FTS5's bm25() scores every row that matches any query term, at about 2.5 microseconds a row
here: a question's common words ("city", "major", "us") match a third of a million-chunk index,
and one search took half a second. Here only the rarest terms, up to `max_scored` expected
matches, select and score candidates in SQL; the common terms' share of each candidate's score is
then added in Python from its stored terms, with the same formula and statistics. A chunk that
matches none of the rare terms can be missed, and only such a chunk: it has none of the words that
weigh most in the score. Small indexes and narrow date windows stay under the bound: exact.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

# FTS5's bm25() constants (fixed in SQLite): the Python share must use the same ones.
K1, B = 1.2, 0.75
# Candidates the rare terms pass on for rescoring when common terms were left out of the SQL query.
_MIN_CANDIDATES = 100
_CANDIDATES_PER_RESULT = 4
# Counting a common term reads its whole doclist (milliseconds at a million chunks), and its count
# moves slowly: cached for a minute. A rare term is counted afresh every time, so a name that a
# write has just added is never dropped as absent.
_DF_TTL_S = 60.0
_DF_CACHED_FROM = 1000


@dataclass(frozen=True)
class Bm25Stats:
    chunks: int
    tokens: int

    @property
    def average_length(self) -> float:
        return self.tokens / max(self.chunks, 1)

    def idf(self, df: int) -> float:
        # FTS5's idf: a term in more than half the rows would go negative; it clamps to almost nothing.
        return max(math.log((self.chunks - df + 0.5) / (df + 0.5)), 1e-6)


class DocFrequencies:
    """Rows per term from fts5vocab; common terms' counts cached."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, float]] = {}

    def get(self, db: sqlite3.Connection, terms: Sequence[str]) -> dict[str, int]:
        now = time.monotonic()
        found = {}
        for term in terms:
            cached = self._cache.get(term)
            if cached is None or now - cached[1] > _DF_TTL_S:
                row = db.execute("SELECT doc FROM temp.vocab WHERE term = ?", (term,)).fetchone()
                cached = (int(row[0]) if row else 0, now)
                if cached[0] >= _DF_CACHED_FROM:
                    self._cache[term] = cached
            found[term] = cached[0]
        return found


def fts_query(terms: Sequence[str]) -> str:
    """Each term a quoted FTS5 string, OR-ed: a question can never be read as FTS5 syntax."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def top_chunks(
    db: sqlite3.Connection,
    terms: Sequence[str],
    n: int,
    share: float,
    rowids: tuple[int, int],
    sources: Sequence[str] | None,
    stats: Bm25Stats,
    max_scored: int,
    doc_freqs: DocFrequencies,
) -> list[tuple[int, float]]:
    """(rowid, score) of the n best chunks, best first; scores are positive BM25.

    share: the part of the index inside the date window (rowids), which scales each term's matches.
    """
    df = doc_freqs.get(db, terms)
    terms = [t for t in terms if df[t] > 0]
    if not terms:
        return []
    scored: list[str] = []
    expected = 0.0
    for term in sorted(terms, key=lambda t: df[t]):
        if scored and expected + df[term] * share > max_scored:
            break
        scored.append(term)
        expected += df[term] * share
    rest = [t for t in terms if t not in scored]
    depth = max(n * _CANDIDATES_PER_RESULT, _MIN_CANDIDATES) if rest else n
    hits = _bm25(db, scored, depth, rowids, sources)
    if rest and hits:
        hits = _add_share_of(rest, hits, db, df, stats)
    return hits[:n]


def _bm25(
    db: sqlite3.Connection, terms: Sequence[str], n: int, rowids: tuple[int, int], sources: Sequence[str] | None
) -> list[tuple[int, float]]:
    sql = "SELECT chunk_terms.rowid, -bm25(chunk_terms) FROM chunk_terms"
    where = "chunk_terms MATCH ? AND chunk_terms.rowid BETWEEN ? AND ?"
    args: list[object] = [fts_query(terms), *rowids]
    if sources:
        sql += " JOIN chunk ON chunk.rowid = chunk_terms.rowid"
        where += f" AND chunk.source IN ({','.join('?' * len(sources))})"
        args += list(sources)
    rows = db.execute(f"{sql} WHERE {where} ORDER BY bm25(chunk_terms) LIMIT ?", [*args, n]).fetchall()
    return [(int(rowid), float(score)) for rowid, score in rows]


def _add_share_of(
    rest: Sequence[str], hits: list[tuple[int, float]], db: sqlite3.Connection, df: dict[str, int], stats: Bm25Stats
) -> list[tuple[int, float]]:
    """Each candidate's score plus what the terms left out of the SQL query add to it."""
    rowids = [rowid for rowid, _ in hits]
    texts = dict(
        db.execute(f"SELECT rowid, terms FROM chunk_terms WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)
    )
    idf = {t: stats.idf(df[t]) for t in rest}
    rescored = []
    for rowid, score in hits:
        # Terms are stored space-separated; with every space doubled, counting " term " is the
        # term frequency (single spaces would be shared by adjacent repeats and undercount).
        text = str(texts.get(rowid, ""))
        norm = K1 * (1 - B + B * (text.count(" ") + 1) / stats.average_length)
        padded = f" {text.replace(' ', '  ')} "
        extra = 0.0
        for term in rest:
            count = padded.count(f" {term} ")
            if count:
                extra += idf[term] * count * (K1 + 1) / (count + norm)
        rescored.append((rowid, score + extra))
    return sorted(rescored, key=lambda hit: -hit[1])
