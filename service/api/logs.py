"""Log lines as JSON objects (the default for `newsdesk serve`) or plain text.

The request id is kept in a context variable for the request's lifetime, so every line logged
while serving a request carries it, not only the one access line per request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar
from typing import Literal

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# Fields the access line passes in `extra`; other lines simply lack them.
REQUEST_FIELDS = ("method", "route", "path", "status", "duration_ms", "caller")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(log_format: Literal["json", "text"], level: int = logging.INFO) -> None:
    """One handler on the root logger; uvicorn's own loggers propagate to it."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
