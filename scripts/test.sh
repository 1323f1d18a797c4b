#!/usr/bin/env bash
# Sets up .venv with the small plumbing model, then runs lint, type checks and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh smollm2-135m
# The browser tests (tests/browser) drive Debian's chromium; without it they skip and say why.
if ! command -v chromium >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "could not install chromium: browser tests will skip" >&2
  else
    echo "chromium is missing and apt-get (as root) is not available: browser tests will skip" >&2
  fi
fi
# With chromium present the browser tests must run: a broken browser setup fails instead of skipping.
if command -v chromium >/dev/null; then export NEWSDESK_REQUIRE_BROWSER=1; fi
.venv/bin/ruff check service tests eval
.venv/bin/mypy service
.venv/bin/python -m pytest -q "$@"
