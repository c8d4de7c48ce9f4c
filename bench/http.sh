#!/usr/bin/env bash
# HTTP latency under load: a Release server over the demo database plus 10,000 imported assets,
# on loopback, a logged-in session, then wrk (2 threads, 64 connections, DURATION seconds) on
#   GET /                                          the dashboard (issue 2)
#   GET /r/assets?ims_part=core&sort=-name&offset=1000   a filtered, sorted, paginated list page
#                                                  over 10,000 assets (issue 3)
# Prints wrk's latency distribution (p50/p90/p99). Usage: bench/http.sh BIN [DURATION]
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BIN="$1"
DURATION="${2:-15}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="$WORK/bench.db"
"$BIN" --db "$DB" demo --password bench-password-2026 >/dev/null
{
  echo "name,ims_part,asset_type,environment,classification,owner,hostnames"
  for i in $(seq 1 10000); do
    part=wider; if ((i % 3 == 0)); then part=core; fi
    echo "bulk-asset-$i,$part,server,live,OFFICIAL,team-$((i % 17)),bulk-$i.example"
  done
} >"$WORK/assets.csv"
"$BIN" --db "$DB" asset import "$WORK/assets.csv" >/dev/null
start_server "$BIN" "$DB" "$WORK"
login admin bench-password-2026 "$WORK"
# Sanity: the dashboard answers 200 for this session.
curl -fsS -o /dev/null -H "Cookie: accredit_session=$SESSION" "$URL/"
for path in "/" "/r/assets?ims_part=core&sort=-name&offset=1000"; do
  curl -fsS -o /dev/null -H "Cookie: accredit_session=$SESSION" "$URL$path"
  echo "== wrk: 2 threads, 64 connections, ${DURATION}s, GET $path (logged in)"
  wrk -t2 -c64 -d"${DURATION}s" --latency -H "Cookie: accredit_session=$SESSION" "$URL$path"
done
