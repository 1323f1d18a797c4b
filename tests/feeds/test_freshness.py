"""How current the index is: the newest article's date, from the keyword file or, without it, from
Chroma a page at a time (one read of every article failed at a year of news)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.components import store
from service.components.embedder import Embedder
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("engine", ["fts5", "bm25s"])
def test_the_newest_article_is_found_by_either_keyword_engine(
    tmp_path: Path, embedder: Embedder, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_PAGE", 2)  # the five samples take three pages
    services = Services(Settings(data_dir=tmp_path / engine, lexical={"engine": engine}), embedder=embedder)
    assert services.freshness.newest_article() is None
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    assert services.freshness.newest_article() == dt.date(2026, 11, 24)
    assert max(a.published for a in services.store.list_articles()) == dt.date(2026, 11, 24)
