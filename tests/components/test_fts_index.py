"""The FTS5 keyword file: versions and deletions follow the store, a crash converges, an old data
dir is backfilled once, no question is read as FTS5 syntax, and the bounded scoring is BM25."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from service.components.fts_index import FtsIndex
from service.components.lexical import Bm25sIndex
from service.components.store import ChromaStore
from service.domain import DateRange
from service.settings import Settings
from service.wiring import Services
from tests.components.test_store import EAST, FERRY, FERRY_UPDATED, MUSEUM, NORTH, UP, version

ANYTIME = DateRange()


def with_engine(settings: Settings, engine: str) -> Settings:
    return settings.model_copy(update={"lexical": settings.lexical.model_copy(update={"engine": engine})})


@pytest.fixture
def store(settings: Settings) -> ChromaStore:
    return Services(with_engine(settings, "fts5")).store


def found(index: FtsIndex, text: str, window: DateRange = ANYTIME) -> list[str]:
    return [chunk.text for chunk, _ in index.search(text, 10, window, None)]


def test_an_update_replaces_the_old_chunks_and_a_deletion_removes_them(store: ChromaStore) -> None:
    assert store.fts is not None
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert found(store.fts, "12 million") == ["The expansion costs 12 million dollars."]
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert found(store.fts, "12 million") == ["The cost rose to 15 million dollars."]  # "million" only
    assert found(store.fts, "May") == ["Work starts in May."]
    assert store.fts.count_chunks() == store.count_chunks() == 4
    store.delete_article(FERRY.article.id)
    assert found(store.fts, "million May ferry") == []
    assert store.fts.count_chunks() == 1


def test_a_write_through_one_store_is_seen_by_another_at_once(settings: Settings, store: ChromaStore) -> None:
    other = Services(with_engine(settings, "fts5")).store.fts
    assert other is not None and found(other, "painting") == []
    store.replace_articles([MUSEUM], previously_stored=set())
    assert found(other, "painting") == ["A painting was stolen from the Harborview museum."]


def test_a_crash_between_the_index_and_the_record_converges_on_rerun(
    store: ChromaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.replace_articles([FERRY], previously_stored=set())

    def die(**_: object) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store.articles, "upsert", die)
    with pytest.raises(KeyboardInterrupt):
        store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    monkeypatch.undo()
    # Both versions are indexed now; retrieval keeps only the stored version's chunks.
    assert store.stored_hashes([FERRY.article.id]) == {FERRY.article.id: FERRY.article.content_hash}
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert store.fts is not None and store.fts.count_chunks() == len(FERRY_UPDATED.chunks)
    assert found(store.fts, "cost") == ["The cost rose to 15 million dollars."]


def test_a_data_dir_indexed_without_the_file_is_backfilled_once(settings: Settings) -> None:
    old = Services(with_engine(settings, "bm25s")).store
    old.replace_articles([FERRY], previously_stored=set())
    old.replace_articles([FERRY_UPDATED], previously_stored=set())  # a crash left the old version's chunks
    assert not (settings.data_dir / "lexical.sqlite3").exists()
    store = Services(with_engine(settings, "fts5")).store
    assert store.fts is not None and store.fts.count_chunks() == len(FERRY_UPDATED.chunks)  # current only
    assert found(store.fts, "cost") == ["The cost rose to 15 million dollars."]
    again = Services(with_engine(settings, "fts5")).store
    assert again.fts is not None and again.fts.count_chunks() == len(FERRY_UPDATED.chunks)


@pytest.mark.parametrize("query", ['"', 'ferry" OR "x', "NEAR(ferry council)", "ferry*", "terms:ferry", "AND OR NOT",
                                   "(ferry", "^ferry", "ferry + council -", "' OR 1=1 --", "co-op's", "_", "’"])
def test_no_question_is_read_as_query_syntax(store: ChromaStore, query: str) -> None:
    store.replace_articles([FERRY], previously_stored=set())
    assert store.fts is not None
    hits = store.fts.search(query, 5, ANYTIME, None)
    assert all(chunk.article_id == FERRY.article.id for chunk, _ in hits)


def test_initialisms_hyphens_and_figures_are_searched_as_stored(store: ChromaStore) -> None:
    text = ["The U.S. co-op paid 1,400 dollars.", "Harborview's museum reopened."]
    store.replace_articles([version(text, [EAST, NORTH], title="Neighbourhood news")], previously_stored=set())
    assert store.fts is not None
    assert found(store.fts, "U.S.") == found(store.fts, "u s") == [text[0]]
    assert found(store.fts, "co-op") == [text[0]]
    assert found(store.fts, "1,400") == [text[0]]
    assert found(store.fts, "Harborview's") == [text[1]]


def test_date_windows_are_rowid_ranges(store: ChromaStore) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert store.fts is not None
    monday, tuesday = FERRY.article.published, MUSEUM.article.published
    assert found(store.fts, "council painting", DateRange(start=monday, end=monday)) == [FERRY.chunks[0].text]
    assert found(store.fts, "council painting", DateRange(start=tuesday)) == [MUSEUM.chunks[0].text]
    assert found(store.fts, "council painting", DateRange(end=monday - dt.timedelta(days=1))) == []


def test_bounded_scoring_gives_fts5_bm25_and_ranks_like_bm25s(settings: Settings, tmp_path: Path) -> None:
    store = Services(with_engine(settings, "fts5")).store
    words = ["port", "strike", "council", "ferry", "union", "budget", "river", "bridge"]
    versions = [
        version([" ".join(words[(i + j) % len(words)] for j in range(i % 5 + 1)) + f" item{i}" + " strike" * (i % 3)],
                [UP],
                url=f"https://wire.example/{i}", title=f"Story {i}")
        for i in range(40)
    ]
    store.replace_articles(versions, previously_stored=set())
    assert store.fts is not None
    exact = store.fts.search("ferry council strike item7", 40, ANYTIME, None)
    bounded = FtsIndex(tmp_path / "data" / "lexical.sqlite3", max_scored=1).search(
        "ferry council strike item7", 40, ANYTIME, None
    )
    assert "item7" in exact[0][0].text and "item7" in bounded[0][0].text
    # Every candidate the rare term found gets the common terms' share: the very same scores.
    for (chunk, score), (other, other_score) in zip(bounded, exact, strict=False):
        if chunk.id == other.id:
            assert score == pytest.approx(other_score, rel=1e-9)
    bm25s = Bm25sIndex(store).search("ferry council strike item7", 40, ANYTIME, None)
    assert bm25s[0][0].id == exact[0][0].id


def test_the_file_refuses_nothing_a_reader_holds(store: ChromaStore, settings: Settings) -> None:
    """A long read in another connection never blocks a write (WAL)."""
    store.replace_articles([FERRY], previously_stored=set())
    reader = sqlite3.connect(settings.data_dir / "lexical.sqlite3")
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM chunk").fetchone()[0] == 2
    store.replace_articles([MUSEUM], previously_stored=set())
    assert reader.execute("SELECT count(*) FROM chunk").fetchone()[0] == 2  # its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM chunk").fetchone()[0] == 3


