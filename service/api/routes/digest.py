from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from service.api.deps import ServicesDep
from service.api.schemas import MAX_SOURCES
from service.api.validation import check_count
from service.digest import Digest, digest_markdown

router = APIRouter(prefix="/v1/digest", tags=["digest"])


@router.get(
    "",
    response_model=Digest,
    responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}},
                     "description": "The digest as JSON, or as Markdown with format=markdown."}},
)
async def daily_digest(
    services: ServicesDep,
    # A digest says what is new since the day before, so the calendar's first day has none to give.
    date: Annotated[dt.date, Query(gt=dt.date.min, description="The day, YYYY-MM-DD (after 0001-01-01).")],
    sources: Annotated[list[str] | None, Query(description="Only these outlets.")] = None,
    max_stories: Annotated[int, Query(ge=1, le=20)] = 5,
    format: Annotated[Literal["json", "markdown"], Query()] = "json",
) -> Digest | PlainTextResponse:
    """The day's stories, de-duplicated across outlets, each with verified, cited sentences."""
    check_count(sources, MAX_SOURCES, "sources")
    digest = await run_in_threadpool(services.digests.digest, date, sources, max_stories)
    if format == "markdown":
        return PlainTextResponse(digest_markdown(digest), media_type="text/markdown")
    return digest
