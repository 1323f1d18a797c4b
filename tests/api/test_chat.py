"""The OpenAI-compatible endpoint through the real `openai` client against a real server process
(SmolLM2-135M, samples ingested), plus fast checks of the request handling that needs no model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from service.api.chat_schemas import ChatMessageIn, ContentPart
from service.api.routes.chat import answer_text, message_text
from service.api.security import hash_key
from service.domain import Answer, Citation, DateRange, Usage
from tests.conftest import REPO_ROOT, free_port, wait_until_up

KEY = "chat-reader-key-789"
QUESTION = "What did the flood barrier cost?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`newsdesk serve --ingest samples` with one read key and JSON logs; yields base URL and log file."""
    folder = tmp_path_factory.mktemp("chat")
    keys = [{"name": "chat", "sha256": hash_key(KEY), "role": "read"}]
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(folder / "data"), "NEWSDESK_MODELS_DIR": str(folder / "models"),
           "NEWSDESK_LLM__PRESET": "smollm2-135m", "NEWSDESK_LLM__CONTEXT_TOKENS": "2048",
           "NEWSDESK_LLM__MAX_ANSWER_TOKENS": "96", "NEWSDESK_API__KEYS": json.dumps(keys),
           "NEWSDESK_API__LOG_FORMAT": "json"}
    port, log_path = free_port(), folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--ingest", str(REPO_ROOT / "samples")],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", seconds=300)
            yield f"http://127.0.0.1:{port}", log_path
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def openai_client(server: tuple[str, Path]) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server[0]}/v1", api_key=KEY, max_retries=0, timeout=300)


@pytest.mark.slow
def test_models_list_the_one_model(openai_client: openai.OpenAI) -> None:
    assert [m.id for m in openai_client.models.list()] == ["newsdesk"]
    assert openai_client.models.retrieve("newsdesk").owned_by == "newsdesk"
    with pytest.raises(openai.NotFoundError) as caught:
        openai_client.models.retrieve("gpt-4o")
    assert caught.value.code == "model_not_found"


@pytest.mark.slow
def test_a_question_gets_a_cited_completion(openai_client: openai.OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="newsdesk", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": QUESTION}],
        temperature=0.7, max_tokens=20, top_p=0.9, user="someone",  # accepted and ignored
    )
    [choice] = completion.choices
    assert completion.object == "chat.completion" and completion.model == "newsdesk"
    assert choice.message.role == "assistant" and choice.message.content and choice.finish_reason == "stop"
    usage = completion.usage
    assert usage is not None and usage.prompt_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    extra = completion.model_extra or {}
    assert extra["retrieval_query"] == QUESTION
    citations = extra["citations"]
    assert isinstance(citations, list)
    for citation in citations:
        assert f"[{citation['n']}] {citation['title']} — {citation['source']}" in choice.message.content
    assert ("Sources:" in choice.message.content) == bool(citations)


@pytest.mark.slow
def test_streaming_sends_chunks_then_citations_usage_and_done(openai_client: openai.OpenAI, server: tuple[str, Path]) -> None:
    chunks = list(openai_client.chat.completions.create(
        model="newsdesk", messages=[{"role": "user", "content": QUESTION}], stream=True,
        stream_options={"include_usage": True},
    ))
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    [final] = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert isinstance((final.model_extra or {})["citations"], list)
    assert chunks[-1].choices == [] and chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens > 0

    # The wire format itself: data lines (comments allowed), ending with [DONE].
    body = {"model": "newsdesk", "messages": [{"role": "user", "content": QUESTION}], "stream": True}
    with httpx.stream("POST", f"{server[0]}/v1/chat/completions", json=body, timeout=300,
                      headers={"Authorization": f"Bearer {KEY}"}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line and not line.startswith(":")]
    assert all(line.startswith("data: ") for line in lines) and lines[-1] == "data: [DONE]"
    assert json.loads(lines[0][6:])["object"] == "chat.completion.chunk"


