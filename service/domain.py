"""Typed objects shared by every pipeline step, and the few rules that define them."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field

from service.plain_text import is_web_url, plain_title

# Click and campaign trackers: the same page linked from a newsletter, an ad or a share gets one of
# these added, and must still be one article.
_TRACKING_PARAMETERS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "ocid", "cmpid", "ncid", "sr_share",
}


def _is_tracking(pair: str) -> bool:
    name = pair.split("=", 1)[0].lower()
    return name.startswith("utm_") or name in _TRACKING_PARAMETERS


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no trailing slash, no tracking query."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((parts.scheme.lower() or "https", host, parts.path.rstrip("/"), query, ""))


def article_id_for(url: str | None, title: str, text: str) -> str:
    """Stable id: from the canonical URL, or from the content when there is no URL."""
    basis = canonical_url(url) if url else f"{title}\n{text}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, text: str, published: dt.date) -> str:
    return hashlib.sha256(f"{published.isoformat()}\n{title}\n{text}".encode()).hexdigest()


def source_from_url(url: str | None) -> str:
    if not url:
        return "unknown"
    host = urlsplit(url.strip()).netloc.lower().split(":")[0]
    return host.removeprefix("www.") or "unknown"


def date_to_int(day: dt.date) -> int:
    """Chroma range filters take numbers only, so dates are stored as YYYYMMDD integers."""
    return day.year * 10000 + day.month * 100 + day.day


def int_to_date(value: int) -> dt.date:
    return dt.date(value // 10000, value // 100 % 100, value % 100)


class Article(BaseModel):
    id: str
    title: str
    text: str
    published: dt.date
    url: str | None = None
    source: str
    authors: list[str] = Field(default_factory=list)
    content_hash: str

    @classmethod
    def build(
        cls,
        *,
        title: str,
        text: str,
        published: dt.date,
        url: str | None,
        source: str | None = None,
        authors: list[str] | None = None,
        article_id: str | None = None,
    ) -> Article:
        return cls(
            id=article_id or article_id_for(url, title, text),
            title=title,
            text=text,
            published=published,
            url=url,
            source=source or source_from_url(url),
            authors=authors or [],
            content_hash=content_hash(title, text, published),
        )


class Chunk(BaseModel):
    """A slice of an article's text: `article.text[start:end] == text`."""

    id: str
    article_id: str
    position: int
    start: int
    end: int
    text: str
    title: str
    published: dt.date
    source: str
    url: str | None
    content_hash: str


class Passage(BaseModel):
    """A retrieved chunk with its fused score."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = Field(None, description="Cosine similarity of chunk and question.")
    lexical_score: float | None = Field(None, description="BM25 score of the chunk for the question.")

    def as_record(self) -> dict[str, object]:
        """One flat record per passage: the shape both `POST /v1/search` and `newsdesk search` print."""
        chunk = self.chunk
        return {
            "chunk_id": chunk.id,
            "article_id": chunk.article_id,
            "title": chunk.title,
            "source": chunk.source,
            "url": chunk.url,
            "published_at": chunk.published,
            "start": chunk.start,
            "end": chunk.end,
            "text": chunk.text,
            "score": self.score,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
        }


class DateRange(BaseModel):
    start: dt.date | None = None
    end: dt.date | None = None
    phrase: str | None = Field(None, description="The words of the question that set the range.")
    soft: bool = Field(
        False,
        description="Vague time words (this week, this month): passages in the range rank first, "
        "others may follow. Exact days and explicit date_from/date_to filter strictly.",
    )
    newest_first: bool = Field(
        False,
        description="The question asks for a story's latest news (\"what's the latest on ...\"): newer "
        "passages rank higher, and none published after the request's today.",
    )

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


class Citation(BaseModel):
    n: int
    article_id: str
    title: str
    url: str | None
    published_at: dt.date
    source: str
    quote: str = Field(description="Exact substring of the stored article supporting the claim.")

    @classmethod
    def of(cls, n: int, chunk: Chunk, quote: str) -> Citation:
        """Source number n of an answer, quoting the given text of chunk."""
        # Checked again on the way out: articles stored before ingest checked them may carry either.
        return cls(
            n=n, article_id=chunk.article_id, title=plain_title(chunk.title),
            url=chunk.url if is_web_url(chunk.url) else None,
            published_at=chunk.published, source=plain_title(chunk.source), quote=quote,
        )


class AnswerSentence(BaseModel):
    text: str
    citations: list[int]
    verified: bool
    corrected: bool = Field(False, description="The service changed or added this sentence's citation.")
    attribution: str | None = Field(None, description="Who the supporting passage credits.")


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_tokens_evaluated: int | None = Field(
        None, description="Prompt tokens the local model computed for this answer; the rest of the "
        "prompt (its fixed instructions) came from the model's cache. None where not measured.")


class Answer(BaseModel):
    answer: str
    citations: list[Citation]
    sentences: list[AnswerSentence]
    date_range: DateRange
    model: str
    usage: Usage
    timings: dict[str, float]
    refused: bool = False
    refusal_reason: str | None = Field(None, description="Why the answer is a refusal, when it is one.")
    unanswered_parts: list[str] = Field(
        default_factory=list,
        description="For a question of several parts answered in part: each part this answer does not give, "
        "and what it lacks for it (an article the model did not draw on may still say).")
    degraded: bool = False
    closest_passages: list[Citation] = Field(default_factory=list)
