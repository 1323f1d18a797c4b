"""Real-browser fixtures: `newsdesk serve` in a subprocess (small model, samples, an attack article,
two API keys) and Debian's chromium driven by Playwright. Nothing is downloaded.

Without chromium or Playwright the tests skip and say why; with NEWSDESK_REQUIRE_BROWSER=1 (set by
scripts/test.sh once chromium is installed) they fail instead, so CI cannot skip them silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, free_port, wait_until_up

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("NEWSDESK_ARTIFACTS") or REPO_ROOT / "tests" / "artifacts")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
READ_KEY = "browser-test-read-key"
WRITE_KEY = "browser-test-write-key"

# An article whose title and body carry markup that would run if the page ever parsed data as HTML,
# and a javascript: URL that would run if it became a link.
ATTACK_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Harbour lantern festival'
# Titles are made plain at ingest: this is what every view must show.
SHOWN_TITLE = "Harbour lantern festival"
ATTACK_ARTICLE = {
    "title": ATTACK_TITLE,
    "text": (
        "The Harbour lantern festival in Port Ellery drew about 9,000 visitors on Saturday night, "
        "the organisers said.\n\n"
        'Its website banner read <img src=x onerror="window.__pwned=3"> and '
        "<script>window.__pwned=4</script> for an hour after a volunteer pasted the wrong snippet.\n\n"
        "The festival returns next November with a second night of lanterns on the quay."
    ),
    # A day of its own (the samples run from November 20): asked about that day, whatever the small
    # model writes, this article is what the answer cites or the refusal shows. On the 21st, beside
    # a sample, the model's answer depended on the date the test ran on.
    "published_at": "2026-11-19",
    # A javascript: URL is refused at ingest now (tests/ingest/test_hostile_records.py), so the
    # article gets a web URL and the markup in its title and body is what is tested here.
    "url": "https://harbour-gazette.example/2026/11/19/lantern-festival",
    "source": "harbour-gazette.example",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("NEWSDESK_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (NEWSDESK_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        _unavailable(f"chromium not found at {CHROMIUM}: install Debian's chromium (scripts/test.sh does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _keys() -> str:
    return json.dumps([
        {"name": "reader", "sha256": hashlib.sha256(READ_KEY.encode()).hexdigest(), "role": "read"},
        {"name": "writer", "sha256": hashlib.sha256(WRITE_KEY.encode()).hexdigest(), "role": "write"},
    ])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsdesk serve` on a free loopback port with the samples and the attack article ingested."""
    data = tmp_path_factory.mktemp("browser-server")
    extra = data / "extra"
    extra.mkdir()
    (extra / "attack.json").write_text(json.dumps(ATTACK_ARTICLE), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy"}}
    env.update({
        "NEWSDESK_DATA_DIR": str(data / "data"),
        "NEWSDESK_LLM__PRESET": "smollm2-135m",
        "NEWSDESK_LLM__CONTEXT_TOKENS": "2048",
        "NEWSDESK_API__KEYS": _keys(),
    })
    port = free_port()
    command = [str(Path(sys.executable).with_name("newsdesk")), "serve", "--host", "127.0.0.1",
               "--port", str(port), "--ingest", str(REPO_ROOT / "samples"), "--ingest", str(extra)]
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(f"{base}/healthz", seconds=180)
        except RuntimeError:
            tail = (data / "server.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"newsdesk serve did not start:\n{tail}") from None
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class PageWatch:
    """Dialogs, uncaught errors and CSP refusals seen by a page: all should stay empty."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.errors.append(message.text)


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=server)
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    watch = PageWatch(opened)
    opened.watch = watch
    yield opened
    context.close()
    assert watch.dialogs == [], f"dialogs fired: {watch.dialogs}"
    assert watch.errors == [], f"page errors: {watch.errors}"


def screenshots(page: Any, name: str, full_page: bool = True) -> None:
    """Save the current view at desktop and phone widths, then restore the desktop size.

    A modal panel dims the viewport only, so its screenshots are of the viewport (full_page=False).
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(100)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=full_page)
    page.set_viewport_size(DESKTOP)


def set_key(page: Any, key: str) -> None:
    page.locator("details.key summary").click()
    page.get_by_label("API key (kept in this tab only)", exact=True).fill(key)
    page.get_by_role("button", name="Save key").click()
    page.locator("#key-state").filter(has_text="set for this tab").wait_for()
    page.locator("details.key summary").click()


def open_view(page: Any, view: str, key: str | None = READ_KEY) -> None:
    page.goto(f"/#{view}")
    page.wait_for_selector("html[data-ready]", state="attached")
    if key:
        set_key(page, key)
