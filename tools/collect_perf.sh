#!/usr/bin/env bash
# Rebuilds docs/PERFORMANCE.md from its summary (docs/perf/SUMMARY.md) and the per-area
# sections in docs/perf/*.md, each heading pushed down one level.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat docs/perf/SUMMARY.md
  for f in docs/perf/*.md; do
    [[ $(basename "$f") == SUMMARY.md ]] && continue
    echo
    sed 's/^#/##/' "$f"
  done
} > docs/PERFORMANCE.md
