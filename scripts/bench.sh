#!/usr/bin/env bash
# `make bench`: the benchmarks at full size; each prints its figures (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
for bench in bench/bench_*.py; do
  echo "== $bench"
  uv run python "$bench"
done
