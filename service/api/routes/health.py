from __future__ import annotations

from fastapi import APIRouter, Request

from service.api.deps import ServicesDep
from service.startup import Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request, services: ServicesDep) -> dict[str, object]:
    """Liveness and readiness, whether the store answers (its article and chunk counts), and how current it is.

    Always 200 while the process serves. `status` is 'loading' while `newsdesk serve` loads the model,
    the embedder and the indexes at start-up, then 'ready'; `loaded_s` gives each loaded part's
    seconds, `failed` any part that could not load (tried again in the background, at most every 10 s,
    while this is read: a part that loads once the cause is gone moves to `loaded_s`), `startup_s`
    the seconds start-up took (so far).
    newest_article is the latest publication date in the index; last_poll is when the feeds were
    last polled (null when no feed has been), so "this week" can be judged against them.
    """
    readiness: Readiness = request.app.state.readiness
    readiness.recheck_failed(services)
    store = services.store
    freshness = services.freshness.as_dict()
    return {**readiness.as_dict(), "articles": store.count_articles(), "chunks": store.count_chunks(), **freshness}
