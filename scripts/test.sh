#!/usr/bin/env bash
# Runs every test suite: unit tests, the storage conformance suite and the API suite, the last
# two against SQLite and against a throwaway PostgreSQL cluster; then the web UI's end-to-end
# tests in Debian's chromium against a real `tandem serve` (screenshots in BUILD/e2e-artifacts).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/with-postgres.sh" ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}" --timeout 300
bash "$here/web.sh"
TANDEM_BINARY="$(cd "$build" && pwd)/src/app/tandem" TANDEM_E2E_ARTIFACTS="$(cd "$build" && pwd)/e2e-artifacts" \
  npm --prefix "$here/../web" run e2e --silent
