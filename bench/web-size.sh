#!/usr/bin/env bash
# First load of the web UI (issue "Web UI"): the JavaScript and CSS a browser fetches for the
# portal on a cold cache — what index.html names, the entry and the chunks it preloads — each
# gzip-compressed at level 9, summed; then everything built, with the staff's screens that load
# when first opened. Usage: bench/web-size.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../scripts/web.sh" >/dev/null
python3 - "$here/../web/dist" <<'PY'
import glob, gzip, os, re, sys
dist = sys.argv[1]
named = re.findall(r'(?:src|href)="/?([^"]+\.(?:js|css))"', open(f"{dist}/index.html").read())
def report(title, files):
    for kind in ("js", "css"):
        chosen = [f for f in files if f.endswith("." + kind)]
        raw = sum(os.path.getsize(f) for f in chosen)
        packed = sum(len(gzip.compress(open(f, "rb").read(), 9)) for f in chosen)
        print(f"{title} {kind}: {len(chosen)} files, {raw / 1024:.1f} KB, gzip -9 {packed / 1024:.1f} KB")
report("first load", [os.path.join(dist, f) for f in named])
report("all built", glob.glob(f"{dist}/**/*.*", recursive=True))
PY
