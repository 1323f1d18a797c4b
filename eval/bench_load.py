"""Bounded load test on loopback: /v1/search and /v1/ask against a stub LLM that answers instantly,
so the figures are the service's own overhead. Stops by itself (request count and time limit).

    .venv/bin/python eval/bench_load.py --workers 1 2 --requests 400 --concurrency 8
    .venv/bin/python eval/bench_load.py --quick        # what CI runs

Several workers share one index only through the Chroma server (`--store server`, the default
of the full mode); the embedded store is for a single process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from loopback import free_port

ROOT = Path(__file__).resolve().parent.parent
ANSWER = {"id": "x", "object": "chat.completion", "created": 0, "model": "stub",
          "choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": "The tram line will open next year [1]."}}],
          "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}


class InstantLLM(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps(ANSWER).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def run_load(url: str, payloads: list[dict], concurrency: int, time_limit: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + time_limit

    def one(client: httpx.Client, payload: dict) -> None:
        nonlocal errors
        if time.monotonic() > stop_at:
            return
        started = time.perf_counter()
        try:
            ok = client.post(url, json=payload, timeout=30).status_code == 200
        except httpx.HTTPError:
            ok = False
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok

    started = time.perf_counter()
    with httpx.Client() as client, ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda p: one(client, p), payloads))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(ordered), "errors": errors, "rps": round(len(ordered) / elapsed, 1),
            "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1) if ordered else None}


def wait_for(url: str, what: str, process: subprocess.Popen) -> None:
    for _ in range(240):
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"{what} did not start")


def start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", "chroma server", process)
    return process, port


def serve(workers: int, store_env: dict[str, str], llm_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, **store_env, "NEWSDESK_LLM__BACKEND": "openai",
           "NEWSDESK_LLM__BASE_URL": llm_url, "NEWSDESK_LLM__MODEL": "stub",
           "NEWSDESK_API__ANONYMOUS_REQUESTS_PER_MINUTE": "10000000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz", "API server", process)
    return process, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per endpoint and worker count")
    parser.add_argument("--quick", action="store_true", help="20 requests, 1 worker, embedded store")
    parser.add_argument("--store", choices=["embedded", "server"], default="server",
                        help="embedded works for one worker only")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.quick:
        args.workers, args.requests, args.concurrency, args.store = [1], 20, 4, "embedded"
    if args.store == "embedded" and max(args.workers) > 1:
        parser.error("several workers need --store server: embedded Chroma is one process's")

    llm = ThreadingHTTPServer(("127.0.0.1", 0), InstantLLM)
    threading.Thread(target=llm.serve_forever, daemon=True).start()
    llm_url = f"http://127.0.0.1:{llm.server_address[1]}/v1"
    questions = ["Where will the tram line run?", "How many jobs at the seafood plant?",
                 "What did the flood barrier cost?", "Why are libraries closing?"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        store_env = {"NEWSDESK_DATA_DIR": str(Path(tmp) / "data")}
        chroma = None
        if args.store == "server":
            chroma, chroma_port = start_chroma(Path(tmp) / "chroma-server")
            store_env |= {"NEWSDESK_STORE__MODE": "server", "NEWSDESK_STORE__PORT": str(chroma_port)}
        subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(ROOT / "samples")], check=True,
                       env={**os.environ, **store_env}, stdout=subprocess.DEVNULL, cwd=ROOT)
        for workers in args.workers:
            process, base = serve(workers, store_env, llm_url)
            try:
                for endpoint, key in (("search", "query"), ("ask", "question")):
                    payloads = [{key: questions[i % len(questions)]} for i in range(args.requests)]
                    run_load(f"{base}/v1/{endpoint}", payloads[:8], args.concurrency, 30)  # warm-up
                    row = run_load(f"{base}/v1/{endpoint}", payloads, args.concurrency, args.time_limit)
                    results[f"{endpoint}_workers{workers}"] = row
                    print(f"{endpoint:7s} workers={workers} store={args.store} {row}")
            finally:
                process.terminate()
                process.wait(timeout=30)
        if chroma:
            chroma.terminate()
            chroma.wait(timeout=30)
    llm.shutdown()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "load.json").write_text(json.dumps(results, indent=2))
    total_errors = sum(r["errors"] for r in results.values())
    print(f"errors {total_errors}")
    sys.exit(1 if total_errors else 0)


if __name__ == "__main__":
    main()
