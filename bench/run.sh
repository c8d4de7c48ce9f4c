#!/usr/bin/env bash
# Runs every benchmark in one command and prints the figures that go into docs/BENCHMARKS.md.
# Usage: bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
BUILD=build/bench
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DACC_BUILD_TESTS=OFF \
  -DACC_BUILD_BENCHMARKS=ON >/dev/null
ninja -C "$BUILD"
N=1000000
DURATION=15
if [[ "${1:-}" == "--quick" ]]; then N=100000; DURATION=5; fi
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "== audit append and verify ($N records)"
"$BUILD/bench/bench_audit" 20000 "$N"
echo "== RMD generation (1,000 risks, 3,000 controls, 10,000 assets)"
"$BUILD/bench/bench_rmd"
echo "== obligation engine (1,000,000 obligations)"
"$BUILD/bench/bench_clocks" "$N"
echo "== HTTP under load (dashboard; asset list over 10,000 assets)"
bench/http.sh "$BUILD/src/accredit" "$DURATION"
echo "== the dashboard with 100,000 open obligations"
bench/clocks_http.sh "$BUILD/src/accredit" "$DURATION" "$((N / 10))"
