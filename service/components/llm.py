"""Chat models: one interface, a local llama.cpp model and an OpenAI-compatible client."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from service.components.deadline import Cancel, DeadlinePassed, call_within, iterate_within
from service.components.llama_loading import load_llama
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
    # What the model measured of this call, where it can: prompt_tokens_evaluated (prompt tokens
    # the model computed, the rest came from its cache) and model_ms (time inside the model).
    counters: dict[str, float] = field(default_factory=dict)


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

    def __init__(
        self,
        model_path: Path,
        threads: int,
        context_tokens: int,
        name: str,
        map_file: bool = False,
        flash_attention: bool = False,
    ) -> None:
        if not model_path.is_file():
            raise LLMUnavailable(f"model file not found: {model_path}")
        self._llama = load_llama(model_path, threads, context_tokens, map_file, flash_attention)
        self._lock = threading.Lock()
        self.name = name
        self.context_tokens = context_tokens
        # A question's prompt is counted to fit it and again to report it, and the system prompt
        # and example are the same every time: llama.cpp's tokenizer takes about 0.6 ms a message.
        self._cached_count = functools.lru_cache(maxsize=256)(self._tokenized_length)

    def complete(self, request: ChatRequest) -> Completion:
        with self._lock, self._counting(request):
            result: Any = self._llama.create_chat_completion(
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
            )
        text = usable_text(result["choices"][0]["message"]["content"] or "")
        usage = result.get("usage") or {}
        return Completion(text, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """Deltas; a caller that stops early closes this generator, and the model stops with it."""
        with self._lock, self._counting(request):
            chunks: Any = self._llama.create_chat_completion(
                messages=request.messages,  # type: ignore[arg-type]
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                stop=request.stop or None,
                stream=True,
            )
            text = ""
            try:
                for chunk in chunks:
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if delta:
                        text += delta
                        started = time.perf_counter()
                        yield delta
                        # Time the caller spends between deltas is not the model's.
                        request.counters["model_ms"] = request.counters.get("model_ms", 0.0) - (
                            time.perf_counter() - started) * 1000
            finally:
                chunks.close()
        usable_text(text)

    @contextlib.contextmanager
    def _counting(self, request: ChatRequest) -> Iterator[None]:
        """llama.cpp's own counters around one call: how many prompt tokens it evaluated (those
        of the prompt's prefix still in the KV cache from the last call are not), and its time."""
        from llama_cpp import llama_perf_context

        before = llama_perf_context(self._llama.ctx)
        started = time.perf_counter()
        try:
            yield
        finally:
            after = llama_perf_context(self._llama.ctx)
            request.counters["prompt_tokens_evaluated"] = after.n_p_eval - before.n_p_eval
            request.counters["generated_tokens_evaluated"] = after.n_eval - before.n_eval
            elapsed = (time.perf_counter() - started) * 1000
            request.counters["model_ms"] = request.counters.get("model_ms", 0.0) + elapsed

    def count_tokens(self, text: str) -> int:
        return self._cached_count(text)

    def _tokenized_length(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


class OpenAIChatModel:
    """Any OpenAI-compatible endpoint; the client retries 429/5xx/timeouts with backoff.

    Every call has one total deadline (`timeout_s`, retries and slow streams included), and
    whatever the endpoint sends back is checked before it is trusted: an HTML page, a cut body,
    an event that is not JSON, an empty or letterless reply are LLMBadOutput, never an exception
    of the HTTP or JSON libraries that the routes would turn into a 500.
    """

    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        llm = settings.llm
        self._client = OpenAI(
            base_url=llm.base_url,
            api_key=llm.api_key.get_secret_value(),
            timeout=llm.timeout_s,
            max_retries=llm.max_retries,
        )
        self._deadline_s = llm.timeout_s
        self.name = llm.model
        self.context_tokens = llm.context_tokens

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        return {"model": self.name, "messages": request.messages, "max_tokens": request.max_tokens,
                "temperature": request.temperature, "stop": request.stop or None}

    def complete(self, request: ChatRequest) -> Completion:
        with _endpoint_errors():
            completion = call_within(self._deadline_s, lambda cancel: self._complete(request, cancel))
        usable_text(completion.text)
        return completion

    def _complete(self, request: ChatRequest, cancel: Cancel) -> Completion:
        # The body is read in pieces, so a dripping endpoint is let go at the deadline.
        with self._client.chat.completions.with_streaming_response.create(**self._arguments(request)) as response:
            cancel.on_stop(response.close)
            kind = response.headers.get("content-type", "")
            body = bytearray()
            for piece in response.iter_bytes():
                if cancel.stopped:
                    break
                body += piece
        if "json" not in kind.lower():
            raise LLMBadOutput(f"LLM endpoint returned {kind.split(';')[0] or 'no content type'}, not JSON")
        return completion_from_json(bytes(body))

    def stream(self, request: ChatRequest) -> Iterator[str]:
        with _endpoint_errors():
            deltas = iterate_within(self._deadline_s, lambda cancel: self._stream(request, cancel))
            text = ""
            for delta in deltas:
                text += delta
                yield delta
        usable_text(text)

    def _stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[str]:
        chunks = self._client.chat.completions.create(**self._arguments(request), stream=True)
        cancel.on_stop(chunks.close)
        kind = chunks.response.headers.get("content-type", "")
        if "text/event-stream" not in kind.lower():
            chunks.close()
            raise LLMBadOutput(f"LLM endpoint streamed {kind.split(';')[0] or 'no content type'}, not events")
        for chunk in chunks:
            choices = getattr(chunk, "choices", None)
            if not isinstance(choices, list):
                raise LLMBadOutput("LLM endpoint streamed an event without choices")
            delta = getattr(choices[0], "delta", None) if choices else None
            content = getattr(delta, "content", None)
            if isinstance(content, str) and content:
                yield content

    def count_tokens(self, text: str) -> int:
        return count_tokens(text)


def completion_from_json(body: bytes) -> Completion:
    """A chat.completion body -> Completion; LLMBadOutput for anything that is not one."""
    try:
        data = json.loads(body)
        message = data["choices"][0]["message"]
        text = message.get("content") or ""
        usage = data.get("usage") or {}
        prompt_tokens, completion_tokens = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise LLMBadOutput(f"LLM endpoint returned an unusable response: {type(exc).__name__}") from None
    if not isinstance(text, str):
        raise LLMBadOutput("LLM endpoint returned a message whose content is not text")
    return Completion(text, prompt_tokens, completion_tokens)


# An HTML page where an answer should be: a proxy's or a portal's, passed through as "content".
_HTML_PAGE = re.compile(r"^\s*<(?:!doctype|html)\b", re.IGNORECASE)


def usable_text(text: str) -> str:
    """The model's reply, or LLMBadOutput when it holds nothing an answer could be made of.

    Without this an empty or letterless reply is verified into "The articles do not say.": a
    model fault passed off as a refusal, where the caller should get the degraded answer.
    """
    if not any(ch.isalnum() for ch in text):
        raise LLMBadOutput("the model returned an empty answer" if not text.strip() else "the model returned no words")
    if _HTML_PAGE.match(text):
        raise LLMBadOutput("the model returned an HTML page")
    return text


@contextlib.contextmanager
def _endpoint_errors() -> Iterator[None]:
    """Every failure of a model call as LLMUnavailable (retry later) or LLMBadOutput (unusable)."""
    import httpx
    import openai

    try:
        yield
    except (LLMUnavailable, LLMBadOutput):
        raise
    except DeadlinePassed as exc:
        raise LLMUnavailable(f"LLM endpoint failed: timed out ({exc})") from None
    except (openai.APIConnectionError, openai.APIStatusError, httpx.TransportError) as exc:
        # Mid-stream, httpx's own errors arrive unwrapped by the client.
        raise LLMUnavailable(f"LLM endpoint failed: {_describe(exc)}") from None
    except (openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
        # ValueError: a body or an event that is not JSON.
        raise LLMBadOutput(f"LLM endpoint returned an unusable response: {type(exc).__name__}") from None


def _describe(exc: Exception) -> str:
    import httpx
    import openai

    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
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
    return LocalChatModel(Path(path), llm.threads, llm.context_tokens, name, llm.map_model_file, llm.flash_attention)
