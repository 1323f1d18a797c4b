from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(services: ServicesDep) -> dict[str, object]:
    """Liveness, and whether the store answers (its article and chunk counts)."""
    store = services.store
    return {"status": "ok", "articles": store.count_articles(), "chunks": store.count_chunks()}
