#!/usr/bin/env bash
# Mail in (issue "Omnichannel", REL-1): `tandem mailgate` as an MTA runs it — one process per
# message, PARALLEL at a time (Postfix's pipe transport runs several) — beside a running server
# on the demo store. Each run pipes MESSAGES new mails from known people (half of them replies to
# mails of the run before, threading by In-Reply-To); prints messages a second per run and the
# median. Usage: bench/mailgate.sh BUILD_DIR. MESSAGES (default 1000), PARALLEL (default 4),
# RUNS (default 3).
set -euo pipefail
build=${1:-build-bench}
tandem="$(cd "$(dirname "$build/src/app/tandem")" && pwd)/tandem"
messages=${MESSAGES:-1000}
parallel=${PARALLEL:-4}
runs=${RUNS:-3}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-mailgate.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$dir/store" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT
"$tandem" demo >/dev/null 2>&1
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The run's mails, one file each: people of the demo, Chinese and English, replies to the last run.
generate() {
  python3 - "$dir/mail-$1" "$1" "$messages" <<'PY'
import os, sys
out, run, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out)
people = ["zhang.wei@university.example", "emma.wilson@university.example", "chen.jing@greenway-club.example"]
for i in range(n):
    reply = run > 1 and i % 2 == 1
    head = [f"From: {people[i % 3]}", "To: support@helpdesk.test", f"Subject: {'Re: ' if reply else ''}Printer {run}-{i} 打印机卡纸",
            f"Message-ID: <bench-{run}-{i}@mail.test>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    if reply:
        head.append(f"In-Reply-To: <bench-{run - 1}-{i - 1}@mail.test>")
    body = f"三楼的打印机又卡纸了，第 {i} 次。The printer on floor 3 jammed again.\n\nOn Monday, the desk wrote:\n> Please restart it.\n"
    open(f"{out}/{i:06d}.eml", "w").write("\r\n".join(head) + "\r\n\r\n" + body.replace("\n", "\r\n"))
PY
}

rates=()
for run in $(seq "$runs"); do
  generate "$run"
  start=$(date +%s.%N)
  find "$dir/mail-$run" -name '*.eml' -print0 | xargs -0 -P "$parallel" -n 1 sh -c '"$0" mailgate < "$1" >/dev/null || echo "exit $? for $1" >&2' "$tandem"
  end=$(date +%s.%N)
  rate=$(python3 -c "print(f'{$messages / ($end - $start):.0f}')")
  rates+=("$rate")
  echo "run $run: $messages messages in $(python3 -c "print(f'{$end - $start:.2f}')") s: $rate messages/s"
done
tickets=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM tickets WHERE channel = ?", ("email",)).fetchone()[0])' "$dir/store/tandem.sqlite3")
echo "median $(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p") messages/s ($parallel at a time); $tickets tickets from mail"
