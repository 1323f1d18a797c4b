from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep
from service.api.schemas import PassageOut, SearchIn
from service.api.validation import check_question
from service.domain import DateRange
from service.retrieval import SearchQuery

router = APIRouter(prefix="/v1/search", tags=["search"])


@router.post("", response_model=list[PassageOut])
def search(body: SearchIn, services: ServicesDep) -> list[PassageOut]:
    """Top passages by hybrid (dense + BM25) search, fused by reciprocal rank."""
    check_question(body.query, services.settings.api.max_question_chars, "query")
    query = SearchQuery(
        text=body.query,
        k=body.k,
        date_range=DateRange(start=body.date_from, end=body.date_to),
        sources=body.sources,
    )
    return [PassageOut.model_validate(p.as_record()) for p in services.retriever.search(query)]
