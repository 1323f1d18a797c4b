"""Feeds to poll (`/v1/feeds`) and article pages fetched by URL (`POST /v1/articles/urls`).

Fetching reaches out to the network on the caller's behalf, so every URL is checked first
(http or https only; no loopback, link-local or private address unless the server allows them)
and a refusal is a 422 (in FastAPI's validation shape) that says why.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.api.deps import ServicesDep
from service.api.metrics import MetricsDep
from service.api.routes.articles import ingest_outcome
from service.api.schemas import IngestOut, IngestRefusedOut, StrictBody
from service.api.security import require_read, require_write
from service.api.validation import invalid
from service.feeds.fetching import FetchFailed, check_url
from service.feeds.pages import ingest_urls
from service.feeds.polling import BackgroundPoller, FeedPollResult
from service.feeds.registry import FeedState
from service.wiring import Services

router = APIRouter(prefix="/v1/feeds", tags=["feeds"])
pages_router = APIRouter(prefix="/v1/articles", tags=["articles"])

_MAX_URLS = 50  # pages are fetched one after another within the request; more belongs in a feed


class FeedIn(StrictBody):
    url: str = Field(min_length=1, max_length=2000, description="The feed's http(s) URL (RSS 0.9x, 1.0, 2.0 or Atom).")
    source: str | None = Field(
        None, max_length=200, description="Outlet name for this feed's articles; default: each page's domain."
    )


class UrlsIn(StrictBody):
    urls: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        min_length=1, max_length=_MAX_URLS, description="Article pages (http or https URLs) to fetch and ingest."
    )


class PollOut(BaseModel):
    seconds: float
    feeds: list[FeedPollResult] = Field(description="One result per feed polled: outcome, error, counts.")


def _checked(url: str, services: Services, field: str) -> str:
    try:
        return check_url(url, services.settings.feeds.allow_private_addresses)
    except FetchFailed as exc:
        raise invalid(field, str(exc)) from None


@router.post(
    "", response_model=FeedState, status_code=201, dependencies=[Depends(require_write)],
    responses={200: {"model": FeedState, "description": "Already polled: its source is updated."}},
)
async def add_feed(body: FeedIn, services: ServicesDep, response: Response) -> FeedState:
    """Add a feed to poll (adding it again updates its source and answers 200). Polled on the next round."""
    url = await run_in_threadpool(_checked, body.url, services, "url")  # resolving the host may block
    state, created = services.feed_registry.add(url, body.source)
    if not created:
        response.status_code = 200
    return state


@router.get("", response_model=list[FeedState], dependencies=[Depends(require_read)])
def list_feeds(services: ServicesDep) -> list[FeedState]:
    """Every feed with its last success, last error, entries seen and articles ingested."""
    return services.feed_registry.all()


@router.delete("/{feed_id}", status_code=204, dependencies=[Depends(require_write)])
def remove_feed(feed_id: str, services: ServicesDep) -> None:
    """Stop polling a feed (by its id from GET /v1/feeds). Its articles stay in the index."""
    feed = services.feed_registry.find(feed_id)
    if feed is None or not services.feed_registry.remove(feed.url):
        raise HTTPException(404, f"no feed with id {feed_id!r}")


@router.post("/poll", response_model=PollOut, dependencies=[Depends(require_write)])
async def poll_feeds(services: ServicesDep) -> PollOut:
    """Poll every feed now, due or not, and report each one. Waits for a round already running."""
    report = await run_in_threadpool(services.feed_poller.poll, True)
    return PollOut.model_validate(report.as_dict())


@pages_router.post(
    "/urls", response_model=IngestOut, dependencies=[Depends(require_write)],
    responses={507: {"model": IngestRefusedOut, "description": "The disk is full or read-only; see failed."}},
)
async def ingest_pages(body: UrlsIn, services: ServicesDep, metrics: MetricsDep) -> IngestOut | JSONResponse:
    """Fetch article pages, extract title, date, authors and main text, and ingest them.

    The page's canonical URL is the article's id source, so the same story reached with tracking
    parameters is one article. Pages that cannot be fetched or read are listed in failed with why.
    """
    urls = [await run_in_threadpool(_checked, url, services, f"urls.{i}") for i, url in enumerate(body.urls)]
    report = await run_in_threadpool(
        ingest_urls, services.fetcher, services.ingestor, urls, None, services.settings.feeds.workers
    )
    return ingest_outcome(report, metrics)


def start_background_polling(services: Services) -> BackgroundPoller | None:
    """The serve-time poller, started (None when the settings turn background polling off)."""
    settings = services.settings.feeds
    if not settings.background_poll:
        return None
    # Checked often enough that a feed is polled within a minute of falling due.
    check_every_s = min(60.0, settings.poll_interval_minutes * 60)
    poller = BackgroundPoller(
        lambda: bool(services.feed_registry.due(time.time())), lambda: services.feed_poller, check_every_s
    )
    poller.start()
    return poller
