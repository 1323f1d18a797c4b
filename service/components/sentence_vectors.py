"""Sentence vectors kept on disk, so choosing evidence reads them instead of embedding at question time.

The learned evidence scorer needs each candidate sentence's cosine to the question. Embedding the
40-odd sentences of five passages costs about 400 ms on 2 cores, every question; ingest embeds each
chunk's sentences once instead (`store_missing`), and a question reads them back in about a
millisecond (`vectors`). A sentence not stored yet (an index older than this file) is embedded when
first asked for and stored then, so an old index fills itself as it is used.

Vectors are keyed by a hash of the embedder's name and the sentence's text: a sentence shared by two
versions of an article, or by wire copies of one story, is stored once, and changing the embedder
never reads a vector of the old one. Stored as float16: cosines move by about 1e-3, which the
scorer's trees do not notice, at half the disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from service.components.embedder import Embedder
from service.components.sqlite_file import SqliteFile

_LOOKUP_PAGE = 500  # SQLite's default limit on bound parameters is 999 (older builds)


class SentenceVectors:
    """Unit vectors of sentences, by text, from `path` or else from the embedder (then stored)."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self._file = SqliteFile(path)
        self._reader = self._file.reader
        self._write = self._file.write
        self._embedder = embedder
        with self._write() as db:
            db.execute("CREATE TABLE IF NOT EXISTS sentence_vector (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")

    def _key(self, sentence: str) -> bytes:
        return hashlib.blake2b(f"{self._embedder.name}\0{sentence}".encode(), digest_size=16).digest()

    def _stored(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        db = self._reader()
        for offset in range(0, len(keys), _LOOKUP_PAGE):
            page = list(keys[offset : offset + _LOOKUP_PAGE])
            rows = db.execute(f"SELECT key, vector FROM sentence_vector WHERE key IN ({','.join('?' * len(page))})", page)
            found.update(rows)
        return found

    def store_missing(self, sentences: Sequence[str]) -> int:
        """Embed and store the sentences not stored yet; returns how many were embedded."""
        unique = list(dict.fromkeys(sentences))
        keys = [self._key(s) for s in unique]
        stored = self._stored(keys)
        missing = [(key, sentence) for key, sentence in zip(keys, unique, strict=True) if key not in stored]
        if missing:
            self._embed_and_store(missing)
        return len(missing)

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit vector per sentence (rows in order), float32."""
        keys = [self._key(s) for s in sentences]
        stored = self._stored(keys)
        missing = list({key: sentence for key, sentence in zip(keys, sentences, strict=True) if key not in stored}.items())
        if missing:
            stored.update(self._embed_and_store(missing))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([np.frombuffer(stored[key], dtype=np.float16) for key in keys]).astype(np.float32)

    def _embed_and_store(self, missing: list[tuple[bytes, str]]) -> dict[bytes, bytes]:
        embedded = self._embedder.embed_batch([sentence for _, sentence in missing])
        blobs = {key: np.asarray(vector, dtype=np.float16).tobytes() for (key, _), vector in zip(missing, embedded, strict=True)}
        with self._write() as db:
            db.executemany("INSERT OR IGNORE INTO sentence_vector VALUES (?, ?)", blobs.items())
        return blobs

    def count(self) -> int:
        return int(self._reader().execute("SELECT count(*) FROM sentence_vector").fetchone()[0])
