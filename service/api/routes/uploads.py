"""POST /v1/articles/files: whole article files (native .txt/.md, .json, .jsonl) with a result per file.

The web page sends dropped files here. Each file is parsed exactly as `newsdesk ingest` parses a file
on disk (same formats, limits and messages), then ingested on its own, so one bad file never blocks
the others and every failure names its file, line and reason.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from service.api.deps import ServicesDep
from service.api.metrics import Metrics, MetricsDep
from service.api.schemas import FailureOut
from service.api.security import require_write
from service.domain import Article
from service.ingest.parse import JSON_SUFFIXES, NATIVE_SUFFIXES, ParseFailure, parse_file
from service.ingest.pipeline import IngestReport
from service.wiring import Services

router = APIRouter(prefix="/v1/articles", tags=["articles"])


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=255, description="The file's name; its suffix picks the format.")
    content: str | None = Field(None, description="The file as text.")
    content_base64: str | None = Field(None, description="Or the file's bytes, base64-encoded.")


class FilesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: list[FileIn] = Field(min_length=1, description="Files in the native format, .json or .jsonl.")


class FileResult(BaseModel):
    name: str
    ok: bool = Field(description="True when nothing in the file failed.")
    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks_added: int = 0
    failed: list[FailureOut] = Field(default_factory=list, description="What failed, with line and reason.")
    article_ids: list[str] = Field(default_factory=list)


class FilesOut(BaseModel):
    files: list[FileResult]


class FilesRefusedOut(FilesOut):
    detail: str = Field(description="The disk refused writes; files after the failing one were not tried.")


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _raw_bytes(file: FileIn) -> bytes:
    if (file.content is None) == (file.content_base64 is None):
        raise ValueError("give exactly one of content or content_base64")
    if file.content is not None:
        return file.content.encode("utf-8")
    try:
        return base64.b64decode(file.content_base64 or "", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("content_base64 is not valid base64") from None


def parse_upload(file: FileIn, folder: Path, max_bytes: int) -> tuple[list[Article], list[ParseFailure]]:
    """The file's articles and failures, every failure under the file's own name."""
    suffix = _suffix(file.name)
    if suffix not in NATIVE_SUFFIXES | JSON_SUFFIXES:
        return [], [ParseFailure(file.name, None, f"unsupported file type {suffix!r}: use .txt, .md, .json or .jsonl")]
    try:
        raw = _raw_bytes(file)
    except ValueError as exc:
        return [], [ParseFailure(file.name, None, str(exc))]
    if len(raw) > max_bytes:
        return [], [ParseFailure(file.name, None, f"file is {len(raw)} bytes, over the {max_bytes} limit")]
    # A fixed local name: the client's name is only echoed back, never used as a path.
    path = folder / f"upload{suffix}"
    try:
        path.write_bytes(raw)
    except OSError as exc:
        return [], [ParseFailure(file.name, None, f"cannot stage the upload: {exc.strerror or exc}")]
    articles: list[Article] = []
    failures: list[ParseFailure] = []
    for item in parse_file(path, max_bytes):
        if isinstance(item, ParseFailure):
            failures.append(ParseFailure(file.name, item.line, item.error))
        else:
            articles.append(item)
    return articles, failures


def _ingest_files(services: Services, metrics: Metrics, files: list[FileIn]) -> tuple[FilesOut, str | None]:
    settings = services.settings
    parsed: list[tuple[list[Article], list[ParseFailure]]] = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-upload-") as folder:
        for file in files:
            parsed.append(parse_upload(file, Path(folder), settings.ingest.max_file_bytes))
    total = sum(len(articles) for articles, _ in parsed)
    if total > settings.api.max_batch_articles:
        raise HTTPException(413, f"{total} articles in one request is over the limit of {settings.api.max_batch_articles}")
    results = []
    store_error: str | None = None
    for file, (articles, failures) in zip(files, parsed, strict=True):
        if store_error:
            failures = [*failures, ParseFailure(file.name, None, f"not stored: {store_error}")]
            articles = []
        report = services.ingestor.ingest_articles(articles, IngestReport(failed=failures))
        metrics.record_ingest(report)
        store_error = store_error or report.store_error
        results.append(FileResult.model_validate(
            {**report.as_dict(), "name": file.name, "ok": not report.failed, "article_ids": report.article_ids}
        ))
    return FilesOut(files=results), store_error


@router.post(
    "/files",
    response_model=FilesOut,
    dependencies=[Depends(require_write)],
    responses={507: {"model": FilesRefusedOut, "description": "The disk is full or read-only; see files."}},
)
async def ingest_files(body: FilesIn, services: ServicesDep, metrics: MetricsDep) -> FilesOut | JSONResponse:
    """Ingest article files sent as text or base64; each file gets its own result and failures."""
    if len(body.files) > services.settings.api.max_batch_articles:
        raise HTTPException(413, f"{len(body.files)} files is over the limit of {services.settings.api.max_batch_articles}")
    result, store_error = await run_in_threadpool(_ingest_files, services, metrics, body.files)
    if store_error:
        refused = FilesRefusedOut(files=result.files, detail=store_error)
        return JSONResponse(refused.model_dump(mode="json"), status_code=507)
    return result
