#!/usr/bin/env bash
# Fresh machine -> running API on the embedded default (local MiniLM + Qwen2.5-1.5B, Chroma
# under ./.newsdesk), with the sample articles ingested. Open http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "${NEWSDESK_LLM__PRESET:-qwen2.5-1.5b}"
exec .venv/bin/newsdesk serve --ingest samples
