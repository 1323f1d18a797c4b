"""Hypothesis against the app in-process, drawing what the schema-driven fuzzing never did: dates at
the ends of the calendar, lone surrogates, huge lists and chunked bodies. Whatever is drawn, no 5xx,
and no error body echoes the input. The model is scripted and answers at once."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api.app import create_app
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT, ScriptedChatModel

EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "20")) * 3
REPLY = "The barrier was installed last year at a cost of 19.5 million pounds [1]."

EXTREME_DATES = st.one_of(st.dates(min_value=dt.date.min, max_value=dt.date.max),
                          st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 1, 2), dt.date(9999, 12, 30)]))
DATE_TEXT = EXTREME_DATES.map(dt.date.isoformat) | st.sampled_from(["0000-01-01", "10000-01-01", "2026-02-30", ""])
ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=60)  # lone surrogates included
QUESTION = st.one_of(ANY_TEXT, st.sampled_from(["What happened yesterday?", "What happened this month?",
                                                "What did the flood barrier cost two days ago?"]))
SOURCES = st.one_of(st.none(), st.lists(ANY_TEXT, max_size=3),
                    st.integers(min_value=99, max_value=5_000).map(lambda n: [f"s{i}.example" for i in range(n)]))
MAYBE_DATE = st.none() | DATE_TEXT


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict]:
    route = draw(st.sampled_from(["ask", "search", "summarize", "chat", "articles"]))
    if route == "ask":
        return "/v1/ask", {"question": draw(QUESTION), "as_of": draw(MAYBE_DATE), "date_from": draw(MAYBE_DATE),
                           "date_to": draw(MAYBE_DATE), "sources": draw(SOURCES), "stream": draw(st.booleans())}
    if route == "search":
        return "/v1/search", {"query": draw(QUESTION), "date_from": draw(MAYBE_DATE), "sources": draw(SOURCES)}
    if route == "summarize":
        return "/v1/summarize", {"query": draw(QUESTION), "as_of": draw(MAYBE_DATE), "sources": draw(SOURCES)}
    if route == "chat":
        return "/v1/chat/completions", {"model": "newsdesk", "stream": draw(st.booleans()), "as_of": draw(MAYBE_DATE),
                                        "messages": [{"role": "user", "content": draw(QUESTION)}]}
    record = {"title": draw(ANY_TEXT), "text": draw(ANY_TEXT), "published_at": draw(DATE_TEXT),
              "url": draw(st.none() | ANY_TEXT | st.just("javascript:alert(1)")),
              "source": draw(st.none() | ANY_TEXT | st.integers()), "id": draw(st.none() | ANY_TEXT)}
    return "/v1/articles", {"articles": [record]}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder) -> TestClient:
    data: Path = tmp_path_factory.mktemp("request-fuzz") / "data"
    settings = Settings(data_dir=data, api={"max_body_bytes": 200_000, "anonymous_requests_per_minute": 1_000_000})
    services = Services(settings, embedder=embedder, chat_model=ScriptedChatModel(then=REPLY))
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    return TestClient(create_app(services=services), raise_server_exceptions=False)


def chunked(raw: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(raw), size):
        yield raw[start : start + size]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=requests(), framing=st.sampled_from(["length", "chunked"]), piece=st.integers(1, 4096))
def test_no_drawn_request_is_a_server_error(client: TestClient, request: tuple[str, dict], framing: str,
                                            piece: int) -> None:
    path, body = request
    raw = json.dumps(body).encode()  # lone surrogates travel as \ud800 escapes, as a client sends them
    content = raw if framing == "length" else chunked(raw, piece)
    response = client.post(path, content=content, headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert len(response.content) < 4_000, "an error body must not echo the input"
    elif path == "/v1/ask" and body.get("stream"):
        assert "event: answer" in response.text or "event: error" in response.text
