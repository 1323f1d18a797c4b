"""The doors into feeds: /v1/feeds, POST /v1/articles/urls, /healthz freshness, `newsdesk feeds`, `ingest --url`."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.security import hash_key
from service.cli import _COMMANDS
from service.cli_parser import build_parser
from service.settings import APIKey, Settings
from service.wiring import Services
from tests.feeds.samples import page, rss20, story
from tests.feeds.web import LoopbackWeb, Route

RSS = "application/rss+xml"


def _client(services: Services, **settings: object) -> TestClient:
    if settings:
        services = Services(services.settings.model_copy(update=settings), embedder=services.embedder)
    return TestClient(create_app(services=services), raise_server_exceptions=False)


def test_feeds_add_list_poll_remove_over_http(web: LoopbackWeb, feed_services: Services) -> None:
    client = _client(feed_services)
    s = story(60)
    feed = web.serve("/feed.xml", Route(rss20([(s, web.serve("/s/60", Route(page(s))))], full=False), content_type=RSS))

    added = client.post("/v1/feeds", json={"url": feed, "source": "herald"})
    assert added.status_code == 201 and added.json()["url"] == feed
    assert client.post("/v1/feeds", json={"url": feed}).status_code == 200  # already there
    polled = client.post("/v1/feeds/poll")
    assert polled.status_code == 200
    assert polled.json()["feeds"][0]["ingested"] == 1

    (listed,) = client.get("/v1/feeds").json()
    assert listed["source"] == "herald" and listed["entries_seen"] == 1 and listed["articles_ingested"] == 1
    assert listed["last_success"] and listed["last_error"] is None

    health = client.get("/healthz").json()
    assert health["newest_article"] == "2026-03-02" and health["last_poll"]

    assert client.delete(f"/v1/feeds/{listed['id']}").status_code == 204
    assert client.get("/v1/feeds").json() == []
    assert client.delete(f"/v1/feeds/{listed['id']}").status_code == 404


def test_private_and_non_http_urls_refused_with_a_reason(web: LoopbackWeb, feed_services: Services) -> None:
    strict = feed_services.settings.feeds.model_copy(update={"allow_private_addresses": False})
    client = _client(feed_services, feeds=strict)
    url = web.serve("/feed.xml", Route(rss20([])))
    for path, body in (("/v1/feeds", {"url": url}), ("/v1/articles/urls", {"urls": [url]})):
        refused = client.post(path, json=body)
        assert refused.status_code == 422 and "loopback" in refused.json()["detail"][0]["msg"]
    for bad in ("file:///etc/passwd", "http://[", "http://a\x00b/", "not a url"):
        assert client.post("/v1/feeds", json={"url": bad}).status_code == 422, bad
        assert client.post("/v1/articles/urls", json={"urls": [bad]}).status_code == 422, bad
    assert web.requests == []


def test_feed_routes_need_write_to_change_and_read_to_list(feed_services: Services) -> None:
    keys = [APIKey(name="reader", sha256=hash_key("r-key"), role="read"),
            APIKey(name="writer", sha256=hash_key("w-key"), role="write")]
    client = _client(feed_services, api=feed_services.settings.api.model_copy(update={"keys": keys}))
    reader = {"Authorization": "Bearer r-key"}
    assert client.get("/v1/feeds", headers=reader).status_code == 200
    assert client.get("/v1/feeds").status_code == 401
    for method, path, body in (("POST", "/v1/feeds", {"url": "https://example.com/rss"}), ("POST", "/v1/feeds/poll", None),
                               ("DELETE", "/v1/feeds/abc", None), ("POST", "/v1/articles/urls", {"urls": ["https://x.example/"]})):
        assert client.request(method, path, json=body, headers=reader).status_code == 403
    assert client.post("/v1/feeds/poll", headers={"Authorization": "Bearer w-key"}).status_code == 200


def test_article_pages_by_url(web: LoopbackWeb, feed_services: Services) -> None:
    client = _client(feed_services)
    good = web.serve("/s/61", Route(page(story(61))))
    missing = web.url("/nothing-here")
    pdf = web.serve("/report.pdf", Route(b"%PDF-1.7 ...", content_type="application/pdf"))
    result = client.post("/v1/articles/urls", json={"urls": [good, missing, pdf]})
    assert result.status_code == 200
    body = result.json()
    assert body["ingested"] == 1 and len(body["article_ids"]) == 1
    assert body["failed"][0]["path"] == missing and "HTTP 404" in body["failed"][0]["error"]
    assert "application/pdf, not an HTML page" in body["failed"][1]["error"]
    article = client.get(f"/v1/articles/{body['article_ids'][0]}").json()
    assert article["title"] == story(61).title and article["authors"] == ["Ana Ruiz"]


def test_serve_polls_in_the_background(web: LoopbackWeb, feed_services: Services) -> None:
    s = story(62)
    feed_services.feed_registry.add(web.serve("/bg.xml", Route(rss20([(s, web.url("/s/62"))]), content_type=RSS)))
    with _client(feed_services) as client:  # the lifespan starts the poller
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.get("/v1/feeds").json()[0]["last_success"]:
            time.sleep(0.2)
        assert client.get("/v1/feeds").json()[0]["articles_ingested"] == 1
    assert web.hits("/bg.xml") == 1  # polled once: the next one is 15 minutes away


def _cli(services: Services, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return _COMMANDS[args.handler](args, services)


def test_command_line_feeds_and_ingest_url(
    web: LoopbackWeb, feed_services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    s = story(63)
    feed = web.serve("/cli.xml", Route(rss20([(s, web.serve("/s/63", Route(page(s))))], full=False), content_type=RSS))
    assert _cli(feed_services, "feeds", "add", feed, "--source", "herald") == 0
    assert "added" in capsys.readouterr().out
    assert _cli(feed_services, "feeds", "poll", "--json") == 0
    assert json.loads(capsys.readouterr().out)["feeds"][0]["ingested"] == 1
    assert _cli(feed_services, "feeds", "list") == 0
    listing = capsys.readouterr().out
    assert feed in listing and "1 articles ingested" in listing
    assert _cli(feed_services, "feeds", "remove", feed) == 0
    assert "removed" in capsys.readouterr().out

    page_url = web.serve("/s/64", Route(page(story(64))))
    assert _cli(feed_services, "ingest", "--url", page_url, "--url", web.url("/gone"), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ingested"] == 1 and "HTTP 404" in report["failed"][0]["error"]


def test_command_line_refuses_private_feed(feed_settings: Settings, embedder) -> None:
    strict = Services(feed_settings.model_copy(update={"feeds": feed_settings.feeds.model_copy(
        update={"allow_private_addresses": False})}), embedder=embedder)
    with pytest.raises(ValueError, match="loopback"):
        _cli(strict, "feeds", "add", "http://127.0.0.1:9/feed")


def test_web_page_shows_freshness(feed_services: Services) -> None:
    client = _client(feed_services)
    assert 'id="freshness"' in client.get("/").text
    script = client.get("/static/freshness.js")
    assert script.status_code == 200 and "/healthz" in script.text and "innerHTML" not in script.text
    health = client.get("/healthz").json()
    assert health["newest_article"] is None and health["last_poll"] is None
