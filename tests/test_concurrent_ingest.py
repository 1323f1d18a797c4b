"""Ingest while answering: readers never see half of a replaced article, and no chunk is lost or doubled.

One thread keeps replacing an article with its other version while readers search and answer.
The two versions disagree on every sentence (toll 3 vs 5 dollars), so a mixed answer shows.
The model is a scripted double that copies its first source: the point is the store, not the model.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from service.answering import AskRequest
from service.components.llm import ChatRequest
from service.domain import Article, DateRange
from service.ingest.parse import parse_file
from service.retrieval import SearchQuery
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT, ScriptedChatModel, write_article

URL = "https://bay-courier.example/2026/03/02/bridge-toll"
ROUNDS = 8


def bridge_article(folder: Path, toll: int) -> Path:
    paragraphs = [
        f"Paragraph {i}: the Bayline bridge toll is {toll} dollars for cars, officials said on Monday, "
        f"and commuters on the Bayline bridge will pay {toll} dollars each way from March." for i in range(12)
    ]
    return write_article(folder, f"toll-{toll}.txt", title="Bayline bridge toll set", paragraphs=paragraphs, url=URL)


def copy_first_source(request: ChatRequest) -> str:
    """The first sentence of source [1], cited: deterministic and instant."""
    prompt = request.messages[-1]["content"]
    match = re.search(r"\[1\][^\n]*\n<<<\n(.+?[.!?])", prompt, re.S)
    return f"{match.group(1).strip()} [1]" if match else "The articles do not say."


def parse_one(path: Path) -> Article:
    parsed = next(iter(parse_file(path, 1 << 20)))
    assert isinstance(parsed, Article), parsed
    return parsed


def tolls_in(text: str) -> set[str]:
    return set(re.findall(r"(?:toll is|pay) (\d) dollars", text))


def test_readers_never_mix_versions_while_an_article_is_replaced(tmp_path: Path, embedder) -> None:
    versions = [bridge_article(tmp_path / "v3", 3), bridge_article(tmp_path / "v5", 5)]
    articles = [parse_one(path) for path in versions]
    model = ScriptedChatModel(then=copy_first_source, name="copy-first-source")
    services = Services(Settings(data_dir=tmp_path / "data"), embedder=embedder, chat_model=model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples", versions[0]])
    problems: list[str] = []
    readings = 0
    writing = threading.Event()
    writing.set()

    def writer() -> None:
        try:
            for round_ in range(ROUNDS):
                services.ingestor.ingest_paths([versions[(round_ + 1) % 2]])
        finally:
            writing.clear()

    def reader() -> None:
        nonlocal readings
        while writing.is_set():
            passages = services.retriever.search(SearchQuery("Bayline bridge toll", k=10, date_range=DateRange()))
            bridge = [p.chunk for p in passages if p.chunk.source == "bay-courier.example"]
            hashes = {c.content_hash for c in bridge}
            if len(hashes) > 1 or len(tolls_in(" ".join(c.text for c in bridge))) > 1:
                problems.append(f"search mixed versions: {sorted(hashes)}")
            for chunk in bridge:
                whole = next((a.text for a in articles if a.content_hash == chunk.content_hash), None)
                if whole is None or whole[chunk.start : chunk.end] != chunk.text:
                    problems.append(f"chunk {chunk.id} is not a slice of its version")
            answer = services.answerer.ask(AskRequest("What is the Bayline bridge toll?"))
            quotes = " ".join(c.quote for c in answer.citations if c.source == "bay-courier.example")
            if len(tolls_in(quotes)) > 1:
                problems.append(f"answer quotes both versions: {quotes[:200]}")
            readings += 1

    threads = [threading.Thread(target=writer), *(threading.Thread(target=reader) for _ in range(2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not problems, problems[:5]
    assert readings >= ROUNDS, "the readers did not overlap the writes; nothing was tested"
    final = articles[ROUNDS % 2]
    stored = services.store.get_chunks(final.id)
    clean = Services(Settings(data_dir=tmp_path / "clean"), embedder=embedder)
    clean.ingestor.ingest_paths([REPO_ROOT / "samples", versions[ROUNDS % 2]])
    assert [c.id for c in stored] == [c.id for c in clean.store.get_chunks(final.id)]
    assert services.store.chunk_ids() == clean.store.chunk_ids(), "chunks lost or left behind"
