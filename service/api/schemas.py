"""Request and response bodies of the HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from service.api.validation import UnicodeBody

# Outlets one request may filter on: each is a SQL variable in Chroma's filter, and 40,000 of them
# broke the query ("too many SQL variables") with a 500. No newsroom follows more than this at once.
MAX_SOURCES = 100
# The longest host name DNS allows; an outlet is a domain.
MAX_SOURCE_CHARS = 253
SourceName = Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)]


def sources_field(description: str = "Only these outlets (domains).") -> Any:
    return Field(None, max_length=MAX_SOURCES, description=f"{description} At most {MAX_SOURCES}.")


class StrictBody(UnicodeBody):
    # Unknown fields are a client mistake worth a 422, not something to ignore silently.
    model_config = ConfigDict(extra="forbid")


class ArticlesIn(StrictBody):
    articles: list[dict[str, Any]] = Field(
        min_length=1,
        description="Records with title, text, published_at, url, optional source, authors, id.",
    )


class FailureOut(BaseModel):
    path: str
    line: int | None
    error: str


class IngestOut(BaseModel):
    ingested: int
    updated: int
    unchanged: int
    chunks_added: int
    failed: list[FailureOut]
    article_ids: list[str]
    store_error: str | None = Field(
        None, description="The disk refused a write: the articles listed as failed are not stored."
    )


class IngestRefusedOut(IngestOut):
    detail: str = Field(description="What went wrong, in words.")


class ArticleOut(BaseModel):
    id: str
    title: str
    published_at: dt.date
    url: str | None
    source: str
    authors: list[str]
    content_hash: str
    text: str | None = None


class SearchIn(StrictBody):
    query: str = Field(min_length=1, description="What to look for.")
    k: int = Field(10, ge=1, le=50, description="Passages to return.")
    date_from: dt.date | None = Field(None, description="Earliest publication date (inclusive).")
    date_to: dt.date | None = Field(None, description="Latest publication date (inclusive).")
    sources: list[SourceName] | None = sources_field()


class PassageOut(BaseModel):
    chunk_id: str
    article_id: str
    title: str
    source: str
    url: str | None
    published_at: dt.date
    start: int
    end: int
    text: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None


class AskIn(StrictBody):
    question: str = Field(min_length=1, description="The question, in plain words.")
    as_of: dt.date | None = Field(None, description="The request's 'today'; defaults to today.")
    date_from: dt.date | None = Field(None, description="Earliest publication date; overrides time words.")
    date_to: dt.date | None = Field(None, description="Latest publication date; overrides time words.")
    sources: list[SourceName] | None = sources_field()
    k: int | None = Field(None, ge=1, le=20, description="Passages given to the model.")
    stream: bool = Field(False, description="Send server-sent events: tokens, then the final answer.")


class SummarizeIn(StrictBody):
    article_id: str | None = Field(None, description="Summarize this article.")
    query: str | None = Field(None, min_length=1, description="Or summarize the articles matching this.")
    as_of: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: list[SourceName] | None = sources_field()
    max_sentences: int = Field(4, ge=1, le=10, description="Most sentences in the summary.")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, in words.")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        401: "A valid API key is required.",
        403: "The key's role does not allow this.",
        404: "Not found.",
        413: "The request is over a size limit.",
        429: "Rate limit exceeded; see Retry-After.",
        500: "Internal error (the body names the request id).",
        503: "The model is down, past its deadline or answered with nothing usable, or the vector store "
             "is unavailable; see Retry-After.",
    }.items()
}
