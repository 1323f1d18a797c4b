"""Every route that calls the model, streaming and not, against every fault of the scripted
misbehaving model server (tests/fault_server.py): never a 500, never a fault passed off as a
refusal; a degraded answer where the route can make one, else 503 with Retry-After."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT
from tests.fault_server import fault_server

QUESTION = "What did the flood barrier cost?"
SUPPORTED = "The barrier was installed last year at a cost of 19.5 million pounds [1]."
# A total deadline of 2 s against a server that sends a byte every 0.5 s: each read is well within
# the per-read timeout, so only the total deadline ends the call.
DEADLINE_S = 2.0
DRIP_S = 0.5
FAULTS = ["html", "garbage", "broken_sse", "drip", "empty", "error", "down"]
ROUTES = ["ask", "ask-stream", "chat", "chat-stream", "summarize", "digest"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """samples/ ingested once; every client below opens the same index with its own model endpoint.

    The digest cache lives in it too: no test here may make a digest succeed, or later digest
    requests would be answered from the cache whatever the model does.
    """
    folder = tmp_path_factory.mktemp("faults") / "data"
    Services(Settings(data_dir=folder), embedder=embedder).ingestor.ingest_paths([REPO_ROOT / "samples"])
    return folder


def client_for(data_dir: Path, embedder, base_url: str, degrade: bool = True) -> TestClient:
    settings = Settings(data_dir=data_dir, llm={
        "backend": "openai", "base_url": base_url, "model": "stub", "timeout_s": DEADLINE_S,
        "max_retries": 0, "degrade_on_failure": degrade})
    return TestClient(create_app(services=Services(settings, embedder=embedder)), raise_server_exceptions=False)


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    mode = request.param
    if mode == "down":
        from tests.fault_server import down_url

        with nullcontext(down_url()) as url:
            yield url
    else:
        with fault_server(mode, reply=SUPPORTED, drip_s=DRIP_S) as url:
            yield url


def call(client: TestClient, route: str) -> tuple[int, dict[str, str], Any]:
    """Status, headers, and the answer: the JSON body, or the last answer of a stream."""
    chat = {"model": "newsdesk", "messages": [{"role": "user", "content": QUESTION}]}
    requests = {
        "ask": ("POST", "/v1/ask", {"question": QUESTION}),
        "ask-stream": ("POST", "/v1/ask", {"question": QUESTION, "stream": True}),
        "chat": ("POST", "/v1/chat/completions", chat),
        "chat-stream": ("POST", "/v1/chat/completions", {**chat, "stream": True}),
        "summarize": ("POST", "/v1/summarize", {"query": "flood barrier"}),
        "digest": ("GET", "/v1/digest?date=2026-11-23", None),
    }
    method, path, body = requests[route]
    response = client.request(method, path, json=body)
    if not route.endswith("stream") or response.status_code != 200:
        return response.status_code, dict(response.headers), response.json()
    return response.status_code, dict(response.headers), last_answer(route, response.text)


def last_answer(route: str, text: str) -> dict[str, Any]:
    """The answer event of /v1/ask, or the closing chunk (or error) of a chat stream; the closing
    chunk carries `citations`, `refused` and `degraded` beside its choices."""
    if route == "ask-stream":
        events = text.split("\n\n")
        answers = [e for e in events if e.startswith("event: answer")]
        assert answers, f"the stream has no answer event: {text[-300:]!r}"
        return json.loads(answers[-1].split("data: ", 1)[1])
    data = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]
    assert text.rstrip().endswith("data: [DONE]")
    if "error" in data[-1]:
        return data[-1]
    closing = data[-1]
    assert closing["choices"][0]["finish_reason"] == "stop"
    return closing


@pytest.mark.parametrize("endpoint", FAULTS, indirect=True)
@pytest.mark.parametrize("route", ROUTES)
def test_a_model_fault_degrades_or_is_503_never_500_nor_a_refusal(data_dir, embedder, endpoint, route) -> None:
    status, headers, body = call(client_for(data_dir, embedder, endpoint), route)
    if route in ("summarize", "digest"):
        # No answer can be made of passages alone for a summary: the model is needed.
        assert status == 503, body
        assert headers["retry-after"] and body["detail"]
        return
    assert status == 200, body
    assert body["degraded"] is True, body
    assert body["refused"] is False and body["citations"]


@pytest.mark.parametrize("endpoint", ["ok"], indirect=True)
@pytest.mark.parametrize("route", ["ask", "ask-stream", "chat", "chat-stream"])
def test_a_working_model_is_not_degraded(data_dir, embedder, endpoint, route) -> None:
    status, _, body = call(client_for(data_dir, embedder, endpoint), route)
    assert status == 200 and body["degraded"] is False and body["refused"] is False


@pytest.mark.parametrize("endpoint", ["down", "html"], indirect=True)
@pytest.mark.parametrize("route", ["ask", "ask-stream", "chat", "chat-stream"])
def test_without_degrading_a_model_fault_is_503_with_retry_after(data_dir, embedder, endpoint, route) -> None:
    status, headers, body = call(client_for(data_dir, embedder, endpoint, degrade=False), route)
    assert status == 503, body
    assert headers["retry-after"]
    if route.startswith("chat"):
        assert body["error"]["message"], "OpenAI clients read error.message"


@pytest.mark.parametrize("endpoint", ["drip"], indirect=True)
def test_one_total_deadline_whatever_the_reads(data_dir, embedder, endpoint) -> None:
    import time

    client = client_for(data_dir, embedder, endpoint)
    started = time.monotonic()
    status, _, body = call(client, "ask")
    assert status == 200 and body["degraded"] is True
    assert time.monotonic() - started < DEADLINE_S + 1.5


@pytest.mark.parametrize("reply", ["   ", "... --- ...", "<!doctype html><html><body>Gateway</body></html>"])
@pytest.mark.parametrize("route", ["ask", "ask-stream", "chat", "chat-stream"])
def test_a_wordless_reply_is_a_fault_not_a_refusal(data_dir, embedder, route: str, reply: str) -> None:
    """Row 10: an empty or garbage reply was verified into "The articles do not say.", refused."""
    with fault_server("ok", reply=reply) as url:
        status, _, body = call(client_for(data_dir, embedder, url), route)
    assert status == 200 and body["degraded"] is True and body["refused"] is False


@pytest.mark.parametrize("endpoint", ["down"], indirect=True)
def test_streamed_and_plain_degraded_answers_are_the_same(data_dir, embedder, endpoint) -> None:
    """Row 9: the stream ended in an error event where the plain request degraded."""
    client = client_for(data_dir, embedder, endpoint)
    plain, streamed = call(client, "ask")[2], call(client, "ask-stream")[2]
    assert streamed["degraded"] and streamed["answer"] == plain["answer"]
    assert streamed["citations"] == plain["citations"]
