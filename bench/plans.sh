#!/usr/bin/env bash
# Onboarding plan view (issue 8, Done means: a 200-action plan read with p99 < 20 ms): a template
# of ACTIONS actions (default 200, each after the one before it) and a plan of it for the demo
# university, started 30 days ago, its objectives measured over TICKETS generated tickets
# (default 100,000) of the university's people. The plan read by its customer and by an agent
# with wrk. Usage: bench/plans.sh BUILD_DIR. RUNS, DURATION, CONNECTIONS, THREADS, ONLY as in
# lib.sh; DATABASE=postgresql://… runs it on PostgreSQL (an empty database).
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-8}
threads=${THREADS:-1}
tickets=${TICKETS:-100000}
actions=${ACTIONS:-200}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-plans.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
[ -n "${DATABASE:-}" ] && export TANDEM_DATABASE="$DATABASE"
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT

echo "generating $tickets tickets"
"$tandem" demo --tickets "$tickets" --comments 0 2>/dev/null | tail -1
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

plan=$(python3 - "$base" "$actions" <<'PY'
import datetime, http.cookiejar, json, sys, urllib.request
base, count = sys.argv[1], int(sys.argv[2])
def client(email, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    body = json.dumps({"email": email, "password": password}).encode()
    login = urllib.request.Request(base + "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    opener.csrf = json.loads(opener.open(login).read())["csrf_token"]
    return opener
def call(opener, method, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json", "X-CSRF-Token": opener.csrf})
    return json.loads(opener.open(req).read())
rm = client("grace.chen@campus-mobility.example", "demo-Passw0rd!")
org = json.loads(client("fleet.office@university.example", "demo-Passw0rd!").open(base + "/api/v1/me").read())["organization_id"]
acts = [{"key": f"a{i}", "title": {"en": f"Action {i}", "zh-CN": f"行动 {i}"}, "dimension": "organizations_people",
         "performed_by": "provider" if i % 2 else "consumer", "owner_role": "relationship_manager" if i % 2 else "customer",
         "due_offset_days": i, "depends_on": [f"a{i-1}"] if i else []} for i in range(count)]
objectives = [{"key": "calls", "name": "Calls", "metric": "tickets_per_user_first_days", "target": 2, "days": 30},
              {"key": "fcr", "name": "First contact", "metric": "first_contact_resolution", "target": 0.7}]
t = call(rm, "POST", "/api/v1/onboarding-templates", {"name": "Bench", "control_method": "project", "objectives": objectives, "actions": acts})
start = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
p = call(rm, "POST", "/api/v1/plans", {"template_id": t["id"], "organization_id": org, "scenario": "new_organization", "start_date": start})
print(p["id"])
PY
)
source "$here/lib.sh"
customer=$(sign_in fleet.office@university.example 'demo-Passw0rd!')
agent=$(sign_in li.na@campus-mobility.example 'demo-Passw0rd!')
curl -sf -H "Cookie: $customer" "$base/api/v1/plans/$plan" | python3 -c \
  'import json,sys; p=json.load(sys.stdin); print(len(p["actions"]), "actions,", len(json.dumps(p)), "bytes; objectives:", [(o["key"], o["value"]) for o in p["objectives"]])'

echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each (${TANDEM_DATABASE:-sqlite})"
run "plan (customer)" "/api/v1/plans/$plan" -H "Cookie: $customer"
run "plan (agent)" "/api/v1/plans/$plan" -H "Cookie: $agent"
run "plans list (customer)" "/api/v1/plans" -H "Cookie: $customer"
