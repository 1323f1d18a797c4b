"""Date-bounded dense search: the over-fetched and Chroma-filtered ways give the same chunks."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pytest

from service.components import vector_blocks
from service.components.dense_windows import MAX_OVERFETCH, Window, overfetch_depth, window_of
from service.components.store import ArticleVersion, ChromaStore, date_filter
from service.settings import Settings
from service.wiring import Services
from tests.components.test_fts_index import with_engine
from tests.components.test_store import EAST, NORTH, version

MONDAY = dt.date(2026, 3, 2)


def test_a_where_from_date_filter_reads_back_as_its_window() -> None:
    tuesday = MONDAY + dt.timedelta(days=1)
    assert window_of(date_filter(MONDAY, tuesday, None)) == Window(20260302, 20260303, None)
    only_a = frozenset(["a.example"])
    assert window_of(date_filter(MONDAY, None, ["a.example"])) == Window(20260302, 99_999_999, only_a)
    assert window_of(date_filter(None, tuesday, None)) == Window(0, 20260303, None)
    assert window_of(None) is None
    assert window_of({"article_id": "x"}) is None  # anything else goes to Chroma as it is
    assert window_of({"$or": [{"date": {"$gte": 1}}]}) is None


def test_overfetch_only_where_the_window_holds_enough_of_the_index() -> None:
    assert overfetch_depth(40, 0.5) == 160
    assert overfetch_depth(40, 0.01) is None  # would need 8,000: Chroma's filter is cheaper
    assert overfetch_depth(40, None) is None
    assert overfetch_depth(40, 40 * 2 / MAX_OVERFETCH) == MAX_OVERFETCH


@pytest.fixture
def store(settings: Settings) -> ChromaStore:
    fts5 = settings.lexical.model_copy(update={"engine": "fts5"})
    store = Services(settings.model_copy(update={"lexical": fts5})).store
    days = [MONDAY + dt.timedelta(days=i) for i in range(20)]
    store.replace_articles(
        [version([f"Day {i} news about the ferry.", f"Day {i} news about the museum."],
                 [[1.0, i / 20, 0.0], [0.1, 1.0, i / 20]], url=f"https://s{i % 3}.example/{i}", day=day)
         for i, day in enumerate(days)],
        previously_stored=set(),
    )
    return store


@pytest.mark.parametrize("days", [1, 3, 10, 30])
@pytest.mark.parametrize("sources", [None, ["s1.example"]])
def test_every_strategy_returns_the_filtered_nearest(store: ChromaStore, days: int, sources: list[str] | None) -> None:
    where = date_filter(MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=3 + days), sources)
    expected = store.query(EAST, 6, where, strategy="filtered")
    assert expected
    for strategy in ("overfetch", "scan", "auto"):
        hits = store.query(EAST, 6, where, strategy=strategy)
        assert [c.id for c, _ in hits] == [c.id for c, _ in expected]
        assert [s for _, s in hits] == pytest.approx([s for _, s in expected], abs=2e-3)  # float16 vectors
    assert store.query(NORTH, 3, None) == store.query(NORTH, 3, None, strategy="overfetch")


def spread(count: int, seed: int) -> list[ArticleVersion]:
    """Articles on three days, several a day, with vectors nothing lines up by chance."""
    rng = np.random.default_rng(seed)
    return [
        version([f"Item {seed}-{i} part {p}." for p in range(1 + i % 3)], rng.normal(size=(1 + i % 3, 8)).tolist(),
                url=f"https://s{i % 2}.example/{seed}-{i}", day=MONDAY + dt.timedelta(days=i % 3))
        for i in range(count)
    ]


def blocks_hold_every_chunk_once(settings: Settings, store: ChromaStore) -> None:
    with sqlite3.connect(settings.data_dir / "lexical.sqlite3") as db:
        held = [np.frombuffer(ids, dtype=np.int64) for (ids,) in db.execute("SELECT rowids FROM vector_block")]
        stored = sorted(rowid for (rowid,) in db.execute("SELECT rowid FROM chunk"))
    assert all(0 < len(ids) <= vector_blocks.BLOCK_ROWS and len({i >> 32 for i in ids}) == 1 for ids in held)
    assert sorted(int(i) for ids in held for i in ids) == stored
    assert len(stored) == store.count_chunks()


def same_as_chromas_filter(store: ChromaStore, seed: int) -> None:
    for query in np.random.default_rng(seed).normal(size=(4, 8)).tolist():
        for days in (1, 2, 3):
            where = date_filter(MONDAY, MONDAY + dt.timedelta(days=days - 1), None)
            expected = store.query(query, 10, where, strategy="filtered")
            hits = store.query(query, 10, where, strategy="scan")
            assert [c.id for c, _ in hits] == [c.id for c, _ in expected]
            assert [s for _, s in hits] == pytest.approx([s for _, s in expected], abs=2e-3)


def test_day_blocks_follow_every_write_and_deletion(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vector_blocks, "BLOCK_ROWS", 3)  # several blocks a day, appends into part-full ones
    store = Services(with_engine(settings, "fts5")).store
    first, second = spread(12, 1), spread(9, 2)
    store.replace_articles(first, previously_stored=set())
    store.replace_articles(second, previously_stored=set())
    blocks_hold_every_chunk_once(settings, store)
    same_as_chromas_filter(store, 3)
    vectors = np.random.default_rng(7).normal(size=(5, 8)).tolist()
    updated = [version([f"Updated {i}."], [vectors[i]], url=v.article.url or "", day=v.article.published)
               for i, v in enumerate(first[:5])]
    store.replace_articles(updated, previously_stored={v.article.id for v in updated})
    for gone in second[::2]:
        store.delete_article(gone.article.id)
    blocks_hold_every_chunk_once(settings, store)
    same_as_chromas_filter(store, 4)


def test_a_file_from_before_the_blocks_gets_them_once(settings: Settings) -> None:
    store = Services(with_engine(settings, "fts5")).store
    store.replace_articles(spread(10, 5), previously_stored=set())
    with sqlite3.connect(settings.data_dir / "lexical.sqlite3") as db:
        db.execute("DELETE FROM vector_block")
        db.execute("DELETE FROM meta WHERE key = 'blocks'")
    assert store.query([1.0] * 8, 5, date_filter(MONDAY, MONDAY, None), strategy="scan") == []
    reopened = Services(with_engine(settings, "fts5")).store
    blocks_hold_every_chunk_once(settings, reopened)
    same_as_chromas_filter(reopened, 6)
