"""Resident memory of `newsdesk serve` over a data dir: at ready, after searches, after answers.

    .venv/bin/python eval/bench_serve_memory.py --data /tmp/scale                      # the model loaded
    .venv/bin/python eval/bench_serve_memory.py --data /tmp/scale --no-preload --asks 0  # search only

Starts the real server (uvicorn, one process) on loopback over --data, waits for /healthz to say
ready, then sends the benchmark's real questions to /v1/search (unfiltered and with a 7-day window)
and to /v1/ask. RSS is read from /proc at each point, split into anonymous memory (Chroma's vector
index, the Python heap, the model's KV cache) and file-backed pages (the model file, mapped, which
the kernel can drop and read back): the issue's 3 GB is about the sum, the split says what to cut.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from loopback import free_port

ROOT = Path(__file__).resolve().parent.parent
RTQA = ROOT.parent / "shared" / "data" / "rtqa-dev"


def memory_mb(pid: int) -> dict[str, int]:
    """VmRSS and its anonymous / file-backed parts, and the peak (VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "RssAnon", "RssFile", "VmHWM"}:
            fields[key] = round(int(value.split()[0]) / 1024)
    return {"rss_mb": fields["VmRSS"], "anon_mb": fields["RssAnon"], "file_mb": fields["RssFile"],
            "peak_mb": fields["VmHWM"]}


def wait_ready(client: httpx.Client, process: subprocess.Popen[bytes], timeout_s: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"newsdesk serve exited with {process.returncode}")
        try:
            health = client.get("/healthz", timeout=30).json()
            if health.get("status") == "ready":
                return dict(health)
        except httpx.TransportError:
            pass
        time.sleep(1)
    sys.exit(f"newsdesk serve not ready after {timeout_s:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True, help="a data dir already indexed")
    parser.add_argument("--searches", type=int, default=60, help="questions sent to /v1/search, twice each")
    parser.add_argument("--asks", type=int, default=3, help="questions sent to /v1/ask (the model answers)")
    parser.add_argument("--no-preload", action="store_true", help="start without loading the model")
    parser.add_argument("--ready-timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here too")
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in (RTQA / "questions.jsonl").open(encoding="utf-8")]
    port = free_port()
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(args.data),
           "NEWSDESK_STARTUP__PRELOAD": "false" if args.no_preload else "true"}
    command = [str(ROOT / ".venv" / "bin" / "newsdesk"), "serve", "--port", str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict[str, object] = {"data": str(args.data), "preload": not args.no_preload}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            health = wait_ready(client, process, args.ready_timeout)
            results.update(chunks=health.get("chunks"), ready_s=round(time.perf_counter() - started, 1),
                           at_ready=memory_mb(process.pid))
            latencies: dict[str, list[float]] = {"unfiltered": [], "7 days": []}
            newest = dt.date.fromisoformat(str(health.get("newest_article") or dt.date.today()))
            for question in questions[: args.searches]:
                for label, body in (("unfiltered", {"query": question}),
                                    ("7 days", {"query": question, "date_from": str(newest - dt.timedelta(days=6)),
                                                "date_to": str(newest)})):
                    sent = time.perf_counter()
                    client.post("/v1/search", json=body, timeout=60).raise_for_status()
                    latencies[label].append((time.perf_counter() - sent) * 1000)
            results["search_ms_p50"] = {k: round(statistics.median(v), 1) for k, v in latencies.items() if v}
            results["after_searches"] = memory_mb(process.pid)
            ask_s = []
            for question in questions[: args.asks]:
                sent = time.perf_counter()
                client.post("/v1/ask", json={"question": question}, timeout=600).raise_for_status()
                ask_s.append(round(time.perf_counter() - sent, 1))
            if args.asks:
                results["ask_s"] = ask_s
                results["after_asks"] = memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(json.dumps(results, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
