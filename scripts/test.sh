#!/usr/bin/env bash
# Sets up .venv with the small plumbing model, then runs lint, type checks and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh smollm2-135m
.venv/bin/ruff check service tests eval
.venv/bin/mypy service
.venv/bin/python -m pytest -q "$@"
