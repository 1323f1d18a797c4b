from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ingest.test_pipeline import corpus


def newsdesk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_ingest_json_report_and_search(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles")
    (folder / "bad.txt").write_text("date 2026-99-01 Broken\n\nbody\n")
    result = newsdesk(tmp_path / "data", "ingest", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["ingested"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["failed"] == [
        {
            "path": str(folder / "bad.txt"),
            "line": 1,
            "error": "unparsable date '2026-99-01' (expected YYYY-MM-DD)",
        }
    ]

    again = json.loads(newsdesk(tmp_path / "data", "ingest", str(folder), "--json").stdout)
    assert again["unchanged"] == 3 and again["chunks_added"] == 0

    result = newsdesk(tmp_path / "data", "search", "dock strike", "--from", "2026-03-03", "--json", "-k", "2")
    hits = json.loads(result.stdout)
    assert hits[0]["title"] == "Dock workers strike at the port"
    assert all(h["published_at"] >= "2026-03-03" for h in hits)


def test_bad_cli_date_is_a_clear_error(tmp_path: Path) -> None:
    result = newsdesk(tmp_path / "data", "search", "x", "--from", "yesterday")
    assert result.returncode == 2
    assert "expected YYYY-MM-DD" in result.stderr
