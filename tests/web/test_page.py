"""The web page's files and headers: strict CSP, no inline script, no HTML sinks in the JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.wiring import Services

STATIC = Path(__file__).resolve().parents[2] / "service" / "api" / "static"


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services))


def test_page_has_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_static_files_are_served_with_their_types_and_nothing_else(client: TestClient) -> None:
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    for name in ("missing.js", "..%2Fapp.py", ".hidden.js", "app.py"):
        assert client.get(f"/static/{name}").status_code == 404, name


def test_html_has_no_inline_script_or_style() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script> would be blocked by the CSP"
    assert "<style" not in html and " style=" not in html and not re.search(r"\son\w+=", html)


@pytest.mark.parametrize("path", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_javascript_never_parses_data_as_html(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, f"{path.name} uses {sink}"


def test_every_static_file_is_packaged() -> None:
    pyproject = (STATIC.parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    for suffix in {p.suffix for p in STATIC.iterdir()}:
        assert f'"api/static/*{suffix}"' in pyproject, suffix
