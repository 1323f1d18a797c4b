"""Builds the service's parts from settings, each once and only when first needed.

The API and the CLI both hold one `Services`; tests build their own with test settings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from service.answering import Answerer, Finder
from service.components.embedder import Embedder, RecentQueries, make_embedder
from service.components.lexical import LexicalIndex, make_lexical_index
from service.components.llm import ChatModel, make_chat_model
from service.components.sentence_vectors import SentenceVectors
from service.components.store import ChromaStore
from service.digest import DigestBuilder
from service.evidence import SentenceScorer
from service.feeds.fetching import Fetcher
from service.feeds.freshness import Freshness
from service.feeds.polling import FeedPoller
from service.feeds.registry import FeedRegistry
from service.ingest.pipeline import Ingestor
from service.reranking import Reranker
from service.retrieval import Retriever
from service.sentence_ranking import SentenceRanker
from service.settings import Settings
from service.summarizing import Summarizer

T = TypeVar("T")


class Services:
    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        chat_model: ChatModel | None = None,
    ) -> None:
        self.settings = settings
        # Loading a model twice on two request threads would double memory: each part is built
        # under its own lock, so a part that loads for seconds (the model, at start-up) holds up
        # only the requests that need it, never /healthz.
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        # Tests and benchmarks pass already-loaded models to share them between instances.
        self._built: dict[str, Any] = {"embedder": embedder, "chat_model": chat_model}
        self._built = {k: v for k, v in self._built.items() if v is not None}

    def _once(self, name: str, factory: Callable[[], T]) -> T:
        if name in self._built:
            return self._built[name]  # type: ignore[no-any-return]
        with self._locks_lock:
            lock = self._locks.setdefault(name, threading.Lock())
        # Parts build the parts they use inside their factory: the order is always the same, no cycle.
        with lock:
            if name not in self._built:
                self._built[name] = factory()
            return self._built[name]  # type: ignore[no-any-return]

    @property
    def store(self) -> ChromaStore:
        return self._once("store", lambda: ChromaStore(self.settings))

    @property
    def embedder(self) -> Embedder:
        return self._once("embedder", lambda: make_embedder(self.settings.embedding))

    @property
    def query_embedder(self) -> Embedder:
        """The embedder for questions: search and evidence scoring share one embedding of each."""
        return self._once("query_embedder", lambda: RecentQueries(self.embedder))

    @property
    def lexical(self) -> LexicalIndex:
        return self._once("lexical", lambda: make_lexical_index(self.store))

    @property
    def reranker(self) -> Reranker | None:
        return self._once("reranker", lambda: Reranker() if self.settings.retrieval.rerank else None)

    @property
    def retriever(self) -> Retriever:
        return self._once(
            "retriever",
            lambda: Retriever(self.store, self.lexical, self.query_embedder, self.settings.retrieval, self.reranker),
        )

    @property
    def ingestor(self) -> Ingestor:
        return self._once(
            "ingestor", lambda: Ingestor(self.settings, self.store, self.embedder, self.sentence_vectors)
        )

    @property
    def finder(self) -> Finder:
        return self._once("finder", lambda: Finder(self.settings, self.retriever, self.sentence_scorer))

    @property
    def sentence_scorer(self) -> SentenceScorer | None:
        if not self._learned_evidence():
            return None
        return self._once("sentence_scorer", self._sentence_ranker)

    def _learned_evidence(self) -> bool:
        retrieval = self.settings.retrieval
        return retrieval.evidence == "sentences" and retrieval.evidence_scorer == "learned"

    def _sentence_ranker(self) -> SentenceScorer:
        stored = self.sentence_vectors
        return SentenceRanker(
            self.query_embedder.embed_batch, embed_sentences=stored.vectors if stored else None
        ).score_sentences

    @property
    def sentence_vectors(self) -> SentenceVectors | None:
        """Sentence vectors stored at ingest, when the learned evidence scorer will read them."""
        if not (self._learned_evidence() and self.settings.retrieval.sentence_vectors):
            return None
        return self._once(
            "sentence_vectors",
            lambda: SentenceVectors(self.settings.data_dir / "sentence_vectors.sqlite3", self.embedder),
        )

    @property
    def answerer(self) -> Answerer:
        return self._once("answerer", lambda: Answerer(self.settings, self.finder, self.chat_model))

    @property
    def summarizer(self) -> Summarizer:
        return self._once("summarizer", lambda: Summarizer(self.settings, self.chat_model, self.retriever, self.store))

    @property
    def digests(self) -> DigestBuilder:
        return self._once("digests", lambda: DigestBuilder(self.settings, self.store, self.summarizer, self.sentence_scorer))

    @property
    def chat_model(self) -> ChatModel:
        return self._once("chat_model", lambda: make_chat_model(self.settings))

    @property
    def fetcher(self) -> Fetcher:
        return self._once("fetcher", lambda: Fetcher(self.settings.feeds))

    @property
    def feed_registry(self) -> FeedRegistry:
        return self._once("feed_registry", lambda: FeedRegistry(self.settings.data_dir / "feeds.sqlite3"))

    @property
    def feed_poller(self) -> FeedPoller:
        return self._once(
            "feed_poller",
            lambda: FeedPoller(self.settings.feeds, self.feed_registry, self.fetcher, self.ingestor, self.store),
        )

    @property
    def freshness(self) -> Freshness:
        return self._once("freshness", lambda: Freshness(self.store, self.feed_registry))