@pytest.mark.slow
def test_a_follow_up_is_answered_with_the_earlier_topic(openai_client: openai.OpenAI) -> None:
    completion = openai_client.chat.completions.create(model="newsdesk", messages=[
        {"role": "user", "content": "What did the Millbrook flood barrier cost?"},
        {"role": "assistant", "content": "According to the council, it cost 48 million pounds [1]."},
        {"role": "user", "content": "and when will it be finished?"},
    ])
    query = (completion.model_extra or {})["retrieval_query"]
    assert query.startswith("When will it be finished?")
    assert all(term in query for term in ("Millbrook", "flood", "barrier", "cost"))
    assert completion.choices[0].message.content


@pytest.mark.slow
def test_errors_reach_the_client_as_openai_errors(server: tuple[str, Path], openai_client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as unknown:
        openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert unknown.value.code == "model_not_found" and "newsdesk" in unknown.value.message
    with pytest.raises(openai.UnprocessableEntityError, match="over the limit"):
        openai_client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": "x" * 5000}])
    with pytest.raises(openai.UnprocessableEntityError, match="role 'user'"):
        openai_client.chat.completions.create(model="newsdesk", messages=[{"role": "system", "content": "hello"}])
    stranger = openai.OpenAI(base_url=f"{server[0]}/v1", api_key="wrong-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        stranger.models.list()


@pytest.mark.slow
def test_server_logs_are_json_lines_without_keys(server: tuple[str, Path], openai_client: openai.OpenAI) -> None:
    openai_client.models.list()
    lines = server[1].read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    [listed, *_] = [e for e in entries if e.get("route") == "/v1/models"]
    assert listed["caller"] == "key:chat" and listed["status"] == 200 and listed["request_id"]
    assert all(KEY not in line for line in lines)


def test_bad_chat_requests_are_404_or_422_before_any_model(client: TestClient) -> None:
    def post(**body: object) -> httpx.Response:
        return client.post("/v1/chat/completions", json={"model": "newsdesk", **body})

    unknown = post(model="other", messages=[{"role": "user", "content": "hi"}])
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "model_not_found"
    assert post(messages=[]).status_code == 422
    assert "is empty" in post(messages=[{"role": "user", "content": "  "}]).text
    assert "role 'user'" in post(messages=[{"role": "assistant", "content": "hi"}]).text
    assert post(messages=[{"role": "user"}], temperature="hot").status_code == 422
    assert client.get("/v1/models").json()["data"][0]["id"] == "newsdesk"


def test_message_text_reads_text_parts_only() -> None:
    parts = [ContentPart(type="text", text="What did"), ContentPart(type="image_url"), ContentPart(type="text", text="they say?")]
    assert message_text(ChatMessageIn(role="user", content=parts)) == "What did\nthey say?"
    assert message_text(ChatMessageIn(role="user")) == ""


def test_answer_text_lists_sources_under_the_answer() -> None:
    citation = Citation(n=1, article_id="a", title="Barrier approved", url="https://herald.example/b",
                        published_at="2026-11-23", source="herald.example", quote="It cost 48 million.")
    answer = Answer(answer="It cost 48 million [1].", citations=[citation], sentences=[], date_range=DateRange(),
                    model="m", usage=Usage(), timings={})
    assert answer_text(answer) == (
        "It cost 48 million [1].\n\nSources:\n- [1] Barrier approved — herald.example, 2026-11-23, https://herald.example/b"
    )
    refused = answer.model_copy(update={"answer": "The articles do not say.", "citations": [],
                                        "closest_passages": [citation.model_copy(update={"url": None})]})
    assert answer_text(refused).endswith("Closest articles:\n- [1] Barrier approved — herald.example, 2026-11-23")


def test_errors_of_openai_routes_carry_an_openai_error_object(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json={"model": "newsdesk", "messages": [{"role": "user"}],
                                                         "temperature": "hot"})
    body = response.json()
    assert response.status_code == 422 and body["detail"]  # the documented shape stays
    assert body["error"]["type"] == "invalid_request_error" and "temperature" in body["error"]["message"]
    assert "error" not in client.post("/v1/ask", json={}).json()  # native routes are unchanged
