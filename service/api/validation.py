"""Checks on request bodies that need settings, raised as 422s in FastAPI's own shape."""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 in FastAPI's own shape, so every 422 matches the documented schema."""
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "value_error"}])


def check_question(text: str, limit: int, field: str = "question", what: str | None = None) -> None:
    """A question (or query) must say something and stay within the configured length.

    `what` names the text in the message when it is not the field itself (a chat's last user message).
    """
    what = what or field
    if not text.strip():
        raise invalid(field, f"{what} is empty")
    if len(text) > limit:
        raise invalid(field, f"{what} is {len(text)} characters, over the limit of {limit}")
