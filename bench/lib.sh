# Shared by the HTTP benchmarks (source it): start a server on a free loopback port and log in.
#   start_server BIN DB WORKDIR   sets SERVER (pid) and URL; waits for /healthz
#   login USER PASSWORD WORKDIR   sets SESSION (the accredit_session cookie value)

start_server() {
  local bin="$1" db="$2" work="$3" port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" --db "$db" serve --host 127.0.0.1 --port "$port" --access-log none \
    --max-connections-per-address 1000 >"$work/server.out" 2>&1 &
  SERVER=$!
  URL="http://127.0.0.1:$port"
  for _ in $(seq 100); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start" >&2
  return 1
}

login() {
  local user="$1" password="$2" jar="$3/cookies" page csrf
  page=$(curl -fsS -c "$jar" "$URL/login")
  csrf=$(printf '%s' "$page" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fsS -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "username=$user" --data-urlencode "password=$password" \
    --data-urlencode "csrf_token=$csrf" "$URL/login"
  SESSION=$(awk '$6=="accredit_session"{print $7}' "$jar")
  if [[ -z "$SESSION" ]]; then
    echo "login failed" >&2
    return 1
  fi
}
