#!/usr/bin/env bash
# Organisation export and import (issue "Offboarding", OFF-2, OFF-3): a store of TICKETS generated
# tickets with COMMENTS replies each (`tandem demo --tickets`), then the organisation holding most
# of them is exported RUNS times by its administrator; prints each run's size, time and MB/s, the
# median, and the server's peak resident memory before and after (VmHWM). Then the export is
# imported IMPORT_RUNS times (default 3; 0: none) into a new store each time with
# `tandem import` — its dry run, then the import — printing tickets a second and the importing
# process's peak resident memory. Usage: bench/export.sh BUILD_DIR.
set -euo pipefail
build=${1:-build-bench}
tandem="$build/src/app/tandem"
tickets=${TICKETS:-100000}
comments=${COMMENTS:-2}
runs=${RUNS:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-export.XXXXXX")
data="$dir/store"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TANDEM_LISTEN="127.0.0.1:$port" TANDEM_DATA_DIR="$data" TANDEM_LOG=warn \
       TANDEM_ADMIN_EMAIL=admin@tandem.test TANDEM_ADMIN_PASSWORD='Bench-passw0rd!'
trap 'kill ${pid:-0} 2>/dev/null; wait ${pid:-0} 2>/dev/null; rm -rf "$dir"' EXIT

echo "generating $tickets tickets with $comments comments each"
"$tandem" demo --tickets "$tickets" --comments "$comments" 2>/dev/null | tail -1
org=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
  "SELECT organization_id FROM tickets GROUP BY organization_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0])' "$data/tandem.sqlite3")
count=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
  "SELECT COUNT(*) FROM tickets WHERE organization_id = ?", (sys.argv[2],)).fetchone()[0])' "$data/tandem.sqlite3" "$org")
"$tandem" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cookie=$(sign_in admin@tandem.test 'Bench-passw0rd!')
hwm() { awk '/VmHWM/{print $2 " kB"}' "/proc/$pid/status"; }
echo "organisation $org: $count tickets; server peak RSS before: $(hwm)"
results=()
for i in $(seq "$runs"); do
  out=$(curl -sf -H "Cookie: $cookie" -o "$dir/export.zip" -w '%{size_download} %{time_total}' "$base/api/v1/organizations/$org/export")
  read -r size seconds <<<"$out"
  rate=$(python3 -c "print(f'{$size / $seconds / 1e6:.1f}')")
  echo "run $i: $size bytes in ${seconds}s = $rate MB/s"
  results+=("$rate")
done
median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median $median MB/s; server peak RSS after: $(hwm)"
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); total=sum(i.file_size for i in z.infolist()); print("zip holds", len(z.namelist()), "files,", total, "bytes unzipped; tickets.json", z.getinfo("tickets.json").file_size, "bytes")' "$dir/export.zip"

import_runs=${IMPORT_RUNS:-3}
rates=()
for i in $(seq "$import_runs"); do
  fresh="$dir/import-$i"
  mkdir -p "$fresh"
  dry=$(TANDEM_DATA_DIR="$fresh" "$tandem" import --format tandem "$dir/export.zip")
  digest=$(sed -n 's/.*--confirm \([0-9a-f]*\).*/\1/p' <<<"$dry")
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$dir/rss" env TANDEM_DATA_DIR="$fresh" "$tandem" import --format tandem --confirm "$digest" "$dir/export.zip" >"$dir/import.log"
  end=$(date +%s.%N)
  created=$(sed -n 's/^  tickets: \([0-9]*\) created.*/\1/p' "$dir/import.log")
  rate=$(python3 -c "print(f'{$created / ($end - $start):.0f}')")
  echo "import $i: $created tickets in $(python3 -c "print(f'{$end - $start:.2f}')") s = $rate tickets/s; peak RSS $(cat "$dir/rss") kB"
  rates+=("$rate")
  rm -rf "$fresh"
done
if [ "$import_runs" -gt 0 ]; then
  echo "import median $(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (import_runs + 1) / 2 ))p") tickets/s"
fi
