"""create_app(settings) builds the HTTP API; tests build their own with their own settings."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from service.api.routes import answers, articles, health, search
from service.components.llm import LLMBadOutput, LLMUnavailable
from service.components.store import StoreUnavailable
from service.settings import Settings
from service.wiring import Services

log = logging.getLogger("newsdesk.api")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or Services(settings or Settings())
    app = FastAPI(
        title="Newsdesk",
        description="News question answering and summaries with verified citations.",
        version="0.1.0",
    )
    app.state.services = services
    for router in (health.router, articles.router, search.router, answers.router):
        app.include_router(router)
    _install_error_handlers(app)

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response

    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LLMUnavailable)
    async def llm_down(request: Request, exc: LLMUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(LLMBadOutput)
    async def llm_garbage(request: Request, exc: LLMBadOutput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=502)

    @app.exception_handler(StoreUnavailable)
    async def store_down(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "10"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Log the cause; the client gets a message, never a stack trace.
        rid = getattr(request.state, "request_id", "-")
        log.exception("request %s failed", rid)
        return JSONResponse(
            {"detail": f"internal error ({type(exc).__name__}); request id {rid}"}, status_code=500
        )
