#!/usr/bin/env bash
# Dashboard reports (OPS-1, issue "Web UI" §6) on a large store: each report read one after
# another by an agent, RUNS times, the median, fastest and slowest in ms. A store of TICKETS
# generated tickets (`tandem demo --tickets`, no replies), or a copy of the SQLite store in
# STORE=DIR. Usage: bench/reports.sh BUILD_DIR.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
tickets=${TICKETS:-1000000}
runs=${RUNS:-7}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-reports.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
mkdir -p "$dir/store"
if [ -z "${STORE:-}" ]; then
  echo "generating $tickets tickets (sqlite)"
  "$tandem" demo --tickets "$tickets" --comments 0 2>/dev/null | tail -1
else
  cp "$STORE/tandem.sqlite3" "$dir/store/" && "$tandem" migrate >/dev/null
fi
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 - "http://127.0.0.1:$port" "$runs" <<'PY'
import http.cookiejar, json, statistics, sys, time, urllib.request
base, runs = sys.argv[1], int(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
login = json.dumps({"email": "li.na@campus-mobility.example", "password": "demo-Passw0rd!"}).encode()
opener.open(urllib.request.Request(base + "/api/v1/auth/login", data=login, headers={"Content-Type": "application/json"})).read()
for path in ["/api/v1/reports/volume?group_by=type", "/api/v1/reports/volume?group_by=channel&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z",
             "/api/v1/reports/backlog?group_by=type", "/api/v1/reports/sla?group_by=type"]:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        opener.open(base + path).read()
        took.append((time.perf_counter() - start) * 1000)
    print(f"{path}: median {statistics.median(took):.0f} ms (fastest {min(took):.0f}, slowest {max(took):.0f})")
PY
