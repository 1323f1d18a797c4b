"""`stored_hashes` served from the keyword file: the same answers as Chroma's article records, and
the write order keeps a crash safe (never "unchanged" while Chroma is behind, never a deleted article)."""

from __future__ import annotations

import sqlite3

import pytest

from service.components.store import ChromaStore
from service.settings import Settings
from service.wiring import Services
from tests.components.test_fts_index import found, with_engine
from tests.components.test_store import FERRY, FERRY_UPDATED, MUSEUM

IDS = [FERRY.article.id, MUSEUM.article.id, "never-stored"]


@pytest.fixture
def store(settings: Settings) -> ChromaStore:
    return Services(with_engine(settings, "fts5")).store


def chroma_hashes(settings: Settings) -> dict[str, str]:
    """What Chroma's article records say: a store without the keyword file reads them."""
    return Services(with_engine(settings, "bm25s")).store.stored_hashes(IDS)


def test_the_file_answers_as_chromas_records_do(store: ChromaStore, settings: Settings) -> None:
    assert store.fts is not None
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert store.stored_hashes(IDS) == chroma_hashes(settings) == {
        FERRY.article.id: FERRY.article.content_hash, MUSEUM.article.id: MUSEUM.article.content_hash}
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert store.stored_hashes(IDS) == chroma_hashes(settings)
    assert store.stored_hashes(IDS)[FERRY.article.id] == FERRY_UPDATED.article.content_hash
    assert store.delete_article(MUSEUM.article.id)
    assert store.stored_hashes(IDS) == chroma_hashes(settings) == {FERRY.article.id: FERRY_UPDATED.article.content_hash}
    assert store.fts.stored_hashes(IDS) == store.stored_hashes(IDS)


def test_a_crash_before_the_version_is_recorded_serves_the_old_one_and_the_rerun_converges(
    store: ChromaStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.fts is not None
    store.replace_articles([FERRY], previously_stored=set())

    def die(*_: object) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store.fts, "keep_versions", die)
    with pytest.raises(KeyboardInterrupt):
        store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    monkeypatch.undo()
    # Chroma holds the new record, the file still the old version, whole: the rerun is not skipped.
    assert chroma_hashes(settings)[FERRY.article.id] == FERRY_UPDATED.article.content_hash
    assert store.stored_hashes([FERRY.article.id]) == {FERRY.article.id: FERRY.article.content_hash}
    assert "The expansion costs 12 million dollars." in found(store.fts, "12 million")  # what retrieval keeps
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert store.stored_hashes(IDS) == chroma_hashes(settings)
    assert store.fts.count_chunks() == store.count_chunks() == len(FERRY_UPDATED.chunks)


def test_a_crash_during_a_deletion_never_serves_the_deleted_article(
    store: ChromaStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.replace_articles([FERRY], previously_stored=set())

    def die(**_: object) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store.articles, "delete", die)
    with pytest.raises(KeyboardInterrupt):
        store.delete_article(FERRY.article.id)
    monkeypatch.undo()
    assert store.stored_hashes(IDS) == {}
    assert chroma_hashes(settings) == {FERRY.article.id: FERRY.article.content_hash}  # not yet
    assert store.delete_article(FERRY.article.id)  # the retry finds it and finishes
    assert chroma_hashes(settings) == {} and store.count_chunks() == 0


def test_a_file_from_before_the_version_table_is_filled_from_chroma_once(
    store: ChromaStore, settings: Settings
) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    with sqlite3.connect(settings.data_dir / "lexical.sqlite3") as db:
        db.execute("DELETE FROM article")
        db.execute("DELETE FROM meta WHERE key = 'articles'")
    assert store.stored_hashes(IDS) == {}
    reopened = Services(with_engine(settings, "fts5")).store
    assert reopened.stored_hashes(IDS) == chroma_hashes(settings) and len(reopened.stored_hashes(IDS)) == 2
