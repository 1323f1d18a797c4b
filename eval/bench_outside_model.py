"""The service's own time per question, without the model's: POST /v1/ask through the app (FastAPI's
TestClient, in-process HTTP) with a model double that answers each question at once with the draft the
real model wrote for it in an earlier run. What is left is retrieval, evidence, the prompt, verification,
answerability, JSON and HTTP handling.

    .venv/bin/python eval/bench_outside_model.py --run eval/runs/s6-rtqa-100 --index eval/runs/bench-index

The double counts tokens with the real model's tokenizer, as the service does, so that cost is included.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from service.api.app import create_app
from service.components.llm import ChatModel, ChatRequest, Completion, make_chat_model
from service.settings import Settings
from service.wiring import Services


class DraftModel:
    """Answers a question with its stored draft; the real model only counts tokens."""

    def __init__(self, drafts: dict[str, str], tokenizer: ChatModel) -> None:
        self._drafts = drafts
        self._tokenizer = tokenizer
        self.name = f"drafts of {tokenizer.name}"
        self.context_tokens = tokenizer.context_tokens

    def _draft(self, request: ChatRequest) -> str:
        prompt = request.messages[-1]["content"]
        return next(draft for question, draft in self._drafts.items() if question in prompt)

    def complete(self, request: ChatRequest) -> Completion:
        return Completion(self._draft(request), 0, 0)

    def stream(self, request: ChatRequest) -> Iterator[str]:
        yield from self._draft(request).split(" ")

    def count_tokens(self, text: str) -> int:
        return self._tokenizer.count_tokens(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="an `eval run` folder with results.jsonl")
    parser.add_argument("--index", type=Path, required=True, help="the index the run used")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--warm", type=int, default=3, help="first calls left out (they load the embedder)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.run / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r.get("raw_answer")][: args.n]
    settings = Settings(data_dir=args.index, startup={"preload": False})
    model = DraftModel({r["question"]: r["raw_answer"] for r in rows}, make_chat_model(settings))
    client = TestClient(create_app(services=Services(settings, chat_model=model)))
    totals: list[float] = []
    steps: list[dict[str, float]] = []
    for row in rows:
        started = time.perf_counter()
        response = client.post("/v1/ask", json={"question": row["question"], "as_of": row.get("as_of")})
        totals.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        steps.append(response.json().get("timings", {}))
    totals, steps = totals[args.warm :], steps[args.warm :]
    report = {"questions": len(totals), "outside_model_p50_ms": round(statistics.median(totals), 1),
              "outside_model_p95_ms": round(sorted(totals)[int(0.95 * (len(totals) - 1))], 1)}
    for step in steps[0] if steps else {}:
        report[f"{step}_p50"] = round(statistics.median(s.get(step, 0.0) for s in steps), 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
