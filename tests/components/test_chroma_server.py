"""Server mode: a real `chroma run` on loopback; two service instances; the server going away and back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.settings import Settings
from service.wiring import Services
from tests.conftest import free_port
from tests.ingest.test_pipeline import corpus


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    for _ in range(120):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("chroma server did not start")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[Path, int, list[subprocess.Popen]]]:
    port = free_port()
    processes = [start_chroma(tmp_path / "chroma-server", port)]
    yield tmp_path / "chroma-server", port, processes
    for process in processes:
        process.kill()
        process.wait()


def test_two_processes_share_the_server_and_survive_an_outage(chroma_server, embedder, tmp_path: Path) -> None:
    path, port, processes = chroma_server
    settings = Settings(data_dir=tmp_path / "data", store={"mode": "server", "port": port})
    writer = Services(settings, embedder=embedder)
    reader = Services(settings, embedder=embedder)
    client = TestClient(create_app(services=reader), raise_server_exceptions=False)
    assert client.post("/v1/search", json={"query": "Lumatek"}).json() == []

    writer.ingestor.ingest_paths([corpus(tmp_path / "articles")])
    hits = client.post("/v1/search", json={"query": "Lumatek battery plant"}).json()
    assert hits and hits[0]["title"] == "Lumatek opens a battery plant"  # no stale view

    processes[0].kill()
    processes[0].wait()
    down = client.post("/v1/search", json={"query": "Lumatek"})
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert "store" in down.json()["detail"].lower()

    processes.append(start_chroma(path, port))
    again = client.post("/v1/search", json={"query": "Lumatek battery plant"})
    assert again.status_code == 200 and again.json()[0]["title"] == "Lumatek opens a battery plant"


def serve_api(port: int, chroma_port: int, data_dir: Path, lexical_file: Path) -> subprocess.Popen:
    # Processes on one machine share the keyword index file as they share the Chroma server.
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir), "NEWSDESK_STORE__MODE": "server",
           "NEWSDESK_STORE__PORT": str(chroma_port), "NEWSDESK_LEXICAL__ENGINE": "fts5",
           "NEWSDESK_LEXICAL__PATH": str(lexical_file),
           "NEWSDESK_STARTUP__PRELOAD": "false"}  # search only: no model to load at start-up
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_separate_api_processes_never_serve_stale_data(chroma_server, tmp_path: Path) -> None:
    from tests.conftest import wait_until_up

    _, chroma_port, _ = chroma_server
    ports = [free_port(), free_port()]
    apis = [serve_api(port, chroma_port, tmp_path / f"data{i}", tmp_path / "lexical.sqlite3")
            for i, port in enumerate(ports)]
    writer, reader = (f"http://127.0.0.1:{port}" for port in ports)
    record = {"title": "Tram depot opens in Eastbrook", "text": "The new tram depot in Eastbrook opened on "
              "Tuesday with room for 40 trams, the transit authority said. " * 3,
              "published_at": "2026-03-03", "url": "https://metro-ledger.example/tram-depot"}
    try:
        for base in (writer, reader):
            wait_until_up(f"{base}/healthz")
        with httpx.Client(timeout=60) as http:
            assert http.post(f"{reader}/v1/search", json={"query": "tram depot Eastbrook"}).json() == []

            assert http.post(f"{writer}/v1/articles", json={"articles": [record]}).status_code == 200
            first = http.post(f"{reader}/v1/search", json={"query": "tram depot Eastbrook"}).json()
            assert first and "40 trams" in first[0]["text"]
            assert first[0]["lexical_rank"] == 1  # found by the keyword file the writer wrote, at once

            update = {**record, "text": record["text"].replace("40 trams", "55 trams")}
            assert http.post(f"{writer}/v1/articles", json={"articles": [update]}).json()["updated"] == 1
            second = http.post(f"{reader}/v1/search", json={"query": "tram depot Eastbrook"}).json()
            assert second and all("55 trams" in hit["text"] and "40 trams" not in hit["text"] for hit in second)

            article_id = second[0]["article_id"]
            assert http.delete(f"{writer}/v1/articles/{article_id}").status_code == 204
            assert http.post(f"{reader}/v1/search", json={"query": "tram depot Eastbrook"}).json() == []
            assert http.get(f"{reader}/v1/articles/{article_id}").status_code == 404
    finally:
        for api in apis:
            api.terminate()
            api.wait(timeout=30)
