#!/usr/bin/env bash
# What `make test` (and CI) runs, in order: static checks, unit tests, the same tests under
# ASan+UBSan, then each libFuzzer target for a bounded time. Prints one closing line
# `test: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
# Long-run knobs apply to the direct runs below, not to ctest (whose per-test time limit holds).
CATCHUP_BLOCKS=${FORMICA_CATCHUP_BLOCKS:-}
unset FORMICA_CATCHUP_BLOCKS FORMICA_SIM_SEEDS
passed=0
failed=0
log=$(mktemp)

step() { echo; echo "=== $*"; }
tally_ctest() {  # reads a ctest log, adds its counts
  local line p f
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1)
  if [[ -z "$line" ]]; then failed=$((failed + 1)); return; fi
  f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  local total
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  p=$((total - f))
  passed=$((passed + p)); failed=$((failed + f))
}
check() {  # name, command...: a single pass/fail check
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}

step "static checks"
check format tools/check_format.sh
check layering tools/check_layers.sh

step "unit tests (build/)"
ctest --test-dir build -j"$JOBS" --output-on-failure 2>&1 | tee "$log"
tally_ctest "$log"

if [[ -n ${FORMICA_SIM_SEEDS_LONG:-} ]]; then
  step "deterministic simulation: $FORMICA_SIM_SEEDS_LONG seeds per scenario in $JOBS shards (build/)"
  pids=()
  for ((i = 0; i < JOBS; i++)); do
    FORMICA_SIM_SEEDS=$FORMICA_SIM_SEEDS_LONG FORMICA_SIM_SHARD=$i/$JOBS \
      build/src/consensus/consensus_tests --gtest_filter='Sim.*' >"$log.sim$i" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    check "simulation shard $i/$JOBS" wait "${pids[$i]}"
    grep -E '^\[sim\]|Failure|FAILED|Replay' "$log.sim$i"; rm -f "$log.sim$i"
  done
fi
if [[ -n $CATCHUP_BLOCKS ]]; then
  step "a validator catching up after $CATCHUP_BLOCKS blocks (build/, outside ctest's time limit)"
  check "catch-up after $CATCHUP_BLOCKS blocks" env FORMICA_CATCHUP_BLOCKS="$CATCHUP_BLOCKS" \
    build/tests/cluster_tests --gtest_filter='Bft.PartitionedValidatorCatchesUpAfterHeal'
fi

step "web console and TypeScript SDK (scripts/web_test.sh: vitest, build, headless chromium)"
scripts/web_test.sh 2>&1 | tee "$log"
line=$(grep -E '^web: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
if [[ -n $line ]]; then
  passed=$((passed + $(sed -E 's/^web: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
else
  echo "FAILED: web tests printed no summary"; failed=$((failed + 1))
fi

# The multi-process cluster tests (real node processes, fsyncs, SIGKILL) run in the normal
# build only; under the sanitizers they would measure the sanitizer, not the node.
ASAN_EXCLUDE='^(Cluster|Cli|Bft)\.'
step "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
if cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFORMICA_SANITIZE=ON -DFORMICA_BENCH=OFF \
     -DCMAKE_CXX_FLAGS="-O1" >/dev/null && ninja -C build-asan; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j"$JOBS" --output-on-failure -E "$ASAN_EXCLUDE" 2>&1 | tee "$log"
  tally_ctest "$log"
else
  echo "FAILED: sanitizer build"; failed=$((failed + 1))
fi

step "fuzz targets, ${FUZZ_SECONDS}s each (build-fuzz/)"
if CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
     -DFORMICA_FUZZ=ON >/dev/null && ninja -C build-fuzz; then
  # One libFuzzer process per core at a time (each is single-threaded).
  fuzz_one() {  # target -> writes $log.fuzz.<target>, exit status = the fuzzer's
    local target=$1 corpus seeds
    corpus=$(mktemp -d)
    seeds=fuzz/corpus/$target
    [[ -d $seeds ]] || seeds=
    build-fuzz/fuzz/"$target" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=0 \
      "$corpus" $seeds >"$log.fuzz.$target" 2>&1
    local rc=$?
    rm -rf "$corpus"
    return $rc
  }
  targets=($(cat build-fuzz/fuzz/targets.txt 2>/dev/null))
  for ((k = 0; k < ${#targets[@]}; k += JOBS)); do
    pids=()
    for ((j = k; j < k + JOBS && j < ${#targets[@]}; j++)); do
      fuzz_one "${targets[$j]}" &
      pids+=("$!:${targets[$j]}")
    done
    for entry in "${pids[@]}"; do
      pid=${entry%%:*}
      target=${entry#*:}
      if wait "$pid"; then
        echo "fuzz $target: ok ($(grep -Eo '#[0-9]+' "$log.fuzz.$target" | tail -1 | tr -d '#') runs)"
        passed=$((passed + 1))
      else
        echo "FAILED: fuzz $target"; tail -40 "$log.fuzz.$target"; failed=$((failed + 1))
      fi
      rm -f "$log.fuzz.$target"
    done
  done
else
  echo "FAILED: fuzz build"; failed=$((failed + 1))
fi
rm -f "$log"
echo
echo "test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
