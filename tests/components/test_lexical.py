"""The BM25 index over a real Chroma, both engines: exact names, date and outlet filters, fresh writes.

FTS5-only behaviour (versions, deletion, backfill, query syntax, the bounded scoring) is in
test_fts_index.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.domain import Chunk, DateRange
from service.settings import Settings
from service.wiring import Services
from tests.conftest import write_article

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
ANYTIME = DateRange()


@pytest.fixture(params=["fts5", "bm25s"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"lexical": settings.lexical.model_copy(update={"engine": request.param})})


@pytest.fixture
def services(settings: Settings, embedder, tmp_path: Path) -> Services:
    services = Services(settings, embedder=embedder)
    news = tmp_path / "news"
    write_article(news, "ferry.txt", date="2026-03-02", url="https://harborview-herald.example/ferry")
    write_article(news, "ferry-tuesday.txt", date="2026-03-03", title="Ferry tickets go on sale",
                  paragraphs=["Tickets for the expanded Harborview ferry go on sale on Friday, the operator said."],
                  url="https://coastal-wire.example/ferry-tickets")
    write_article(news, "museum.txt", date="2026-03-03", title="Painting stolen from Harborview museum",
                  paragraphs=["A painting by Elsa Brandt was stolen from the Harborview Museum of Art overnight.",
                              "Police chief Omar Reyes said the thieves entered through a skylight."],
                  url="https://metro-ledger.example/museum-theft")
    services.ingestor.ingest_paths([news])
    return services


def sources_of(hits) -> list[str]:
    return [chunk.source for chunk, _ in hits]


def test_an_exact_name_finds_its_article(services: Services) -> None:
    hits = services.lexical.search("Omar Reyes", 5, ANYTIME, None)
    assert sources_of(hits) == ["metro-ledger.example"]
    assert "Omar Reyes" in hits[0][0].text and hits[0][1] > 0


def test_words_no_chunk_has_find_nothing(services: Services) -> None:
    assert services.lexical.search("Zanzibar", 5, ANYTIME, None) == []
    assert services.lexical.search("the of and", 5, ANYTIME, None) == []


def test_the_date_range_filters(services: Services) -> None:
    assert set(sources_of(services.lexical.search("ferry", 5, ANYTIME, None))) == {
        "harborview-herald.example", "coastal-wire.example",
    }
    monday = services.lexical.search("ferry", 5, DateRange(start=MONDAY, end=MONDAY), None)
    assert sources_of(monday) == ["harborview-herald.example"]
    from_tuesday = services.lexical.search("ferry", 5, DateRange(start=TUESDAY), None)
    assert sources_of(from_tuesday) == ["coastal-wire.example"]
    assert services.lexical.search("Omar Reyes", 5, DateRange(end=MONDAY), None) == []


def test_the_outlet_filter(services: Services) -> None:
    hits = services.lexical.search("ferry", 5, ANYTIME, ["coastal-wire.example"])
    assert sources_of(hits) == ["coastal-wire.example"]
    assert services.lexical.search("Omar Reyes", 5, ANYTIME, ["coastal-wire.example"]) == []


def later_article(folder: Path) -> Path:
    write_article(folder, "bid.txt", date="2026-03-04", title="Kerrigan Marine bids for the ferry",
                  paragraphs=["Kerrigan Marine bid 4 million dollars to run the Harborview ferry."],
                  url="https://bayside-post.example/kerrigan-bid")
    return folder


def test_a_new_article_is_found_after_the_write(services: Services, tmp_path: Path) -> None:
    assert services.lexical.search("Kerrigan Marine", 5, ANYTIME, None) == []
    services.ingestor.ingest_paths([later_article(tmp_path / "later")])
    assert sources_of(services.lexical.search("Kerrigan Marine", 5, ANYTIME, None)) == ["bayside-post.example"]


def test_a_write_by_another_process_is_seen_by_the_next_search(
    services: Services, settings: Settings, embedder, tmp_path: Path
) -> None:
    assert services.lexical.search("Kerrigan Marine", 5, ANYTIME, None) == []
    writer = Services(settings, embedder=embedder)  # its own store and index, the same data dir
    writer.ingestor.ingest_paths([later_article(tmp_path / "later")])
    assert sources_of(services.lexical.search("Kerrigan Marine", 5, ANYTIME, None)) == ["bayside-post.example"]


def test_the_index_is_rebuilt_only_when_the_store_changes(
    services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if services.settings.lexical.engine != "bm25s":
        pytest.skip("only bm25s rebuilds")
    store = services.store
    reads: list[int] = []
    iter_chunks = store.iter_chunks

    def counted() -> Iterator[Chunk]:
        reads.append(1)
        return iter_chunks()

    monkeypatch.setattr(store, "iter_chunks", counted)
    for _ in range(3):
        services.lexical.search("ferry", 5, ANYTIME, None)
    assert len(reads) == 1
    services.store.delete_article(services.lexical.search("Omar Reyes", 1, ANYTIME, None)[0][0].article_id)
    assert services.lexical.search("Omar Reyes", 5, ANYTIME, None) == []
    assert len(reads) == 2
