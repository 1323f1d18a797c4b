from __future__ import annotations

from pathlib import Path

import pytest

from service.components.chroma_records import chunk_metadata
from service.components.store import ChromaStore
from service.ingest.pipeline import BatchTooLarge, FileUpload
from service.settings import Settings
from service.wiring import Services
from tests.conftest import write_article


def corpus(folder: Path) -> Path:
    write_article(folder, "a.txt")
    write_article(
        folder,
        "sub/b.txt",
        date="2026-03-03",
        title="Dock workers strike at the port",
        paragraphs=["About 400 dock workers walked out on Tuesday.", "The union said talks had failed."],
        url="https://coastal-wire.example/strike",
    )
    write_article(
        folder,
        "c.txt",
        date="2026-03-04",
        title="Lumatek opens a battery plant",
        paragraphs=[
            "Lumatek opened a battery plant employing 250 people.",
            "Chief executive Ravi Menon spoke.",
        ],
        url="https://metro-ledger.example/lumatek",
    )
    return folder


def test_ingest_is_idempotent(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    first = services.ingestor.ingest_paths([folder])
    assert (first.ingested, first.updated, first.unchanged, first.failed) == (3, 0, 0, [])
    ids_before = services.store.chunk_ids()
    second = services.ingestor.ingest_paths([folder])
    assert (second.ingested, second.updated, second.unchanged, second.chunks_added) == (0, 0, 3, 0)
    assert services.store.chunk_ids() == ids_before
    assert services.store.count_articles() == 3


def test_changed_article_replaces_all_its_chunks(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    services.ingestor.ingest_paths([folder])
    article_id = services.store.list_articles()[-1].id  # a.txt, the oldest
    old_chunks = services.store.chunk_ids(article_id)
    write_article(folder, "a.txt", paragraphs=["The council delayed the ferry vote to April."])
    report = services.ingestor.ingest_paths([folder])
    assert (report.updated, report.unchanged) == (1, 2)
    new_chunks = services.store.chunk_ids(article_id)
    assert new_chunks and not set(new_chunks) & set(old_chunks)
    stored = services.store.get_article(article_id)
    assert stored is not None and "April" in stored.text
    assert services.store.count_articles() == 3


def test_bad_files_are_reported_and_the_rest_ingested(services: Services, tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    (folder / "broken.txt").write_text("no date line here\n\nbody\n")
    (folder / "latin1.txt").write_bytes(b"date 2026-03-02 T\n\nCaf\xe9\n")
    (folder / "bad.jsonl").write_text('{"title": "x"\n')
    report = services.ingestor.ingest_paths([folder])
    assert report.ingested == 3
    assert sorted(Path(f.path).name for f in report.failed) == ["bad.jsonl", "broken.txt", "latin1.txt"]
    assert all(f.error for f in report.failed)


def test_crash_mid_ingest_then_rerun_equals_an_uninterrupted_run(
    settings: Settings, embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus(tmp_path / "articles")
    clean = Services(settings.model_copy(update={"data_dir": tmp_path / "clean"}), embedder=embedder)
    clean.ingestor.ingest_paths([folder])

    crashing = Services(settings, embedder=embedder)
    original = ChromaStore.replace_articles

    def add_chunks_then_die(self, batch, previously_stored):  # killed after the chunks landed
        chunks = [c for version in batch for c in version.chunks]
        self.chunks.add(ids=[c.id for c in chunks], documents=[c.text for c in chunks],
                        metadatas=[chunk_metadata(c) for c in chunks],
                        embeddings=[v for version in batch for v in version.vectors])
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(ChromaStore, "replace_articles", add_chunks_then_die)
    with pytest.raises(KeyboardInterrupt):
        crashing.ingestor.ingest_paths([folder])
    assert crashing.store.count_articles() == 0
    monkeypatch.setattr(ChromaStore, "replace_articles", original)
    report = crashing.ingestor.ingest_paths([folder])
    assert report.ingested == 3
    assert crashing.store.chunk_ids() == clean.store.chunk_ids()
    assert crashing.store.count_articles() == clean.store.count_articles() == 3


def test_two_versions_in_one_batch_keep_the_last(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_article(folder, "a1.txt", paragraphs=["First version says 10 people."])
    write_article(folder, "a2_update.txt", paragraphs=["Updated version says 12 people."])
    report = services.ingestor.ingest_paths([folder])
    assert report.ingested == 1
    [article] = services.store.list_articles()
    assert "12 people" in article.text
    again = services.ingestor.ingest_paths([folder])
    assert again.unchanged == 1 and again.chunks_added == 0


def test_rtqa_sample_ingests(services: Services, shared_dir: Path, tmp_path: Path) -> None:
    lines = (shared_dir / "data" / "rtqa-dev" / "articles.jsonl").read_text().splitlines()[:5]
    path = tmp_path / "five.jsonl"
    path.write_text("\n".join(lines))
    report = services.ingestor.ingest_paths([path])
    assert report.ingested == 5 and not report.failed
    assert services.store.count_chunks() >= 5


NATIVE = b"date 2026-11-25 Ferry timetable\n\nThe ferry runs every 20 minutes.\n\nhttps://courier.example/ferry\n"


def test_files_are_ingested_one_by_one_with_a_report_each(services: Services) -> None:
    results = services.ingestor.ingest_files([
        FileUpload("ferry.txt", NATIVE),
        FileUpload("lines.jsonl", b'{"title": "Lanterns", "text": "Lit.", "published_at": "2026-11-21"}\n{oops\n'),
        FileUpload("notes.pdf", b"%PDF"),
        FileUpload("bad64.txt", error="content_base64 is not valid base64"),
    ])
    assert [r.name for r in results] == ["ferry.txt", "lines.jsonl", "notes.pdf", "bad64.txt"]
    assert [r.ok for r in results] == [True, False, False, False]
    assert results[0].report.ingested == 1 and results[1].report.ingested == 1
    assert [(f.path, f.line) for f in results[1].report.failed] == [("lines.jsonl", 2)]
    assert "unsupported file type '.pdf'" in results[2].report.failed[0].error
    assert results[3].report.failed[0].error == "content_base64 is not valid base64"
    assert services.ingestor.ingest_files([FileUpload("ferry.txt", NATIVE)])[0].report.unchanged == 1


def test_too_many_articles_across_files_stores_nothing(services: Services) -> None:
    second = NATIVE.replace(b"Ferry", b"Tram").replace(b"/ferry", b"/tram")
    with pytest.raises(BatchTooLarge) as refused:
        services.ingestor.ingest_files([FileUpload("a.txt", NATIVE), FileUpload("b.txt", second)], max_articles=1)
    assert (refused.value.articles, refused.value.limit) == (2, 1)
    assert services.store.count_articles() == 0
