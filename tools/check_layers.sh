#!/usr/bin/env bash
# Fails when a file of one layer includes a header of a layer it may not use
# (tools/layers.txt), or includes another layer's internals (src/<other>/...).
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A allowed
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  layer=${line%%:*}
  allowed[$layer]=" $layer ${line#*:} "
done < tools/layers.txt

bad=0
for layer in "${!allowed[@]}"; do
  for dir in "include/formica/$layer" "src/$layer"; do
    [[ -d "$dir" ]] || continue
    while IFS= read -r hit; do
      file=${hit%%:*}
      inc=$(sed -E 's/.*#include[[:space:]]*"formica\/([a-z0-9_]+)\/.*/\1/' <<<"$hit")
      if [[ "${allowed[$layer]}" != *" $inc "* ]]; then
        echo "layering: $file includes formica/$inc/ but $layer may use only:${allowed[$layer]}"
        bad=1
      fi
    done < <(grep -rnE '#include[[:space:]]*"formica/[a-z0-9_]+/' "$dir" --include='*.h' --include='*.hpp' --include='*.cpp' || true)
  done
done
# Unknown layer folders must be declared.
for dir in src/*/; do
  layer=$(basename "$dir")
  if [[ -z "${allowed[$layer]+x}" ]]; then
    echo "layering: src/$layer is not declared in tools/layers.txt"
    bad=1
  fi
done
if [[ $bad -ne 0 ]]; then exit 1; fi
echo "layering: ok (${#allowed[@]} layers)"
