"""Chroma-backed storage of chunks (with vectors) and whole articles.

Three collections: `<prefix>_chunks` (one record per chunk: vector and metadata; its text is cut
from the article's), `<prefix>_articles` (one per article: metadata holding the compressed full
text, and the mean of its chunk vectors) and `<prefix>_meta` (a change token other processes poll
to know their lexical index is stale). With the FTS5 lexical engine, the store also writes the
keyword index file (`fts_index.py`) in the same steps.

The keyword file's version table (article id -> content hash) is then what "stored" means for
searches and ingest (`stored_hashes`), so its place in the write order is what keeps a crash safe:
- it records a new version only after Chroma's article record, in the transaction that drops the
  old version's rows: a crash before it leaves the old version whole in the file, and the rerun,
  reading the old hash, writes the new one again (never "unchanged" while Chroma is behind);
- a deletion removes it first: a crash after it leaves Chroma's records, which no search reads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from service.components.chroma_client import open_chroma, open_collection
from service.components.chroma_records import (
    article_metadata,
    articles_of,
    articles_without_chunk_text,
    chunk_metadata,
    chunks_from,
    mean_vector,
)
from service.components.chroma_records import date_filter as date_filter  # imported from here by retrieval
from service.components.dense_windows import MAX_OVERFETCH, SCAN_MAX_CHUNKS, overfetch_depth, window_of
from service.components.fts_index import FtsIndex
from service.components.store_errors import WRITE_ERRORS, write_failure
from service.components.store_errors import StoreUnavailable as StoreUnavailable
from service.components.store_errors import StoreWriteFailed as StoreWriteFailed
from service.domain import Article, Chunk
from service.settings import Settings

_PAGE = 2000


@dataclass
class ArticleVersion:
    """One article to store with its chunks and their vectors."""

    article: Article
    chunks: list[Chunk]
    vectors: list[list[float]]


class ChromaStore:
    def __init__(self, settings: Settings) -> None:
        self._client = open_chroma(settings)
        prefix = settings.store.collection_prefix
        self._names = (f"{prefix}_chunks", f"{prefix}_articles", f"{prefix}_meta")
        self._sync_threshold = settings.store.hnsw_sync_threshold
        self._open_collections()
        try:
            self.fts = self._open_fts(settings) if settings.lexical.engine == "fts5" else None
        except (sqlite3.Error, OSError) as exc:
            if "readonly" in str(exc) or "unable to open" in str(exc) or isinstance(exc, PermissionError):
                raise StoreUnavailable(f"cannot open the keyword index: the data dir is not writable: {exc}") from exc
            raise StoreUnavailable(f"cannot open the keyword index: {exc}") from exc

    def _open_fts(self, settings: Settings) -> FtsIndex:
        """The keyword index file; a data dir indexed before it existed is backfilled here, once."""
        lexical = settings.lexical
        fts = FtsIndex(lexical.path or Path(settings.data_dir) / "lexical.sqlite3", lexical.max_scored)
        if fts.needs_backfill():
            if self.chunks.count():
                fts.backfill(self)
            else:
                fts.mark_backfilled()
        elif fts.needs_versions():
            fts.backfill_versions(self)
        return fts

    def _open_collections(self) -> None:
        chunks, articles, meta = self._names
        self.chunks = open_collection(self._client, chunks, self._sync_threshold)
        self.articles = open_collection(self._client, articles, self._sync_threshold)
        self.meta = open_collection(self._client, meta)

    # --- writes -------------------------------------------------------------------------

    def replace_articles(self, batch: Sequence[ArticleVersion], previously_stored: set[str]) -> None:
        """Add the new chunks, then the article records, then drop the old chunks.

        Chunk ids carry the content hash and `add` ignores ids it already has, so a run
        killed at any point and started again converges on the same index. Readers ignore
        chunks whose hash is not the article record's, so no answer mixes two versions.
        Writes are batched: per-article round trips cost more than the embedding saves.
        """
        try:
            self._replace_articles(batch, previously_stored)
        except WRITE_ERRORS as exc:
            raise write_failure(exc, f"{len(batch)} article(s)") from exc

    def _replace_articles(self, batch: Sequence[ArticleVersion], previously_stored: set[str]) -> None:
        chunks = [c for version in batch for c in version.chunks]
        vectors = [v for version in batch for v in version.vectors]
        for offset in range(0, len(chunks), _PAGE):
            part = chunks[offset : offset + _PAGE]
            self.chunks.add(  # no documents: see _chunks
                ids=[c.id for c in part],
                metadatas=[chunk_metadata(c) for c in part],  # type: ignore[misc]
                embeddings=vectors[offset : offset + _PAGE],  # type: ignore[arg-type]
            )
        if self.fts:
            # Before the article records, like the chunks: a crash leaves only unread extra rows.
            self.fts.add_chunks(chunks, vectors)
        self.articles.upsert(  # the text goes in the metadata: see chroma_records
            ids=[v.article.id for v in batch],
            embeddings=[mean_vector(v.vectors) for v in batch],  # type: ignore[arg-type]
            metadatas=[article_metadata(v.article, len(v.chunks)) for v in batch],  # type: ignore[misc]
        )
        for version in batch:
            if version.article.id in previously_stored:
                article = version.article
                stale: Any = {"$and": [{"article_id": article.id}, {"content_hash": {"$ne": article.content_hash}}]}
                self.chunks.delete(where=stale)
        if self.fts:  # after the record: see the module docstring
            self.fts.keep_versions({v.article.id: v.article.content_hash for v in batch})
        self.touch()

    def delete_article(self, article_id: str) -> bool:
        found = bool(self.articles.get(ids=[article_id], include=[])["ids"])
        try:
            # The records searches trust go first: chunks without a record are never read. With
            # the keyword file that is its version table, which `stored_hashes` serves.
            if self.fts:
                self.fts.drop_article(article_id)
            self.articles.delete(ids=[article_id])
            self.chunks.delete(where={"article_id": article_id})
            self.touch()
        except WRITE_ERRORS as exc:
            raise write_failure(exc, "a deletion") from exc
        return found

    def touch(self) -> None:
        self.meta.upsert(
            ids=["change"], embeddings=np.zeros((1, 1), dtype=np.float32), metadatas=[{"token": uuid.uuid4().hex}]
        )

    # --- reads --------------------------------------------------------------------------

    def change_token(self) -> str:
        records = self.meta.get(ids=["change"], include=["metadatas"])
        metadatas = records["metadatas"] or []
        return str(metadatas[0]["token"]) if metadatas else ""

    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Each stored article's current content hash; retrieval asks for every search's candidates."""
        if self.fts:  # 10+ ms through Chroma's metadata for 40 articles at 300k chunks; well under 1 ms here
            return self.fts.stored_hashes(article_ids)
        hashes: dict[str, str] = {}
        ids = list(article_ids)
        for offset in range(0, len(ids), _PAGE):
            records = self.articles.get(ids=ids[offset : offset + _PAGE], include=["metadatas"])
            for record_id, meta in zip(records["ids"], records["metadatas"] or [], strict=True):
                hashes[record_id] = str(meta["content_hash"])
        return hashes

    def article_hashes(self) -> dict[str, str]:
        """Every article's current content hash, read from Chroma (what the keyword file is filled from)."""
        return {article_id: str(meta["content_hash"]) for article_id, meta in self.article_metadatas()}

    def article_metadatas(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Every article's id and metadata (its compressed text included), a page at a time: one get()
        of them all fails past SQLite's variable limit (about 190k articles, a year of news)."""
        for offset in range(0, self.articles.count(), _PAGE):
            page = self.articles.get(offset=offset, limit=_PAGE, include=["metadatas"])
            yield from zip(page["ids"], page["metadatas"] or [], strict=True)

    def get_article(self, article_id: str) -> Article | None:
        found = articles_of(self.articles.get(ids=[article_id], include=["documents", "metadatas"]))
        return found[0] if found else None

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        records = self.articles.get(ids=list(article_ids), include=["documents", "metadatas"])
        found = {article.id: article for article in articles_of(records)}
        return [found[i] for i in article_ids if i in found]

    def list_articles(
        self,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        sources: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Newest first."""
        records = self.articles.get(
            where=date_filter(date_from, date_to, sources),
            include=["documents", "metadatas"],  # type: ignore[arg-type]
        )
        articles = articles_of(records)
        articles.sort(key=lambda a: (a.published, a.id), reverse=True)
        return articles[offset : None if limit is None else offset + limit]

    def article_vectors(self, article_ids: Sequence[str]) -> dict[str, list[float]]:
        records = self.articles.get(ids=list(article_ids), include=["embeddings"])
        return {i: list(v) for i, v in zip(records["ids"], records["embeddings"], strict=True)}  # type: ignore[arg-type]

    def query(
        self, vector: list[float], n: int, where: dict[str, Any] | None, strategy: str = "auto"
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity, within `where` (see dense_windows.py).

        strategy: "auto" picks by the window's size; "filtered" (Chroma's filtered query, the only
        way without the FTS5 file), "overfetch" and "scan" force one way, for the benchmark.
        """
        window = window_of(where)
        if self.fts is None or strategy == "filtered" or (where and window is None):
            return self._nearest(vector, n, where)
        if window is None:
            return self._records(self._nearest_ids(vector, n))
        share = self.fts.share_between(window.low, window.high, sorted(window.sources or []) or None)
        depth = MAX_OVERFETCH if strategy == "overfetch" else overfetch_depth(n, share)
        wide = share * self.fts.count_chunks() > SCAN_MAX_CHUNKS
        if depth is not None and (strategy == "overfetch" or (strategy == "auto" and wide)):
            nearest = self._nearest_ids(vector, depth)
            dated = self.fts.windows_of([chunk_id for chunk_id, _ in nearest])
            inside = [(i, score) for i, score in nearest if i in dated and window.holds(*dated[i])]
            if len(inside) >= n or len(nearest) < depth:  # enough, or the whole index was read
                return self._records(inside[:n])
        return self._records(self.fts.nearest_in_window(vector, n, window))

    def _nearest_ids(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """Ids and cosines only: reading Chroma's metadata back costs more than the search."""
        result = self.chunks.query(query_embeddings=[vector], n_results=n, include=["distances"])  # type: ignore[arg-type]
        distances = (result["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], distances, strict=True)]

    def _records(self, hits: list[tuple[str, float]]) -> list[tuple[Chunk, float]]:
        assert self.fts is not None
        found = self.fts.records([i for i, _ in hits]) if hits else {}
        missing = [i for i, _ in hits if i not in found]
        if missing:  # written by a process without the FTS5 file: read them from Chroma
            found.update(self._chunks(self.chunks.get(ids=missing, include=["documents", "metadatas"])))
        return [(found[i], score) for i, score in hits if i in found]

    def _chunks(self, records: Any) -> dict[str, Chunk]:
        """The chunks of a Chroma result read with documents and metadatas, by id. Chunks are stored without
        text (a slice of the article's, which its record holds): Chroma indexing every chunk's words again
        for its own full-text search was half of its add at a million chunks, and a third of its disk."""
        documents, metadatas = records["documents"] or [], records["metadatas"] or []
        wanted = articles_without_chunk_text(documents, metadatas)
        articles = {a.id: a for a in self.get_articles(sorted(wanted))} if wanted else {}
        return chunks_from(records["ids"], documents, metadatas, articles)

    def _nearest(self, vector: list[float], n: int, where: dict[str, Any] | None) -> list[tuple[Chunk, float]]:
        result = self.chunks.query(
            query_embeddings=[vector],  # type: ignore[arg-type]
            n_results=n,
            where=where,  # type: ignore[arg-type]
            include=["documents", "metadatas", "distances"],
        )
        ids, distances = result["ids"][0], (result["distances"] or [[]])[0]
        chunks = self._chunks({"ids": ids, "documents": (result["documents"] or [[]])[0],
                               "metadatas": (result["metadatas"] or [[]])[0]})
        return [(chunks[i], 1.0 - float(d)) for i, d in zip(ids, distances, strict=True) if i in chunks]

    def iter_chunk_vectors(self) -> Iterator[tuple[Chunk, list[float]]]:
        total = self.chunks.count()
        for offset in range(0, total, _PAGE):
            page = self.chunks.get(offset=offset, limit=_PAGE, include=["documents", "metadatas", "embeddings"])
            chunks = self._chunks(page)
            vectors: Any = page["embeddings"]
            for i, v in zip(page["ids"], vectors, strict=True):
                if i in chunks:
                    yield chunks[i], list(v)

    def iter_chunks(self) -> Iterator[Chunk]:
        total = self.chunks.count()
        for offset in range(0, total, _PAGE):
            yield from self._chunks(self.chunks.get(offset=offset, limit=_PAGE, include=["documents", "metadatas"])).values()

    def get_chunks(self, article_id: str) -> list[Chunk]:
        """The current version's chunks of one article, in order."""
        current = self.stored_hashes([article_id]).get(article_id)
        chunks = self._chunks(self.chunks.get(where={"article_id": article_id}, include=["documents", "metadatas"]))
        return sorted((c for c in chunks.values() if c.content_hash == current), key=lambda c: c.position)

    def chunk_ids(self, article_id: str | None = None) -> list[str]:
        where = {"article_id": article_id} if article_id else None
        return sorted(self.chunks.get(where=where, include=[])["ids"])  # type: ignore[arg-type]

    def count_chunks(self) -> int:
        return self.chunks.count()

    def count_articles(self) -> int:
        # Chroma's count() loads the collection's whole vector index (0.37 GB at 190k articles). Counting
        # the keyword file's table instead left that load to the first article read, and when that came
        # on a full disk Chroma hung (tests/ingest/test_storage_faults.py, 2 of 6 runs): kept here.
        return self.articles.count()
