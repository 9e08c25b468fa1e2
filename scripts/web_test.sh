#!/usr/bin/env bash
# The web console and TypeScript SDK checks (docs/web.md):
#   1. npm ci in sdk/ts and web (lockfiles; --prefer-offline; nothing downloads at run time)
#   2. SDK unit tests (vitest): codec, crypto and light-client vectors shared with C++
#   3. console unit tests (vitest), type check and production build into web/dist
#   4. browser end-to-end tests: build/formica node + tampering proxy + Debian's chromium
#      (playwright-core, no browser download); screenshots in build/web-artifacts/
# Prints a summary and a closing line `web: N passed, N failed`; exits non-zero on any failure.
#
#   scripts/web_test.sh               everything
#   scripts/web_test.sh --no-e2e      skip the browser tests
#   scripts/web_test.sh --build-only  npm ci + build web/dist only
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
E2E=1
BUILD_ONLY=0
for a in "$@"; do
  case $a in
    --no-e2e) E2E=0 ;;
    --build-only) BUILD_ONLY=1; E2E=0 ;;
    *) echo "usage: scripts/web_test.sh [--no-e2e|--build-only]" >&2; exit 2 ;;
  esac
done

passed=0
failed=0
summary=()
LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT
START=$SECONDS

# step NAME COMMAND...: runs a step, records pass/fail and its duration; vitest counts are added.
step() {
  local name=$1; shift
  local log="$LOGDIR/$(echo "$name" | tr ' /' '__').log"
  local t0=$SECONDS
  echo
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local dt=$((SECONDS - t0))
  local line p f
  line=$(grep -E '^ +Tests +' "$log" | tail -1 || true)
  p=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$line")
  f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")
  if [[ -n $line ]]; then
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [[ $rc -ne 0 && ${f:-0} -eq 0 ]]; then failed=$((failed + 1)); fi
    summary+=("$(printf '%-6s %-34s %3ss  %s' "$([[ $rc -eq 0 ]] && echo PASS || echo FAIL)" "$name" "$dt" "${line#"${line%%[![:space:]]*}"}")")
  else
    if [[ $rc -eq 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    summary+=("$(printf '%-6s %-34s %3ss' "$([[ $rc -eq 0 ]] && echo PASS || echo FAIL)" "$name" "$dt")")
  fi
  return "$rc"
}

npm_install() {  # dir: npm ci, offline-tolerant (keeps an existing node_modules if the registry is unreachable)
  local d=$1
  # Up to date already (npm writes node_modules/.package-lock.json after the lockfile): skip, so
  # that concurrent runs do not reinstall under each other. FORCE_NPM_CI=1 always reinstalls.
  if [[ ${FORCE_NPM_CI:-0} != 1 && -f $d/node_modules/.package-lock.json && $d/node_modules/.package-lock.json -nt $d/package-lock.json ]]; then
    echo "npm ci: $d/node_modules matches package-lock.json (FORCE_NPM_CI=1 to reinstall)"
    return 0
  fi
  if (cd "$d" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error); then return 0; fi
  if [[ -d $d/node_modules ]]; then
    echo "web_test: npm ci failed in $d; continuing with the existing node_modules" >&2
    return 0
  fi
  return 1
}

finish() {
  echo
  echo "=== web summary ($((SECONDS - START))s)"
  for s in "${summary[@]}"; do echo "$s"; done
  [[ $E2E -eq 1 ]] && echo "screenshots: $ROOT/build/web-artifacts/"
  echo "web: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit $?
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "web_test: Node.js 20+ and npm are required" >&2
  failed=1; summary+=("FAIL   node/npm missing"); finish
fi

step "npm ci sdk/ts" npm_install sdk/ts || finish
step "npm ci web" npm_install web || finish
if [[ $BUILD_ONLY -eq 0 ]]; then
  # The C++ side of the shared vectors (also part of `make test`), when this build has it.
  LT=build/src/ledger/ledger_tests
  if [[ -x $LT ]] && "$LT" --gtest_list_tests 2>/dev/null | grep -q '^SdkVectors\.'; then
    step "C++ shared vectors (SdkVectors.*)" "$LT" --gtest_filter='SdkVectors.*'
  fi
  CT=build/src/consensus/consensus_tests
  if [[ -x $CT ]] && "$CT" --gtest_list_tests 2>/dev/null | grep -q '^SdkVectors\.'; then
    step "C++ consensus vectors (SdkVectors.*)" "$CT" --gtest_filter='SdkVectors.*'
  fi
  step "sdk/ts unit tests (vitest)" bash -c 'cd sdk/ts && npx tsc --noEmit && npx vitest run'
  step "web unit tests (vitest)" bash -c 'cd web && npx vitest run'
fi
step "web build (tsc + vite -> web/dist)" bash -c 'cd web && npm run build --silent' || finish

if [[ $E2E -eq 1 ]]; then
  if [[ ! -x build/formica ]]; then
    step "make build (build/formica missing)" make build || finish
  fi
  if [[ ! -x ${CHROMIUM:-/usr/bin/chromium} ]]; then
    echo "web_test: ${CHROMIUM:-/usr/bin/chromium} is missing (scripts/deps.sh installs Debian's chromium)" >&2
    failed=$((failed + 1)); summary+=("FAIL   chromium missing"); finish
  fi
  mkdir -p build/web-artifacts
  step "browser e2e (chromium)" bash -c 'cd web && npx vitest run --config vitest.e2e.config.ts'
fi
finish
