from __future__ import annotations

from fastapi.testclient import TestClient

RECORD = {
    "title": "Dock workers strike at the port",
    "text": "About 400 dock workers walked out on Tuesday. The union said talks had failed.",
    "published_at": "2026-03-03T09:30:00+00:00",
    "url": "https://coastal-wire.example/strike",
    "authors": ["Ann Lee"],
}


def test_post_get_list_and_delete(client: TestClient) -> None:
    response = client.post("/v1/articles", json={"articles": [RECORD, {**RECORD, "published_at": "soon"}]})
    assert response.status_code == 200
    body = response.json()
    assert body["ingested"] == 1
    assert body["failed"][0]["line"] == 1 and "unparsable date" in body["failed"][0]["error"]
    [article_id] = body["article_ids"]
    assert response.headers["X-Request-ID"]

    article = client.get(f"/v1/articles/{article_id}").json()
    assert article["source"] == "coastal-wire.example"
    assert article["published_at"] == "2026-03-03"
    assert article["text"] == RECORD["text"]

    assert client.post("/v1/articles", json={"articles": [RECORD]}).json()["unchanged"] == 1
    assert len(client.get("/v1/articles", params={"date_from": "2026-03-03"}).json()) == 1
    assert client.get("/v1/articles", params={"date_to": "2026-03-02"}).json() == []
    assert client.get("/v1/articles", params={"source": "other.example"}).json() == []
    assert client.get("/healthz").json()["articles"] == 1

    assert client.delete(f"/v1/articles/{article_id}").status_code == 204
    assert client.get(f"/v1/articles/{article_id}").status_code == 404


def test_bad_requests_get_clear_4xx(client: TestClient) -> None:
    assert client.post("/v1/articles", json={"articles": []}).status_code == 422
    assert client.post("/v1/articles", json={"articles": [RECORD], "extra": 1}).status_code == 422
    assert client.get("/v1/articles", params={"date_from": "03/03/2026"}).status_code == 422
    response = client.get("/v1/articles/unknown-id")
    assert response.status_code == 404 and "unknown-id" in response.json()["detail"]


def test_batch_limit_is_413(client: TestClient, services) -> None:
    services.settings.api.max_batch_articles = 2
    response = client.post("/v1/articles", json={"articles": [RECORD] * 3})
    assert response.status_code == 413 and "limit of 2" in response.json()["detail"]


def test_search_endpoint(client: TestClient) -> None:
    client.post("/v1/articles", json={"articles": [RECORD]})
    hits = client.post("/v1/search", json={"query": "union strike", "k": 3}).json()
    assert hits[0]["title"] == RECORD["title"]
    assert RECORD["text"][hits[0]["start"] : hits[0]["end"]] == hits[0]["text"]
    assert client.post("/v1/search", json={"query": "", "k": 3}).status_code == 422
    assert client.post("/v1/search", json={"query": "x", "k": 500}).status_code == 422


def test_web_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
