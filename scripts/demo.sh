#!/usr/bin/env bash
# `make demo`: shows what Formica can do today. Later issues grow this into a local consortium
# with every registered scenario and the web console.
set -euo pipefail
cd "$(dirname "$0")/.."
F=build/formica
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== formica: what is built"
$F --help
for f in scripts/demo.d/*.sh; do
  [[ -f $f ]] || continue
  echo
  echo "== $(sed -n 's/^# demo: //p' "$f" | head -1)"
  F=$F WORK=$work bash "$f"
done
