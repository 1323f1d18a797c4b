"""Articles -> chunks -> vectors -> store, skipping what is already stored unchanged."""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.chunking import article_chunks, embedding_text
from service.components.embedder import Embedder
from service.components.sentence_vectors import SentenceVectors
from service.components.store import ArticleVersion, ChromaStore, StoreWriteFailed
from service.domain import Article, Chunk
from service.ingest.parse import (
    JSON_SUFFIXES,
    NATIVE_SUFFIXES,
    ParseFailure,
    discover_files,
    parse_bytes,
    parse_file,
    suffix_of,
)
from service.settings import Settings
from service.text import sentence_spans

log = logging.getLogger("newsdesk.ingest")

# Articles are embedded in groups so that batches stay full across short articles.
_EMBED_GROUP_CHUNKS = 256
# Writes of this process, one at a time (embedding stays parallel): three requests storing
# versions of one URL at once each saw it absent, so all three were "ingested" and the stale
# chunks of two stayed in the index. Processes sharing a Chroma server are not covered.
_STORE_WRITES = threading.Lock()

ProgressCallback = Callable[[int, int], None]


@dataclass
class IngestReport:
    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks_added: int = 0
    failed: list[ParseFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    store_error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "ingested": self.ingested,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "chunks_added": self.chunks_added,
            "failed": [{"path": f.path, "line": f.line, "error": f.error} for f in self.failed],
            "store_error": self.store_error,
        }


@dataclass(frozen=True)
class FileUpload:
    """A file received whole rather than read from disk; its name picks the format and names failures."""

    name: str
    raw: bytes = b""
    error: str | None = None  # the upload could not be turned into bytes (bad encoding of the body)


@dataclass
class FileReport:
    name: str
    report: IngestReport

    @property
    def ok(self) -> bool:
        return not self.report.failed


