#!/usr/bin/env bash
# First load of the web UI (issue "Web UI"): the built JavaScript and CSS as a browser fetches
# them on a cold cache, each gzip-compressed at level 9, summed. Usage: bench/web-size.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../scripts/web.sh" >/dev/null
python3 - "$here/../web/dist" <<'PY'
import glob, gzip, os, sys
dist = sys.argv[1]
for kind in ("js", "css"):
    files = glob.glob(f"{dist}/**/*.{kind}", recursive=True)
    raw = sum(os.path.getsize(f) for f in files)
    packed = sum(len(gzip.compress(open(f, "rb").read(), 9)) for f in files)
    print(f"{kind}: {len(files)} files, {raw / 1024:.1f} KB, gzip -9 {packed / 1024:.1f} KB")
PY
