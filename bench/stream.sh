#!/usr/bin/env bash
# Live updates (REL-5, issue "Omnichannel"): CONNECTIONS (default 10000) WebSocket connections to
# GET /api/v1/stream held by one `tandem serve` on the demo store, signed in as its administrator
# (who may hear every change); the server's memory before and while holding them,
# and the time one new ticket takes to reach every connection. RUNS (default 3) runs, each on a
# fresh server. Usage: bench/stream.sh BUILD_DIR (a build with -DTANDEM_BENCH=ON). With
# TARGET=/api/v1/chat the connections are chat windows of the administrator instead (REL-3), and
# the change is a question asked in the first of them, which every window hears.
set -euo pipefail
build=${1:-build-bench}
tandem="$(cd "$(dirname "$build/src/app/tandem")" && pwd)/tandem"
clients="$build/bench/tandem_stream_clients"
connections=${CONNECTIONS:-10000}
runs=${RUNS:-3}
ulimit -n "$(( connections + 1024 ))"
for run in $(seq "$runs"); do
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-stream.XXXXXX")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn \
         TANDEM_ADMIN_EMAIL=admin@campus-mobility.example TANDEM_ADMIN_PASSWORD='demo-Passw0rd!'
  "$tandem" demo --tickets 0 >/dev/null 2>&1
  "$tandem" serve >"$dir/server.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf -c "$dir/jar" -o /dev/null -H 'Content-Type: application/json' \
    -d '{"email":"admin@campus-mobility.example","password":"demo-Passw0rd!"}' "$base/api/v1/auth/login"
  cookie=$(awk '$6=="tandem_session"{print "tandem_session="$7}' "$dir/jar")
  csrf=$(curl -sf -H "Cookie: $cookie" "$base/api/v1/auth/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  echo "run $run:"
  "$clients" 127.0.0.1 "$port" "$cookie" "$csrf" "$pid" "$connections" "${TARGET:-/api/v1/stream}" || echo "  (not every connection heard the change)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
