"""Prometheus metrics: one registry per app, record functions for the routes, and GET /metrics.

Each app gets its own registry, so tests (and several apps in one process) never share counters.
Counters live in the process: `newsdesk serve` runs one process; when several API processes run
behind a balancer (Chroma in server mode), scrape each one and let Prometheus sum them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from service.domain import Answer
from service.ingest.pipeline import IngestReport

# The *_created series (when each counter was made) double the output and say nothing useful here.
disable_created_metrics()
# Seconds: health checks take milliseconds, a local model's answer tens of seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
UNROUTED = "<unrouted>"


class _IndexSize(Collector):
    """Articles and chunks in the store, read at scrape time so the gauges are never stale."""

    def __init__(self, counts: Callable[[], tuple[int, int]]) -> None:
        self._counts = counts

    def collect(self) -> Iterator[Metric]:
        articles, chunks = self._counts()
        yield GaugeMetricFamily("newsdesk_index_articles", "Articles in the index.", value=articles)
        yield GaugeMetricFamily("newsdesk_index_chunks", "Chunks (passages) in the index.", value=chunks)


class Metrics:
    def __init__(self, index_counts: Callable[[], tuple[int, int]]) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter("newsdesk_http_requests", "HTTP requests by route template and status.",
                                labels, registry=self.registry)
        self.latency = Histogram("newsdesk_http_request_duration_seconds",
                                 "Time to the response's start (for streams: the first bytes).",
                                 labels, buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.stage = Histogram("newsdesk_answer_stage_seconds", "Answer time by stage (retrieve, generate, verify, total).",
                               ["stage"], buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.answers = Counter("newsdesk_answers", "Answers by result (answered, refused, degraded).",
                               ["result"], registry=self.registry)
        self.tokens = Counter("newsdesk_llm_tokens", "Model tokens: prompt (in) and completion (out).",
                              ["kind"], registry=self.registry)
        self.sentences = Counter("newsdesk_verified_sentences",
                                 "Answer sentences by verification outcome (kept, corrected, dropped).",
                                 ["outcome"], registry=self.registry)
        self.ingested = Counter("newsdesk_ingest_articles", "Articles posted to the API by outcome "
                                "(ingested, updated, unchanged, failed).", ["outcome"], registry=self.registry)
        self.chunks_added = Counter("newsdesk_ingest_chunks", "Chunks embedded and stored by API ingests.",
                                    registry=self.registry)
        self.registry.register(_IndexSize(index_counts))
        # Label values exist from the start, so a dashboard shows 0 rather than no data.
        for outcome in ("kept", "corrected", "dropped"):
            self.sentences.labels(outcome)
        for outcome in ("ingested", "updated", "unchanged", "failed"):
            self.ingested.labels(outcome)
        for result in ("answered", "refused", "degraded"):
            self.answers.labels(result)
        for kind in ("prompt", "completion"):
            self.tokens.labels(kind)

    def record_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def record_answer(self, answer: Answer) -> None:
        for key, ms in answer.timings.items():
            if key.endswith("_ms"):
                self.stage.labels(key.removesuffix("_ms")).observe(ms / 1000)
        self.answers.labels("degraded" if answer.degraded else "refused" if answer.refused else "answered").inc()
        self.tokens.labels("prompt").inc(answer.usage.prompt_tokens)
        self.tokens.labels("completion").inc(answer.usage.completion_tokens)
        # Dropped sentences stay in `sentences` with verified=False; corrected ones are kept with a new
        # citation. A refusal shows none of them, even supported ones that did not answer the question.
        for sentence in answer.sentences:
            dropped = answer.refused or not sentence.verified
            outcome = "dropped" if dropped else "corrected" if sentence.corrected else "kept"
            self.sentences.labels(outcome).inc()

    def record_ingest(self, report: IngestReport) -> None:
        self.ingested.labels("ingested").inc(report.ingested)
        self.ingested.labels("updated").inc(report.updated)
        self.ingested.labels("unchanged").inc(report.unchanged)
        self.ingested.labels("failed").inc(len(report.failed))
        self.chunks_added.inc(report.chunks_added)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_template(request: Request) -> str:
    """The matched route's path template ("/v1/articles/{article_id}"), never the raw path:
    raw paths carry ids and would make one time series per article. Requests answered before
    routing (unknown paths, bodies over the size limit) have no route and share one label."""
    route = request.scope.get("route")
    return str(route.path) if route is not None and hasattr(route, "path") else UNROUTED


def app_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[Metrics, Depends(app_metrics)]

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                     "description": "Prometheus text exposition format."}},
)
def metrics(metrics: MetricsDep) -> Response:
    """Request counts and latencies by route, answer stage times, tokens, verification outcomes,
    ingest counts and the index size, in Prometheus text format."""
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
