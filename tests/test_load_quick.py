"""The load test's quick mode: a bounded burst on loopback must finish with no errors."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_quick_load_run_has_no_errors() -> None:
    result = subprocess.run([sys.executable, str(REPO_ROOT / "eval" / "bench_load.py"), "--quick"],
                            capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors 0" in result.stdout
    assert "search  workers=1" in result.stdout and "ask     workers=1" in result.stdout
