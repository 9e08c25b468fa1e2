#!/usr/bin/env bash
# Fails when a C++ file differs from what .clang-format makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format)}
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.h' '*.cpp' | grep -vE '^(build|web/node_modules)/' || true)
bad=0
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  if ! "$CF" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "format: $f (run: make format)"
    bad=1
  fi
done
if [[ $bad -ne 0 ]]; then exit 1; fi
echo "format: ok (${#files[@]} files)"
