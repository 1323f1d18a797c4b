from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep
from service.api.schemas import PassageOut, SearchIn
from service.domain import DateRange, Passage
from service.retrieval import SearchQuery

router = APIRouter(prefix="/v1/search", tags=["search"])


def passage_out(passage: Passage) -> PassageOut:
    chunk = passage.chunk
    return PassageOut(
        chunk_id=chunk.id,
        article_id=chunk.article_id,
        title=chunk.title,
        source=chunk.source,
        url=chunk.url,
        published_at=chunk.published,
        start=chunk.start,
        end=chunk.end,
        text=chunk.text,
        score=passage.score,
        dense_rank=passage.dense_rank,
        lexical_rank=passage.lexical_rank,
    )


@router.post("", response_model=list[PassageOut])
def search(body: SearchIn, services: ServicesDep) -> list[PassageOut]:
    """Top passages by hybrid (dense + BM25) search, fused by reciprocal rank."""
    query = SearchQuery(
        text=body.query,
        k=body.k,
        date_range=DateRange(start=body.date_from, end=body.date_to),
        sources=body.sources,
    )
    return [passage_out(p) for p in services.retriever.search(query)]
