"""Records a careless or hostile client sends to POST /v1/articles: each fails alone with its
reason, the good records beside it are stored, and nothing half-written stays in the index."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from fastapi.testclient import TestClient

from service.domain import Article
from service.ingest.parse import InvalidArticle, article_from_record
from service.wiring import Services

GOOD = {"title": "Harbour reopens", "text": "The harbour reopened on Monday after repairs costing 3 million pounds.",
        "published_at": "2026-03-02", "url": "https://harbour-news.example/reopens"}
GOOD_DATE = dt.date(2026, 3, 2)


@pytest.fixture
def client(services: Services) -> TestClient:
    from service.api.app import create_app

    return TestClient(create_app(services=services), raise_server_exceptions=False)


def post(client: TestClient, *records: dict) -> tuple[int, dict]:
    response = client.post("/v1/articles", json={"articles": list(records)})
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"source": 7}, "'source' must be a string"),  # row 3: was a 500, the good record lost
        ({"id": 12}, "'id' must be a string"),
        ({"url": ["https://x.example"]}, "'url' must be a string"),
        ({"text": "    \n\t  "}, "no words"),  # row 4: was a false disk-full 507, or a 500 and an orphan chunk
        ({"title": "<img src=x onerror=alert(1)>"}, "no words"),
        ({"url": "javascript:alert(1)//https://harbour-news.example/x"}, "http(s) URL"),  # row 13
        ({"url": "ftp://harbour-news.example/x"}, "http(s) URL"),
        ({"id": "../../etc/passwd"}, "'id' must be"),  # row 15: was stored, then neither readable nor deletable
        ({"id": "a/b"}, "'id' must be"),
    ],
)
def test_a_bad_record_fails_alone_and_the_good_one_is_stored(client: TestClient, services: Services,
                                                             bad: dict, reason: str) -> None:
    hostile = {**GOOD, "url": "https://harbour-news.example/other", **bad}
    status, body = post(client, GOOD, hostile)
    assert status == 200, body
    assert body["ingested"] == 1 and len(body["failed"]) == 1
    assert body["failed"][0]["line"] == 1 and reason in body["failed"][0]["error"]
    # Nothing orphaned: every chunk belongs to a stored article.
    assert services.store.count_articles() == 1
    stored_id = body["article_ids"][0]
    assert services.store.count_chunks() == len(services.store.chunk_ids(stored_id))


def test_a_blank_record_alone_is_a_clear_failure_not_a_full_disk(client: TestClient, services: Services) -> None:
    status, body = post(client, {**GOOD, "text": "   "})
    assert status == 200 and body["failed"] and "no words" in body["failed"][0]["error"]
    assert services.store.count_chunks() == 0


def test_safe_ids_can_be_read_and_deleted(client: TestClient) -> None:
    status, body = post(client, {**GOOD, "id": "wire:2026-03-02_harbour.v2"})
    assert status == 200 and body["article_ids"] == ["wire:2026-03-02_harbour.v2"]
    assert client.get("/v1/articles/wire:2026-03-02_harbour.v2").status_code == 200
    assert client.delete("/v1/articles/wire:2026-03-02_harbour.v2").status_code == 204


def test_titles_are_plain_text_and_only_web_urls_are_kept() -> None:
    record = {**GOOD, "title": "x [click here](javascript:alert(1)) <img src=x onerror=alert(1)>",
              "source": "<b>wire</b>"}
    article = article_from_record(record)
    assert article.title == "x click here"
    assert article.source == "wire"
    with pytest.raises(InvalidArticle):
        article_from_record({**GOOD, "url": "JavaScript:alert(1)"})


def test_parallel_versions_of_one_url_leave_one_version_and_no_stale_chunks(services: Services) -> None:
    """Row 16: three requests storing different texts of one URL at once."""
    versions = [
        Article.build(title="Harbour reopens", text=f"Version {n}: " + "The harbour reopened after repairs. " * 40,
                      published=GOOD_DATE, url=GOOD["url"])
        for n in range(3)
    ]
    start = threading.Barrier(len(versions))
    reports = []

    def ingest(article: Article) -> None:
        start.wait()
        reports.append(services.ingestor.ingest_articles([article]))

    threads = [threading.Thread(target=ingest, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((r.ingested, r.updated) for r in reports) == [(0, 1), (0, 1), (1, 0)]
    article_id = versions[0].id
    stored = services.store.get_article(article_id)
    assert stored is not None
    chunks = services.store.get_chunks(article_id)
    assert chunks and all(c.content_hash == stored.content_hash for c in chunks)
    assert len(services.store.chunk_ids(article_id)) == len(chunks), "stale chunks of other versions stayed"

