"""Warm start: everything a question needs is loaded before the first one arrives.

`newsdesk serve` starts a `Readiness` in the app's lifespan: a background thread builds the store,
the embedder, the lexical index, the sentence scorer and the model, each timed, then runs one short
generation over the answer prompt. Meanwhile the server accepts connections: /healthz says
'loading', and requests that need these parts wait (up to `startup.wait_s`) for 'ready'.
Without a lifespan (tests' plain TestClient), or with `startup.preload` off, nothing is started and
the service is 'ready' at once, each part loading on first use as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from service.components.llm import ChatModel, ChatRequest
from service.domain import DateRange
from service.prompting import load_prompt
from service.wiring import Services

log = logging.getLogger("newsdesk.startup")

State = Literal["loading", "ready"]

# The worked example's own source: the warm-up prompt is shaped like a real question's.
_WARM_SOURCE = {
    "n": 1, "title": "Port strike enters second day", "source": "coastal-wire.example", "date": "2026-01-13",
    "text": "About 400 dock workers stayed off the job on Tuesday, the union said.",
}
WARM_UP_TOKENS = 4
# A part that failed at start-up (a full disk, a store server not up yet) is tried again in the
# background when /healthz is read, at most this often, so `failed` says what is failing now.
RECHECK_S = 10.0


def warm_up(model: ChatModel, prompts_dir: Path) -> None:
    """One short generation over the answer prompt: the model's weights are paged in, its buffers
    allocated, and the prompt's fixed prefix (system prompt, worked example) left in llama.cpp's cache."""
    messages = load_prompt(prompts_dir, "answer").render(
        today=dt.date.today().isoformat(), question="How many dock workers stayed off the job?",
        sources=[_WARM_SOURCE], date_range="", news_in_general=False,
    )
    model.complete(ChatRequest(messages, WARM_UP_TOKENS, 0.0))


class Readiness:
    """Loading -> ready, with what was loaded and how long each part took."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._ready.set()  # nothing to wait for until `start` is called
        self.state: State = "ready"
        self.loaded: dict[str, float] = {}  # part -> seconds
        self.failed: dict[str, str] = {}  # part -> why (the requests that need it fail as before)
        self.preloading = False
        self.started_at = time.monotonic()
        self.seconds: float | None = None
        self._rechecking = threading.Lock()
        self._rechecked_at = 0.0

    @property
    def is_ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, seconds: float) -> bool:
        return self._ready.wait(seconds)

    def start(self, services: Services) -> threading.Thread:
        self._ready.clear()
        self.state = "loading"
        self.preloading = True
        self.started_at = time.monotonic()
        thread = threading.Thread(target=self._load, args=(services,), name="newsdesk-preload", daemon=True)
        thread.start()
        return thread

    def _load(self, services: Services) -> None:
        for name, step in steps(services):
            self._run(name, step)
        self.seconds = round(time.monotonic() - self.started_at, 3)
        self.state = "ready"
        self._rechecked_at = time.monotonic()
        self._ready.set()
        log.info("ready in %.1f s", self.seconds)

    def _run(self, name: str, step: Callable[[], object]) -> None:
        started = time.perf_counter()
        try:
            step()
        except Exception as exc:  # the part stays unloaded; its requests report the fault themselves
            self.failed[name] = f"{type(exc).__name__}: {exc}"
            log.warning("loading %s failed: %s", name, self.failed[name])
            return
        self.failed.pop(name, None)
        self.loaded[name] = round(time.perf_counter() - started, 3)
        log.info("loaded %s in %.2f s", name, self.loaded[name])

    def recheck_failed(self, services: Services) -> threading.Thread | None:
        """Once start-up is over, load again the parts that failed, on a background thread (never in
        the request), at most every RECHECK_S seconds; the thread, or None when there is nothing to do."""
        now = time.monotonic()
        if not self.failed or not self.is_ready or now - self._rechecked_at < RECHECK_S:
            return None
        if not self._rechecking.acquire(blocking=False):
            return None
        self._rechecked_at = now
        thread = threading.Thread(target=self._recheck, args=(services,), name="newsdesk-recheck", daemon=True)
        thread.start()
        return thread

    def _recheck(self, services: Services) -> None:
        try:
            for name, step in steps(services):
                if name in self.failed:
                    self._run(name, step)
        finally:
            self._rechecking.release()

    def as_dict(self) -> dict[str, object]:
        """What /healthz shows: the state, each loaded part's seconds, failures, seconds since start
        (all of start-up once ready); null seconds when nothing was preloaded (parts load on first use)."""
        elapsed = self.seconds if self.seconds is not None else round(time.monotonic() - self.started_at, 3)
        return {"status": self.state, "loaded_s": dict(self.loaded), "failed": dict(self.failed),
                "startup_s": elapsed if self.preloading else None}


def steps(services: Services) -> list[tuple[str, Callable[[], object]]]:
    """The parts to load, in order, each a call that builds (and touches) one."""
    settings = services.settings

    def lexical() -> object:
        return services.lexical.search("warm up", 1, DateRange(), None)

    parts: list[tuple[str, Callable[[], object]]] = [
        ("store", lambda: services.store.count_chunks()),
        ("embedder", lambda: services.embedder.embed_batch(["warm up"])),
        ("lexical_index", lexical),
        ("sentence_scorer", lambda: services.sentence_scorer),
        ("reranker", lambda: services.reranker),
        ("model", lambda: services.chat_model),
    ]
    if settings.startup.warm_up:
        parts.append(("warm_up_generation", lambda: warm_up(services.chat_model, settings.prompts_dir)))
    return parts
