"""Poll rounds against real loopback feeds: each format, pages, 304s, failures, duplicates."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from service.feeds.pages import ingest_urls
from service.wiring import Services
from tests.feeds.samples import MENU, atom, page, rss091, rss10, rss20, story
from tests.feeds.web import LoopbackWeb, Route

RSS = "application/rss+xml"


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, 0

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.inner.embed_batch(texts)


def test_each_feed_format_gives_its_articles(web: LoopbackWeb, feed_services: Services) -> None:
    feeds = {
        "/rss20.xml": rss20([(story(1), web.url("/a/1")), (story(2), web.url("/a/2"))]),
        "/rss091.xml": rss091([(story(3), web.url("/a/3")), (story(4), web.url("/a/4"))]),
        "/rss10.rdf": rss10([(story(5), web.url("/a/5")), (story(6), web.url("/a/6"))]),
        "/atom.xml": atom([(story(7), web.url("/a/7")), (story(8), web.url("/a/8"))]),
    }
    for path, body in feeds.items():
        feed_services.feed_registry.add(web.serve(path, Route(body, content_type=RSS)))
    report = feed_services.feed_poller.poll()
    assert [(r.outcome, r.entries, r.ingested, r.pages_fetched) for r in report.feeds] == [("ok", 2, 2, 0)] * 4
    assert not any(r.path.startswith("/a/") for r in web.requests)  # full content: no page fetched
    by_title = {a.title: a for a in feed_services.store.list_articles()}
    for n in range(1, 9):
        article = feed_services.store.get_article(by_title[story(n).title].id)
        assert article is not None and article.text == story(n).text
        # RSS 0.91 items carry no date: such an entry is dated the day it was read.
        today = dt.datetime.now(dt.UTC).date()
        assert article.published == (today if n in {3, 4} else dt.date(2026, 3, 2))
        assert article.url == web.url(f"/a/{n}")
    assert by_title[story(7).title].authors == ["Ana Ruiz"]  # Atom author
    assert by_title[story(5).title].authors == ["Ana Ruiz"]  # RSS 1.0 dc:creator
    states = {f.url: f for f in feed_services.feed_registry.all()}
    assert all(s.entries_seen == 2 and s.articles_ingested == 2 and s.last_error is None for s in states.values())


@pytest.mark.parametrize("make_feed", [rss20, atom])
def test_entry_without_content_gets_its_page_extracted(web: LoopbackWeb, feed_services: Services, make_feed) -> None:
    s = story(11)
    link = web.serve("/news/ferry-11", Route(page(s)))
    feed_services.feed_registry.add(web.serve("/feed", Route(make_feed([(s, link)], full=False), content_type=RSS)),
                                    source="herald")
    result = feed_services.feed_poller.poll().feeds[0]
    assert (result.ingested, result.pages_fetched, result.entry_errors) == (1, 1, [])
    (article,) = feed_services.store.list_articles()
    stored = feed_services.store.get_article(article.id)
    assert stored is not None and stored.text == s.text and stored.source == "herald"
    assert not any(item in stored.text for item in MENU)
    assert web.hits("/news/ferry-11") == 1


def test_second_poll_answered_304_fetches_and_embeds_nothing(web: LoopbackWeb, feed_services: Services) -> None:
    counting = CountingEmbedder(feed_services.embedder)
    services = Services(feed_services.settings, embedder=counting)  # type: ignore[arg-type]
    items = [(story(n), web.serve(f"/p/{n}", Route(page(story(n))))) for n in range(20, 23)]
    validators = {"etag": '"feed-v1"', "last_modified": "Mon, 02 Mar 2026 09:00:00 GMT"}
    services.feed_registry.add(web.serve("/tagged.xml", Route(rss20(items, full=False), content_type=RSS, **validators)))
    # A feed without validators: its body comes back, but seen entries' pages are not fetched again.
    plain = [(story(n), web.url(f"/p/{n}")) for n in range(20, 23)]
    services.feed_registry.add(web.serve("/plain.xml", Route(rss20(plain, full=False), content_type=RSS)))

    first = services.feed_poller.poll()
    assert sum(r.ingested + r.unchanged for r in first.feeds) == 6 and counting.texts > 0
    embedded, pages, chunks = counting.texts, len([r for r in web.requests if r.path.startswith("/p/")]), \
        services.store.count_chunks()

    second = services.feed_poller.poll(force=True)
    assert [r.outcome for r in second.feeds] == ["not_modified", "ok"]
    assert web.hits("/tagged.xml", status=304) == 1
    assert len([r for r in web.requests if r.path.startswith("/p/")]) == pages  # no page fetched again
    assert counting.texts == embedded and services.store.count_chunks() == chunks
    services.fetcher.close()


def test_broken_feeds_report_errors_and_never_stop_the_others(web: LoopbackWeb, feed_services: Services) -> None:
    registry, poller = feed_services.feed_registry, feed_services.feed_poller
    good = web.serve("/good.xml", Route(rss20([(story(30), web.url("/g/30"))]), content_type=RSS))
    broken = {
        web.serve("/slow.xml", Route(rss20([]), delay_s=2.5)): "timed out",
        web.serve("/500.xml", Route(b"oops", status=500)): "HTTP 500",
        web.serve("/notxml.xml", Route(b'{"this": "is json"}', content_type="application/json")): "not an RSS or Atom",
        web.serve("/loop.xml", Route(location="/loop.xml")): "redirect loop",
    }
    for url in [*broken, good]:
        registry.add(url)
    results = {r.url: r for r in poller.poll().feeds}
    assert results[good].outcome == "ok" and results[good].ingested == 1
    states = {s.url: s for s in registry.all()}
    for url, reason in broken.items():
        assert results[url].outcome == "failed" and reason in (results[url].error or "")
        assert reason in (states[url].last_error or "") and states[url].consecutive_failures == 1
        assert states[url].next_poll and states[url].next_poll.timestamp() > time.time() + 14 * 60  # backoff
    assert registry.due(time.time()) == []

    # A feed that worked and then breaks keeps its last good state and backs off further each time.
    web.routes["/good.xml"] = Route(b"down", status=500)
    poller.poll(force=True)
    poller.poll(force=True)
    state = registry.get(good)
    assert state is not None
    assert state.last_success is not None and state.entries_seen == 1 and state.articles_ingested == 1
    assert state.consecutive_failures == 2 and "HTTP 500" in (state.last_error or "")
    assert state.next_poll and state.next_poll.timestamp() > time.time() + 29 * 60  # twice the interval


def test_page_seen_again_with_tracking_parameters_is_one_article(web: LoopbackWeb, feed_services: Services) -> None:
    s = story(40)
    canonical = web.url("/story-40")
    web.serve("/story-40", Route(page(s, canonical=canonical)))
    report = ingest_urls(feed_services.fetcher, feed_services.ingestor, [canonical])
    assert report.ingested == 1
    # Feed A links it with utm_ tracking: known already, not even fetched.
    feed_a = web.serve("/a.xml", Route(rss20([(s, canonical + "?utm_source=rss&utm_medium=feed")], full=False),
                                       content_type=RSS))
    # Feed B links it with a parameter only the page's rel=canonical can explain away.
    feed_b = web.serve("/b.xml", Route(rss20([(s, canonical + "?from=partner-feed")], full=False), content_type=RSS))
    feed_services.feed_registry.add(feed_a)
    feed_services.feed_registry.add(feed_b)
    results = {r.url: r for r in feed_services.feed_poller.poll().feeds}
    assert (results[feed_a].pages_fetched, results[feed_a].unchanged) == (0, 1)
    assert (results[feed_b].pages_fetched, results[feed_b].unchanged, results[feed_b].ingested) == (1, 1, 0)
    assert feed_services.store.count_articles() == 1
    assert web.hits("/story-40") == 2  # ingest_urls, then feed B; never feed A


def test_private_address_feed_refused_when_not_allowed(web: LoopbackWeb, feed_services: Services) -> None:
    strict = Services(feed_services.settings.model_copy(
        update={"feeds": feed_services.settings.feeds.model_copy(update={"allow_private_addresses": False})}),
        embedder=feed_services.embedder)
    url = web.serve("/feed.xml", Route(rss20([(story(50), web.url("/x"))]), content_type=RSS))
    strict.feed_registry.add(url)  # as if added while allowed, or by editing the state file
    result = strict.feed_poller.poll().feeds[0]
    assert result.outcome == "failed" and "loopback" in (result.error or "")
    assert web.requests == []
    strict.fetcher.close()


def test_failed_and_deferred_pages_are_tried_again_even_behind_a_304(web: LoopbackWeb, feed_services: Services) -> None:
    settings = feed_services.settings.model_copy(
        update={"feeds": feed_services.settings.feeds.model_copy(update={"max_pages_per_poll": 2})})
    services = Services(settings, embedder=feed_services.embedder)
    items = [(story(n), web.url(f"/q/{n}")) for n in range(80, 84)]
    for s, link in items:
        web.serve(link.removeprefix(web.base), Route(page(s)))
    web.routes["/q/80"] = Route(b"down", status=500)
    web.serve("/q.xml", Route(rss20(items, full=False), content_type=RSS, etag='"same"'))
    services.feed_registry.add(web.url("/q.xml"))

    first = services.feed_poller.poll().feeds[0]
    assert (first.pages_fetched, first.pages_deferred, first.ingested) == (2, 2, 1)
    assert "HTTP 500" in first.entry_errors[0]
    web.routes["/q/80"] = Route(page(story(80)))
    second = services.feed_poller.poll(force=True).feeds[0]
    assert second.outcome == "ok" and web.hits("/q.xml", status=304) == 0  # validators were not kept
    assert (second.pages_fetched, second.pages_deferred, second.ingested) == (2, 1, 2)
    third = services.feed_poller.poll(force=True).feeds[0]
    assert (third.pages_fetched, third.ingested) == (1, 1)
    fourth = services.feed_poller.poll(force=True).feeds[0]
    assert fourth.outcome == "not_modified" and services.store.count_articles() == 4
    services.fetcher.close()


def test_undated_entry_keeps_the_day_it_was_first_read(
    web: LoopbackWeb, feed_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from service.feeds import polling

    web.serve("/old.xml", Route(rss091([(story(90), web.url("/u/90"))]), content_type=RSS))
    feed_services.feed_registry.add(web.url("/old.xml"))
    assert feed_services.feed_poller.poll().feeds[0].ingested == 1

    class Tomorrow(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime.now(tz) + dt.timedelta(days=1)

    monkeypatch.setattr(polling, "dt", SimpleNamespace(datetime=Tomorrow, UTC=dt.UTC, date=dt.date))
    again = feed_services.feed_poller.poll(force=True).feeds[0]
    assert (again.unchanged, again.updated) == (1, 0)
    (article,) = feed_services.store.list_articles()
    assert article.published == dt.datetime.now(dt.UTC).date()
