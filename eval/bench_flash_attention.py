"""The local model with and without llama.cpp's flash attention, on real answer prompts, paired.

    .venv/bin/python eval/bench_flash_attention.py --data-dir eval/runs/bench-index \\
        --questions ../shared/data/rtqa-dev/questions.jsonl --n 16

Two benchmark runs one after the other drift with the machine (the same build prefilled 70 tokens/s
in one run and 77 in the next), so both models are loaded at once and each prompt is answered by
both, in alternating order, with llama.cpp's prefix cache as the server uses it (the system prompt
and worked example cached after the first question). Prints each prompt's seconds, the totals, and
how many answers came out word for word the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path


def answer_prompts(data_dir: Path, questions: Path, n: int) -> list[list[dict[str, str]]]:
    """The messages `/v1/ask` would send for the first n questions, each asked on its own date."""
    from service.answering import AskRequest
    from service.settings import Settings
    from service.wiring import Services

    services = Services(Settings().model_copy(update={"data_dir": data_dir}))
    k = services.settings.retrieval.k
    prompts = []
    for line in questions.read_text(encoding="utf-8").splitlines()[:n]:
        record = json.loads(line)
        as_of = record.get("question_date") or record.get("as_of")
        request = AskRequest(question=record["question"], as_of=dt.date.fromisoformat(as_of) if as_of else None)
        passages, window, asked_on = services.answerer.retrieve(request)
        messages, _ = services.answerer.prompt(request, passages[:k], window, asked_on)
        prompts.append(messages)
    return prompts


def main() -> None:
    from service.components.llama_loading import load_llama
    from service.components.model_presets import resolve_preset
    from service.settings import Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--preset", default="qwen2.5-1.5b")
    args = parser.parse_args()
    settings = Settings()
    prompts = answer_prompts(args.data_dir, args.questions, args.n)
    model_path = resolve_preset(args.preset, settings.models_dir)
    llm = settings.llm
    models = {on: load_llama(model_path, llm.threads, llm.context_tokens, flash_attention=on) for on in (False, True)}
    for model in models.values():  # fills the prefix cache, as the server's warm-up does
        model.create_chat_completion(messages=prompts[0], max_tokens=4, temperature=0.0)
    totals = {False: 0.0, True: 0.0}
    same = faster = 0
    for i, messages in enumerate(prompts):
        texts, seconds = {}, {}
        for on in (False, True) if i % 2 == 0 else (True, False):
            started = time.perf_counter()
            result = models[on].create_chat_completion(
                messages=messages, max_tokens=llm.max_answer_tokens, temperature=llm.temperature
            )
            seconds[on] = time.perf_counter() - started
            texts[on] = result["choices"][0]["message"]["content"]
            totals[on] += seconds[on]
        same += texts[False] == texts[True]
        faster += seconds[True] < seconds[False]
        print(f"{i:3d}  without {seconds[False]:6.2f} s  with {seconds[True]:6.2f} s", flush=True)
    print(json.dumps({
        "prompts": len(prompts),
        "without_flash_attention_s": round(totals[False], 1),
        "with_flash_attention_s": round(totals[True], 1),
        "faster_with": faster,
        "same_answer_text": same,
        "threads": llm.threads,
    }))


if __name__ == "__main__":
    main()
