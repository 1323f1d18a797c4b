from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.wiring import Services


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services), raise_server_exceptions=False)
