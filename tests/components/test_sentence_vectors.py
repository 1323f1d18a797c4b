"""Sentence vectors stored at ingest: the same vectors the embedder gives, embedded once, read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from service.answering import AskRequest
from service.components.embedder import Embedder
from service.components.sentence_vectors import SentenceVectors
from service.evidence import select_sentences
from service.sentence_ranking import SentenceRanker
from service.settings import Settings
from service.text import sentence_spans
from service.tokens import count_tokens
from service.wiring import Services
from tests.conftest import write_article


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self.embedded: list[str] = []

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return self._inner.embed_batch(texts)


SENTENCES = [
    "The Millbrook flood barrier was finished at a cost of 19.5 million pounds.",
    "River levels peaked at 4.2 metres on Tuesday.",
    "About 1,400 homes stayed dry, the council said.",
]


def test_vectors_match_the_embedder_and_are_embedded_once(tmp_path: Path, embedder: Embedder) -> None:
    counting = CountingEmbedder(embedder)
    stored = SentenceVectors(tmp_path / "vectors.sqlite3", counting)
    assert stored.store_missing([*SENTENCES, SENTENCES[0]]) == 3
    assert stored.store_missing(SENTENCES) == 0
    assert len(counting.embedded) == 3

    vectors = stored.vectors([SENTENCES[2], SENTENCES[0]])
    expected = np.asarray(embedder.embed_batch([SENTENCES[2], SENTENCES[0]]))
    assert vectors.shape == expected.shape
    assert np.abs(vectors - expected).max() < 2e-3  # float16 on disk
    assert len(counting.embedded) == 3

    # Another process (or a restart) reads the same file.
    assert SentenceVectors(tmp_path / "vectors.sqlite3", counting).count() == 3


def test_a_sentence_not_stored_is_embedded_when_asked_for_and_kept(tmp_path: Path, embedder: Embedder) -> None:
    counting = CountingEmbedder(embedder)
    stored = SentenceVectors(tmp_path / "vectors.sqlite3", counting)
    stored.vectors([SENTENCES[1], SENTENCES[1]])
    assert counting.embedded == [SENTENCES[1]]
    stored.vectors([SENTENCES[1]])
    assert counting.embedded == [SENTENCES[1]]


def test_another_embedder_never_reads_the_first_ones_vectors(tmp_path: Path, embedder: Embedder) -> None:
    SentenceVectors(tmp_path / "vectors.sqlite3", embedder).store_missing(SENTENCES)
    other = CountingEmbedder(embedder)
    other.name = "another-model"
    SentenceVectors(tmp_path / "vectors.sqlite3", other).vectors(SENTENCES)
    assert other.embedded == SENTENCES


def test_ingest_stores_every_sentence_so_evidence_embeds_only_the_question(
    tmp_path: Path, embedder: Embedder
) -> None:
    counting = CountingEmbedder(embedder)
    services = Services(Settings(data_dir=tmp_path / "data"), embedder=counting)
    paragraphs = [SENTENCES[1] + " " + SENTENCES[2], "Work began in 2024. " + SENTENCES[0]]
    path = write_article(tmp_path / "in", "barrier.txt", title="Millbrook barrier holds", paragraphs=paragraphs)
    services.ingestor.ingest_paths([path])
    chunks = services.store.get_chunks(services.store.list_articles()[0].id)
    sentences = [c.text[s:e] for c in chunks for s, e, _ in sentence_spans(c.text)]
    assert services.sentence_vectors is not None
    assert services.sentence_vectors.count() == len(set(sentences)) >= 4

    counting.embedded.clear()
    question = "What did the Millbrook flood barrier cost?"
    passages, _, _ = services.finder.retrieve(AskRequest(question=question))
    evidence = services.finder.evidence(question, passages)
    assert counting.embedded == [question]  # once, for the search and the sentence scores both
    assert any("19.5 million pounds" in p.chunk.text for p in evidence)


def test_stored_vectors_rank_sentences_as_embedding_them_does(tmp_path: Path, embedder: Embedder) -> None:
    from tests.test_sentence_ranking import passage

    passages = [passage(0, " ".join(SENTENCES[1:])), passage(1, "Work began in 2024. " + SENTENCES[0])]
    question = "What did the Millbrook flood barrier cost?"
    stored = SentenceVectors(tmp_path / "vectors.sqlite3", embedder)
    direct = SentenceRanker(embedder.embed_batch).score_sentences(question, passages, count_tokens)
    read_back = SentenceRanker(embedder.embed_batch, embed_sentences=stored.vectors).score_sentences(
        question, passages, count_tokens
    )
    assert [s.score for s in read_back] == pytest.approx([s.score for s in direct], abs=0.02)
    assert max(read_back, key=lambda s: s.score).passage == 1
    chosen = select_sentences(question, passages, 40, count_tokens, lambda *_: read_back)
    assert "19.5 million pounds" in chosen[0].chunk.text


def test_a_read_only_vector_file_leaves_ingest_working(tmp_path: Path, embedder: Embedder) -> None:
    services = Services(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    assert services.sentence_vectors is not None
    path = tmp_path / "data" / "sentence_vectors.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE sentence_vector")  # every later write fails
    report = services.ingestor.ingest_paths([write_article(tmp_path / "in", "a.txt")])
    assert report.ingested == 1 and not report.failed
