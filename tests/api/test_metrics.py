from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.api.app import create_app
from service.api.logs import JsonFormatter, current_request_id
from service.api.metrics import Metrics
from service.api.security import hash_key
from service.domain import Answer, AnswerSentence, DateRange, Usage
from service.settings import APIKey
from service.wiring import Services
from tests.api.test_articles import RECORD


def scrape(client: TestClient, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of GET /metrics, keyed by name and sorted labels."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_and_status(services: Services) -> None:
    services.settings.api.max_body_bytes = 2000
    client = TestClient(create_app(services=services))
    client.get("/healthz")
    client.get("/healthz")
    client.get("/v1/articles/no-such-id")
    client.get("/v1/articles/another-id")
    client.post("/v1/articles", json={"articles": [{**RECORD, "text": "x" * 5000}]})  # refused before routing
    samples = scrape(client)
    requests = "newsdesk_http_requests_total"
    assert value(samples, requests, method="GET", route="/healthz", status="200") == 2
    # Raw paths carry ids: both 404s fall under the one template.
    assert value(samples, requests, method="GET", route="/v1/articles/{article_id}", status="404") == 2
    assert value(samples, requests, method="POST", route="<unrouted>", status="413") == 1
    client.get("/no/such/page")
    assert value(scrape(client), requests, method="GET", route="<unrouted>", status="404") == 1
    assert not any("no-such-id" in str(labels) for _, labels in samples)
    latency = "newsdesk_http_request_duration_seconds_count"
    assert value(samples, latency, method="GET", route="/healthz", status="200") == 2
    assert value(samples, "newsdesk_http_request_duration_seconds_bucket",
                 method="GET", route="/healthz", status="200", le="+Inf") == 2


def test_ingest_outcomes_and_index_size(client: TestClient, services: Services) -> None:
    bad = {**RECORD, "published_at": "not a date"}
    assert client.post("/v1/articles", json={"articles": [RECORD, bad]}).json()["ingested"] == 1
    client.post("/v1/articles", json={"articles": [RECORD]})
    samples = scrape(client)
    ingested = "newsdesk_ingest_articles_total"
    assert value(samples, ingested, outcome="ingested") == 1
    assert value(samples, ingested, outcome="unchanged") == 1
    assert value(samples, ingested, outcome="failed") == 1
    assert value(samples, "newsdesk_ingest_chunks_total") >= 1
    assert value(samples, "newsdesk_index_articles") == services.store.count_articles() == 1
    assert value(samples, "newsdesk_index_chunks") == services.store.count_chunks() >= 1


def _answer(sentences: list[AnswerSentence], **fields: object) -> Answer:
    return Answer(answer="x", citations=[], sentences=sentences, date_range=DateRange(), model="m",
                  usage=Usage(prompt_tokens=100, completion_tokens=20),
                  timings={"retrieve_ms": 30.0, "generate_ms": 900.0, "verify_ms": 5.0, "total_ms": 935.0},
                  **fields)


def test_answer_outcomes_tokens_and_stage_times_are_recorded() -> None:
    metrics = Metrics(lambda: (0, 0))
    metrics.record_answer(_answer([
        AnswerSentence(text="a", citations=[1], verified=True),
        AnswerSentence(text="b", citations=[2], verified=True, corrected=True),
        AnswerSentence(text="c", citations=[], verified=False),
        AnswerSentence(text="d", citations=[], verified=False),
    ]))
    metrics.record_answer(_answer([], refused=True))
    get = metrics.registry.get_sample_value
    assert [get("newsdesk_verified_sentences_total", {"outcome": o}) for o in ("kept", "corrected", "dropped")] == [1, 1, 2]
    assert get("newsdesk_llm_tokens_total", {"kind": "prompt"}) == 200
    assert get("newsdesk_llm_tokens_total", {"kind": "completion"}) == 40
    assert get("newsdesk_answers_total", {"result": "answered"}) == 1
    assert get("newsdesk_answers_total", {"result": "refused"}) == 1
    assert get("newsdesk_answer_stage_seconds_count", {"stage": "generate"}) == 2
    assert get("newsdesk_answer_stage_seconds_sum", {"stage": "retrieve"}) == pytest.approx(0.06)


@pytest.mark.slow
def test_a_real_answer_moves_the_answer_metrics(answering: Services) -> None:
    client = TestClient(create_app(services=answering), raise_server_exceptions=False)
    body = client.post("/v1/ask", json={"question": "What did the flood barrier cost?"}).json()
    samples = scrape(client)
    assert value(samples, "newsdesk_llm_tokens_total", kind="prompt") == body["usage"]["prompt_tokens"] > 0
    assert value(samples, "newsdesk_llm_tokens_total", kind="completion") == body["usage"]["completion_tokens"]
    for stage in ("retrieve", "generate", "verify", "total"):
        assert value(samples, "newsdesk_answer_stage_seconds_count", stage=stage) == 1
    outcomes = {o: value(samples, "newsdesk_verified_sentences_total", outcome=o) for o in ("kept", "corrected", "dropped")}
    # A refusal shows none of its sentences, even verified ones that did not answer the question.
    shown = [s["verified"] and not body["refused"] for s in body["sentences"]]
    assert outcomes["dropped"] == shown.count(False)
    assert outcomes["kept"] + outcomes["corrected"] == shown.count(True)
    results = {r: value(samples, "newsdesk_answers_total", result=r) for r in ("answered", "refused", "degraded")}
    assert sum(results.values()) == 1
    assert value(samples, "newsdesk_http_requests_total", method="POST", route="/v1/ask", status="200") == 1


def test_metrics_need_a_read_key_once_keys_are_configured(services: Services) -> None:
    services.settings.api.keys = [APIKey(name="scraper", sha256=hash_key("scrape-key"), role="read")]
    client = TestClient(create_app(services=services))
    assert client.get("/metrics").status_code == 401
    assert value(scrape(client, Authorization="Bearer scrape-key"), "newsdesk_index_articles") == 0


def test_access_log_line_is_json_with_the_request_fields(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="newsdesk.api"):
        client.get("/v1/articles/some-id", headers={"X-Request-ID": "req42"})
    [record] = [r for r in caplog.records if r.name == "newsdesk.api"]
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert {"ts", "level", "logger", "message", "request_id", "method", "route", "status", "duration_ms",
            "caller"} <= set(entry)
    assert entry["request_id"] == "req42" and entry["route"] == "/v1/articles/{article_id}"
    assert entry["status"] == 404 and entry["method"] == "GET" and entry["level"] == "INFO"
    assert entry["caller"].startswith("ip:") and isinstance(entry["duration_ms"], float)
    assert dt.datetime.fromisoformat(entry["ts"]).tzinfo is not None


def test_lines_logged_during_a_request_carry_its_id() -> None:
    record = logging.LogRecord("newsdesk.x", logging.WARNING, __file__, 1, "store slow: %s", ("x",), None)
    token = current_request_id.set("abc123")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        current_request_id.reset(token)
    assert entry == {"ts": entry["ts"], "level": "WARNING", "logger": "newsdesk.x", "message": "store slow: x",
                     "request_id": "abc123"}
    assert "request_id" not in json.loads(JsonFormatter().format(record))
