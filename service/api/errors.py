"""The bodies of the service's own error responses: what a client sees and what the log keeps.

Neither may carry the request's text. A 422 used to echo the whole input (a 25 MB body came back
in full), and a 500's log line held the exception message, which for a bad question is the question
itself. So validation errors keep where and why, and an unexpected error is logged by its type and
stack frames only.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from service.api.logs import current_request_id
from service.api.openai_errors import OPENAI_PATHS

log = logging.getLogger("newsdesk.api")
# FastAPI's fields of a validation error that describe it without repeating the input.
_ERROR_FIELDS = ("loc", "msg", "type")
# A message longer than this is cut: a validator may quote what it refused.
_MAX_MESSAGE_CHARS = 300


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        kept = {key: error[key] for key in _ERROR_FIELDS if key in error}
        kept["loc"] = [str(part) for part in kept.get("loc", [])]
        kept["msg"] = str(kept.get("msg", ""))[:_MAX_MESSAGE_CHARS]
        errors.append(kept)
    return errors


def internal_error(request: Request, exc: BaseException) -> JSONResponse:
    """Log the cause, without its message; the client gets the request id, never a stack trace."""
    rid = getattr(request.state, "request_id", "-")
    detail = _logged(f"request {rid}", exc, rid)
    body: dict[str, Any] = {"detail": detail}
    if request.url.path.startswith(OPENAI_PATHS):
        body["error"] = {"message": detail, "type": "api_error", "param": None, "code": None}
    return JSONResponse(body, status_code=500)


def stream_failure(exc: BaseException) -> str:
    """Log an unexpected error of a stream that is already open (its status is sent); the message for the client."""
    rid = current_request_id.get() or "-"
    return _logged(f"stream of request {rid}", exc, rid)


def _logged(what: str, exc: BaseException, rid: str) -> str:
    """Log the error's type and stack frames, never its message; return the client's message."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s failed: %s\n%s", what, type(exc).__name__, frames)
    return f"internal error ({type(exc).__name__}); request id {rid}"
