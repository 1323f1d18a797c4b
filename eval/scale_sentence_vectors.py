"""The sentence-vector file at scale, for `bench_search_scale.py`.

Ingest stores the vectors of each new chunk's sentences (`service/components/sentence_vectors.py`),
so adding articles writes that file too, and embeds the sentences. The bench's recombined corpus
repeats the same few thousand paragraphs, whose sentences the file would store once; a year of real
news repeats few. So each sentence a chunk has is written here as a new one: the file's real class
and keys (a hash of the text), random unit vectors. The dev index holds 122,324 sentence vectors for
19,246 chunks, so an index is brought to 6.4 a chunk before it is timed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from service.components.sentence_vectors import SentenceVectors
from service.text import sentence_spans

SENTENCES_PER_CHUNK = 122_324 / 19_246
_FILL_BATCH = 40_000


class RandomVectors:
    """The embedder's stand-in: what the file costs, not what the vectors mean; its own time is kept apart."""

    name = "bench-random-vectors"
    dimensions = 384

    def __init__(self) -> None:
        self.rng = np.random.default_rng(0)
        self.seconds = 0.0

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        vectors = self.rng.standard_normal((len(texts), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        self.seconds += time.perf_counter() - started
        return list(vectors)  # type: ignore[arg-type]


class SentenceFile:
    """The data dir's sentence-vector file, written as ingest writes it."""

    def __init__(self, path: Path) -> None:
        self.embedder = RandomVectors()
        self.vectors = SentenceVectors(path, self.embedder)
        self.rows = self.vectors.count()  # a full count reads the whole file: once, then kept here
        self._next = itertools.count(self.rows)

    def add(self, sentences: int) -> float:
        """Store this many new sentences' vectors; the seconds the file took (the stand-in's left out)."""
        texts = [f"Sentence {n} of a year of news, as long as a real one is on average." for n, _ in
                 zip(self._next, range(sentences), strict=False)]
        embedding_before, started = self.embedder.seconds, time.perf_counter()
        self.rows += self.vectors.store_missing(texts)
        return time.perf_counter() - started - (self.embedder.seconds - embedding_before)

    def fill_to(self, chunks: int) -> float:
        """Bring an index grown without this file up to SENTENCES_PER_CHUNK a chunk; the seconds it took."""
        started = time.perf_counter()
        while (missing := int(chunks * SENTENCES_PER_CHUNK) - self.rows) > 0:
            self.add(min(missing, _FILL_BATCH))
        return time.perf_counter() - started


def sentences_in(chunk_texts: list[str]) -> int:
    return sum(len(sentence_spans(text)) for text in chunk_texts)


def sentence_embedding_rate(embed: Callable[[list[str]], list[list[float]]], chunk_texts: list[str]) -> float:
    """Sentences embedded per second, timed on the sentences of these chunks."""
    sentences = [text[start:end] for text in chunk_texts for start, end, _ in sentence_spans(text)][:512]
    embed(sentences[:8])
    started = time.perf_counter()
    embed(sentences)
    return len(sentences) / (time.perf_counter() - started)
