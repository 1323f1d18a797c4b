"""Chat models: one interface, a local llama.cpp model and an OpenAI-compatible client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from service.settings import Settings
from service.tokens import count_tokens


class LLMUnavailable(RuntimeError):
    """The model cannot answer now (endpoint down, timeout, 5xx, model file missing)."""


class LLMBadOutput(RuntimeError):
    """The model answered with nothing usable."""


@dataclass
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


@dataclass
class ChatRequest:
    messages: list[dict[str, str]]
    max_tokens: int
    temperature: float = 0.0
    stop: list[str] = field(default_factory=list)


class ChatModel(Protocol):
    name: str
    context_tokens: int

    def complete(self, request: ChatRequest) -> Completion: ...

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """Text deltas; raises LLMUnavailable before the first delta if the model is down."""
        ...

    def count_tokens(self, text: str) -> int: ...


class LocalChatModel:
    """llama-cpp-python in-process. Calls are serialised: a llama.cpp context is not re-entrant."""

    def __init__(self, model_path: Path, threads: int, context_tokens: int, name: str) -> None:
        from llama_cpp import Llama

        if not model_path.is_file():
            raise LLMUnavailable(f"model file not found: {model_path}")
        self._llama = Llama(
            model_path=str(model_path), n_ctx=context_tokens, n_threads=threads, verbose=False
        )
        self._lock = threading.Lock()
        self.name = name
        self.context_tokens = context_tokens

    def complete(self, request: ChatRequest) -> Completion:
        with self._lock:
            result: Any = self._llama.create_chat_completion(
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
            )
        text = result["choices"][0]["message"]["content"] or ""
        usage = result.get("usage") or {}
        return Completion(text, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))

    def stream(self, request: ChatRequest) -> Iterator[str]:
        with self._lock:
            chunks: Any = self._llama.create_chat_completion(
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
                stream=True,
            )
            for chunk in chunks:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


class OpenAIChatModel:
    """Any OpenAI-compatible endpoint; the client retries 429/5xx/timeouts with backoff."""

    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        llm = settings.llm
        self._client = OpenAI(
            base_url=llm.base_url,
            api_key=llm.api_key.get_secret_value(),
            timeout=llm.timeout_s,
            max_retries=llm.max_retries,
        )
        self.name = llm.model
        self.context_tokens = llm.context_tokens

    def complete(self, request: ChatRequest) -> Completion:
        import openai

        try:
            response = self._client.chat.completions.create(
                model=self.name,
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
            )
        except (openai.APIConnectionError, openai.APIStatusError) as exc:
            raise LLMUnavailable(f"LLM endpoint failed: {_describe(exc)}") from exc
        except (openai.OpenAIError, ValueError) as exc:
            # ValueError: a body that is not JSON at all.
            raise LLMBadOutput(f"LLM endpoint returned an unusable response: {type(exc).__name__}") from exc
        if not response.choices:
            raise LLMBadOutput("LLM endpoint returned no choices")
        usage = response.usage
        return Completion(
            response.choices[0].message.content or "",
            usage.prompt_tokens if usage else 0,
            usage.completion_tokens if usage else 0,
        )

    def stream(self, request: ChatRequest) -> Iterator[str]:
        import openai

        try:
            chunks = self._client.chat.completions.create(
                model=self.name,
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
                stream=True,
            )
            for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta.content:  # type: ignore[union-attr]
                    yield chunk.choices[0].delta.content  # type: ignore[union-attr]
        except (openai.APIConnectionError, openai.APIStatusError) as exc:
            raise LLMUnavailable(f"LLM endpoint failed: {_describe(exc)}") from exc

    def count_tokens(self, text: str) -> int:
        return count_tokens(text)


def _describe(exc: Exception) -> str:
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    return "connection failed"


def make_chat_model(settings: Settings) -> ChatModel:
    if settings.llm.backend == "openai":
        return OpenAIChatModel(settings)
    from service.components.model_presets import ModelUnavailable, resolve_preset

    llm = settings.llm
    try:
        path = llm.model_path or resolve_preset(llm.preset, settings.models_dir)
    except ModelUnavailable as exc:
        raise LLMUnavailable(str(exc)) from exc
    name = llm.model_path.name if llm.model_path else llm.preset
    return LocalChatModel(Path(path), llm.threads, llm.context_tokens, name)
