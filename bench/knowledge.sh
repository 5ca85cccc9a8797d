#!/usr/bin/env bash
# Knowledge and community benchmarks (issue "Knowledge base and user community"): KNOWLEDGE
# generated items — half published articles, half answered community questions
# (`tandem demo --knowledge`) — beside the tickets of STORE (a copy of an SQLite store made by
# bench/desk.sh's generator, e.g. 1,000,000 tickets; without STORE, TICKETS are generated
# first), then wrk against `tandem serve`: knowledge search, search mixed with tickets, and the
# suggestions asked while a ticket is typed. Usage: bench/knowledge.sh BUILD_DIR. RUNS, DURATION,
# CONNECTIONS, THREADS, ONLY, WARMUP as in run.sh and lib.sh.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
tickets=${TICKETS:-100000}
knowledge=${KNOWLEDGE:-200000}
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-8}
threads=${THREADS:-1}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-knowledge.XXXXXX")
data="$dir/store"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$data" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT

if [ -n "${STORE:-}" ]; then
  mkdir -p "$data" && cp "$STORE/tandem.sqlite3" "$data/"
  "$tandem" migrate >/dev/null
else
  echo "generating $tickets tickets"
  "$tandem" demo --tickets "$tickets" --comments 2 2>/dev/null | tail -1
fi
if [ "$knowledge" -gt 0 ]; then  # KNOWLEDGE=0: STORE has its knowledge items already
  echo "generating $knowledge knowledge items"
  "$tandem" demo --knowledge "$knowledge" 2>/dev/null | tail -1
fi
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

source "$here/lib.sh"
user=$(sign_in zhang.wei@university.example 'demo-Passw0rd!')
agent=$(sign_in li.na@campus-mobility.example 'demo-Passw0rd!')
counts=$(python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0], c.execute("SELECT COUNT(*) FROM knowledge_docs").fetchone()[0])' "$data/tandem.sqlite3")
read -r tickets docs <<<"$counts"
echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each; $tickets tickets, $docs knowledge documents"
q() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
run "articles 打印 (user)" "/api/v1/search?kind=article&q=$(q 打印)" -H "Cookie: $user"
run "articles printer (user)" "/api/v1/search?kind=article&q=printer" -H "Cookie: $user"
run "topics 充电 (user)" "/api/v1/search?kind=topic&q=$(q 充电)" -H "Cookie: $user"
run "everything 打印 (user)" "/api/v1/search?q=$(q 打印)" -H "Cookie: $user"
run "everything 打印 (agent)" "/api/v1/search?q=$(q 打印)" -H "Cookie: $agent"
run "everything charging (agent)" "/api/v1/search?q=charging" -H "Cookie: $agent"
run "suggestions VPN 连接超时 (user)" "/api/v1/suggestions?q=$(q 'VPN 连接超时')" -H "Cookie: $user"
run "suggestions charge the car (user)" "/api/v1/suggestions?q=$(q 'charge the car')" -H "Cookie: $user"
