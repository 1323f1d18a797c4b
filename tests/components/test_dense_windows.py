"""Date-bounded dense search: the over-fetched and Chroma-filtered ways give the same chunks."""

from __future__ import annotations

import datetime as dt

import pytest

from service.components.dense_windows import MAX_OVERFETCH, Window, overfetch_depth, window_of
from service.components.store import ChromaStore, date_filter
from service.settings import Settings
from service.wiring import Services
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
