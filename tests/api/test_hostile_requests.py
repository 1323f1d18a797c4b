"""Requests an attacker or a careless client sends, each of which once got a 500, a false answer or
an unsafe string out of the service (issue 15). The model is scripted; the index is samples/."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.security import hash_key
from service.components.llm import ChatRequest
from service.domain import Article
from service.settings import APIKey, Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT, ScriptedChatModel

SUPPORTED = "The barrier was installed last year at a cost of 19.5 million pounds"
CHAT = {"model": "newsdesk", "messages": [{"role": "user", "content": "What did the flood barrier cost?"}]}


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel(then=f"{SUPPORTED} [1].")


@pytest.fixture
def services(tmp_path: Path, embedder, model: ScriptedChatModel) -> Services:
    settings = Settings(data_dir=tmp_path / "data", chunking={"max_tokens": 1024, "overlap_tokens": 0})
    services = Services(settings, embedder=embedder, chat_model=model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    return services


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services), raise_server_exceptions=False)


def test_time_words_before_year_one_are_no_window(client: TestClient) -> None:
    """Row 1: "yesterday" as of 0001-01-01 was an OverflowError, a 500, on three routes."""
    ask = {"question": "What happened yesterday?", "as_of": "0001-01-01"}
    assert client.post("/v1/ask", json=ask).status_code == 200
    assert client.post("/v1/summarize", json={"query": "the flood yesterday", "as_of": "0001-01-01"}).status_code == 200
    chat = {**CHAT, "messages": [{"role": "user", "content": ask["question"]}], "as_of": "0001-01-01"}
    assert client.post("/v1/chat/completions", json=chat).status_code == 200
    assert client.post("/v1/ask", json={**ask, "as_of": "9999-12-31", "question": "What happened this month?"}).status_code == 200


@pytest.mark.parametrize(("path", "body"), [("/v1/search", {"query": "flood"}), ("/v1/ask", {"question": "flood?"}),
                                            ("/v1/summarize", {"query": "flood"}), ("/v1/chat/completions", CHAT)])
def test_too_many_sources_is_422_with_the_limit(client: TestClient, path: str, body: dict) -> None:
    """Row 2: 40,000 sources were 40,000 SQL variables, a 500."""
    response = client.post(path, json={**body, "sources": [f"s{i}.example" for i in range(40_000)]})
    assert response.status_code == 422 and "100" in response.text
    assert len(response.content) < 2_000, "the 422 must not echo the input"


def test_too_many_sources_in_a_query_string_is_422(client: TestClient) -> None:
    many = "&".join(f"source=s{i}.example" for i in range(101))
    assert client.get(f"/v1/articles?{many}").status_code == 422
    assert client.get(f"/v1/digest?date=2026-11-23&{many.replace('source=', 'sources=')}").status_code == 422


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/ask", {"question": "What did the barrier cost \ud800?"}),
    ("/v1/search", {"query": "barrier \udfff"}),
    ("/v1/chat/completions", {**CHAT, "messages": [{"role": "user", "content": "barrier \ud800 cost?"}]}),
    ("/v1/articles", {"articles": [{"title": "T", "text": "secret \ud800 text", "published_at": "2026-03-02"}]}),
    ("/v1/articles/files", {"files": [{"name": "a.txt", "content": "date 2026-03-02 T\n\nsecret \ud800\n"}]}),
])
def test_a_lone_surrogate_is_422_and_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture,
                                                  path: str, body: dict) -> None:
    """Row 5: a 500 whose traceback wrote the question to the log."""
    raw = json.dumps(body)  # keeps the lone surrogate as the escape \\ud800, as a client sends it
    with caplog.at_level(logging.DEBUG):
        response = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert "surrogate" in response.text
    logged = "\n".join(r.getMessage() + (str(r.exc_info) if r.exc_info else "") for r in caplog.records)
    assert "barrier" not in logged and "secret" not in logged


@pytest.mark.parametrize("path", ["/v1/search", "/v1/articles/urls", "/v1/ask"])
def test_a_body_that_is_not_utf8_is_422_like_broken_json(client: TestClient, path: str) -> None:
    """Found by the stateful fuzzing: FastAPI answered undecodable bytes with a 400 no route documents."""
    response = client.post(path, content=b"\xff \xff", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_chunked_body_over_the_limit_is_413(services: Services) -> None:
    """Row 6: without a Content-Length the limit was not applied (25 MB took 23 s of CPU)."""
    services.settings.api.max_body_bytes = 10_000
    client = TestClient(create_app(services=services), raise_server_exceptions=False)

    def pieces() -> Iterator[bytes]:
        yield b'{"query": "'
        for _ in range(50):
            yield b"x" * 1000
        yield b'"}'

    response = client.post("/v1/search", content=pieces(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and "over the limit of 10000" in response.json()["detail"]
    chat = client.post("/v1/chat/completions", content=pieces(), headers={"content-type": "application/json"})
    assert chat.status_code == 413 and chat.json()["error"]["message"]


@pytest.mark.parametrize("markup", [
    "<script>alert(document.cookie)</script>",
    "(pay at www.evil.example/pay)",
    "(see javascript:alert(1))",
    "[details](https://evil.example/x)",
    "<img src=x onerror=alert(1)>",
])
def test_markup_and_links_in_a_supported_sentence_are_removed(client: TestClient, model: ScriptedChatModel,
                                                              markup: str) -> None:
    """Row 12: the verifier checks claims, not markup, so the markup rode along in kept sentences."""
    model.script(f"{SUPPORTED} {markup} [1].", f"{SUPPORTED} {markup} [1].", f"{SUPPORTED} {markup} [1].")
    answer = client.post("/v1/ask", json={"question": "What did the flood barrier cost?"}).json()
    chat = client.post("/v1/chat/completions", json=CHAT).json()
    summary = client.post("/v1/summarize", json={"query": "flood barrier"}).json()
    assert not answer["refused"] and not summary["refused"], "the sentence must be kept for the test to mean anything"
    chat_answer = chat["choices"][0]["message"]["content"].split("\n\nSources:")[0]  # sources carry article URLs
    texts = [answer["answer"], *(s["text"] for s in answer["sentences"]), chat_answer, summary["answer"]]
    for text in texts:
        assert "19.5 million pounds" in text
        for unsafe in ("<", "javascript:", "www.", "evil.example", "](", "onerror"):
            assert unsafe not in text, text


def test_titles_and_urls_of_stored_articles_are_inert_in_every_output(services: Services, client: TestClient,
                                                                      model: ScriptedChatModel) -> None:
    """Row 13: an article stored before ingest checked titles and URLs (here written past the parser)."""
    hostile = Article.build(
        title="Riverside barrier [click here](javascript:alert(1)) <img src=x onerror=alert(1)>",
        text="The riverside barrier in Tarnmouth cost 7 million pounds, the council said on Friday.",
        published=__import__("datetime").date(2026, 11, 23), url="javascript:alert(1)//https://tarn.example/b",
        source="tarn.example",
    )
    services.ingestor.ingest_articles([hostile])
    model.script("The riverside barrier in Tarnmouth cost 7 million pounds [1].")
    body = {**CHAT, "messages": [{"role": "user", "content": "What did the Tarnmouth riverside barrier cost?"}],
            "sources": ["tarn.example"]}
    chat = client.post("/v1/chat/completions", json=body).json()
    content = chat["choices"][0]["message"]["content"]
    assert "Sources:" in content and "Riverside barrier click here" in content
    for unsafe in ("javascript:", "<img", "](", "onerror"):
        assert unsafe not in content
        assert unsafe not in json.dumps(chat["citations"])


def test_an_unexpected_error_on_chat_routes_has_the_openai_shape(client: TestClient, model: ScriptedChatModel) -> None:
    """Row 14: a 500 is written outside the middlewares, so it missed the {"error": ...} body."""
    def explode(request: ChatRequest) -> str:
        raise RuntimeError("secret internals")

    model.script(explode, explode)
    for body in (CHAT, {**CHAT, "stream": True}):
        response = client.post("/v1/chat/completions", json=body)
        assert response.status_code == 500
        assert "RuntimeError" in response.json()["error"]["message"]
        assert "secret internals" not in response.text


def test_a_422_does_not_echo_the_input(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "ok?", "k": "A" * 100_000})
    assert response.status_code == 422 and len(response.content) < 1_000 and "AAAA" not in response.text


@pytest.mark.parametrize("query", ["   ", "x" * 2_000_000])
def test_a_blank_or_huge_search_query_is_422(client: TestClient, query: str) -> None:
    assert client.post("/v1/search", json={"query": query}).status_code == 422


def test_failed_key_attempts_are_rate_limited(services: Services) -> None:
    services.settings.api.keys = [APIKey(name="reader", sha256=hash_key("right-key-123"), role="read")]
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    codes = [client.post("/v1/search", json={"query": "x"}, headers={"Authorization": f"Bearer wrong-{i}"}).status_code
             for i in range(30)]
    assert codes[0] == 401 and codes[-1] == 429


def test_a_digest_of_the_calendars_first_day_is_422(client: TestClient) -> None:
    """A digest compares with the day before, which 0001-01-01 does not have (an OverflowError, a 500)."""
    record = {"title": "Year one", "text": "A council met in year one and approved 3 bridges.", "published_at": "0001-01-01"}
    assert client.post("/v1/articles", json={"articles": [record]}).json()["ingested"] == 1
    assert client.get("/v1/digest?date=0001-01-01").status_code == 422
    assert client.get("/v1/digest?date=0001-01-02").status_code == 200
