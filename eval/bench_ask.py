"""/v1/ask latency over HTTP: end to end and time to first streamed token.

    .venv/bin/python eval/bench_ask.py --data-dir eval/runs/bench-index \
        --questions ../shared/data/rtqa-dev/questions.jsonl --n 30 --out eval/runs/bench-ask

Starts `newsdesk serve` on loopback against an already-ingested index, asks each question once
with stream=true (as_of = the question's date), and prints p50/p95 and verification shares.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_ready(base: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit("server exited")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=Path("eval/runs/bench-ask"))
    args = parser.parse_args()

    env = {**os.environ, "NEWSDESK_DATA_DIR": str(args.data_dir)}
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(args.port)], env=env)
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        wait_ready(base, server)
        records = [json.loads(line) for line in args.questions.read_text().splitlines()[: args.n + 1]]
        warm = records.pop(0)  # loads the model and fills the prompt cache; not timed
        httpx.post(f"{base}/v1/ask", json={"question": warm["question"], "as_of": warm.get("question_date")},
                   timeout=600)
        for record in records:
            body = {"question": record["question"], "as_of": record.get("question_date") or record.get("as_of"),
                    "stream": True}
            started = time.perf_counter()
            first_token = None
            answer = None
            with httpx.stream("POST", f"{base}/v1/ask", json=body, timeout=600) as response:
                event = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        if event == "token" and first_token is None:
                            first_token = time.perf_counter() - started
                        elif event == "answer":
                            answer = json.loads(line[6:])
            total = time.perf_counter() - started
            sentences = answer["sentences"] if answer else []
            rows.append({
                "id": record["id"], "total_s": total, "ttft_s": first_token or total,
                "prompt_tokens": answer["usage"]["prompt_tokens"] if answer else 0,
                "sentences": len(sentences),
                "verified": sum(s["verified"] for s in sentences),
                "corrected": sum(s.get("corrected", False) for s in sentences),
                "refused": answer["refused"] if answer else None,
            })
            print(f"{record['id']}: {total:.1f}s ttft {rows[-1]['ttft_s']:.1f}s "
                  f"{rows[-1]['verified']}/{rows[-1]['sentences']} verified", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)

    totals = [r["total_s"] for r in rows]
    ttfts = [r["ttft_s"] for r in rows]
    sentences = sum(r["sentences"] for r in rows)
    result = {
        "questions": len(rows),
        "ask_p50_s": round(statistics.median(totals), 2), "ask_p95_s": round(percentile(totals, 0.95), 2),
        "ttft_p50_s": round(statistics.median(ttfts), 2), "ttft_p95_s": round(percentile(ttfts, 0.95), 2),
        "prompt_tokens_mean": round(statistics.fmean(r["prompt_tokens"] for r in rows), 1),
        "sentences": sentences,
        "sentence_survival": round(sum(r["verified"] for r in rows) / max(sentences, 1), 3),
        "citations_corrected_share": round(sum(r["corrected"] for r in rows) / max(sentences, 1), 3),
        "refusal_rate": round(sum(bool(r["refused"]) for r in rows) / max(len(rows), 1), 3),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps({"summary": result, "rows": rows}, indent=2))
    for key, value in result.items():
        print(f"{key:26s} {value}")


if __name__ == "__main__":
    main()
