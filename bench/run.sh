#!/usr/bin/env bash
# HTTP benchmarks with wrk against a freshly started `tandem serve` (Release build), then the
# in-process benchmarks. Usage: bench/run.sh BUILD_DIR. Prints requests/s and p50/p99 latency.
# DURATION, CONNECTIONS and THREADS override wrk's settings.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
duration=${DURATION:-10s}
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

run() {
  local name=$1 path=$2
  shift 2
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "$duration" --latency "$@" "$base$path")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  printf '%-28s %12s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}

echo "wrk -t$threads -c$connections -d$duration --latency, server: $tandem (TANDEM_LOG=warn)"
run "GET /healthz" /healthz
run "GET /api/v1/me (cookie)" /api/v1/me -H "Cookie: $cookie"
run "GET /api/v1/users?limit=50" "/api/v1/users?limit=50&organization_id=$org" -H "Cookie: $cookie"

if [ -x "$build/bench/tandem_bench" ]; then
  "$build/bench/tandem_bench" --benchmark_min_time=1
fi
