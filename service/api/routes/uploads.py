"""POST /v1/articles/files: whole article files (native .txt/.md, .json, .jsonl) with a result per file.

The web page sends dropped files here. Each file is parsed exactly as `newsdesk ingest` parses a file
on disk (same formats, limits and messages), then ingested on its own, so one bad file never blocks
the others and every failure names its file, line and reason.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from service.api.deps import ServicesDep
from service.api.metrics import MetricsDep
from service.api.schemas import FailureOut
from service.api.security import require_write
from service.api.validation import UnicodeBody
from service.ingest.pipeline import BatchTooLarge, FileReport, FileUpload

router = APIRouter(prefix="/v1/articles", tags=["articles"])


class FileIn(UnicodeBody):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=255, description="The file's name; its suffix picks the format.")
    content: str | None = Field(None, description="The file as text.")
    content_base64: str | None = Field(None, description="Or the file's bytes, base64-encoded.")


class FilesIn(UnicodeBody):
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


def _upload(file: FileIn) -> FileUpload:
    """The file's bytes, or why the body did not give any."""
    if (file.content is None) == (file.content_base64 is None):
        return FileUpload(file.name, error="give exactly one of content or content_base64")
    if file.content is not None:
        return FileUpload(file.name, file.content.encode("utf-8"))
    try:
        return FileUpload(file.name, base64.b64decode(file.content_base64 or "", validate=True))
    except (binascii.Error, ValueError):
        return FileUpload(file.name, error="content_base64 is not valid base64")


def _result(file: FileReport) -> FileResult:
    report = file.report
    return FileResult.model_validate(
        {**report.as_dict(), "name": file.name, "ok": file.ok, "article_ids": report.article_ids}
    )


@router.post(
    "/files",
    response_model=FilesOut,
    dependencies=[Depends(require_write)],
    responses={507: {"model": FilesRefusedOut, "description": "The disk is full or read-only; see files."}},
)
async def ingest_files(body: FilesIn, services: ServicesDep, metrics: MetricsDep) -> FilesOut | JSONResponse:
    """Ingest article files sent as text or base64; each file gets its own result and failures."""
    limit = services.settings.api.max_batch_articles
    if len(body.files) > limit:
        raise HTTPException(413, f"{len(body.files)} files is over the limit of {limit}")
    # Decoding base64 and parsing are CPU work: off the event loop, with the ingest.
    try:
        files = await run_in_threadpool(lambda: services.ingestor.ingest_files([_upload(f) for f in body.files], limit))
    except BatchTooLarge as exc:
        raise HTTPException(413, f"{exc.articles} articles in one request is over the limit of {limit}") from exc
    for file in files:
        metrics.record_ingest(file.report)
    result = FilesOut(files=[_result(file) for file in files])
    store_error = next((f.report.store_error for f in files if f.report.store_error), None)
    if store_error:
        refused = FilesRefusedOut(files=result.files, detail=store_error)
        return JSONResponse(refused.model_dump(mode="json"), status_code=507)
    return result
