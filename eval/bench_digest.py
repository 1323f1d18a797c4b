"""Digest latency after warm-up: the busiest day of an index and the seed's one-article day.

    .venv/bin/python eval/bench_digest.py --index eval/runs/bench-index \
        --seed ../shared/data/seed --out eval/runs/a14a-bench-digest

The index is copied first (a digest writes its cache beside the store). In the same run it measures
the raw model (eval/raw_speed.py), warms the model up with one short generation, then builds each
digest from an empty cache and prints its seconds, the seconds as a multiple of the raw 1,000-token
prefill, the model calls it made and their prompt and completion tokens.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from raw_speed import as_multiple, measure_raw_speed

from service.components.llm import ChatModel, ChatRequest, Completion, make_chat_model
from service.digest import digest_markdown
from service.settings import Settings
from service.wiring import Services


class CountingModel:
    """The real model, counting the calls and tokens a digest spends."""

    def __init__(self, model: ChatModel) -> None:
        self.inner = model
        self.name = model.name
        self.context_tokens = model.context_tokens
        self.calls: list[tuple[int, int, float]] = []

    def complete(self, request: ChatRequest) -> Completion:
        started = time.perf_counter()
        completion = self.inner.complete(request)
        self.calls.append((completion.prompt_tokens, completion.completion_tokens, time.perf_counter() - started))
        return completion

    def stream(self, request: ChatRequest):  # type: ignore[no-untyped-def]
        return self.inner.stream(request)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def busiest_day(services: Services) -> dt.date:
    days = collections.Counter(a.published for a in services.store.list_articles())
    return max(days, key=lambda d: (days[d], d))


def timed_digest(services: Services, model: CountingModel, day: dt.date, raw: dict, max_stories: int) -> dict:
    shutil.rmtree(services.settings.data_dir / "digests", ignore_errors=True)
    model.calls.clear()
    started = time.perf_counter()
    digest = services.digests.digest(day, max_stories=max_stories)
    seconds = time.perf_counter() - started
    sentences = [s for story in digest.stories for s in story.sentences]
    print(digest_markdown(digest), flush=True)  # to read what the timed digest said
    return {
        "day": day.isoformat(),
        "articles": sum(len(s.articles) for s in digest.stories),
        "stories": len(digest.stories),
        "total_stories": digest.total_stories,
        "seconds": round(seconds, 1),
        "x_raw_prefill": as_multiple(seconds, raw),
        "model_calls": len(model.calls),
        "prompt_tokens": sum(c[0] for c in model.calls),
        "completion_tokens": sum(c[1] for c in model.calls),
        "model_seconds": round(sum(c[2] for c in model.calls), 1),
        "sentences": len(sentences),
        "verified_sentences": sum(s.verified for s in sentences),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True, help="an ingested data dir (copied, not written)")
    parser.add_argument("--seed", type=Path, default=Path("../shared/data/seed"))
    parser.add_argument("--max-stories", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", choices=["busiest", "seed"], help="time one of the two days only")
    args = parser.parse_args()
    base = Settings()
    model = CountingModel(make_chat_model(base))
    raw = measure_raw_speed(model.inner)
    print("raw model:", json.dumps(raw))
    started = time.perf_counter()
    model.inner.complete(ChatRequest([{"role": "user", "content": "Say OK."}], 4))  # loaded and warm
    print(f"warm-up generation: {time.perf_counter() - started:.1f} s")
    rows = []
    with tempfile.TemporaryDirectory(prefix="a14a-digest-") as tmp:
        if args.only != "seed":
            index = Path(tmp) / "index"
            shutil.copytree(args.index, index)
            busy = Services(base.model_copy(update={"data_dir": index}), chat_model=model)
            rows.append(timed_digest(busy, model, busiest_day(busy), raw, args.max_stories) | {"what": "busiest day"})
            print(json.dumps(rows[-1]))
        if args.only != "busiest":
            seed = Services(base.model_copy(update={"data_dir": Path(tmp) / "seed"}), chat_model=model)
            seed.ingestor.ingest_paths([args.seed])
            seed_day = seed.store.list_articles()[0].published
            rows.append(timed_digest(seed, model, seed_day, raw, args.max_stories) | {"what": "seed's day"})
            print(json.dumps(rows[-1]))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_digest.json").write_text(json.dumps({"raw": raw, "digests": rows}, indent=2))
    print(f"{'what':12s} {'day':10s} {'s':>6s} {'x raw':>6s} {'calls':>5s} {'prompt':>6s} {'gen':>5s}")
    for r in rows:
        print(f"{r['what']:12s} {r['day']:10s} {r['seconds']:6.1f} {r['x_raw_prefill']:6.2f} {r['model_calls']:5d} "
              f"{r['prompt_tokens']:6d} {r['completion_tokens']:5d}")
    print(f"raw prefill {raw['prefill_tokens_per_s']} tok/s, generation {raw['generation_tokens_per_s']} tok/s")


if __name__ == "__main__":
    main()