class BatchTooLarge(ValueError):
    def __init__(self, articles: int, limit: int) -> None:
        super().__init__(f"{articles} articles is over the limit of {limit}")
        self.articles, self.limit = articles, limit


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        store: ChromaStore,
        embedder: Embedder,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._embedder = embedder
        self._sentence_vectors = sentence_vectors

    def ingest_paths(self, paths: list[Path], progress: ProgressCallback | None = None) -> IngestReport:
        report = IngestReport()
        articles: list[Article] = []
        files = list(discover_files(paths))
        if not files:
            report.failed.append(ParseFailure(", ".join(map(str, paths)), None, "no article files found"))
        for path in files:
            for item in parse_file(path, self._settings.ingest.max_file_bytes):
                if isinstance(item, ParseFailure):
                    report.failed.append(item)
                else:
                    articles.append(item)
        return self.ingest_articles(articles, report, progress)

    def ingest_files(self, files: Sequence[FileUpload], max_articles: int | None = None) -> list[FileReport]:
        """Parse every file, then ingest each on its own, so one bad file never blocks the others.

        Nothing is stored when the files hold more than max_articles articles together. Once the disk
        refuses a write, later files are not tried: each is reported as not stored.
        """
        parsed = [self._parse_upload(file) for file in files]
        total = sum(len(articles) for articles, _ in parsed)
        if max_articles is not None and total > max_articles:
            raise BatchTooLarge(total, max_articles)
        results: list[FileReport] = []
        store_error: str | None = None
        for file, (articles, failures) in zip(files, parsed, strict=True):
            if store_error:
                failures = [*failures, ParseFailure(file.name, None, f"not stored: {store_error}")]
                articles = []
            report = self.ingest_articles(articles, IngestReport(failed=failures))
            store_error = store_error or report.store_error
            results.append(FileReport(file.name, report))
        return results

    def _parse_upload(self, file: FileUpload) -> tuple[list[Article], list[ParseFailure]]:
        suffix = suffix_of(file.name)
        # A named file on disk is read whatever its suffix; an upload has no folder scan to filter it.
        if suffix not in NATIVE_SUFFIXES | JSON_SUFFIXES:
            return [], [ParseFailure(file.name, None, f"unsupported file type {suffix!r}: use .txt, .md, .json or .jsonl")]
        if file.error:
            return [], [ParseFailure(file.name, None, file.error)]
        articles: list[Article] = []
        failures: list[ParseFailure] = []
        for item in parse_bytes(file.name, file.raw, self._settings.ingest.max_file_bytes):
            if isinstance(item, ParseFailure):
                failures.append(item)
            else:
                articles.append(item)
        return articles, failures

    def ingest_articles(
        self,
        articles: Iterable[Article],
        report: IngestReport | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        report = report or IngestReport()
        limit = self._settings.ingest.max_article_chars
        # Two versions of one article in one batch: the last one read wins.
        latest: dict[str, Article] = {}
        for article in articles:
            if len(article.text) > limit:
                report.failed.append(
                    ParseFailure(article.url or article.id, None, f"article text over {limit} characters")
                )
                continue
            latest.pop(article.id, None)
            latest[article.id] = article
        stored = self._store.stored_hashes(list(latest))
        pending: list[tuple[Article, list[Chunk]]] = []
        done = 0
        for article in latest.values():
            if stored.get(article.id) == article.content_hash:
                report.article_ids.append(article.id)
                report.unchanged += 1
                done += 1
                continue
            pending.append((article, self._chunk(article)))
            if sum(len(chunks) for _, chunks in pending) >= _EMBED_GROUP_CHUNKS:
                done += self._write(pending, report)
                pending = []
                if progress:
                    progress(done, len(latest))
        done += self._write(pending, report)
        if progress:
            progress(done, len(latest))
        return report

    def _chunk(self, article: Article) -> list[Chunk]:
        return article_chunks(article, self._settings.chunking)

    def _write(self, pending: list[tuple[Article, list[Chunk]]], report: IngestReport) -> int:
        """Store one group; counts move only once the store has taken it."""
        if not pending:
            return 0
        if report.store_error:
            # The disk refused an earlier group; this one would fail the same way.
            self._fail_group(pending, report, report.store_error)
            return len(pending)
        texts = [embedding_text(chunk) for _, chunks in pending for chunk in chunks]
        vectors = self._embedder.embed_batch(texts)
        batch = []
        offset = 0
        for article, chunks in pending:
            article_vectors = vectors[offset : offset + len(chunks)]
            offset += len(chunks)
            if not chunks or not all(math.isfinite(x) for vector in article_vectors for x in vector):
                # One article the embedder cannot read fails alone; a NaN reaching the store failed the
                # whole group, and was reported as a full disk.
                report.failed.append(ParseFailure(article.url or article.id, None, "not stored: no text to embed"))
                continue
            batch.append(ArticleVersion(article, chunks, article_vectors))
        with _STORE_WRITES:
            # Read again under the lock: another request may have stored a version since the first
            # read, and its chunks are deleted as stale only if this write knows the article is there.
            current = self._store.stored_hashes([version.article.id for version in batch])
            unchanged = [v for v in batch if current.get(v.article.id) == v.article.content_hash]
            batch = [v for v in batch if current.get(v.article.id) != v.article.content_hash]
            try:
                if batch:
                    self._store.replace_articles(batch, set(current))
            except StoreWriteFailed as exc:
                report.store_error = str(exc)
                self._fail_group([(v.article, v.chunks) for v in batch], report, report.store_error)
                return len(pending)
        self._store_sentence_vectors(batch)
        for version in unchanged:
            report.article_ids.append(version.article.id)
            report.unchanged += 1
        for version in batch:
            report.article_ids.append(version.article.id)
            report.chunks_added += len(version.chunks)
            if version.article.id in current:
                report.updated += 1
            else:
                report.ingested += 1
        return len(pending)

    def _store_sentence_vectors(self, stored: list[ArticleVersion]) -> None:
        """Embed the new chunks' sentences now, so questions about them need not (sentence_vectors.py).

        The articles are stored already: a failure here only leaves the vectors to be embedded when
        first asked for.
        """
        if self._sentence_vectors is None or not stored:
            return
        sentences = [
            chunk.text[start:end] for version in stored for chunk in version.chunks
            for start, end, _ in sentence_spans(chunk.text)
        ]
        try:
            self._sentence_vectors.store_missing(sentences)
        except sqlite3.Error as exc:
            log.warning("sentence vectors not stored (they are embedded when first needed): %s", exc)

    @staticmethod
    def _fail_group(pending: list[tuple[Article, list[Chunk]]], report: IngestReport, reason: str) -> None:
        for article, _ in pending:
            report.failed.append(ParseFailure(article.url or article.id, None, f"not stored: {reason}"))
