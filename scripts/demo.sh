#!/usr/bin/env bash
# Builds accredit, creates a database with the Highways England demo contract (once) and starts
# the server. Usage: scripts/demo.sh [--port 8080] [--host 127.0.0.1]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

HOST=127.0.0.1
PORT=8080
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --host) HOST="$2"; shift 2 ;;
    *) echo "usage: scripts/demo.sh [--port N] [--host ADDR]" >&2; exit 1 ;;
  esac
done

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DACC_BUILD_TESTS=OFF >/dev/null
ninja -C build/release accredit
BIN=build/release/src/accredit
export ACCREDIT_DB="${ACCREDIT_DB:-$PWD/demo-data/accredit.db}"
mkdir -p "$(dirname "$ACCREDIT_DB")"
PASSWORD="accredit-demo-2026"
if [[ ! -f "$ACCREDIT_DB" ]]; then
  "$BIN" demo --password "$PASSWORD"
fi
echo
echo "accredit demo: http://$HOST:$PORT/"
echo "Demo logins (password: $PASSWORD):"
echo "  admin (admin), secman (security_manager), engineer (engineer), vetting (vetting_officer),"
echo "  subcontractor (subcontractor), reviewer (customer_reviewer), auditor (auditor)"
echo "Database: $ACCREDIT_DB"
exec "$BIN" serve --host "$HOST" --port "$PORT"
