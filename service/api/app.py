"""create_app(settings) builds the HTTP API; tests build their own with their own settings."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
from fastapi import Depends, FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.body_limit import BodyLimit, over_limit
from service.api.errors import internal_error, validation_errors
from service.api.logs import current_request_id
from service.api.metrics import Metrics, route_template
from service.api.metrics import router as metrics_router
from service.api.openai_errors import openai_error_shape
from service.api.readiness import wait_until_ready
from service.api.routes import answers, articles, chat, digest, feeds, health, page, search, uploads
from service.api.routes.docs import install_docs
from service.api.schemas import ERROR_RESPONSES
from service.api.security import RateLimiter, from_other_machine, require_read
from service.components.llm import LLMBadOutput, LLMUnavailable
from service.components.store import StoreUnavailable
from service.settings import Settings
from service.startup import Readiness
from service.wiring import Services

log = logging.getLogger("newsdesk.api")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or Services(settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not services.settings.api.keys:
            log.warning("no API keys configured: answering callers on this machine only, without keys")
        if services.settings.startup.preload:
            app.state.readiness.start(services)
        poller = feeds.start_background_polling(services)
        try:
            yield
        finally:
            if poller:
                poller.stop()

    app = FastAPI(
        title="Newsdesk",
        description="News question answering and summaries with verified citations.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's pages load their scripts from a CDN: /docs is served from local files instead.
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    app.state.services = services
    app.state.readiness = Readiness()
    app.state.rate_limiter = RateLimiter()
    app.state.metrics = metrics = Metrics(functools.partial(_index_size, services))
    app.include_router(health.router, responses=ERROR_RESPONSES)
    app.include_router(page.router)
    app.include_router(articles.router, responses=ERROR_RESPONSES)
    app.include_router(uploads.router, responses=ERROR_RESPONSES)  # write role, checked in the route
    app.include_router(feeds.router, responses=ERROR_RESPONSES)  # read or write role, checked in each route
    app.include_router(feeds.pages_router, responses=ERROR_RESPONSES)
    # /metrics takes the read role when keys are configured: it shows traffic and the index size.
    app.include_router(metrics_router, dependencies=[Depends(require_read)], responses=ERROR_RESPONSES)
    # These need the model or the index: while they load at start-up, a request waits for them.
    for router in (search.router, answers.router, digest.router, chat.router):
        app.include_router(router, dependencies=[Depends(require_read), Depends(wait_until_ready)],
                           responses=ERROR_RESPONSES)
    _install_error_handlers(app)
    max_body = services.settings.api.max_body_bytes
    # Innermost, next to the routes: bodies without a length (chunked) are counted as they arrive,
    # and its 413 is raised straight into the route's body read, which passes it on as it is.
    app.add_middleware(BodyLimit, max_bytes=max_body)

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Client-supplied ids are accepted only when short and plain, so they cannot forge log lines.
        given = request.headers.get("x-request-id", "")
        rid = given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex[:16]
        request.state.request_id = rid
        rid_token = current_request_id.set(rid)
        started = time.perf_counter()
        status = 500  # unless a response comes back: an exception here becomes a 500 further out
        try:
            length = request.headers.get("content-length", "")
            if not services.settings.api.keys and from_other_machine(request):
                # Without keys anyone who reaches the server could ingest and delete: this machine only,
                # even when a launcher bound it to every interface.
                response: Response = JSONResponse(
                    {"detail": "this server has no API keys and answers this machine only"}, status_code=403
                )
            elif length.isdigit() and int(length) > max_body:
                response = JSONResponse({"detail": over_limit(length, max_body)}, status_code=413)
            else:
                response = await call_next(request)
            response.headers["X-Request-ID"] = rid
            status = response.status_code
            return response
        finally:
            _log_and_count(request, status, time.perf_counter() - started, metrics)
            current_request_id.reset(rid_token)

    # Added after it, so it sits outside the request-id middleware and also reshapes its 413.
    app.middleware("http")(openai_error_shape)
    return app


def _index_size(services: Services) -> tuple[int, int]:
    return services.store.count_articles(), services.store.count_chunks()


def _log_and_count(request: Request, status: int, seconds: float, metrics: Metrics) -> None:
    route = route_template(request)
    metrics.record_request(request.method, route, status, seconds)
    rid, caller = request.state.request_id, getattr(request.state, "caller", "-")
    # Method, path, status and caller only: never keys, bodies or article text.
    log.info("%s %s %s %d %.0fms caller=%s", rid, request.method, request.url.path, status, seconds * 1000, caller,
             extra={"request_id": rid, "method": request.method, "route": route, "path": request.url.path,
                    "status": status, "duration_ms": round(seconds * 1000, 1), "caller": caller})


# FastAPI's detail for a JSON body it could not decode at all (bytes that are not UTF-8).
BODY_NOT_PARSED = "There was an error parsing the body"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LLMUnavailable)
    async def llm_down(request: Request, exc: LLMUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(LLMBadOutput)
    async def llm_garbage(request: Request, exc: LLMBadOutput) -> JSONResponse:
        # A 503 like an outage: garbage from the endpoint is its fault, and a retry may well work.
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_errors(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a body that is not UTF-8 with a bare 400 no route documents; it is as
        # invalid as broken JSON, so it gets the same 422.
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:
            error = {"type": "json_invalid", "loc": ["body"], "msg": "the body is not UTF-8 JSON"}
            return JSONResponse({"detail": [error]}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(StoreUnavailable)
    async def store_down(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "10"})

    @app.exception_handler(httpx.TransportError)
    async def store_unreachable(request: Request, exc: httpx.TransportError) -> JSONResponse:
        # Model calls wrap their own transport errors, so a bare one comes from the Chroma server.
        log.warning("vector store unreachable: %s", type(exc).__name__)
        return JSONResponse(
            {"detail": "the vector store is unreachable; retry shortly"}, status_code=503, headers={"Retry-After": "10"}
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(request, exc)
