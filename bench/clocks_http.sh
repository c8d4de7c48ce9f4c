#!/usr/bin/env bash
# The dashboard with 100,000 open obligations (issue 4; goal p50 < 50 ms): a Release server over
# the demo database plus 100,000 imported notifiable events that nobody has notified yet (each an
# open S2.4-5.13 obligation), on loopback, a logged-in session, then wrk (2 threads, C
# connections, DURATION seconds) on GET / and GET /api/v1/gate.
# Usage: bench/clocks_http.sh BIN [DURATION] [N]
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BIN="$1"
DURATION="${2:-15}"
N="${3:-100000}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="$WORK/bench.db"
"$BIN" --db "$DB" demo --password bench-password-2026 >/dev/null
kinds=(architecture_change new_risk_or_vulnerability threat_profile_change subcontractor_coc_failure
  risk_component_change personal_data_quantity_change site_change_proposal iso27001_audit_concerns)
NOW=$(date -u +%s)
{
  echo "kind,description,became_aware_at"
  for ((i = 1; i <= N; i++)); do
    # Spread over the last 30 days (all open: nobody notified), at every minute of the day.
    t=$((NOW - 86400 * 30 + (i * 2593) % (86400 * 30)))
    printf '%s,Bulk event %d,%s\n' "${kinds[$((i % 8))]}" "$i" "$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ)"
  done
} >"$WORK/events.csv"
START=$(date +%s.%N)
"$BIN" --db "$DB" notifiable_event import "$WORK/events.csv" >/dev/null
echo "== imported $N notifiable events in $(echo "$(date +%s.%N) - $START" | bc) s (one transaction)"
start_server "$BIN" "$DB" "$WORK"
login admin bench-password-2026 "$WORK"
# The first request computes the obligations (cold); time it, then check the count.
echo "== first dashboard request (cold: load + compute): $(curl -fsS -o /dev/null -w '%{time_total}' -H "Cookie: accredit_session=$SESSION" "$URL/") s"
OPEN=$(curl -fsS -H "Cookie: accredit_session=$SESSION" "$URL/api/v1/obligations?open=1&limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "== open obligations: $OPEN"
for c in 1 8 64; do
  t=$((c < 2 ? c : 2))
  echo "== wrk: $t thread(s), $c connections, ${DURATION}s, GET / (dashboard, logged in)"
  wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -H "Cookie: accredit_session=$SESSION" "$URL/"
done
echo "== wrk: 2 threads, 8 connections, ${DURATION}s, GET /api/v1/gate"
wrk -t2 -c8 -d"${DURATION}s" --latency -H "Cookie: accredit_session=$SESSION" "$URL/api/v1/gate"
