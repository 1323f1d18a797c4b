"""Errors of the OpenAI-compatible routes also in OpenAI's shape: {"error": {"message", "type", ...}}.

OpenAI clients and chat front ends show `error.message` and nothing else, so without this a 401,
422, 429 or 503 reaches the user as a bare "Error code: 422". The service's own `detail` stays
beside it, so the body still matches the documented error schemas.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse

OPENAI_PATHS = ("/v1/chat/", "/v1/models")
_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "invalid_request_error",
          413: "invalid_request_error", 422: "invalid_request_error", 429: "rate_limit_error",
          503: "service_unavailable"}


def detail_message(detail: object) -> str:
    """FastAPI's detail (a string, or a list of validation errors) as one line."""
    if isinstance(detail, list):
        parts = []
        for error in detail:
            if isinstance(error, dict):
                where = ".".join(str(p) for p in error.get("loc", [])[1:])  # without the leading "body"
                parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        return "; ".join(parts) or "invalid request"
    return str(detail)


async def openai_error_shape(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    try:
        response = await call_next(request)
    except Exception as exc:
        if not request.url.path.startswith(OPENAI_PATHS):
            raise  # the app's handler answers it
        # A 500 is otherwise written outside every middleware, so it would miss the OpenAI shape.
        from service.api.errors import internal_error  # here: errors.py imports this module

        return internal_error(request, exc)
    if response.status_code < 400 or not request.url.path.startswith(OPENAI_PATHS):
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    try:
        data = json.loads(body)
    except ValueError:
        return Response(body, status_code=response.status_code, headers=headers)
    if isinstance(data, dict) and "error" not in data:
        data["error"] = {"message": detail_message(data.get("detail")),
                         "type": _TYPES.get(response.status_code, "api_error"), "param": None, "code": None}
    return JSONResponse(data, status_code=response.status_code, headers=headers)
