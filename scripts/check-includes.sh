#!/usr/bin/env bash
# STYLE rule 1: other modules may include only a module's public header "<module>/<module>.h".
# Files under src/<m>/ may include their own module's internal headers.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r -d '' f; do
  rel=${f#src/}
  own=${rel%%/*}
  while IFS= read -r inc; do
    mod=${inc%%/*}
    base=${inc#*/}
    base=${base%.h}
    if [[ "$inc" == */* && "$mod" != "$own" && "$base" != "$mod" ]]; then
      echo "$f: includes internal header \"$inc\" of module $mod (use \"$mod/$mod.h\")"
      status=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done < <(find src -name '*.h' -print0 -o -name '*.cc' -print0)
exit $status
