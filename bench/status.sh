#!/usr/bin/env bash
# The public status page (FDB-4, target < 5 ms): the demo's store with INCIDENTS major incidents
# of its first service published (each told in two updates, the second ending it, spread over
# the last 90 days), then wrk against the page and its Atom feed, read without signing in.
# Usage: bench/status.sh BUILD_DIR. RUNS, DURATION, CONNECTIONS, THREADS, ONLY as in lib.sh.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
incidents=${INCIDENTS:-20}
duration=${DURATION:-5s}
runs=${RUNS:-5}
connections=${CONNECTIONS:-8}
threads=${THREADS:-2}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-status.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
"$tandem" demo --tickets 1000 --comments 0 2>/dev/null | tail -1
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
slug=$(python3 - "$base" "$incidents" <<'PY'
import datetime, http.cookiejar, json, sys, urllib.request
base, count = sys.argv[1], int(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def call(method, path, body=None, headers=None):
    h = {"Content-Type": "application/json", **(headers or {})}
    if csrf: h["X-CSRF-Token"] = csrf
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(), headers=h)
    return json.loads(opener.open(req).read() or b"{}")
csrf = None
csrf = call("POST", "/api/v1/auth/login", {"email": "li.na@campus-mobility.example", "password": "demo-Passw0rd!"})["csrf_token"]
service = call("GET", "/api/v1/services")["items"][0]
now = datetime.datetime.now(datetime.timezone.utc)
stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
for i in range(count):
    ticket = call("POST", "/api/v1/tickets", {"type": "incident", "subject": f"Outage {i}", "description": "bench"})
    call("PATCH", f"/api/v1/tickets/{ticket['id']}", {"major_incident": True}, {"If-Match": ticket["etag"]})
    start = now - datetime.timedelta(days=88 * (i + 1) / count)
    for end in (None, start + datetime.timedelta(hours=2)):
        body = {"kind": "major_incident", "service_id": service["id"], "ticket_id": ticket["id"],
                "title": {"en": f"Outage {i}", "zh-CN": f"故障 {i}"}, "body": {"en": "We are on it.", "zh-CN": "正在处理。"},
                "starts_at": stamp(start)}
        if end: body["ends_at"] = stamp(end)
        b = call("POST", "/api/v1/broadcasts", body)
        call("POST", f"/api/v1/broadcasts/{b['id']}/publish", {}, {"If-Match": b["etag"]})
print(service["slug"])
PY
)
source "$here/lib.sh"
echo "wrk -t$threads -c$connections -d$duration --latency, $runs runs each; $incidents incidents in two updates each"
run "status page (HTML)" "/status/$slug"
run "status feed (Atom)" "/status/$slug.atom"
