#!/usr/bin/env bash
# `make demo`: starts a local development network, runs the demo scenarios against it, prints
# where to reach it and how to stop it, and exits leaving it running.
# (The web console and the application scenarios join as their issues land.)
set -euo pipefail
cd "$(dirname "$0")/.."
F=$PWD/build/formica
DIR=${FORMICA_DEMO_DIR:-$PWD/demo-net}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [[ -d $DIR ]]; then
  "$F" net down --dir "$DIR" >/dev/null 2>&1 || true
  rm -rf "$DIR"
fi
echo "== the web console (web/dist)"
scripts/web_test.sh --build-only >/dev/null || { echo "demo: building the web console failed (run scripts/web_test.sh --build-only)"; exit 1; }
echo "== a local consortium: 4 organisations, 4 validators (BFT, f = 1)"
"$F" net init --dir "$DIR" --orgs 4 --validators 4 --static-dir "$PWD/web/dist"
"$F" net up --dir "$DIR"
RPC=$(sed -n 's/.*"rpc_port": \([0-9]*\).*/\1/p' "$DIR/net.json" | head -1)
RPC=http://127.0.0.1:$RPC

for f in scripts/demo.d/*.sh; do
  [[ -f $f ]] || continue
  echo
  echo "== $(sed -n 's/^# demo: //p' "$f" | head -1)"
  F=$F WORK=$WORK NET=$DIR RPC=$RPC bash "$f"
done

echo
echo "== the network is running"
"$F" net status --dir "$DIR"
echo "web console: $RPC/"
echo "JSON-RPC: $RPC   (try: $F query block latest --rpc $RPC)"
echo "stop it:  $F net down --dir $DIR"
