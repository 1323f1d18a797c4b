"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by reciprocal rank."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from service.components.embedder import Embedder
from service.components.lexical import LexicalIndex
from service.components.store import ChromaStore, date_filter
from service.domain import Chunk, DateRange, Passage
from service.reranking import Reranker
from service.settings import RetrievalSettings
from service.stories import group_stories
from service.timewords import names_a_story


@dataclass(frozen=True)
class SearchQuery:
    text: str
    k: int
    date_range: DateRange
    sources: Sequence[str] | None = None
    as_of: dt.date | None = None


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], rrf_k: int) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking):
            scores[key] = scores.get(key, 0.0) + 1.0 / (rrf_k + rank + 1)
    return scores


@dataclass
class Rankings:
    """Each retriever's scores by chunk id, in rank order (dicts keep insertion order)."""

    dense: dict[str, float]
    lexical: dict[str, float]

    def dense_rank(self, key: str) -> int | None:
        return _rank(self.dense, key)

    def lexical_rank(self, key: str) -> int | None:
        return _rank(self.lexical, key)


def _rank(scores: dict[str, float], key: str) -> int | None:
    return list(scores).index(key) + 1 if key in scores else None


class Retriever:
    def __init__(
        self,
        store: ChromaStore,
        lexical: LexicalIndex,
        embedder: Embedder,
        settings: RetrievalSettings,
        reranker: Reranker | None = None,
    ) -> None:
        self._store = store
        self._lexical = lexical
        self._embedder = embedder
        self._settings = settings
        self._reranker = reranker
        # Keyword search needs no question vector: it runs while the question is embedded (both
        # leave Python for most of their time, so on two cores they overlap).
        self._keyword_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="keyword-search")

    def search(self, query: SearchQuery) -> list[Passage]:
        window = query.date_range
        if window.newest_first and query.as_of and not window.end:
            # The latest as of a past day (an evaluation's as_of) is what had been published by then.
            window = window.model_copy(update={"end": query.as_of})
        soft = bool(window.soft and window.start and not self._settings.strict_vague_windows)
        windows = [DateRange(), window] if soft else [window]
        n = max(self._settings.candidates, query.k, self._settings.rerank_depth)
        keyword_jobs = [self._keyword_pool.submit(self._lexical.search, query.text, n, w, query.sources) for w in windows]
        vector = self._embedder.embed_batch([query.text])[0]
        lexical = [job.result() for job in keyword_jobs]
        if soft:
            # A soft window: everything competes, and what lies inside the window counts more.
            everything, chunks, ranks = self._fused(query, vector, DateRange(), lexical[0])
            inside, inside_chunks, _ = self._fused(query, vector, window, lexical[1], ranks)
            chunks.update(inside_chunks)
            extra = self._settings.soft_window_boost - 1.0
            fused = {key: everything.get(key, 0.0) + extra * inside.get(key, 0.0) for key in everything | inside}
        else:
            fused, chunks, ranks = self._fused(query, vector, window, lexical[0])
        half_life = self._settings.latest_half_life_days if window.newest_first else self._settings.recency_half_life_days
        if half_life > 0 and query.as_of and (window.newest_first or not window.start):
            fused = {
                key: score * self._recency_weight(chunks[key].published, query.as_of, half_life)
                for key, score in fused.items()
            }
        current = self._current_versions(chunks.values())
        ranked = sorted(
            (key for key in fused if current.get(chunks[key].article_id) == chunks[key].content_hash),
            key=lambda key: -fused[key],
        )
        depth = max(query.k, self._settings.rerank_depth) if self._reranker else query.k
        passages = [
            Passage(
                chunk=chunks[key],
                score=fused[key],
                dense_rank=ranks.dense_rank(key),
                lexical_rank=ranks.lexical_rank(key),
                dense_score=ranks.dense.get(key),
                lexical_score=ranks.lexical.get(key),
            )
            for key in ranked[:depth]
        ]
        if self._reranker:
            passages = self._reranker.rerank(query.text, query.as_of, window, passages)
        share = self._settings.latest_relative_similarity
        about_a_story = names_a_story(query.text)
        if window.newest_first and share and passages and about_a_story:
            # Today's stories about something else are new, not the latest on this one.
            closest = max(p.dense_score or 0.0 for p in passages)
            passages = [p for p in passages if (p.dense_score or 0.0) >= share * closest]
        if passages and not about_a_story:
            passages = self._one_article_per_story(passages)
        return passages[: query.k]

    def _one_article_per_story(self, passages: list[Passage]) -> list[Passage]:
        """Asked for news in general ("What happened yesterday?"), each story once: the lead of its
        best-ranked article. A wire story two outlets ran had filled two of the answer's three
        sentences."""
        article_ids = list(dict.fromkeys(p.chunk.article_id for p in passages))
        articles = self._store.get_articles(article_ids)
        clusters, _ = group_stories(articles, self._store.article_vectors([a.id for a in articles]))
        story_of = {articles[i].id: n for n, cluster in enumerate(clusters) for i in cluster}
        shown: dict[int | str, str] = {}
        kept: list[Passage] = []
        for passage in passages:
            article_id = passage.chunk.article_id
            if shown.setdefault(story_of.get(article_id, article_id), article_id) == article_id \
                    and all(p.chunk.article_id != article_id for p in kept):
                kept.append(self._lead_of(passage))
        return kept

    def _lead_of(self, passage: Passage) -> Passage:
        """The passage's article from its first chunk: what a vague question ("What happened
        yesterday?") matched in an article is chance, while its lead tells the story."""
        chunks = self._store.get_chunks(passage.chunk.article_id)
        return passage.model_copy(update={"chunk": chunks[0]}) if chunks else passage

    def _fused(
        self,
        query: SearchQuery,
        vector: list[float],
        window: DateRange,
        lexical: list[tuple[Chunk, float]],
        into: Rankings | None = None,
    ) -> tuple[dict[str, float], dict[str, Chunk], Rankings]:
        """Dense candidates within a window and the window's keyword candidates, fused by reciprocal rank."""
        n = max(self._settings.candidates, query.k, self._settings.rerank_depth)
        dense = self._store.query(vector, n, date_filter(window.start, window.end, query.sources))
        chunks: dict[str, Chunk] = {}
        for chunk, _ in [*dense, *lexical]:
            chunks.setdefault(chunk.id, chunk)
        rankings = into or Rankings({c.id: s for c, s in dense}, {c.id: s for c, s in lexical})
        if into:  # a window's own search adds the scores of candidates the open search missed
            for chunk, score in dense:
                into.dense.setdefault(chunk.id, score)
            for chunk, score in lexical:
                into.lexical.setdefault(chunk.id, score)
        fused = reciprocal_rank_fusion([[c.id for c, _ in dense], [c.id for c, _ in lexical]], self._settings.rrf_k)
        return fused, chunks, rankings

    def _current_versions(self, chunks: Iterable[Chunk]) -> dict[str, str]:
        """Chunks of a half-replaced article are dropped: only the recorded version counts."""
        article_ids = sorted({c.article_id for c in chunks})
        return self._store.stored_hashes(article_ids) if article_ids else {}

    def _recency_weight(self, published: dt.date, as_of: dt.date, half_life_days: float) -> float:
        age = max((as_of - published).days, 0)
        return math.pow(0.5, age / half_life_days)
