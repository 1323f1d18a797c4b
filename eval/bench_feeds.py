"""Feed polling benchmark: 20 local feeds of 50 entries, half of them new, then a poll with nothing new.

    .venv/bin/python eval/bench_feeds.py [--feeds 20 --entries 50 --out eval/runs/bench-feeds]

Feeds are served from 127.0.0.1 by the tests' loopback server (ETag on every feed). Half the feeds
carry full text in the feed; the other half carry teasers, so each new entry's page is fetched and
extracted. Before the measured poll, every feed is polled once holding only its older half: the
measured poll then finds half its entries new. Embedding time is measured inside the same poll by
timing the embedder's calls. Prints a table and writes bench.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

# The loopback server and page builders are the tests' own: the benchmark serves what they test.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.components.embedder import Embedder, LocalMiniLMEmbedder
from service.settings import Settings
from service.wiring import Services
from tests.feeds.samples import Story, page, rss20
from tests.feeds.web import LoopbackWeb, Route

TOPICS = ["ferry", "tram", "school", "hospital", "bridge", "harbour", "library", "stadium", "water", "power"]


class TimedEmbedder:
    """The real embedder, with the seconds spent in it added up."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.seconds, self.texts = inner, 0.0, 0
        self.seen: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.inner.embed_batch(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
            self.seen += texts


def bench_story(feed: int, n: int) -> Story:
    topic, place = TOPICS[n % len(TOPICS)], f"Port {feed}-{n}"
    return Story(
        slug=f"f{feed}-{n}",
        title=f"{place} approves {topic} plan after {n + 3} hour debate",
        paragraphs=(
            f"Councillors in {place} voted {n % 9 + 5} to 2 late on Monday to approve the {topic} plan, "
            f"ending a debate that lasted {n + 3} hours and drew hundreds of residents to the town hall.",
            f"The {topic} plan will cost {n + 10} million dollars over {n % 5 + 2} years, the finance "
            f"office said, with the first work in {place} due to begin in the spring.",
            f"Supporters said the {topic} plan was overdue. Opponents said the money was better spent "
            "on roads and promised to challenge the vote at the regional court.",
            f"A spokesperson for the mayor of {place} said a public consultation on the details of the "
            f"{topic} plan would open next month and run for {n % 4 + 4} weeks.",
        ),
        date=f"2026-03-{n % 28 + 1:02d}",
    )


def serve_feed(web: LoopbackWeb, feed: int, entries: int, version: str) -> None:
    full = feed % 2 == 0
    items = []
    for n in range(entries):
        s = bench_story(feed, n)
        link = web.url(f"/f{feed}/{s.slug}")
        if not full:
            web.serve(f"/f{feed}/{s.slug}", Route(page(s)))
        items.append((s, link))
    web.serve(f"/feed{feed}.xml", Route(rss20(items, full=full), content_type="application/rss+xml",
                                        etag=f'"{feed}-{version}"'))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--out", type=Path, default=Path("eval/runs/bench-feeds"))
    args = parser.parse_args()
    web = LoopbackWeb()
    embedder = TimedEmbedder(LocalMiniLMEmbedder(threads=2))
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), feeds={"allow_private_addresses": True})
        services = Services(settings, embedder=embedder)  # type: ignore[arg-type]
        old = args.entries // 2
        for feed in range(args.feeds):
            serve_feed(web, feed, old, "old")
            services.feed_registry.add(web.url(f"/feed{feed}.xml"))
        setup = services.feed_poller.poll(force=True)
        assert all(r.outcome == "ok" for r in setup.feeds), [r.error for r in setup.feeds if r.error]

        for feed in range(args.feeds):
            serve_feed(web, feed, args.entries, "new")
        embedder.seconds, embedder.texts, embedder.seen = 0.0, 0, []
        requests_before = len(web.requests)
        first = services.feed_poller.poll(force=True)
        new_articles = sum(r.ingested for r in first.feeds)
        first_requests = len(web.requests) - requests_before
        embed_seconds, embedded, texts = embedder.seconds, embedder.texts, embedder.seen

        requests_before = len(web.requests)
        second = services.feed_poller.poll(force=True)
        answered_304 = sum(1 for r in web.requests[requests_before:] if r.status == 304)
        services.fetcher.close()
    web.close()
    # The same texts through the bare embedder in full batches, right after: a yardstick for how much
    # of the poll's embedding time is the model itself on this machine at this moment.
    batch = settings.embedding.batch_size
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        embedder.inner.embed_batch(texts[start : start + batch])
    bare_rate = len(texts) / max(time.perf_counter() - started, 1e-9)

    result = {
        "feeds": args.feeds, "entries_per_feed": args.entries,
        "first_poll": {
            "seconds": round(first.seconds, 2), "new_articles": new_articles,
            "articles_per_second": round(new_articles / first.seconds, 1),
            "embedding_seconds": round(embed_seconds, 2), "chunks_embedded": embedded,
            "embedding_share": round(embed_seconds / first.seconds, 3),
            "bare_embedder_chunks_per_second": round(bare_rate, 1),
            "http_requests": first_requests, "pages_fetched": sum(r.pages_fetched for r in first.feeds),
            "failed_feeds": sum(r.outcome == "failed" for r in first.feeds),
        },
        "second_poll": {
            "seconds": round(second.seconds, 3), "answered_304": answered_304,
            "outcomes": sorted({r.outcome for r in second.feeds}),
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2))
    f, s = result["first_poll"], result["second_poll"]
    print(f"first poll: {f['new_articles']} new articles in {f['seconds']} s = {f['articles_per_second']}/s; "
          f"embedding {f['embedding_seconds']} s ({f['embedding_share']:.0%}, {f['chunks_embedded']} chunks; "
          f"bare embedder {f['bare_embedder_chunks_per_second']} chunks/s); "
          f"{f['http_requests']} requests, {f['pages_fetched']} pages fetched")
    print(f"second poll: {s['seconds']} s, {s['answered_304']} of {args.feeds} feeds answered 304")


if __name__ == "__main__":
    main()
