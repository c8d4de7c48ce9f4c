#!/usr/bin/env bash
# Installs every Debian 12 package accredit needs that is missing. Idempotent: does nothing
# (and never runs apt-get update) when everything is present.
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also what the tests need (chromium, node/npm, wrk, clang,
#                                    LibreOffice, pdftotext, xmllint)
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build pkg-config git ca-certificates tzdata
  libsqlite3-dev sqlite3          # embedded store; sqlite3 shell used by tamper tests
  libssl-dev openssl              # TLS, SHA-256, Ed25519 checkpoint signatures
  libcpp-httplib-dev              # HTTP server (and client in tests)
  nlohmann-json3-dev              # JSON
  libargon2-dev                   # Argon2id password hashing
  libhowardhinnant-date-dev       # Europe/London <-> UTC over the system tz database
  libcli11-dev                    # command line
  libjemalloc-dev                 # allocator for the server binary (docs/BENCHMARKS.md)
  libkainjow-mustache-dev         # HTML templates (escaping by default)
  libgtest-dev libgmock-dev       # unit tests
  libzip-dev                      # DOCX packages (docs module)
  libxlsxwriter-dev               # XLSX workbooks (docs module)
  libcurl4-openssl-dev            # SMTP (STARTTLS) and webhook client (notify module)
  libpwquality-dev cracklib-runtime  # password policy: cracklib dictionary and rules
)
test_pkgs=(
  chromium                        # browser tests (driven by npm playwright-core)
  nodejs npm                      # browser-test runner
  wrk                             # HTTP load generator for bench/
  libbenchmark-dev                # micro-benchmarks
  clang-14 libclang-rt-14-dev     # libFuzzer targets, -Wthread-safety build
  valgrind
  libreoffice-writer-nogui        # docs tests: headless DOCX -> PDF conversion
  libreoffice-calc-nogui          # docs tests: headless XLSX -> CSV conversion
  poppler-utils                   # docs tests: pdftotext
  libxml2-utils                   # docs tests: xmllint --noout on DOCX parts
  python3                         # catalogue test: re-runs scripts/gen-clauses.py
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # node/npm may come from elsewhere on developer machines; accept them on PATH.
    if [[ "$p" == nodejs && -x "$(command -v node)" ]] || [[ "$p" == npm && -x "$(command -v npm)" ]]; then
      continue
    fi
    # The full (GUI) LibreOffice packages conflict with the -nogui ones and serve as well.
    if [[ "$p" == libreoffice-*-nogui ]] &&
      dpkg-query -W -f='${Status}' "${p%-nogui}" 2>/dev/null | grep -q "install ok installed"; then
      continue
    fi
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
