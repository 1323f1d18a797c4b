"""Loading a llama.cpp model file without silencing the rest of the process."""

from __future__ import annotations

import contextlib
import io
import logging
import time
from pathlib import Path
from typing import Any

_LLAMA_LOG_LEVELS = {3: logging.INFO, 4: logging.ERROR}  # ggml.h: 3 warn, 4 error; the rest is debug or info


def _llama_log_callback() -> Any:
    import llama_cpp

    logger = logging.getLogger("llama.cpp")

    @llama_cpp.llama_log_callback
    def forward(level: int, text: bytes, user_data: Any) -> None:
        # Load-time warnings are model quirks a user cannot act on: INFO keeps the command line quiet.
        logger.log(_LLAMA_LOG_LEVELS.get(level, logging.DEBUG), "%s", text.decode("utf-8", "replace").rstrip())

    return forward


_log_callback: Any = None  # held here: ctypes would free a callback nobody references


def load_llama(
    model_path: Path, threads: int, context_tokens: int, map_file: bool = False, flash_attention: bool = False
) -> Any:
    """Load quietly without touching stdout. llama-cpp-python's verbose=False points the whole process's
    stdout and stderr, file descriptors included, at /dev/null while it loads, so whatever another thread
    printed meanwhile was lost (a command's JSON, the server's log while the model preloads). Instead
    llama.cpp's own log goes to Python logging, and the library's Python-side load report (model
    metadata, system info) is swallowed from sys.stderr alone. `map_file`, `flash_attention`: see LLMSettings."""
    global _log_callback
    import llama_cpp

    if _log_callback is None:
        _log_callback = _llama_log_callback()
        llama_cpp.llama_log_set(_log_callback, None)
    with contextlib.redirect_stderr(io.StringIO()):
        llama = llama_cpp.Llama(
            model_path=str(model_path),
            n_ctx=context_tokens,
            n_threads=threads,
            use_mmap=map_file,
            flash_attn=flash_attention,
            verbose=True,
        )
    llama.verbose = False  # no per-call prints ("prefix-match hit") on stderr
    return llama


# Long enough to run a batched prompt through every matrix kernel: a one-token prompt did not
# reach the AMX kernel that crashed (scripts/setup.sh).
_CHECK_PROMPT = "Harborview's council approved the ferry route by seven votes to two on Monday, the clerk said. Who approved it?"


def generates(model_path: Path, threads: int) -> float:
    """Load the model and generate a few tokens from a short prompt; returns the seconds it took."""
    started = time.perf_counter()
    llama = load_llama(model_path, threads, context_tokens=256)
    llama.create_completion(_CHECK_PROMPT, max_tokens=4, temperature=0.0)
    return time.perf_counter() - started
