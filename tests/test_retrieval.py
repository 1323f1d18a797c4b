from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from service.domain import DateRange
from service.retrieval import SearchQuery, reciprocal_rank_fusion
from service.timewords import resolve_time_words
from service.wiring import Services
from tests.conftest import write_article
from tests.ingest.test_pipeline import corpus


def search(services: Services, text: str, **kwargs) -> list:
    query = SearchQuery(
        text=text, k=kwargs.pop("k", 5), date_range=kwargs.pop("date_range", DateRange()), **kwargs
    )
    return services.retriever.search(query)


def test_rrf_prefers_items_ranked_well_by_both() -> None:
    scores = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]], rrf_k=60)
    assert max(scores, key=scores.get) in {"a", "b"}
    assert scores["b"] == scores["a"] > scores["c"] > 0


def test_hybrid_search_finds_names_and_paraphrases(services: Services, tmp_path: Path) -> None:
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])
    top = search(services, "Ravi Menon")[0]
    assert top.chunk.title == "Lumatek opens a battery plant"
    assert top.lexical_rank == 1
    top = search(services, "port employees stop working")[0]
    assert top.chunk.title == "Dock workers strike at the port"


def test_date_and_source_filters(services: Services, tmp_path: Path) -> None:
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])
    day = dt.date(2026, 3, 3)
    passages = search(services, "ferry council battery strike", date_range=DateRange(start=day, end=day))
    assert passages and {p.chunk.published for p in passages} == {day}
    passages = search(services, "ferry council battery strike", sources=["metro-ledger.example"])
    assert passages and {p.chunk.source for p in passages} == {"metro-ledger.example"}
    listed = services.store.list_articles(date_from=dt.date(2026, 3, 3))
    assert [a.published for a in listed] == [dt.date(2026, 3, 4), dt.date(2026, 3, 3)]


def test_lexical_index_sees_new_articles(services: Services, tmp_path: Path) -> None:
    assert search(services, "Lumatek") == []
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])
    assert search(services, "Lumatek")[0].lexical_rank == 1


def test_a_soft_window_lifts_its_days_and_still_admits_others(services: Services, tmp_path: Path) -> None:
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])
    day = dt.date(2026, 3, 4)
    soft = DateRange(start=day, end=day, phrase="this week", soft=True)
    unfiltered = {p.chunk.id: p for p in search(services, "dock workers strike")}
    lifted = {p.chunk.id: p for p in search(services, "dock workers strike", date_range=soft)}
    assert lifted.keys() == unfiltered.keys()  # nothing outside the window is dropped
    for chunk_id, passage in lifted.items():
        if passage.chunk.published == day:
            assert passage.score > 1.9 * unfiltered[chunk_id].score
        else:
            assert passage.score == unfiltered[chunk_id].score
    assert next(iter(lifted.values())).chunk.title == "Dock workers strike at the port"  # still leads



def test_asked_for_the_latest_a_storys_newest_report_leads(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "a")
    write_article(folder, "talks.txt", date="2026-03-05", title="Port talks resume",
                  paragraphs=["Dock workers and the port operator resumed talks on Thursday as the strike went on."],
                  url="https://coastal-wire.example/talks")
    write_article(folder, "deal.txt", date="2026-03-07", title="Dock workers strike ends with a deal",
                  paragraphs=["The dock workers strike at the port ended on Saturday with a new pay deal."],
                  url="https://coastal-wire.example/deal")
    services.ingestor.ingest_paths([folder])
    question, as_of = "What's the latest on the dock workers strike?", dt.date(2026, 3, 5)
    window = resolve_time_words(question, as_of)
    assert window.newest_first and (window.start, window.end) == (None, None)
    plain = search(services, question, as_of=as_of)
    assert plain[0].chunk.title != "Port talks resume"
    latest = search(services, question, as_of=as_of, date_range=window)
    assert latest[0].chunk.title == "Port talks resume"
    # Reported after the request's today, the deal is not news yet.
    assert all(p.chunk.published <= as_of for p in latest)
    assert {p.chunk.title for p in latest} >= {"Dock workers strike at the port"}


