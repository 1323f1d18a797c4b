"""Time from a click on "Ask" to the first streamed word on the web page, and to the verified answer.

    .venv/bin/python eval/bench_web_ttfw.py                 # default preset (qwen2.5-1.5b), samples/
    .venv/bin/python eval/bench_web_ttfw.py --preset qwen2.5-0.5b

Starts `newsdesk serve` on loopback with a fresh index of samples/, warms the model with one
question (its time is printed, not counted), then drives Debian's chromium with Playwright: for each
question it clicks Ask and a MutationObserver on the page notes when the first streamed text appears
and when the verified answer replaces it. Times are the page's own clock (performance.now()).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from loopback import free_port

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
QUESTIONS = [
    "What did Northgate decide about the tram?",
    "How many jobs will Helvane Foods add in Varden Bay?",
    "What does the opinion piece say about Ashcombe's branch libraries?",
    "How high did the River Tarn get at Millbrook Falls?",
    "How did Kestrel Point hospital cut emergency waiting times?",
]
# Installed before each click: marks the click, the first verified sentence streamed, and the final answer.
OBSERVE = """() => {
  const out = document.getElementById("answer");
  const marks = (window.__ttfw = {});
  document.getElementById("ask-button").addEventListener("click", () => { marks.click = performance.now(); },
    { once: true, capture: true });
  const observer = new MutationObserver(() => {
    const draft = out.querySelector("[data-testid=streaming]");
    if (marks.first === undefined && draft && draft.textContent.trim()) marks.first = performance.now();
    const final = out.querySelector(".sentences, .refused, .error");
    if (final) {
      marks.done = performance.now();
      marks.kind = final.className;
      marks.citations = out.querySelectorAll(".sentences button.cite").length;
      observer.disconnect();
    }
  });
  observer.observe(out, { childList: true, subtree: true, characterData: true });
}"""


def start_server(preset: str, port: int, data_dir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy"}}
    env.update({"NEWSDESK_DATA_DIR": str(data_dir), "NEWSDESK_MODELS_DIR": str(REPO / ".newsdesk" / "models"),
                "NEWSDESK_LLM__PRESET": preset})
    command = [str(Path(sys.executable).with_name("newsdesk")), "serve", "--port", str(port),
               "--ingest", str(REPO / "samples")]
    log = (data_dir.parent / "server.log").open("wb")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited; see server.log")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


def ask_on_page(page, question: str) -> dict:
    page.evaluate(OBSERVE)
    page.fill("#question", question)
    page.click("#ask-button")
    page.wait_for_selector("#answer .sentences, #answer .refused, #answer .error", timeout=600_000)
    marks = page.evaluate("() => window.__ttfw")
    return {
        "question": question,
        "first_ms": marks["first"] - marks["click"] if "first" in marks else None,
        "final_ms": marks["done"] - marks["click"],
        "kind": marks.get("kind", ""),
        "citations": marks.get("citations", 0),
    }


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no values"
    return f"{name}: median {statistics.median(values) / 1000:.2f} s, max {max(values) / 1000:.2f} s (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="qwen2.5-1.5b")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("-n", type=int, default=len(QUESTIONS), help="questions to ask (at most 5)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="newsdesk-ttfw-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(args.preset, port, Path(tmp) / "data")
        try:
            wait_ready(base, process)
            started = time.perf_counter()
            httpx.post(f"{base}/v1/ask", json={"question": "What is in the news?"}, timeout=600)
            print(f"warm-up answer (model load included, not counted): {time.perf_counter() - started:.2f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base)
                page.wait_for_selector("html[data-ready]", state="attached")
                results = [ask_on_page(page, q) for q in QUESTIONS[: args.n]]
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=60)
    for r in results:
        first = f"{r['first_ms'] / 1000:6.2f} s" if r["first_ms"] is not None else "  none  "
        print(f"first word {first}  final {r['final_ms'] / 1000:6.2f} s  {r['kind']:<10} "
              f"{r['citations']} cites  {r['question']}")
    print(f"preset {args.preset}")
    print(summary("click -> first streamed word", [r["first_ms"] for r in results if r["first_ms"] is not None]))
    print(summary("click -> verified answer", [r["final_ms"] for r in results]))
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
