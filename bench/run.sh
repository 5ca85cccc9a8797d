#!/usr/bin/env bash
# HTTP benchmarks with wrk against a freshly started `tandem serve` (Release build), then the
# in-process benchmarks. Usage: bench/run.sh BUILD_DIR. Each wrk run is repeated RUNS times
# (default 5) and the median requests/s, with that run's p50/p99 latency, is printed, because
# the machines are shared and noisy. DURATION, CONNECTIONS and THREADS override wrk's settings.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# A session, and 200 users in one organisation so that a list page is a full page.
login=$(curl -sf -c "$dir/jar" -H 'Content-Type: application/json' \
  -d '{"email":"admin@tandem.test","password":"Bench-passw0rd!"}' "$base/api/v1/auth/login")
csrf=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$login")
cookie=$(awk '$6=="tandem_session"{print "tandem_session="$7}' "$dir/jar")
org=$(curl -sf -b "$dir/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"Bench university"}' "$base/api/v1/organizations" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for i in $(seq 200); do
  curl -sf -o /dev/null -b "$dir/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"email\":\"member$i@bench.test\",\"name\":\"Member $i\",\"roles\":[\"user\"],\"organization_id\":\"$org\"}" \
    "$base/api/v1/users"
done

source "$(dirname "$0")/lib.sh"

echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each, server: $tandem (TANDEM_LOG=warn)"
run "GET /healthz" /healthz
run "GET /api/v1/me (cookie)" /api/v1/me -H "Cookie: $cookie"
run "GET /api/v1/users?limit=50" "/api/v1/users?limit=50&organization_id=$org" -H "Cookie: $cookie"

if [ -x "$build/bench/tandem_bench" ]; then
  "$build/bench/tandem_bench" --benchmark_min_time=1
fi
