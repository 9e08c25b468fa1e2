#!/usr/bin/env bash
# `make bench`: runs the Google Benchmark kernels and prints them with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
if [[ -x build/bench/formica_bench ]]; then
  build/bench/formica_bench --benchmark_min_time=0.2 ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"} "$@"
fi
