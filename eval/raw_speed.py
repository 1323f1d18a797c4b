"""The raw speed of the local model on this machine now: llama.cpp alone, no service around it.

    .venv/bin/python eval/raw_speed.py [--preset qwen2.5-1.5b]

Machines differ (the same 1.5B build prefilled 150 tokens/s one day and 55 another), so every
latency run measures this in the same run and reports its times also as multiples of it:
`measure_raw_speed(model)` prefills a fixed prompt of about 1,000 tokens from an empty cache,
then generates a fixed number of tokens one by one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from typing import Any

# A fixed, plain news-like text; repeated to the target length, so every run prefills the same tokens.
_PARAGRAPH = (
    "The city council met on Tuesday evening to discuss the budget for the coming year. "
    "Members debated the cost of repairing three bridges, the price of new buses and a plan "
    "to extend the library's opening hours. The mayor said the city would borrow 40 million "
    "dollars over five years, and the finance committee warned that interest rates could rise. "
)
PROMPT_TOKENS = 1000
GENERATED_TOKENS = 48


def _llama(model: Any) -> tuple[Any, Any]:
    """The llama_cpp.Llama inside a LocalChatModel (with its lock), or a Llama itself."""
    inner = getattr(model, "_llama", model)
    lock = getattr(model, "_lock", None) or contextlib.nullcontext()
    return inner, lock


def measure_raw_speed(model: Any, prompt_tokens: int = PROMPT_TOKENS, generated: int = GENERATED_TOKENS) -> dict:
    """Prefill and generation tokens/s of llama.cpp alone, on a fixed prompt from an empty cache.

    `model` is a LocalChatModel (service.components.llm) or a llama_cpp.Llama. Greedy generation
    of `generated` tokens, end-of-text ignored, so each run does the same work.
    """
    llama, lock = _llama(model)
    text = _PARAGRAPH * (prompt_tokens // 60 + 2)
    tokens = llama.tokenize(text.encode("utf-8"), add_bos=True)[:prompt_tokens]
    with lock:
        llama.reset()  # nothing cached: the whole prompt is evaluated
        started = time.perf_counter()
        llama.eval(tokens)
        prefill_s = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(generated):
            token = llama.sample(top_k=1, temp=0.0)
            llama.eval([token])
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
    from service.components.llm import make_chat_model
    from service.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="qwen2.5-1.5b")
    args = parser.parse_args()
    model = make_chat_model(Settings(llm={"preset": args.preset}))
    print(json.dumps(measure_raw_speed(model), indent=2))


if __name__ == "__main__":
    main()
