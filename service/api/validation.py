"""Checks on request bodies that need settings, raised as 422s in FastAPI's own shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, model_validator

from service.ingest.parse import has_lone_surrogate


def invalid(field: str, message: str, where: str = "body") -> RequestValidationError:
    """A 422 in FastAPI's own shape, so every 422 matches the documented schema."""
    return RequestValidationError([{"loc": (where, field), "msg": message, "type": "value_error"}])


def check_count(values: list[str] | None, limit: int, field: str, where: str = "query") -> None:
    """A list parameter holds at most `limit` values."""
    if values and len(values) > limit:
        raise invalid(field, f"{len(values)} values, over the limit of {limit}", where)


def check_question(text: str, limit: int, field: str = "question", what: str | None = None) -> None:
    """A question (or query) must say something and stay within the configured length.

    `what` names the text in the message when it is not the field itself (a chat's last user message).
    """
    what = what or field
    if not text.strip():
        raise invalid(field, f"{what} is empty")
    if len(text) > limit:
        raise invalid(field, f"{what} is {len(text)} characters, over the limit of {limit}")


def lone_surrogate_at(value: Any, path: str = "") -> str | None:
    """Where in a decoded JSON value a string holds a lone surrogate ("" for the value itself), or None."""
    if isinstance(value, str):
        return path if has_lone_surrogate(value) else None
    if isinstance(value, dict):
        items: Iterable[tuple[object, Any]] = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and has_lone_surrogate(key):
            return where
        found = lone_surrogate_at(item, where)
        if found is not None:
            return found
    return None


class UnicodeBody(BaseModel):
    """A request body whose every string must be valid Unicode: 422 naming the field otherwise."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_lone_surrogates(cls, data: Any) -> Any:
        where = lone_surrogate_at(data)
        if where is not None:
            raise ValueError(f"{where or 'the body'} holds a lone surrogate (\\ud800-\\udfff): not valid Unicode")
        return data