def test_asked_for_the_latest_on_one_story_todays_other_stories_stay_out(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "a")
    write_article(folder, "gallery.txt", date="2026-03-05", title="Museum opens a gallery of ship models",
                  paragraphs=["The maritime museum opened a gallery of antique ship models and sea charts."],
                  url="https://coastal-wire.example/gallery")
    services.ingestor.ingest_paths([folder])
    as_of = dt.date(2026, 3, 5)
    question = "What's the latest on the dock workers strike?"
    latest = search(services, question, as_of=as_of, date_range=resolve_time_words(question, as_of), k=10)
    assert latest and "Museum opens a gallery of ship models" not in {p.chunk.title for p in latest}
    # Asked for news in general, every story competes and today's leads.
    question = "Any updates?"
    news = search(services, question, as_of=as_of, date_range=resolve_time_words(question, as_of), k=10)
    assert news[0].chunk.title == "Museum opens a gallery of ship models"

def test_strict_settings_and_exact_days_filter(services: Services, tmp_path: Path) -> None:
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])
    day = dt.date(2026, 3, 4)
    exact = search(services, "dock workers strike", date_range=DateRange(start=day, end=day))
    assert exact and {p.chunk.published for p in exact} == {day}
    services.settings.retrieval.strict_vague_windows = True
    soft = DateRange(start=day, end=day, phrase="this week", soft=True)
    assert {p.chunk.published for p in search(services, "dock workers strike", date_range=soft)} == {day}


def test_a_failing_keyword_search_fails_the_search(services: Services, tmp_path: Path) -> None:
    # Keyword search runs on another thread while the question is embedded: its error still surfaces.
    services.ingestor.ingest_paths([corpus(tmp_path / "a")])

    class Broken:
        def search(self, *args: object) -> list:
            raise sqlite3.OperationalError("database disk image is malformed")

    services.retriever._lexical = Broken()  # type: ignore[assignment]
    with pytest.raises(sqlite3.OperationalError, match="malformed"):
        search(services, "ferry council")


def test_asked_for_news_in_general_each_story_comes_once(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "a")
    warning = ["The weather office issued an amber wind warning for the coast, with gusts of up to 110 km/h "
               "expected on Thursday.", "Ferry sailings may be cancelled and residents should secure loose objects."]
    for name, outlet in (("wire.txt", "coastal-wire.example"), ("copy.txt", "valley-times.example")):
        write_article(folder, name, date="2026-03-05", title="Amber wind warning issued for the coast",
                      paragraphs=warning, url=f"https://{outlet}/warning")
    library = ["The mayor opened the Quarry Hill branch library, which holds 60,000 books."] + [
        f"Reading room {n} happened to be the busiest yesterday, staff said, with visitors queueing for the "
        "local history shelves, the newspaper archive and the children's corner from the moment the doors opened."
        for n in range(1, 9)]
    write_article(folder, "library.txt", date="2026-03-05", title="Mayor opens a branch library",
                  paragraphs=library, url="https://bayside-post.example/library")
    services.ingestor.ingest_paths([folder])
    question, as_of = "What happened yesterday?", dt.date(2026, 3, 6)
    news = search(services, question, as_of=as_of, date_range=resolve_time_words(question, as_of), k=10)
    outlets = [p.chunk.source for p in news if p.chunk.title == "Amber wind warning issued for the coast"]
    assert len(set(outlets)) == 1  # a wire story two outlets ran is one story
    assert "Mayor opens a branch library" in {p.chunk.title for p in news}
    # Each story by its article's lead, once, whichever of its chunks the vague question matched.
    assert len(services.store.get_chunks(next(p.chunk.article_id for p in news if "library" in p.chunk.title))) > 1
    assert [p.chunk.position for p in news] == [0] * len(news)
    assert "The mayor opened the Quarry Hill branch library" in {p.chunk.text[:47] for p in news}
    # Asked about the story itself, both outlets' copies stay: who reported what is the question's business.
    topical = search(services, "amber wind warning for the coast", as_of=as_of, k=10)
    assert {p.chunk.source for p in topical} >= {"coastal-wire.example", "valley-times.example"}
