#!/usr/bin/env bash
# Fresh machine -> running API on the embedded default (local MiniLM + Qwen2.5-1.5B, Chroma
# under ./.newsdesk), with the sample articles ingested. The server loads the model and the index
# at start-up; this prints the URL once /healthz says ready.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "${NEWSDESK_LLM__PRESET:-qwen2.5-1.5b}"
port="${NEWSDESK_API__PORT:-8000}"
.venv/bin/newsdesk serve --ingest samples --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server"' INT TERM
.venv/bin/python - "$port" "$server" <<'PY'
import json, os, sys, time, urllib.request

port, server = sys.argv[1], int(sys.argv[2])
url = f"http://127.0.0.1:{port}/"
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
while True:
    try:
        os.kill(server, 0)
    except OSError:
        sys.exit("newsdesk serve exited before it was ready")
    try:
        with direct.open(f"{url}healthz", timeout=2) as response:
            health = json.load(response)
        if health.get("status") == "ready":
            print(f"Newsdesk is ready (start-up {health.get('startup_s')} s): open {url}", flush=True)
            break
    except OSError:
        pass
    time.sleep(0.5)
PY
wait "$server"
