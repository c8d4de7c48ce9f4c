#!/usr/bin/env bash
# HTTP latency under load: a Release server over the demo database plus 10,000 imported assets,
# on loopback, a logged-in session, then wrk (2 threads, 64 connections, DURATION seconds) on
#   GET /                                          the dashboard (issue 2)
#   GET /r/assets?ims_part=core&sort=-name&offset=1000   a filtered, sorted, paginated list page
#                                                  over 10,000 assets (issue 3)
# Prints wrk's latency distribution (p50/p90/p99). Usage: bench/http.sh BIN [DURATION]
set -euo pipefail
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
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --db "$DB" serve --host 127.0.0.1 --port "$PORT" --access-log none >"$WORK/server.out" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT"
JAR="$WORK/cookies"
LOGIN_PAGE=$(curl -fsS -c "$JAR" "$URL/login")
CSRF=$(printf '%s' "$LOGIN_PAGE" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -b "$JAR" -c "$JAR" -o /dev/null \
  --data-urlencode "username=admin" --data-urlencode "password=bench-password-2026" \
  --data-urlencode "csrf_token=$CSRF" "$URL/login"
SESSION=$(awk '$6=="accredit_session"{print $7}' "$JAR")
if [[ -z "$SESSION" ]]; then
  echo "login failed" >&2
  exit 1
fi
# Sanity: the dashboard answers 200 for this session.
curl -fsS -o /dev/null -H "Cookie: accredit_session=$SESSION" "$URL/"
for path in "/" "/r/assets?ims_part=core&sort=-name&offset=1000"; do
  curl -fsS -o /dev/null -H "Cookie: accredit_session=$SESSION" "$URL$path"
  echo "== wrk: 2 threads, 64 connections, ${DURATION}s, GET $path (logged in)"
  wrk -t2 -c64 -d"${DURATION}s" --latency -H "Cookie: accredit_session=$SESSION" "$URL$path"
done
