#!/usr/bin/env bash
# Service-desk benchmarks (issue "Service desk core"): a store of TICKETS generated tickets
# with COMMENTS replies each (`tandem demo --tickets`), then wrk against `tandem serve` on it:
# ticket creation over HTTP, a queue page of 50, and search. Usage: bench/desk.sh BUILD_DIR.
# DATABASE=postgresql://… runs it on PostgreSQL (the database must be empty). STORE=DIR serves
# a copy of an SQLite store generated earlier in DIR instead of generating one (a store of
# 1,000,000 tickets takes a while to build; DIR itself is left as it was). RUNS, DURATION,
# CONNECTIONS, THREADS, ONLY as in run.sh and lib.sh.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
tickets=${TICKETS:-100000}
comments=${COMMENTS:-5}
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-desk.XXXXXX")
data="$dir/store"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$data" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
[ -n "${DATABASE:-}" ] && export TANDEM_DATABASE="$DATABASE"
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT

if [ -z "${STORE:-}" ]; then
  echo "generating $tickets tickets with $comments comments each (${TANDEM_DATABASE:-sqlite})"
  "$tandem" demo --tickets "$tickets" --comments "$comments" 2>/dev/null | tail -1
  # PostgreSQL: the steady state a live store is in, not autovacuum's first pass over millions
  # of fresh rows running under the measurements.
  if [ -n "${DATABASE:-}" ]; then
    echo "VACUUM ANALYZE"
    psql -q "$DATABASE" -c "VACUUM ANALYZE" >/dev/null
  fi
else
  mkdir -p "$data" && cp "$STORE/tandem.sqlite3" "$data/"
  "$tandem" migrate >/dev/null
  tickets=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM tickets").fetchone()[0])' "$data/tandem.sqlite3")
fi
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

session() {  # EMAIL → "cookie csrf"
  local out
  out=$(curl -sf -c "$dir/jar-$1" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-Passw0rd!\"}" "$base/api/v1/auth/login")
  echo "$(awk '$6=="tandem_session"{print "tandem_session="$7}' "$dir/jar-$1") \
$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$out")"
}
read -r agent_cookie _ <<<"$(session li.na@campus-mobility.example)"
read -r user_cookie user_csrf <<<"$(session zhang.wei@university.example)"
read -r customer_cookie _ <<<"$(session fleet.office@university.example)"

source "$here/lib.sh"
echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each, store of $tickets tickets"
run "queue page of 50 (agent)" "/api/v1/tickets?status=new&sort=-priority&limit=50" -H "Cookie: $agent_cookie"
run "my tickets, 50 (user)" "/api/v1/tickets?limit=50" -H "Cookie: $user_cookie"
run "search 打印 (agent)" "/api/v1/search?kind=ticket&q=%E6%89%93%E5%8D%B0" -H "Cookie: $agent_cookie"
run "search printer (user)" "/api/v1/search?kind=ticket&q=printer" -H "Cookie: $user_cookie"
# Latency as one desk sees it: eight agents refreshing without pause, not a saturating crowd.
few=${FEW_CONNECTIONS:-8}
echo "the same reads with $few connections (latency below saturation)"
connections=$few threads=1 run "queue page of 50, $few conns" "/api/v1/tickets?status=new&sort=-priority&limit=50" -H "Cookie: $agent_cookie"
connections=$few threads=1 run "search 打印, $few conns" "/api/v1/search?kind=ticket&q=%E6%89%93%E5%8D%B0" -H "Cookie: $agent_cookie"
connections=$few threads=1 run "search printer, $few conns" "/api/v1/search?kind=ticket&q=printer" -H "Cookie: $user_cookie"
connections=$few threads=1 run "search 打印 (customer), $few" "/api/v1/search?kind=ticket&q=%E6%89%93%E5%8D%B0" -H "Cookie: $customer_cookie"
BENCH_COOKIE="$user_cookie" BENCH_CSRF="$user_csrf" run "POST /api/v1/tickets (user)" /api/v1/tickets -s "$here/post_ticket.lua"
