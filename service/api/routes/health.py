from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from service.api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(services: ServicesDep) -> dict[str, object]:
    """Liveness, and whether the store answers (its article and chunk counts)."""
    store = services.store
    return {"status": "ok", "articles": store.count_articles(), "chunks": store.count_chunks()}


_PAGE = Path(__file__).resolve().parent.parent / "static" / "index.html"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def web_page() -> HTMLResponse:
    """A small page to ask questions from a browser (it calls POST /v1/ask)."""
    return HTMLResponse(_PAGE.read_text(encoding="utf-8"))
