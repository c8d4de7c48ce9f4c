#!/usr/bin/env bash
# STYLE rule 1, enforced two ways:
#  1. other modules may include only a module's public header "<module>/<module>.h"; files under
#     src/<m>/ may include their own module's internal headers;
#  2. the module graph has a direction: module A may include module B's header only if B is
#     among A's dependencies (transitively) as declared by accredit_module(A DEPS ...) in
#     src/CMakeLists.txt, so a lower module including a higher one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

# name -> space-separated direct dependencies (accredit_* targets only), from src/CMakeLists.txt.
declare -A deps
while IFS= read -r decl; do
  name=$(sed -E 's/^accredit_module\(([a-z_]+).*/\1/' <<<"$decl")
  list=$(grep -oE 'accredit_[a-z_]+' <<<"${decl#*DEPS}" | sed 's/^accredit_//' | tr '\n' ' ' || true)
  deps[$name]="$list"
done < <(tr '\n' ' ' <src/CMakeLists.txt | grep -oE 'accredit_module\([^)]*\)')

# Transitive closure, one module at a time.
declare -A reach
closure() {
  local start=$1 todo=("${deps[$1]:-}") seen=" "
  local m
  while ((${#todo[@]} > 0)); do
    for m in ${todo[0]}; do
      if [[ "$seen" != *" $m "* ]]; then
        seen+="$m "
        todo+=("${deps[$m]:-}")
      fi
    done
    todo=("${todo[@]:1}")
  done
  reach[$start]="$seen"
}
for m in "${!deps[@]}"; do
  closure "$m"
done

while IFS= read -r -d '' f; do
  rel=${f#src/}
  own=${rel%%/*}
  while IFS= read -r inc; do
    [[ "$inc" == */* ]] || continue
    mod=${inc%%/*}
    base=${inc#*/}
    base=${base%.h}
    [[ "$mod" == "$own" ]] && continue
    if [[ "$base" != "$mod" ]]; then
      echo "$f: includes internal header \"$inc\" of module $mod (use \"$mod/$mod.h\")"
      status=1
    elif [[ -n "${deps[$own]+x}" && -n "${deps[$mod]+x}" && "${reach[$own]}" != *" $mod "* ]]; then
      echo "$f: module $own includes \"$inc\" but does not depend on module $mod" \
        "(src/CMakeLists.txt): a lower module may not include a higher one"
      status=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done < <(find src -name '*.h' -print0 -o -name '*.cc' -print0)
exit $status
