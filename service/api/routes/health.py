from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(services: ServicesDep) -> dict[str, object]:
    """Liveness, whether the store answers (its article and chunk counts), and how current it is.

    newest_article is the latest publication date in the index; last_poll is when the feeds were
    last polled (null when no feed has been), so "this week" can be judged against them.
    """
    store = services.store
    freshness = services.freshness.as_dict()
    return {"status": "ok", "articles": store.count_articles(), "chunks": store.count_chunks(), **freshness}
