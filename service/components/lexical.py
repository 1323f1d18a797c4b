"""Keyword (BM25) search over all chunks: the interface retrieval uses, and its two engines.

Dense retrieval misses exact names and numbers; BM25 catches them. The default engine is the
FTS5 file the store writes as it writes (`fts_index.py`). The older engine here, bm25s, lives in
memory and is rebuilt from the whole store in the first search after the store's change token
moves: kept to compare rankings against, and for setups with no shared disk between processes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import NamedTuple, Protocol

import numpy as np

from service.components.store import ChromaStore
from service.domain import Chunk, DateRange, date_to_int
from service.text import search_terms


class _Snapshot(NamedTuple):
    model: object | None
    vocab: dict[str, int]
    chunks: list[Chunk]
    dates: np.ndarray
    sources: np.ndarray


class LexicalIndex(Protocol):
    def search(
        self, query: str, n: int, date_range: DateRange, sources: Sequence[str] | None
    ) -> list[tuple[Chunk, float]]:
        """The n best chunks for the query's terms within the window and outlets, best first."""
        ...


def make_lexical_index(store: ChromaStore) -> LexicalIndex:
    """The store's FTS5 file when it keeps one (the engine setting decides), else bm25s."""
    if store.fts is not None:
        return store.fts
    return Bm25sIndex(store)


class Bm25sIndex:
    def __init__(self, store: ChromaStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._token: str | None = None
        self._snapshot = _Snapshot(None, {}, [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))

    def refresh(self) -> None:
        token = self._store.change_token()
        if token == self._token:
            return
        with self._lock:
            if token == self._token:
                return
            self._build(token)

    def _build(self, token: str) -> None:
        import bm25s

        chunks = list(self._store.iter_chunks())
        corpus = [search_terms(f"{c.title} {c.text}") or ["_empty_"] for c in chunks]
        model = bm25s.BM25()
        if corpus:
            model.index(corpus, show_progress=False)
        # One assignment swaps the whole snapshot: a concurrent search sees old or new, never a mix.
        self._snapshot = _Snapshot(
            model if corpus else None,
            dict(model.vocab_dict) if corpus else {},
            chunks,
            np.array([date_to_int(c.published) for c in chunks], dtype=np.int64),
            np.array([c.source for c in chunks], dtype=object),
        )
        self._token = token

    def search(
        self, query: str, n: int, date_range: DateRange, sources: Sequence[str] | None
    ) -> list[tuple[Chunk, float]]:
        self.refresh()
        snap = self._snapshot
        model, chunks = snap.model, snap.chunks
        terms = [t for t in search_terms(query) if t in snap.vocab]
        if model is None or not terms:
            return []
        scores = np.asarray(model.get_scores(terms), dtype=np.float64)  # type: ignore[attr-defined]
        mask = np.ones(len(chunks), dtype=bool)
        if date_range.start:
            mask &= snap.dates >= date_to_int(date_range.start)
        if date_range.end:
            mask &= snap.dates <= date_to_int(date_range.end)
        if sources:
            mask &= np.isin(snap.sources, list(sources))
        scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:n]
        return [(chunks[i], float(scores[i])) for i in top if scores[i] > 0]
