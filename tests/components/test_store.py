"""ChromaStore on a real embedded Chroma in tmp_path: versions, reads, deletes, filters, change token.

Vectors are hand-made three-dimensional unit vectors, so which chunk is nearest is known; the
store never embeds anything itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from service.components.store import ArticleVersion, ChromaStore, date_filter
from service.domain import Article, Chunk
from service.settings import Settings
from service.wiring import Services

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
EAST, NORTH, UP = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]


@pytest.fixture
def store(settings: Settings) -> ChromaStore:
    return Services(settings).store  # the store needs no embedder: the vectors come with the writes


def version(
    paragraphs: list[str],
    vectors: list[list[float]],
    *,
    url: str = "https://harborview-herald.example/ferry",
    title: str = "Harborview ferry expansion",
    day: dt.date = MONDAY,
) -> ArticleVersion:
    """An article whose chunks are its paragraphs, each with the given vector."""
    article = Article.build(title=title, text="\n\n".join(paragraphs), published=day, url=url)
    chunks, start = [], 0
    for position, paragraph in enumerate(paragraphs):
        start = article.text.index(paragraph, start)
        chunks.append(
            Chunk(
                id=f"{article.id}-{article.content_hash[:8]}-{position:04d}", article_id=article.id,
                position=position, start=start, end=start + len(paragraph), text=paragraph, title=title,
                published=day, source=article.source, url=url, content_hash=article.content_hash,
            )
        )
    return ArticleVersion(article, chunks, vectors)


FERRY = version(["The council voted 7 to 2 to expand the ferry.", "The expansion costs 12 million dollars."],
                [EAST, NORTH])
FERRY_UPDATED = version(["The council voted 7 to 2 to expand the ferry.", "The cost rose to 15 million dollars.",
                         "Work starts in May."], [EAST, NORTH, UP])
MUSEUM = version(["A painting was stolen from the Harborview museum."], [NORTH],
                 url="https://metro-ledger.example/museum", title="Painting stolen", day=TUESDAY)


def test_an_article_and_its_chunks_are_stored(store: ChromaStore) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert store.get_article(FERRY.article.id) == FERRY.article
    assert store.get_chunks(FERRY.article.id) == FERRY.chunks
    assert store.stored_hashes([FERRY.article.id, MUSEUM.article.id, "missing"]) == {
        FERRY.article.id: FERRY.article.content_hash, MUSEUM.article.id: MUSEUM.article.content_hash,
    }
    assert (store.count_articles(), store.count_chunks()) == (2, 3)
    assert [a.id for a in store.list_articles()] == [MUSEUM.article.id, FERRY.article.id]  # newest first
    assert store.get_article("missing") is None and store.get_chunks("missing") == []


def test_a_new_version_replaces_the_old_chunks(store: ChromaStore) -> None:
    store.replace_articles([FERRY], previously_stored=set())
    assert FERRY_UPDATED.article.id == FERRY.article.id  # same URL, same article
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert store.get_article(FERRY.article.id) == FERRY_UPDATED.article
    assert store.get_chunks(FERRY.article.id) == FERRY_UPDATED.chunks
    assert store.chunk_ids(FERRY.article.id) == sorted(c.id for c in FERRY_UPDATED.chunks)
    assert store.stored_hashes([FERRY.article.id]) == {FERRY.article.id: FERRY_UPDATED.article.content_hash}


def test_chunks_of_an_older_version_are_never_read(store: ChromaStore) -> None:
    # A run killed between writing the new version and dropping the old one leaves both sets of chunks.
    store.replace_articles([FERRY], previously_stored=set())
    store.replace_articles([FERRY_UPDATED], previously_stored=set())
    assert len(store.chunk_ids(FERRY.article.id)) == len(FERRY.chunks) + len(FERRY_UPDATED.chunks)
    assert store.get_chunks(FERRY.article.id) == FERRY_UPDATED.chunks


def test_writing_the_same_version_again_changes_nothing(store: ChromaStore) -> None:
    store.replace_articles([FERRY], previously_stored=set())
    before = store.chunk_ids()
    store.replace_articles([FERRY], previously_stored={FERRY.article.id})
    assert store.chunk_ids() == before and store.count_articles() == 1


def test_delete_removes_the_article_and_its_chunks(store: ChromaStore) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert store.delete_article(FERRY.article.id) is True
    assert store.get_article(FERRY.article.id) is None
    assert store.chunk_ids(FERRY.article.id) == [] and store.get_chunks(FERRY.article.id) == []
    assert store.chunk_ids() == [MUSEUM.chunks[0].id]
    assert store.delete_article(FERRY.article.id) is False


def test_query_returns_nearest_chunks_within_the_date_and_outlet_filter(store: ChromaStore) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    nearest = store.query(NORTH, 3, None)
    assert {c.id for c, _ in nearest[:2]} == {FERRY.chunks[1].id, MUSEUM.chunks[0].id}
    assert nearest[0][1] == pytest.approx(1.0) and nearest[-1][1] == pytest.approx(0.0, abs=1e-6)
    monday = store.query(NORTH, 3, date_filter(MONDAY, MONDAY, None))
    assert [c.id for c, _ in monday] == [FERRY.chunks[1].id, FERRY.chunks[0].id]
    tuesday_on = store.query(EAST, 3, date_filter(TUESDAY, None, None))
    assert [c.id for c, _ in tuesday_on] == [MUSEUM.chunks[0].id]
    outlet = store.query(NORTH, 3, date_filter(None, None, ["metro-ledger.example"]))
    assert [c.source for c, _ in outlet] == ["metro-ledger.example"]
    assert store.query(NORTH, 3, date_filter(TUESDAY, TUESDAY, ["harborview-herald.example"])) == []
    assert [a.id for a in store.list_articles(MONDAY, MONDAY)] == [FERRY.article.id]


def test_an_article_vector_is_the_normalised_mean_of_its_chunks(store: ChromaStore) -> None:
    store.replace_articles([FERRY], previously_stored=set())
    vector = store.article_vectors([FERRY.article.id])[FERRY.article.id]
    assert vector == pytest.approx([2**-0.5, 2**-0.5, 0.0], abs=1e-6)


def test_the_change_token_moves_on_every_write_and_only_then(store: ChromaStore) -> None:
    tokens = [store.change_token()]
    store.replace_articles([FERRY], previously_stored=set())
    tokens.append(store.change_token())
    store.get_chunks(FERRY.article.id)
    store.query(EAST, 2, None)
    assert store.change_token() == tokens[-1]  # reads leave it alone
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    tokens.append(store.change_token())
    store.delete_article(FERRY.article.id)
    tokens.append(store.change_token())
    assert len(set(tokens)) == len(tokens)


def test_a_second_store_on_the_same_directory_sees_the_writes(settings: Settings) -> None:
    first = Services(settings).store
    first.replace_articles([FERRY], previously_stored=set())
    second = Services(settings).store
    assert second.get_article(FERRY.article.id) == FERRY.article
    assert second.change_token() == first.change_token()


def test_chunk_texts_are_cut_from_the_article_not_stored_twice(store: ChromaStore) -> None:
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert set(store.chunks.get(include=["documents"])["documents"] or []) == {None}
    texts = {c.id: c.text for c in FERRY.chunks + MUSEUM.chunks}
    filtered = store.query(NORTH, 3, date_filter(MONDAY, None, None), strategy="filtered")  # read from Chroma
    assert {c.id: c.text for c, _ in filtered} == texts
    assert {c.id: c.text for c in store.iter_chunks()} == texts
    assert {c.id: (c.text, v) for c, v in store.iter_chunk_vectors()}[FERRY.chunks[1].id] == (texts[FERRY.chunks[1].id], NORTH)


def test_article_texts_stay_out_of_chromas_document_index(store: ChromaStore) -> None:
    # Chroma indexes every document for full-text search, which Newsdesk never uses.
    store.replace_articles([FERRY, MUSEUM], previously_stored=set())
    assert set(store.articles.get(include=["documents"])["documents"] or []) == {None}
    assert store.get_articles([FERRY.article.id, MUSEUM.article.id]) == [FERRY.article, MUSEUM.article]
    assert {a.id for a in store.list_articles()} == {FERRY.article.id, MUSEUM.article.id}
    store.replace_articles([FERRY_UPDATED], previously_stored={FERRY.article.id})
    assert store.get_article(FERRY.article.id) == FERRY_UPDATED.article


def test_an_article_stored_with_its_document_is_still_read(store: ChromaStore) -> None:
    # Data dirs written before the text moved into the metadata hold it as the record's document.
    store.replace_articles([FERRY], previously_stored=set())
    record = store.articles.get(ids=[FERRY.article.id], include=["metadatas", "embeddings"])
    metadata = {k: v for k, v in (record["metadatas"] or [])[0].items() if k != "text_z"}
    store.articles.delete(ids=[FERRY.article.id])
    store.articles.add(ids=[FERRY.article.id], documents=[FERRY.article.text], metadatas=[metadata],
                       embeddings=record["embeddings"])
    assert store.get_article(FERRY.article.id) == FERRY.article
    assert [c.text for c in store.get_chunks(FERRY.article.id)] == [c.text for c in FERRY.chunks]


def test_a_chunk_stored_with_its_text_keeps_it(store: ChromaStore) -> None:
    # Data dirs written before chunk texts left Chroma hold them on the chunk record.
    store.replace_articles([FERRY], previously_stored=set())
    store.chunks.update(ids=[FERRY.chunks[0].id], documents=["The text as stored then."], embeddings=[EAST])
    assert [c.text for c in store.get_chunks(FERRY.article.id)] == ["The text as stored then.", FERRY.chunks[1].text]


def test_a_chunk_of_another_version_is_never_read_without_its_text(store: ChromaStore) -> None:
    store.replace_articles([FERRY], previously_stored=set())
    store.replace_articles([FERRY_UPDATED], previously_stored=set())  # the old chunks stay, as after a crash
    assert {c.id for c in store.iter_chunks()} == {c.id for c in FERRY_UPDATED.chunks}


def test_the_vector_index_is_saved_every_so_many_vectors_as_set(settings: Settings) -> None:
    def thresholds(store: ChromaStore) -> set[int]:
        return {c.configuration_json["hnsw"]["sync_threshold"] for c in (store.chunks, store.articles)}

    assert thresholds(Services(settings).store) == {10_000}
    store = Services(settings.model_copy(update={"store": settings.store.model_copy(update={"hnsw_sync_threshold": 500})})).store
    assert thresholds(store) == {500}  # an existing collection takes the new value
