"""/docs works offline: its scripts and styles come from this server, never from a CDN."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_load_nothing_from_other_hosts(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page.text)
    assert not external and "cdn." not in page.text
    for asset in re.findall(r"""(?:src|href)=["'](/docs/assets/[^"']+)""", page.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200
