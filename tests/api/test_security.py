from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.security import find_key, hash_key, serve_host
from service.settings import APIKey, Settings
from service.wiring import Services
from tests.api.test_articles import RECORD

READ_KEY, WRITE_KEY = "read-secret-123", "write-secret-456"


@pytest.fixture
def keyed(services: Services) -> TestClient:
    services.settings.api.keys = [
        APIKey(name="reader", sha256=hash_key(READ_KEY), role="read", requests_per_minute=5),
        APIKey(name="writer", sha256=hash_key(WRITE_KEY), role="write"),
    ]
    return TestClient(create_app(services=services), raise_server_exceptions=False)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_are_required_and_roles_enforced(keyed: TestClient) -> None:
    assert keyed.get("/healthz").status_code == 200
    assert keyed.post("/v1/search", json={"query": "x"}).status_code == 401
    assert keyed.post("/v1/search", json={"query": "x"}, headers=auth("wrong")).status_code == 401
    assert keyed.post("/v1/search", json={"query": "x"}, headers=auth(READ_KEY)).status_code == 200
    denied = keyed.post("/v1/articles", json={"articles": [RECORD]}, headers=auth(READ_KEY))
    assert denied.status_code == 403 and "write" in denied.json()["detail"]
    assert keyed.post("/v1/articles", json={"articles": [RECORD]}, headers=auth(WRITE_KEY)).status_code == 200
    assert keyed.post("/v1/search", json={"query": "x"}, headers={"X-API-Key": WRITE_KEY}).status_code == 200


def test_rate_limit_is_429_with_retry_after(keyed: TestClient) -> None:
    codes = [keyed.get("/v1/articles", headers=auth(READ_KEY)).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[-1] == 429
    limited = keyed.get("/v1/articles", headers=auth(READ_KEY))
    assert int(limited.headers["Retry-After"]) >= 1 and "rate limit" in limited.json()["detail"]
    assert keyed.get("/v1/articles", headers=auth(WRITE_KEY)).status_code == 200  # per key


def test_body_limit_and_request_id(services: Services) -> None:
    services.settings.api.max_body_bytes = 2000
    client = TestClient(create_app(services=services))
    response = client.post("/v1/articles", json={"articles": [{**RECORD, "text": "x" * 5000}]})
    assert response.status_code == 413 and "over the limit of 2000" in response.json()["detail"]
    assert client.get("/healthz", headers={"X-Request-ID": "abc123"}).headers["X-Request-ID"] == "abc123"
    assert client.get("/healthz", headers={"X-Request-ID": "bad id\nforged"}).headers["X-Request-ID"] != "bad id"


def test_logs_carry_request_ids_but_no_keys_or_text(keyed: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newsdesk.api"):
        keyed.post("/v1/articles", json={"articles": [RECORD]}, headers=auth(WRITE_KEY))
    text = caplog.text
    assert "POST /v1/articles 200" in text and "caller=key:writer" in text
    assert WRITE_KEY not in text and "dock workers" not in text


def test_keys_are_compared_by_hash() -> None:
    keys = [APIKey(name="a", sha256=hash_key("k1")), APIKey(name="b", sha256=hash_key("k2").upper())]
    assert find_key("k2", keys).name == "b"
    assert find_key("k3", keys) is None


@pytest.mark.slow
def test_without_keys_the_server_binds_to_loopback_and_says_so(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--host", "0.0.0.0", "--port", str(port)],
        env={**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_STARTUP__PRELOAD": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", seconds=120)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    warnings = [line["message"] for line in lines if line["level"] == "WARNING"]
    assert "no API keys configured: binding to 127.0.0.1 instead of 0.0.0.0" in warnings
    assert any(f"127.0.0.1:{port}" in line["message"] for line in lines), "uvicorn did not report the loopback bind"


def test_without_keys_any_launcher_binds_to_loopback(caplog: pytest.LogCaptureFixture) -> None:
    keyless = Settings()
    assert serve_host(keyless, "0.0.0.0") == "127.0.0.1"
    assert "binding to 127.0.0.1 instead of 0.0.0.0" in caplog.text
    assert serve_host(keyless, "::1") == "::1" and serve_host(keyless) == keyless.api.host == "127.0.0.1"
    keyed = Settings(api={"keys": [APIKey(name="a", sha256=hash_key("k"))]})
    assert serve_host(keyed, "0.0.0.0") == "0.0.0.0"


def test_without_keys_the_app_answers_this_machine_only(services: Services, caplog: pytest.LogCaptureFixture) -> None:
    # As when a launcher other than `newsdesk serve` binds the app to every interface.
    app = create_app(services=services)
    with caplog.at_level(logging.WARNING), TestClient(app, client=("203.0.113.7", 50000)) as remote:
        refused = remote.get("/healthz")
    assert refused.status_code == 403 and "no API keys" in refused.json()["detail"]
    assert "no API keys configured: answering callers on this machine only" in caplog.text
    for local in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert TestClient(app, client=(local, 50000)).get("/healthz").status_code == 200, local
    services.settings.api.keys = [APIKey(name="reader", sha256=hash_key(READ_KEY))]
    assert TestClient(app, client=("203.0.113.7", 50000)).get("/healthz").status_code == 200
