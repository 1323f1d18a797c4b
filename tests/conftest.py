"""Shared fixtures: real Chroma in a temp dir, the real local embedder, real files, and a
scripted chat model for the paths (refusal, degraded, misattribution) a real model reaches by chance."""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from service.components.embedder import Embedder, LocalMiniLMEmbedder
from service.components.llm import ChatRequest, Completion
from service.settings import Settings
from service.tokens import count_tokens
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


@pytest.fixture(scope="session")
def local_model():
    """The real smallest local model (SmolLM2-135M): plumbing, not quality."""
    from service.components.llm import make_chat_model

    return make_chat_model(Settings(llm={"preset": "smollm2-135m", "context_tokens": 2048}))


@pytest.fixture
def answering(settings: Settings, embedder: Embedder, local_model) -> Services:
    services = Services(settings, embedder=embedder, chat_model=local_model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    return services


# What a scripted model answers with: the text itself, an exception instance to raise
# (LLMUnavailable, LLMBadOutput), or a function of the request for replies that depend on the prompt.
Reply = str | BaseException | Callable[[ChatRequest], str]


class ScriptedChatModel:
    """A `ChatModel` that answers with given replies, in order, and records what it was asked.

    `then` answers every call after the queued replies run out (a test double that must answer
    any number of calls); without it, running out fails the test rather than inventing an answer.
    """

    def __init__(
        self, *replies: Reply, then: Reply | None = None, name: str = "scripted", context_tokens: int = 4096
    ) -> None:
        self.name = name
        self.context_tokens = context_tokens
        self.requests: list[ChatRequest] = []
        self._replies: deque[Reply] = deque(replies)
        self._then = then
        self._lock = threading.Lock()

    def script(self, *replies: Reply) -> ScriptedChatModel:
        """Queue more replies after those already queued."""
        with self._lock:
            self._replies.extend(replies)
        return self

    @property
    def prompts(self) -> list[str]:
        """The last message of each request received: the one that carries the sources."""
        return [request.messages[-1]["content"] for request in self.requests]

    def _reply(self, request: ChatRequest) -> str:
        with self._lock:
            self.requests.append(request)
            if self._replies:
                reply = self._replies.popleft()
            elif self._then is not None:
                reply = self._then
            else:
                raise AssertionError(f"{self.name}: no scripted reply left for request {len(self.requests)}")
        if isinstance(reply, BaseException):
            raise reply
        return reply if isinstance(reply, str) else reply(request)

    def complete(self, request: ChatRequest) -> Completion:
        text = self._reply(request)
        prompt_tokens = sum(self.count_tokens(m["content"]) for m in request.messages)
        return Completion(text, prompt_tokens, self.count_tokens(text))

    def stream(self, request: ChatRequest) -> Iterator[str]:
        # The reply is taken (or its exception raised) before the first delta, as the protocol says.
        text = self._reply(request)
        yield from re.findall(r"\s*\S+", text)

    def count_tokens(self, text: str) -> int:
        return count_tokens(text)


@pytest.fixture
def scripted_model() -> ScriptedChatModel:
    """Queue its replies in the test: `scripted_model.script("... [1].")`."""
    return ScriptedChatModel()


@pytest.fixture
def scripted_services(tmp_path: Path, embedder: Embedder, scripted_model: ScriptedChatModel) -> Services:
    """samples/ ingested into a real Chroma, answered by `scripted_model`.

    Chunks are large enough that each sample article is one chunk: a question restricted to one
    outlet then gets that article as source [1], and a scripted "[1]" cites what the test means.
    """
    settings = Settings(data_dir=tmp_path / "data", chunking={"max_tokens": 1024, "overlap_tokens": 0})
    services = Services(settings, embedder=embedder, chat_model=scripted_model)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    return services


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 120.0) -> None:
    """Poll a loopback URL until it answers 200; servers under test start in the background.

    Our own /healthz answers 200 while start-up still loads the model: wait for its 'ready' too, so
    tests never meet the 503 a request gets when loading outlasts `startup.wait_s`."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=2)
            loading = url.endswith("/healthz") and response.status_code == 200 and \
                response.json().get("status") == "loading"
            if response.status_code == 200 and not loading:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not come up within {seconds:.0f} s")


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on loopback, serving the small model."""
    import subprocess
    import sys

    from service.components.model_presets import resolve_preset

    model = resolve_preset("smollm2-135m", Path("/nonexistent"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--model_alias", "smollm2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(f"{base_url}/models")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
