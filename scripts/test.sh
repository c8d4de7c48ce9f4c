#!/usr/bin/env bash
# Installs what is missing, builds accredit and runs every test (unit, integration, browser)
# through ctest. Usage: scripts/test.sh   (env: ACC_WERROR=ON|OFF, BUILD_DIR=build/test)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

BUILD_DIR="${BUILD_DIR:-build/test}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DACC_WERROR="${ACC_WERROR:-ON}" -DACC_BUILD_BROWSER_TESTS=ON >/dev/null
ninja -C "$BUILD_DIR"

# Browser-test tooling (npm playwright-core drives Debian's chromium; no browser download).
if [[ ! -d tests/browser/node_modules/playwright-core || ! -d tests/browser/node_modules/ical.js ]]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 600
