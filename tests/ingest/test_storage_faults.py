"""A full disk or a read-only data dir: a clear error, and what was stored stays exactly as it was.

The faults are real: a small tmpfs fills up, and a read-only bind mount refuses writes.
Mounting needs root (CI runs as root); elsewhere a per-process file-size limit stands in for
the full disk, and the read-only case is skipped.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.domain import DateRange
from service.retrieval import SearchQuery
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT

CORPUS = REPO_ROOT / "eval" / "corpus"
SAMPLES = REPO_ROOT / "samples"


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB filesystem of its own, so that filling it up harms nothing else."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(point)):
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill_up(disk: Path) -> None:
    """Take every free byte, as a runaway log file would."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def ingest_cli(data_dir: Path, *paths: Path, file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit_file_size() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "service.cli", "ingest", "--json", *map(str, paths)],
        env={**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)},
        capture_output=True, text=True, timeout=600, preexec_fn=limit_file_size,
    )


def snapshot(services: Services) -> tuple[list[str], int]:
    return services.store.chunk_ids(), services.store.count_articles()


def test_disk_full_during_ingest_keeps_what_was_stored(small_disk: Path, embedder) -> None:
    services = Services(Settings(data_dir=small_disk), embedder=embedder)
    services.ingestor.ingest_paths([SAMPLES])
    before = snapshot(services)
    fill_up(small_disk)

    report = services.ingestor.ingest_paths([CORPUS])

    assert report.store_error and "disk is full" in report.store_error
    assert report.ingested == report.updated == 0, "nothing may be reported as stored"
    assert report.failed and all("not stored" in f.error for f in report.failed)
    assert {services.store.get_article(i) is not None for i in report.article_ids} <= {True}
    assert services.store.count_articles() == before[1]
    assert set(before[0]) <= set(services.store.chunk_ids())
    hits = services.retriever.search(SearchQuery("ferry expansion vote", k=3, date_range=DateRange()))
    assert hits and all(p.chunk.article_id in services.store.stored_hashes([p.chunk.article_id]) for p in hits)

    (small_disk / "filler").unlink()
    retried = services.ingestor.ingest_paths([CORPUS])
    assert retried.store_error is None and not retried.failed
    assert services.store.count_articles() == before[1] + retried.ingested


def test_disk_full_cli_reports_an_error_and_a_rerun_completes(tmp_path: Path, embedder) -> None:
    data_dir = tmp_path / "data"
    assert ingest_cli(data_dir, SAMPLES).returncode == 0
    before = snapshot(Services(Settings(data_dir=data_dir), embedder=embedder))
    sqlite_size = (data_dir / "chroma" / "chroma.sqlite3").stat().st_size

    # RLIMIT_FSIZE makes writes past the limit fail as they would on a full disk, without root.
    failed = ingest_cli(data_dir, CORPUS, file_size_limit=sqlite_size + 4096)

    assert failed.returncode == 2, failed.stderr
    assert "could not write" in failed.stderr and "disk is full" in failed.stderr
    report = json.loads(failed.stdout)
    assert report["ingested"] == report["updated"] == 0
    assert report["failed"] and all("not stored" in f["error"] for f in report["failed"])
    assert snapshot(Services(Settings(data_dir=data_dir), embedder=embedder)) == before

    assert ingest_cli(data_dir, CORPUS).returncode == 0
    clean = Services(Settings(data_dir=tmp_path / "clean"), embedder=embedder)
    clean.ingestor.ingest_paths([SAMPLES])
    clean.ingestor.ingest_paths([CORPUS])
    resumed = Services(Settings(data_dir=data_dir), embedder=embedder)
    assert snapshot(resumed)[1] == snapshot(clean)[1]
    # Orphan chunks of the refused write may remain; readers never see them (no article record).
    assert set(clean.store.chunk_ids()) <= set(resumed.store.chunk_ids())


def test_read_only_data_dir_is_a_clear_error_and_loses_nothing(small_disk: Path, tmp_path: Path, embedder) -> None:
    assert ingest_cli(small_disk, SAMPLES).returncode == 0
    before = snapshot(Services(Settings(data_dir=small_disk), embedder=embedder))
    # A read-only bind mount of the same data: the files this process holds open stay writable.
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    if not (_mount("--bind", str(small_disk), str(read_only))
            and _mount("-o", "remount,bind,ro", str(read_only))):
        pytest.skip("could not make a read-only bind mount")
    try:
        refused = ingest_cli(read_only, CORPUS)
    finally:
        subprocess.run(["umount", "-l", str(read_only)], check=False)

    assert refused.returncode == 2
    assert "not writable" in refused.stderr, refused.stderr
    assert snapshot(Services(Settings(data_dir=small_disk), embedder=embedder)) == before


def test_api_answers_507_when_the_disk_is_full(small_disk: Path, embedder) -> None:
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    services = Services(Settings(data_dir=small_disk), embedder=embedder)
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    record = {"title": "Ferry fares rise", "text": "Fares rise by 5 percent in April. " * 20,
              "published_at": "2026-03-03", "url": "https://harbor-daily.example/fares"}
    assert client.post("/v1/articles", json={"articles": [record]}).status_code == 200
    before = snapshot(services)
    fill_up(small_disk)

    response = client.post("/v1/articles", json={"articles": [{**record, "url": "https://harbor-daily.example/2"}]})

    assert response.status_code == 507
    body = response.json()
    assert "disk is full" in body["detail"] and body["ingested"] == 0 and body["failed"]
    assert snapshot(services)[1] == before[1]
    assert client.get("/v1/articles").json()  # reads still work on a full disk


def test_a_process_started_on_a_full_disk_says_so_and_loses_nothing(small_disk: Path, embedder) -> None:
    """A server restarted after its disk filled up: SQLite cannot create the journal files it needs to
    open the store, so the command fails at once with the reason, never hangs, and every article is
    there once space is freed."""
    data_dir = small_disk / "data"
    assert ingest_cli(data_dir, SAMPLES).returncode == 0
    before = snapshot(Services(Settings(data_dir=data_dir), embedder=embedder))
    fill_up(small_disk)

    started = subprocess.run(
        [sys.executable, "-m", "service.cli", "search", "flood barrier"],
        env={**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}, capture_output=True, text=True, timeout=120,
    )

    assert started.returncode == 2, started.stderr
    assert "newsdesk search: cannot open the Chroma store" in started.stderr and "disk is full" in started.stderr
    # A server retries at each request: every retry must give the cause, and the first one after space
    # is freed must open the store.
    retried = subprocess.run([sys.executable, "-c", _RETRY_OPEN, str(data_dir), str(small_disk / "filler")],
                             capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert retried.returncode == 0, retried.stderr
    errors, after = retried.stdout.strip().split("\n")[:-1], json.loads(retried.stdout.strip().split("\n")[-1])
    assert len(errors) == 2 and all("disk is full" in error for error in errors), errors
    assert after == len(before[0])
    assert snapshot(Services(Settings(data_dir=data_dir), embedder=embedder)) == before


_RETRY_OPEN = """
import sys
from pathlib import Path
from service.components.chroma_client import open_chroma
from service.components.store_errors import StoreUnavailable
from service.settings import Settings
settings = Settings(data_dir=sys.argv[1])
for _ in range(2):
    try:
        open_chroma(settings)
        print("opened on a full disk")
    except StoreUnavailable as exc:
        print(exc)
Path(sys.argv[2]).unlink()
print(open_chroma(settings).get_collection("newsdesk_chunks").count())
"""
