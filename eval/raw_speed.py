"""The raw speed of llama.cpp alone on this machine, now: prefill and generation tokens/s.

    .venv/bin/python eval/raw_speed.py --preset qwen2.5-1.5b --threads 2

Latency on these machines varies by a factor of three from day to day (150 prompt tokens/s one
day, 55 another), so every latency run measures this in the same run and reports its times also
as multiples of it. The prompt is fixed (PROMPT_TOKENS tokens of a fixed text, nothing cached) and
generated tokens are counted by llama.cpp (`llama_perf_context`); times are the wall clock's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path
from typing import Any

PROMPT_TOKENS = 1000
GENERATED_TOKENS = 32
# Any fixed English prose: the measurement needs the same tokens every run, not meaning.
_TEXT = (
    "The harbour council met on Tuesday to discuss the new ferry timetable, the repairs to the old "
    "quay wall and the budget for the coming winter. Members heard from dock workers, ferry pilots "
    "and shop owners along the front, who asked for later sailings on weekdays and for the car park "
    "to stay open during the works. The chair said a decision would follow next month. "
)


def measure(model_path: Path, threads: int, flash_attention: bool = False) -> dict[str, float]:
    """Prefill of a fixed PROMPT_TOKENS-token prompt and GENERATED_TOKENS greedy tokens, timed by llama.cpp."""
    from llama_cpp import Llama, llama_perf_context, llama_perf_context_reset

    llama = Llama(
        model_path=str(model_path), n_ctx=2048, n_threads=threads, flash_attn=flash_attention, verbose=False
    )
    tokens = llama.tokenize((_TEXT * 40).encode("utf-8"), add_bos=True)[:PROMPT_TOKENS]
    assert len(tokens) == PROMPT_TOKENS
    llama.reset()
    llama_perf_context_reset(llama.ctx)
    started = time.perf_counter()
    llama.eval(tokens)
    prefill_s = time.perf_counter() - started
    prefill = llama_perf_context(llama.ctx)
    started = time.perf_counter()
    for _ in range(GENERATED_TOKENS):
        llama.eval([llama.sample(temp=0.0)])
    generated_s = time.perf_counter() - started
    done = llama_perf_context(llama.ctx)
    generated = done.n_eval - prefill.n_eval
    return {
        "prefill_tokens": len(tokens),
        "prefill_tokens_per_s": round(len(tokens) / prefill_s, 1),
        "generated_tokens": generated,
        "generation_tokens_per_s": round(generated / generated_s, 2),
        "threads": threads,
    }


def _llama(model: Any) -> tuple[Any, Any]:
    """The llama_cpp.Llama inside a LocalChatModel (with its lock), or a Llama itself."""
    inner = getattr(model, "_llama", model)
    lock = getattr(model, "_lock", None) or contextlib.nullcontext()
    return inner, lock


def measure_raw_speed(model: Any, prompt_tokens: int = PROMPT_TOKENS, generated: int = GENERATED_TOKENS) -> dict:
    """As `measure`, on a model already loaded in this process (a LocalChatModel or a llama_cpp.Llama),
    from an empty cache, so a benchmark that holds the model measures the same work in the same run."""
    llama, lock = _llama(model)
    tokens = llama.tokenize((_TEXT * 40).encode("utf-8"), add_bos=True)[:prompt_tokens]
    with lock:
        llama.reset()  # nothing cached: the whole prompt is evaluated
        started = time.perf_counter()
        llama.eval(tokens)
        prefill_s = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(generated):
            llama.eval([llama.sample(top_k=1, temp=0.0)])
        generate_s = time.perf_counter() - started
        llama.reset()
    return {
        "prompt_tokens": len(tokens),
        "prefill_s": round(prefill_s, 3),
        "prefill_tokens_per_s": round(len(tokens) / prefill_s, 1),
        "generated_tokens": generated,
        "generate_s": round(generate_s, 3),
        "generation_tokens_per_s": round(generated / generate_s, 1),
    }


def as_multiple(seconds: float, raw: dict) -> float:
    """A time as a multiple of the raw 1,000-token prefill of the same run (1.0 = one such prefill)."""
    return round(seconds / raw["prefill_s"], 2)


def main() -> None:
    from service.components.model_presets import resolve_preset
    from service.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="qwen2.5-1.5b")
    parser.add_argument("--threads", type=int, default=Settings().llm.threads)
    parser.add_argument(
        "--flash-attention", action=argparse.BooleanOptionalAction, default=Settings().llm.flash_attention
    )
    args = parser.parse_args()
    model = resolve_preset(args.preset, Settings().models_dir)
    print(json.dumps(measure(model, args.threads, args.flash_attention)))


if __name__ == "__main__":
    main()
