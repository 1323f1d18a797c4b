"""Warm start: `newsdesk serve` loads the model and the index at start-up, /healthz says loading then
ready, and a request that needs them while they load waits, then gets 503 with Retry-After."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.embedder import Embedder
from service.components.llm import ChatRequest, Completion
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT, ScriptedChatModel, free_port


class GatedModel(ScriptedChatModel):
    """A model whose first call (the warm-up generation) blocks until the test opens the gate:
    a deliberately slow start at the component boundary, with everything else real."""

    def __init__(self) -> None:
        super().__init__(then="The articles do not say.")
        self.gate = threading.Event()

    def complete(self, request: ChatRequest) -> Completion:
        assert self.gate.wait(60), "the test never opened the gate"
        return super().complete(request)


@pytest.fixture
def gated() -> GatedModel:
    return GatedModel()


@pytest.fixture
def starting_client(tmp_path: Path, embedder: Embedder, gated: GatedModel) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", startup={"wait_s": 0.3, "retry_after_s": 7})
    app = create_app(services=Services(settings, embedder=embedder, chat_model=gated))
    with TestClient(app, raise_server_exceptions=False) as client:  # `with`: the lifespan runs
        yield client
        gated.gate.set()


def wait_for_status(client: TestClient, status: str, seconds: float = 60.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        health = client.get("/healthz").json()
        if health["status"] == status:
            return health
        time.sleep(0.05)
    raise AssertionError(f"/healthz never said {status!r}")


def test_requests_wait_while_loading_then_503_with_retry_after(starting_client: TestClient, gated: GatedModel) -> None:
    loading = starting_client.get("/healthz")
    assert loading.status_code == 200 and loading.json()["status"] == "loading"
    for method, path, body in [("POST", "/v1/search", {"query": "ferry"}), ("POST", "/v1/ask", {"question": "Why?"}),
                               ("GET", "/v1/digest?date=2026-03-02", None)]:
        refused = starting_client.request(method, path, json=body)
        assert refused.status_code == 503, path
        assert refused.headers["Retry-After"] == "7" and "starting" in refused.json()["detail"]
    chat = starting_client.post("/v1/chat/completions", json={"model": "x", "messages": [{"role": "user", "content": "Hi?"}]})
    assert chat.status_code == 503 and chat.headers["Retry-After"] == "7"
    # What needs neither the model nor the index answers at once; the page says "starting" until ready.
    page = starting_client.get("/")
    assert page.status_code == 200 and "/static/startup.js" in page.text and 'id="startup"' in page.text
    script = starting_client.get("/static/startup.js").text
    assert '"/healthz"' in script and '"loading"' in script and "Starting" in script
    assert starting_client.get("/v1/articles").status_code == 200

    gated.gate.set()
    ready = wait_for_status(starting_client, "ready")
    assert {"store", "embedder", "lexical_index", "sentence_scorer", "model", "warm_up_generation"} <= set(ready["loaded_s"])
    assert ready["failed"] == {} and ready["startup_s"] >= 0
    assert starting_client.post("/v1/search", json={"query": "ferry"}).status_code == 200
    # The warm-up was one short generation over the answer prompt (its fixed prefix is what questions share).
    warm = gated.requests[0]
    assert warm.max_tokens <= 8 and "Answer the question using only the numbered sources" in warm.messages[0]["content"]


class NotUpYetModel(ScriptedChatModel):
    """A model endpoint that refuses its first call, as a model server still starting would."""

    def __init__(self) -> None:
        super().__init__(then="The articles do not say.")
        self.calls = 0

    def complete(self, request: ChatRequest) -> Completion:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("the model server is not up yet")
        return super().complete(request)


def test_a_part_that_failed_at_start_up_is_loaded_again_once_it_can_be(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.startup.RECHECK_S", 3600.0)
    model = NotUpYetModel()
    app = create_app(services=Services(Settings(data_dir=tmp_path / "data"), embedder=embedder, chat_model=model))
    with TestClient(app, raise_server_exceptions=False) as client:
        ready = wait_for_status(client, "ready")
        assert "not up yet" in ready["failed"]["warm_up_generation"]
        assert client.get("/healthz").json()["failed"] == ready["failed"]  # not before RECHECK_S

        monkeypatch.setattr("service.startup.RECHECK_S", 0.0)
        deadline = time.monotonic() + 30
        while (health := client.get("/healthz").json())["failed"] and time.monotonic() < deadline:
            time.sleep(0.05)

    assert health["failed"] == {} and "warm_up_generation" in health["loaded_s"]
    assert model.calls == 2  # retried once, in the background, not at every /healthz


def test_a_request_arriving_while_loading_waits_for_ready(tmp_path: Path, embedder: Embedder, gated: GatedModel) -> None:
    settings = Settings(data_dir=tmp_path / "data", startup={"wait_s": 60})
    app = create_app(services=Services(settings, embedder=embedder, chat_model=gated))
    with TestClient(app, raise_server_exceptions=False) as client:
        threading.Timer(0.5, gated.gate.set).start()
        assert client.post("/v1/search", json={"query": "ferry"}).status_code == 200
        assert client.get("/healthz").json()["status"] == "ready"


def test_without_a_lifespan_or_with_preload_off_nothing_loads_up_front(tmp_path: Path, embedder: Embedder) -> None:
    model = ScriptedChatModel()
    for settings, lifespan in [(Settings(data_dir=tmp_path / "a"), False),
                               (Settings(data_dir=tmp_path / "b", startup={"preload": False}), True)]:
        client = TestClient(create_app(services=Services(settings, embedder=embedder, chat_model=model)))
        if lifespan:
            with client:
                health = client.get("/healthz").json()
        else:
            health = client.get("/healthz").json()
        assert health["status"] == "ready" and health["loaded_s"] == {} and health["startup_s"] is None
    assert model.requests == []  # no warm-up generation


@pytest.mark.slow
def test_serve_loads_the_real_model_at_start_up_and_says_loading_then_ready(tmp_path: Path) -> None:
    """`newsdesk serve` with the real small model: /healthz says loading, then ready with what was loaded;
    a question asked while it loads waits and is answered."""
    port = free_port()
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_LLM__PRESET": "smollm2-135m",
           "NEWSDESK_LLM__CONTEXT_TOKENS": "2048", "NEWSDESK_LLM__MAX_ANSWER_TOKENS": "48",
           "NEWSDESK_STARTUP__WAIT_S": "300"}
    env = {k: v for k, v in env.items() if k.lower() not in {"http_proxy", "https_proxy"}}
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--ingest", str(REPO_ROOT / "samples")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    seen: list[str] = []
    try:
        with httpx.Client(timeout=300) as http:
            health: dict = {}
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not seen:
                try:
                    health = http.get(f"{base}/healthz").json()
                    seen.append(health["status"])
                except httpx.TransportError:
                    time.sleep(0.1)
            answered: list[int] = []
            asker = threading.Thread(target=lambda: answered.append(
                http.post(f"{base}/v1/ask", json={"question": "What did the flood barrier cost?"}).status_code))
            asker.start()
            while health.get("status") != "ready" and time.monotonic() < deadline:
                time.sleep(0.1)
                health = http.get(f"{base}/healthz").json()
                seen.append(health["status"])
            asker.join(300)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert seen[0] == "loading" and seen[-1] == "ready", seen
    assert {"model", "warm_up_generation", "embedder", "lexical_index"} <= set(health["loaded_s"]), health
    assert health["failed"] == {} and health["startup_s"] > 0
    assert answered == [200]
