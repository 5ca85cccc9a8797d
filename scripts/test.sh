#!/usr/bin/env bash
# Runs every test suite: unit tests, the storage conformance suite and the API suite, the last
# two against SQLite and against a throwaway PostgreSQL cluster.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/with-postgres.sh" ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}" --timeout 300
