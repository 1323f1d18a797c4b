"""Ingest view in a real browser: files by picker and by drop, pasted JSON, per-file failures."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.browser.conftest import READ_KEY, WRITE_KEY, open_view, screenshots

pytestmark = pytest.mark.slow

GOOD = (
    "date 2026-11-25 Northgate ferry moves to a 20-minute timetable\n\n"
    "The Northgate ferry will run every 20 minutes from Monday, the operator Riverlink said.\n\n"
    "https://northgate-courier.example/2026/11/25/ferry-timetable\n"
)
BAD = "no date line here\n\nJust a body.\n"


def result_for(page, name: str):
    item = page.locator("#ingest-results > li.result", has=page.locator(".name", has_text=name)).last
    item.locator(".badge").wait_for()
    return item


def test_a_read_key_cannot_ingest_and_says_why(page, tmp_path: Path) -> None:
    open_view(page, "ingest", key=READ_KEY)
    good = tmp_path / "ferry.txt"
    good.write_text(GOOD, encoding="utf-8")
    page.get_by_label("Article files").set_input_files(str(good))
    item = result_for(page, "ferry.txt")
    assert "403" in item.inner_text() and "role" in item.inner_text()


def test_good_and_bad_files_each_get_a_result(page, tmp_path: Path) -> None:
    open_view(page, "ingest", key=WRITE_KEY)
    good, bad = tmp_path / "ferry.txt", tmp_path / "broken.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    page.get_by_label("Article files").set_input_files([str(good), str(bad)])
    ok = result_for(page, "ferry.txt")
    assert "ok" in ok.locator(".badge").inner_text() and "1 ingested" in ok.inner_text()
    failed = result_for(page, "broken.txt")
    assert failed.locator(".badge").inner_text() == "failed"
    assert failed.locator(".reasons").inner_text() == "line 1: first line must be 'date YYYY-MM-DD Title'"

    # A dropped file that is not UTF-8, and pasted JSON with a record missing its text.
    dropped = page.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "latin1.txt"));
            return transfer;
        }""",
        base64.b64encode("date 2026-11-25 Caf\u00e9 opens\n\nNew caf\u00e9.\n".encode("latin-1")).decode(),
    )
    page.locator("#dropzone").dispatch_event("drop", {"dataTransfer": dropped})
    assert "not UTF-8" in result_for(page, "latin1.txt").locator(".reasons").inner_text()
    page.get_by_label("Or paste JSON").fill('[{"title": "Only a title", "published_at": "2026-11-25"}]')
    page.get_by_role("button", name="Ingest pasted JSON").click()
    reason = result_for(page, "pasted.json").locator(".reasons").inner_text()
    assert reason == "record 0: missing or empty field(s): text"
    screenshots(page, "ingest")
