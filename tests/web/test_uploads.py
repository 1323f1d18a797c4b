"""POST /v1/articles/files: whole files, parsed like `newsdesk ingest`, one result per file."""

from __future__ import annotations

import base64
import hashlib

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.store import StoreWriteFailed
from service.settings import APIKey, Settings
from service.wiring import Services

NATIVE = (
    "date 2026-11-25 Northgate ferry moves to a 20-minute timetable\n\n"
    "The ferry will run every 20 minutes from Monday, the operator said.\n\n"
    "https://northgate-courier.example/2026/11/25/ferry\n"
)
RECORD = '{"title": "Lantern night", "text": "Lanterns lit the quay.", "published_at": "2026-11-21"}'


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services=services))


def post(client: TestClient, *files: dict, **headers: str):
    return client.post("/v1/articles/files", json={"files": list(files)}, headers=headers)


def test_each_file_gets_its_own_result(client: TestClient) -> None:
    response = post(
        client,
        {"name": "ferry.txt", "content": NATIVE},
        {"name": "broken.txt", "content": "no date line\n\nbody\n"},
        {"name": "lines.jsonl", "content": f"{RECORD}\nnot json\n"},
        {"name": "latin1.txt", "content_base64": base64.b64encode("date 2026-11-25 Caf\xe9\n\nx\n".encode("latin-1")).decode()},
        {"name": "notes.pdf", "content": "%PDF"},
        {"name": "both.txt", "content": "x", "content_base64": "eA=="},
        {"name": "bad64.txt", "content_base64": "***"},
    )
    assert response.status_code == 200, response.text
    results = {r["name"]: r for r in response.json()["files"]}
    assert results["ferry.txt"]["ok"] and results["ferry.txt"]["ingested"] == 1
    assert results["broken.txt"]["failed"] == [
        {"path": "broken.txt", "line": 1, "error": "first line must be 'date YYYY-MM-DD Title'"}
    ]
    lines = results["lines.jsonl"]
    assert lines["ingested"] == 1 and not lines["ok"] and lines["failed"][0]["line"] == 2
    assert "not UTF-8" in results["latin1.txt"]["failed"][0]["error"]
    assert "unsupported file type '.pdf'" in results["notes.pdf"]["failed"][0]["error"]
    assert "exactly one" in results["both.txt"]["failed"][0]["error"]
    assert "base64" in results["bad64.txt"]["failed"][0]["error"]
    again = post(client, {"name": "ferry.txt", "content": NATIVE}).json()["files"][0]
    assert again["unchanged"] == 1 and again["ok"]


def test_the_file_name_is_never_used_as_a_path(client: TestClient) -> None:
    result = post(client, {"name": "../../../../tmp/evil.txt", "content": NATIVE}).json()["files"][0]
    assert result["ok"] and result["name"] == "../../../../tmp/evil.txt"


def test_limits_and_empty_bodies(services: Services, tmp_path) -> None:
    limited = services.settings.model_copy(update={
        "data_dir": tmp_path / "limited",
        "api": services.settings.api.model_copy(update={"max_batch_articles": 1}),
        "ingest": services.settings.ingest.model_copy(update={"max_file_bytes": 1000}),
    })
    client = TestClient(create_app(services=Services(limited, embedder=services.embedder)))
    assert post(client).status_code == 422
    big = post(client, {"name": "big.txt", "content": NATIVE + "x" * 2000}).json()["files"][0]
    assert "over the 1000 limit" in big["failed"][0]["error"]
    assert post(client, {"name": "a.jsonl", "content": f"{RECORD}\n{RECORD.replace('Lantern', 'Lamp')}"}).status_code == 413


def test_ingesting_files_needs_the_write_role(settings: Settings, services: Services, tmp_path) -> None:
    keys = [APIKey(name=n, sha256=hashlib.sha256(n.encode()).hexdigest(), role=n) for n in ("read", "write")]
    api = settings.api.model_copy(update={"keys": keys})
    keyed = settings.model_copy(update={"api": api, "data_dir": tmp_path / "keyed"})
    client = TestClient(create_app(services=Services(keyed, embedder=services.embedder)))
    file = {"name": "ferry.txt", "content": NATIVE}
    assert post(client, file).status_code == 401
    assert post(client, file, authorization="Bearer read").status_code == 403
    assert post(client, file, authorization="Bearer write").json()["files"][0]["ok"]


def test_a_disk_that_refuses_writes_is_507_and_later_files_are_not_tried(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise StoreWriteFailed("the disk is full")

    monkeypatch.setattr(services.store, "replace_articles", refuse)
    second = NATIVE.replace("ferry moves", "tram moves").replace("/ferry", "/tram")
    response = post(client, {"name": "ferry.txt", "content": NATIVE}, {"name": "tram.txt", "content": second})
    assert response.status_code == 507
    body = response.json()
    assert body["detail"] == "the disk is full"
    assert [f["ok"] for f in body["files"]] == [False, False]
    assert body["files"][1]["failed"][0]["error"] == "not stored: the disk is full"
