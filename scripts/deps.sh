#!/usr/bin/env bash
# Installs every Debian 12 package Formica needs. Non-interactive and idempotent: when all
# packages are present it does nothing (not even `apt-get update`). Uses sudo only when not root.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  clang-14 clang-format-14 libclang-rt-14-dev
  # libraries (DESIGN.md §5)
  libsodium-dev libssl-dev libsecp256k1-dev libcrypto++-dev libbotan-2-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libxml2-dev
  librocksdb-dev libboost-dev libdecaf-dev libgmp-dev
  libqrencode-dev libzbar-dev zbar-tools libpng-dev libjpeg-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # web console browser tests (playwright-core drives Debian's chromium; no browser download)
  chromium chromium-driver fonts-liberation
)

# The TypeScript SDK and the web console (npm registry, committed lockfiles). Idempotent: a
# folder whose node_modules is newer than its lockfile is left alone; offline-tolerant.
npm_deps() {
  local root d
  root=$(cd "$(dirname "$0")/.." && pwd)
  if ! command -v npm >/dev/null; then echo "deps: npm not found: skipping sdk/ts and web (needs Node.js 20+)"; return 0; fi
  for d in sdk/ts web; do
    [[ -f $root/$d/package-lock.json ]] || continue
    [[ $root/$d/node_modules/.package-lock.json -nt $root/$d/package-lock.json ]] && continue
    echo "deps: npm ci in $d"
    (cd "$root/$d" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) ||
      echo "deps: npm ci failed in $d (registry unreachable?); scripts/web_test.sh retries" >&2
  done
}

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  npm_deps
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
npm_deps
