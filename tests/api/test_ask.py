from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.settings import Settings
from service.wiring import Services
from tests.fault_server import fault_server


@pytest.fixture
def ask_client(answering: Services) -> TestClient:
    return TestClient(create_app(services=answering), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"question": ""}, "question"),
        ({"question": "   "}, "empty"),
        ({"question": "x" * 10_000}, "over the limit"),
        ({"question": "ok?", "colour": "red"}, "colour"),
        ({"question": "ok?", "k": 0}, "k"),
        ({"question": "ok?", "k": 99}, "k"),
        ({"question": "ok?", "as_of": "03/06/2026"}, "as_of"),
        ({"question": "ok?", "date_from": "2026-02-30"}, "date_from"),
    ],
)
def test_bad_questions_are_422_with_a_message(ask_client: TestClient, body: dict, fragment: str) -> None:
    response = ask_client.post("/v1/ask", json=body)
    assert response.status_code == 422
    assert fragment in json.dumps(response.json())


def test_ask_and_stream_over_http(ask_client: TestClient) -> None:
    body = ask_client.post("/v1/ask", json={"question": "What did the flood barrier cost?"}).json()
    assert {"answer", "citations", "sentences", "date_range", "model", "usage", "timings"} <= set(body)
    with ask_client.stream("POST", "/v1/ask", json={"question": "What did the flood barrier cost?", "stream": True}) as r:
        events = [line for line in r.iter_lines() if line.startswith("event:")]
    assert events[-1] == "event: answer" and "event: token" not in events
    assert set(events[:-1]) <= {"event: sentence"}


def test_summarize_errors(ask_client: TestClient) -> None:
    assert ask_client.post("/v1/summarize", json={}).status_code == 422
    assert ask_client.post("/v1/summarize", json={"article_id": "a", "query": "b"}).status_code == 422
    response = ask_client.post("/v1/summarize", json={"article_id": "nope"})
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def remote_services(settings: Settings, embedder, base_url: str, degrade: bool) -> Services:
    remote = settings.model_copy(
        update={"llm": settings.llm.model_copy(update={
            "backend": "openai", "base_url": base_url, "model": "stub", "timeout_s": 1.0,
            "max_retries": 0, "degrade_on_failure": degrade})}
    )
    services = Services(remote, embedder=embedder)
    services.ingestor.ingest_paths([__import__("tests.conftest", fromlist=["REPO_ROOT"]).REPO_ROOT / "samples"])
    return services


@pytest.mark.parametrize("mode", ["down", "slow", "error", "garbage", "empty"])
def test_llm_faults_give_503_or_a_degraded_answer(settings, embedder, mode: str) -> None:
    question = {"question": "What did the flood barrier cost?"}
    if mode == "down":
        from tests.conftest import free_port

        urls = [f"http://127.0.0.1:{free_port()}/v1"]
        context = None
    else:
        context = fault_server(mode)
        urls = [context.__enter__()]
    try:
        strict = TestClient(create_app(services=remote_services(settings, embedder, urls[0], degrade=False)),
                            raise_server_exceptions=False)
        response = strict.post("/v1/ask", json=question)
        assert response.status_code in (502, 503), response.text
        assert response.json()["detail"]
        if response.status_code == 503:
            assert response.headers["Retry-After"]

        lenient = TestClient(create_app(services=remote_services(settings, embedder, urls[0], degrade=True)),
                             raise_server_exceptions=False)
        body = lenient.post("/v1/ask", json=question).json()
        assert body["degraded"] is True and body["citations"]
    finally:
        if context is not None:
            context.__exit__(None, None, None)
