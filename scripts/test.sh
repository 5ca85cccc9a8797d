#!/usr/bin/env bash
# Runs every test suite: unit tests, the storage conformance suite and the API suite, the last
# two against SQLite and against a throwaway PostgreSQL cluster, beside a throwaway Postfix and
# Dovecot for the mail round trip; then the web UI's end-to-end
# tests in Debian's chromium against a real `tandem serve` (screenshots in BUILD/e2e-artifacts).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
# Everything runs beside the mail servers (the API suite's round trip, the web UI's outbox).
if [ "${TANDEM_MAIL_SERVERS:-}" != started ]; then
  export TANDEM_MAIL_SERVERS=started
  exec bash "$here/with-mail-servers.sh" "$build/src/app/tandem" bash "$0" "$@"
fi
bash "$here/with-postgres.sh" ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}" --timeout 300
bash "$here/web.sh"
TANDEM_BINARY="$(cd "$build" && pwd)/src/app/tandem" TANDEM_E2E_ARTIFACTS="$(cd "$build" && pwd)/e2e-artifacts" \
  npm --prefix "$here/../web" run e2e --silent
