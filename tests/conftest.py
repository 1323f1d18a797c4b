"""Shared fixtures: real Chroma in a temp dir, the real local embedder, real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.components.embedder import Embedder, LocalMiniLMEmbedder
from service.settings import Settings
from service.wiring import Services

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def write_article(
    folder: Path,
    name: str,
    *,
    date: str = "2026-03-02",
    title: str = "Harborview council approves ferry expansion",
    paragraphs: list[str] | None = None,
    url: str | None = "https://harborview-herald.example/2026/03/02/ferry",
) -> Path:
    """A file in the native format: date line, paragraphs, URL line."""
    body = paragraphs or [
        "The Harborview city council voted 7 to 2 on Monday to expand the ferry service.",
        "Mayor Dana Whitfield said the expansion would cost 12 million dollars.",
    ]
    lines = [f"date {date} {title}", "", *"\n\n".join(body).split("\n")]
    if url:
        lines += ["", url]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return LocalMiniLMEmbedder(threads=2)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", llm={"preset": "smollm2-135m", "context_tokens": 2048})


@pytest.fixture
def services(settings: Settings, embedder: Embedder) -> Services:
    return Services(settings, embedder=embedder)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback() -> Iterator[None]:
    # Tests only talk to loopback; a proxy variable in the environment must not catch that.
    saved = {
        k: os.environ.pop(k)
        for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
        if k in os.environ
    }
    yield
    os.environ.update(saved)
