#!/usr/bin/env bash
# Builds the web UI into web/dist from the committed lockfile (npm ci), which `tandem serve`
# serves with TANDEM_WEB_DIR. Skips the install when node_modules already matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
