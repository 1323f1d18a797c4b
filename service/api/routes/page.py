"""The web page and its static files (plain HTML, CSS and JavaScript modules; no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

router = APIRouter(tags=["page"])

_STATIC = Path(__file__).resolve().parent.parent / "static"
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
# The page's own files only: no inline script or style, no other origin, no plugins, no framing.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _static_response(name: str) -> Response:
    path = _STATIC / name
    media_type = _TYPES.get(path.suffix)
    # Plain names of files in the folder only: no sub-paths, no other file types.
    if media_type is None or "/" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(404, f"no static file {name!r}")
    return Response(path.read_bytes(), media_type=f"{media_type}; charset=utf-8", headers=PAGE_HEADERS)


@router.get("/", include_in_schema=False)
def web_page() -> Response:
    """The web page: ask with streamed answers, daily digest, ingest (static files, no build step)."""
    return _static_response("index.html")


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> Response:
    return _static_response(name)
