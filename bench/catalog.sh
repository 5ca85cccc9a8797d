#!/usr/bin/env bash
# Catalog benchmark (issue "Service catalog"): GET /api/v1/catalog for a user of an organisation
# in a catalog of SERVICES × TYPES_PER_SERVICE request types (default 40 × 50 = 2,000) and RULES
# entitlement rules (default 50), filled through the API by catalog_fill.py on a fresh store
# with the demo's people. REQUIREMENTS=N (ONB-8) makes each of the reader's rules need N
# enablement requirements, for which the reader gives evidence and an agent approves all but one
# (so every entry reads the reader's standing and still names what is missing). Usage: bench/catalog.sh BUILD_DIR. DATABASE=postgresql://… runs it on
# PostgreSQL (an empty database). RUNS, DURATION, CONNECTIONS, THREADS, ONLY as in lib.sh.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-catalog.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
[ -n "${DATABASE:-}" ] && export TANDEM_DATABASE="$DATABASE"
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT

"$tandem" demo --tickets 0 >/dev/null 2>&1
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

source "$here/lib.sh"
user_cookie=$(sign_in zhang.wei@university.example 'demo-Passw0rd!')
org=$(curl -sf -H "Cookie: $user_cookie" "$base/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["organization_id"])')
REQUIREMENT_IDS_FILE="$dir/requirements" python3 "$here/catalog_fill.py" "$base" admin@tandem.test 'Bench-passw0rd!' "$org"
agent_cookie=$(sign_in li.na@campus-mobility.example 'demo-Passw0rd!')
if [ -s "$dir/requirements" ]; then
  python3 - "$base" "$dir/requirements" <<'PY'
import json, sys, urllib.request
base, ids = sys.argv[1], open(sys.argv[2]).read().split()
def client(email):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    req = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": email, "password": "demo-Passw0rd!"}).encode(),
                                 headers={"Content-Type": "application/json"})
    opener.csrf = json.loads(opener.open(req).read())["csrf_token"]
    return opener
def post(c, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", "X-CSRF-Token": c.csrf})
    return json.loads(c.open(req).read())
user, agent = client("zhang.wei@university.example"), client("li.na@campus-mobility.example")
for rid in ids[1:]:
    e = post(user, f"/api/v1/requirements/{rid}/evidence", {"note": "bench"})
    post(agent, f"/api/v1/evidence/{e['id']}/decision", {"decision": "approved", "reason": "bench"})
print(f"the reader meets {len(ids) - 1} of {len(ids)} requirements")
PY
fi
seen=$(curl -sf -H "Cookie: $user_cookie" "$base/api/v1/catalog" | python3 -c \
  'import json,sys; d=json.load(sys.stdin)["items"]; print(len(d), "services,", sum(len(s["request_types"]) for s in d), "request types")')
echo "the user's catalog: $seen"

echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each (${TANDEM_DATABASE:-sqlite})"
run "catalog (user)" /api/v1/catalog -H "Cookie: $user_cookie"
run "catalog (agent, all of it)" /api/v1/catalog -H "Cookie: $agent_cookie"
few=${FEW_CONNECTIONS:-8}
echo "the same with $few connections (latency below saturation)"
connections=$few threads=1 run "catalog (user), $few conns" /api/v1/catalog -H "Cookie: $user_cookie"
connections=$few threads=1 run "catalog (agent), $few conns" /api/v1/catalog -H "Cookie: $agent_cookie"
