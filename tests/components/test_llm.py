"""The `openai` backend against llama.cpp's real OpenAI-compatible server on loopback."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.llm import ChatRequest, LocalChatModel, OpenAIChatModel, make_chat_model
from service.settings import Settings
from service.wiring import Services
from tests.conftest import REPO_ROOT

HELLO = ChatRequest([{"role": "user", "content": "Say hello."}], max_tokens=8)


def remote_settings(settings: Settings, base_url: str) -> Settings:
    llm = settings.llm.model_copy(update={"backend": "openai", "base_url": base_url, "model": "smollm2"})
    return settings.model_copy(update={"llm": llm})


def test_complete_and_stream_through_the_openai_client(settings: Settings, llama_server: str) -> None:
    model = OpenAIChatModel(remote_settings(settings, llama_server))
    completion = model.complete(HELLO)
    assert completion.text and completion.prompt_tokens > 0 and completion.completion_tokens > 0
    deltas = list(model.stream(HELLO))
    assert len(deltas) > 1 and "".join(deltas).strip()


def test_ask_over_http_with_the_openai_backend(settings: Settings, embedder, llama_server: str) -> None:
    services = Services(remote_settings(settings, llama_server), embedder=embedder)
    services.ingestor.ingest_paths([REPO_ROOT / "samples"])
    client = TestClient(create_app(services=services), raise_server_exceptions=False)
    body = client.post("/v1/ask", json={"question": "Where will the tram line run?"}).json()
    assert body["model"] == "smollm2" and body["usage"]["completion_tokens"] > 0
    with client.stream("POST", "/v1/ask", json={"question": "Where will the tram line run?", "stream": True}) as r:
        lines = list(r.iter_lines())
    events = [line for line in lines if line.startswith("event:")]
    assert events[-1] == "event: answer" and set(events[:-1]) <= {"event: sentence"}


def test_local_model_counts_its_own_tokens(local_model: LocalChatModel) -> None:
    assert local_model.count_tokens("hello world") == 2
    assert local_model.complete(HELLO).text


def test_loading_a_model_leaves_other_threads_output_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """The server preloads the model in a thread; a command or log line printed meanwhile must arrive
    (llama-cpp-python's quiet mode pointed the whole process's stdout at /dev/null while loading)."""
    settings = Settings(llm={"preset": "smollm2-135m", "context_tokens": 2048})
    loader = threading.Thread(target=make_chat_model, args=(settings,))
    printed = 0
    loader.start()
    while loader.is_alive() or printed < 100:
        print(f"line {printed}")
        printed += 1
        time.sleep(0.001)
    loader.join()
    # Only these lines: a log handler another test left on stdout may add llama.cpp's load lines.
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("line ")]
    assert lines == [f"line {n}" for n in range(printed)]


@pytest.mark.parametrize("map_file", [False, True])
def test_the_model_file_is_mapped_only_when_asked(map_file: bool) -> None:
    """Read, not mapped, by default: llama.cpp repacks the weights into its own copy, so a mapped file
    stays resident beside it (eval/bench_serve_memory.py measures the difference)."""
    settings = Settings(llm={"preset": "smollm2-135m", "context_tokens": 512, "map_model_file": map_file})
    model = make_chat_model(settings)
    assert isinstance(model, LocalChatModel)
    model_file = model._llama.model_path
    maps = Path("/proc/self/maps").read_text(encoding="utf-8").splitlines()
    mapped = [line for line in maps if line.rstrip().endswith(model_file)]
    assert bool(mapped) is map_file
    assert model.complete(HELLO).text
    model._llama.close()  # unmapped now, not whenever the collector runs: the next case reads the maps


@pytest.mark.parametrize("flash_attention", [False, True])
def test_flash_attention_is_a_setting_the_loaded_model_honours(flash_attention: bool) -> None:
    import llama_cpp

    settings = Settings(llm={"preset": "smollm2-135m", "context_tokens": 512, "flash_attention": flash_attention})
    model = make_chat_model(settings)
    assert isinstance(model, LocalChatModel)
    expected = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED if flash_attention else llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
    assert model._llama.context_params.flash_attn_type == expected
    assert model.complete(HELLO).text
    model._llama.close()
