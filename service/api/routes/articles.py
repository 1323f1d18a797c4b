from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from service.api.deps import ServicesDep
from service.api.metrics import Metrics, MetricsDep
from service.api.schemas import MAX_SOURCES, ArticleOut, ArticlesIn, IngestOut, IngestRefusedOut
from service.api.security import require_read, require_write
from service.api.validation import check_count
from service.domain import Article
from service.ingest.parse import InvalidArticle, ParseFailure, article_from_record
from service.ingest.pipeline import IngestReport

router = APIRouter(prefix="/v1/articles", tags=["articles"])

# OpenAPI links from an ingest to what can be done with the article it stored: clients and the
# stateful fuzzing (tests/api/test_schema_fuzz.py) follow them to chain ingest, read, summarize, delete.
_FIRST_ID = {"article_id": "$response.body#/article_ids/0"}
ARTICLE_LINKS = {
    "GetArticle": {"operationRef": "#/paths/~1v1~1articles~1{article_id}/get", "parameters": _FIRST_ID},
    "DeleteArticle": {"operationRef": "#/paths/~1v1~1articles~1{article_id}/delete", "parameters": _FIRST_ID},
    "SummarizeArticle": {"operationRef": "#/paths/~1v1~1summarize/post",
                         "requestBody": {"article_id": "$response.body#/article_ids/0"}},
}


def article_out(article: Article, with_text: bool) -> ArticleOut:
    return ArticleOut(
        id=article.id,
        title=article.title,
        published_at=article.published,
        url=article.url,
        source=article.source,
        authors=article.authors,
        content_hash=article.content_hash,
        text=article.text if with_text else None,
    )


@router.post(
    "",
    response_model=IngestOut,
    dependencies=[Depends(require_write)],
    responses={200: {"links": ARTICLE_LINKS},
               507: {"model": IngestRefusedOut, "description": "The disk is full or read-only; see failed."}},
)
async def ingest_articles(
    body: ArticlesIn, services: ServicesDep, metrics: MetricsDep
) -> IngestOut | JSONResponse:
    """Ingest JSON article records; bad records are reported by index, the rest stored.

    A full or read-only disk answers 507: what was stored before it is listed, the rest failed.
    """
    limit = services.settings.api.max_batch_articles
    if len(body.articles) > limit:
        raise HTTPException(413, f"batch of {len(body.articles)} articles is over the limit of {limit}")
    report = IngestReport()
    articles = []
    for index, record in enumerate(body.articles):
        try:
            articles.append(article_from_record(record))
        except InvalidArticle as exc:
            report.failed.append(ParseFailure("request", index, str(exc)))
    report = await run_in_threadpool(services.ingestor.ingest_articles, articles, report)
    return ingest_outcome(report, metrics)


def ingest_outcome(report: IngestReport, metrics: Metrics) -> IngestOut | JSONResponse:
    """The report of an ingest request; 507 when the store refused a write (full or read-only disk)."""
    metrics.record_ingest(report)
    result = IngestOut.model_validate({**report.as_dict(), "article_ids": report.article_ids})
    if report.store_error:
        refused = IngestRefusedOut(**result.model_dump(), detail=report.store_error)
        return JSONResponse(refused.model_dump(mode="json"), status_code=507)
    return result


@router.get("/{article_id}", response_model=ArticleOut, dependencies=[Depends(require_read)])
def get_article(article_id: str, services: ServicesDep) -> ArticleOut:
    article = services.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return article_out(article, with_text=True)


@router.delete("/{article_id}", status_code=204, dependencies=[Depends(require_write)])
def delete_article(article_id: str, services: ServicesDep) -> None:
    if not services.store.delete_article(article_id):
        raise HTTPException(404, f"no article with id {article_id!r}")


@router.get("", response_model=list[ArticleOut], dependencies=[Depends(require_read)])
def list_articles(
    services: ServicesDep,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    source: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ArticleOut]:
    """Articles newest first, optionally within dates and from some outlets."""
    check_count(source, MAX_SOURCES, "source")
    articles = services.store.list_articles(date_from, date_to, source, limit, offset)
    return [article_out(a, with_text=False) for a in articles]
