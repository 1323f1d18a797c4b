from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.components.embedder import Embedder
from service.settings import Settings
from service.wiring import Services
from tests.feeds.web import LoopbackWeb


@pytest.fixture
def web() -> Iterator[LoopbackWeb]:
    server = LoopbackWeb()
    yield server
    server.close()


@pytest.fixture
def feed_settings(tmp_path: Path) -> Settings:
    """Loopback allowed (the test servers live there), short timeouts so failures come quickly."""
    return Settings(
        data_dir=tmp_path / "data",
        feeds={"allow_private_addresses": True, "timeout_s": 1.0, "deadline_s": 4.0, "full_content_min_chars": 200},
    )


@pytest.fixture
def feed_services(feed_settings: Settings, embedder: Embedder) -> Iterator[Services]:
    services = Services(feed_settings, embedder=embedder)
    yield services
    services.fetcher.close()
