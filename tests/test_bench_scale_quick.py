"""The scale benchmark and the serve-memory benchmark at a small size: both run end to end on real parts
(MiniLM, Chroma, the keyword file, `newsdesk serve` over HTTP) and report figures that add up."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_script(name: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(REPO_ROOT / "eval" / name), *args],
                            capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_small_scale_run_then_serve_memory_over_it(shared_dir: Path, tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    run_script("bench_search_scale.py", "--sizes", "3000", "--queries", "4", "--filtered-queries", "1",
               "--data", str(data), "--out", str(out))
    results = json.loads((out / "scale.json").read_text())
    assert results["embed_chunks_per_s"] > 0
    row = results["sizes"]["3000"]
    added = row["add_1000_articles"]
    assert row["chunks"] == added["chunks"] > 3000  # 1,000 articles of 8-20 paragraphs: several chunks each
    parts = [added[f"of_which_{part}_s"] for part in ("lexical", "chroma_chunks", "chroma_articles", "sentence_vectors")]
    assert sum(parts) <= added["store_write_s"] + 0.3  # the parts are inside the whole (rounded to 0.1 s each)
    # the sentence file holds every sentence written, the timed ones and the growth's
    assert sqlite3.connect(data / "sentence_vectors.sqlite3").execute(
        "SELECT count(*) FROM sentence_vector").fetchone()[0] == added["sentences"]
    # the rate is printed rounded to 0.1 chunk/s
    assert added["sentences"] > added["chunks"]
    embedding_s = added["chunks"] / results["embed_chunks_per_s"] + added["sentences"] / results["embed_sentences_per_s"]
    assert added["embedding_would_take_s"] == pytest.approx(embedding_s, rel=0.01)
    assert {"hybrid", "hybrid 7d", "dense 30d auto", "lexical source"} <= set(row["search_ms"])

    memory = json.loads(run_script("bench_serve_memory.py", "--data", str(data), "--no-preload",
                                   "--asks", "0", "--searches", "3"))
    assert memory["chunks"] == row["chunks"]  # the server read the index the scale run wrote
    for point in ("at_ready", "after_searches"):
        figures = memory[point]
        assert 0 < figures["anon_mb"] + figures["file_mb"] <= figures["rss_mb"] + 1 <= figures["peak_mb"] + 1
    assert set(memory["search_ms_p50"]) == {"unfiltered", "7 days"}
