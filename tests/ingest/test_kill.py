"""SIGKILL during ingest, then the same ingest again: exactly the index of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.settings import Settings
from service.wiring import Services
from tests.conftest import write_article


def many_articles(folder: Path, count: int = 150) -> Path:
    for i in range(count):
        write_article(
            folder, f"a{i:03d}.txt", date=f"2026-03-0{1 + i % 5}", title=f"Harbor report number {i}",
            paragraphs=[f"Report {i}: the harbor handled {i * 13} containers on a busy day. " * 6,
                        f"Officials said traffic at berth {i % 7} would rise by {i % 11} percent. " * 6],
            url=f"https://harbor-daily.example/report/{i}",
        )
    return folder


def ingest_process(data_dir: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "service.cli", "ingest", str(folder)],
                            env={**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_then_rerun_equals_a_clean_run(embedder, tmp_path: Path) -> None:
    folder = many_articles(tmp_path / "articles")
    clean = Services(Settings(data_dir=tmp_path / "clean"), embedder=embedder)
    clean.ingestor.ingest_paths([folder])

    killed_dir = tmp_path / "killed"
    process = ingest_process(killed_dir, folder)
    sqlite = killed_dir / "chroma" / "chroma.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if sqlite.exists() and sqlite.stat().st_size > 400_000:  # some chunks are in
            break
        time.sleep(0.05)
    was_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert ingest_process(killed_dir, folder).wait(timeout=300) == 0

    resumed = Services(Settings(data_dir=killed_dir), embedder=embedder)
    assert resumed.store.chunk_ids() == clean.store.chunk_ids()
    assert resumed.store.count_articles() == clean.store.count_articles() == 150
    assert was_running, "the ingest finished before it could be killed: make the corpus bigger"
