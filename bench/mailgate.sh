#!/usr/bin/env bash
# Mail in (issue "Omnichannel", REL-1): `tandem mailgate` beside a running server on the demo
# store, on an e-mail channel that adds unknown senders to a customer organisation. Each run files
# MESSAGES mails, one sender each (the first run makes them users; from the second, half are
# replies threading by In-Reply-To to the run before). MODE=pipe (default): one process per
# message, PARALLEL at a time, as an MTA's pipe transport runs it; MODE=dir: one
# `tandem mailgate --dir` for the run's files. Prints messages a second per run and the median.
# Usage: bench/mailgate.sh BUILD_DIR. MESSAGES (default 1000), PARALLEL (default 4), RUNS
# (default 3).
set -euo pipefail
build=${1:-build-bench}
tandem="$(cd "$(dirname "$build/src/app/tandem")" && pwd)/tandem"
messages=${MESSAGES:-1000}
parallel=${PARALLEL:-4}
runs=${RUNS:-3}
mode=${MODE:-pipe}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-mailgate.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
"$tandem" demo >/dev/null 2>&1
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cookie=$(sign_in admin@tandem.test 'Bench-passw0rd!')
csrf=$(curl -sf -H "Cookie: $cookie" "$base/api/v1/auth/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
org=$(curl -sf -H "Cookie: $cookie" "$base/api/v1/organizations?limit=100" | python3 -c 'import json,sys
print([o["id"] for o in json.load(sys.stdin)["items"] if o["kind"] == "consumer"][0])')
channel=$(curl -sf -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d "{\"kind\":\"email\",\"name\":\"Bench mail\",\"organization_id\":\"$org\"}" "$base/api/v1/channels" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# The run's mails, one file each: people of the demo, Chinese and English, replies to the last run.
generate() {
  python3 - "$dir/mail-$1" "$1" "$messages" <<'PY'
import os, sys
out, run, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out)
for i in range(n):
    reply = run > 1 and i % 2 == 1
    head = [f"From: Person {i} <person-{i}@mail.test>", "To: support@helpdesk.test", f"Subject: {'Re: ' if reply else ''}Printer {run}-{i} 打印机卡纸",
            f"Message-ID: <bench-{run}-{i}@mail.test>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    if reply:
        head.append(f"In-Reply-To: <bench-{run - 1}-{i}@mail.test>")
    body = f"三楼的打印机又卡纸了，第 {i} 次。The printer on floor 3 jammed again.\n\nOn Monday, the desk wrote:\n> Please restart it.\n"
    open(f"{out}/{i:06d}.eml", "w").write("\r\n".join(head) + "\r\n\r\n" + body.replace("\n", "\r\n"))
PY
}

rates=()
for run in $(seq "$runs"); do
  generate "$run"
  start=$(date +%s.%N)
  if [ "$mode" = dir ]; then
    "$tandem" mailgate --channel "$channel" --dir "$dir/mail-$run" >/dev/null
  else
    find "$dir/mail-$run" -name '*.eml' -print0 |
      xargs -0 -P "$parallel" -n 1 sh -c '"$0" mailgate --channel "$1" < "$2" >/dev/null || echo "exit $? for $2" >&2' "$tandem" "$channel"
  fi
  end=$(date +%s.%N)
  rate=$(python3 -c "print(f'{$messages / ($end - $start):.0f}')")
  rates+=("$rate")
  echo "run $run: $messages messages in $(python3 -c "print(f'{$end - $start:.2f}')") s: $rate messages/s"
done
tickets=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM tickets WHERE channel = ?", ("email",)).fetchone()[0])' "$dir/store/tandem.sqlite3")
echo "median $(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p") messages/s (mode $mode, $parallel at a time); $tickets tickets from mail"
