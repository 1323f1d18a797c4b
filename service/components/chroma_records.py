"""How articles and chunks become Chroma records and back: the store's one place for field names.

Chroma metadata holds only str, int, float and bool, never None: dates are YYYYMMDD integers
(`domain.date_to_int`), an absent URL is "", authors are a JSON list.

An article's text is kept in its metadata, compressed (`TEXT_KEY`), not as the record's document:
Chroma puts every document in a trigram full-text index and a B-tree, which Newsdesk never reads
(it has its own keyword file), and which made an article's write cost three times what it does
now. Records written before keep their document, which is read when the key is absent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from service.domain import Article, Chunk, date_to_int, int_to_date


def date_filter(
    date_from: dt.date | None, date_to: dt.date | None, sources: Sequence[str] | None
) -> dict[str, Any] | None:
    """The one place that turns a date range and outlets into a Chroma `where`."""
    clauses: list[dict[str, Any]] = []
    if date_from:
        clauses.append({"date": {"$gte": date_to_int(date_from)}})
    if date_to:
        clauses.append({"date": {"$lte": date_to_int(date_to)}})
    if sources:
        clauses.append({"source": {"$in": list(sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def mean_vector(vectors: list[list[float]]) -> list[float]:
    mean = np.mean(np.asarray(vectors, dtype=np.float32), axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).tolist()  # type: ignore[no-any-return]


TEXT_KEY = "text_z"


def packed_text(text: str) -> str:
    return base64.b85encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def unpacked_text(packed: str) -> str:
    return zlib.decompress(base64.b85decode(packed)).decode("utf-8")


def article_metadata(article: Article, n_chunks: int) -> dict[str, Any]:
    return {
        TEXT_KEY: packed_text(article.text),
        "title": article.title,
        "date": date_to_int(article.published),
        "source": article.source,
        "url": article.url or "",
        "authors": json.dumps(article.authors),
        "content_hash": article.content_hash,
        "n_chunks": n_chunks,
    }


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "article_id": chunk.article_id,
        "position": chunk.position,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
        "date": date_to_int(chunk.published),
        "source": chunk.source,
        "url": chunk.url or "",
        "content_hash": chunk.content_hash,
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        position=meta["position"],
        start=meta["start"],
        end=meta["end"],
        text=text,
        title=meta["title"],
        published=int_to_date(meta["date"]),
        source=meta["source"],
        url=meta["url"] or None,
        content_hash=meta["content_hash"],
    )


def article_from_record(article_id: str, document: str | None, meta: dict[str, Any]) -> Article:
    return Article(
        id=article_id,
        title=meta["title"],
        text=unpacked_text(meta[TEXT_KEY]) if TEXT_KEY in meta else document or "",
        published=int_to_date(meta["date"]),
        url=meta["url"] or None,
        source=meta["source"],
        authors=json.loads(meta["authors"]),
        content_hash=meta["content_hash"],
    )


def articles_without_chunk_text(documents: Sequence[str | None], metadatas: Sequence[Any]) -> set[str]:
    """The articles whose text the chunks stored without their own must be cut from."""
    return {str(m["article_id"]) for d, m in zip(documents, metadatas, strict=True) if d is None}


def chunks_from(
    ids: Sequence[str], documents: Sequence[str | None], metadatas: Sequence[Any], articles: Mapping[str, Article]
) -> dict[str, Chunk]:
    """Chunks by id. A chunk stored without text is cut from its article's current text (`start:end`); one of
    another version than the article record's is left out, as every reader leaves it out. Chunks stored with
    their text (before chunk texts left Chroma) keep it."""
    chunks: dict[str, Chunk] = {}
    for chunk_id, text, meta in zip(ids, documents, metadatas, strict=True):
        if text is None:
            article = articles.get(meta["article_id"])
            if article is None or article.content_hash != meta["content_hash"]:
                continue
            text = article.text[meta["start"] : meta["end"]]
        chunks[chunk_id] = chunk_from_record(chunk_id, text, dict(meta))
    return chunks


def articles_of(records: Any) -> list[Article]:
    """The articles of a Chroma `get` result read with metadatas (and documents, for records written
    before the text moved into the metadata)."""
    documents = records.get("documents") or [None] * len(records["ids"])
    return [
        article_from_record(i, d, dict(m))
        for i, d, m in zip(records["ids"], documents, records["metadatas"] or [], strict=True)
    ]
