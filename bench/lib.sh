# Shared by the HTTP benchmark scripts: `run NAME PATH [wrk options…]` runs wrk RUNS times
# against $base and prints the median run's requests/s with its p50/p95/p99 latency and non-2xx
# count (p95 comes from p95.lua, or from the workload's own script, which prints it the same way).
# ONLY=REGEX runs just the workloads whose names match it (grep -E). WARMUP=N runs each workload
# N times first without counting them (a store just copied or generated is cold: the first
# seconds of writes into a large one run at half speed while its index pages are read in).
run() {
  local name=$1 path=$2
  shift 2
  if [ -n "${ONLY:-}" ] && ! grep -Eq -- "$ONLY" <<<"$name"; then return 0; fi
  local results=() out rps p50 p95 p99 errors script=()
  [[ " $* " == *" -s "* ]] || script=(-s "$(dirname "${BASH_SOURCE[0]}")/p95.lua")
  for _ in $(seq "${WARMUP:-0}"); do
    wrk -t "$threads" -c "$connections" -d "$duration" --timeout 10s "$@" "$base$path" >/dev/null
  done
  for _ in $(seq "$runs"); do
    # A 10 s timeout: a slow answer counts with its latency instead of vanishing (wrk: 2 s).
    out=$(wrk -t "$threads" -c "$connections" -d "$duration" --timeout 10s --latency "${script[@]}" "$@" "$base$path")
    rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
    p50=$(awk '$1=="50%"{print $2}' <<<"$out")
    p95=$(awk '$1=="p95"{print $2}' <<<"$out")
    p99=$(awk '$1=="99%"{print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/{print $5}' <<<"$out")
    results+=("$rps $p50 ${p95:-?} $p99 ${errors:-0}")
  done
  local all median
  all=$(printf '%s\n' "${results[@]}" | sort -n | awk '{printf "%s ", int($1)}')
  median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  read -r rps p50 p95 p99 errors <<<"$median"
  printf '%-28s median %9s req/s   p50 %-8s p95 %-8s p99 %-8s non-2xx %s   (runs: %s)\n' "$name" "$rps" "$p50" "$p95" "$p99" "$errors" "$all"
}

# `sign_in EMAIL PASSWORD` signs in at $base and prints the session cookie (kept in $dir).
sign_in() {
  curl -sf -c "$dir/jar-$1" -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$base/api/v1/auth/login"
  awk '$6=="tandem_session"{print "tandem_session="$7}' "$dir/jar-$1"
}
