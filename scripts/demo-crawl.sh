#!/usr/bin/env bash
# The crawl part of `make demo`: serve the test marketplace of tests/sites on 127.0.0.1,
# crawl it into the demo workspace, scan and verify what was crawled.
#   scripts/demo-crawl.sh WORKSPACE
# Offline: the marketplace is served by this checkout on the loopback address, which the
# crawler refuses unless allow_private_networks is on (set for this crawl only).
set -euo pipefail

workspace="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
log="$(mktemp)"
"$bin/python" -m netpatrol.demo.market > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 50); do
    url="$(grep -m 1 '^http://127\.0\.0\.1:' "$log" 2>/dev/null || true)"
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break  # the server died: its log says why
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "demo-crawl: the test marketplace did not start:" >&2
    cat "$log" >&2
    exit 1
fi

run() { echo "\$ netpatrol $*"; "$bin/netpatrol" "$@"; }
echo "8. crawl the test marketplace (tests/sites, on $url): robots.txt, faults, evidence"
run -w "$workspace" --set allow_private_networks=true crawl "$url/" --max-pages 40 --delay 0
echo "9. extract and classify what was crawled, then re-check every digest"
run -w "$workspace" --set progress=false scan
run -w "$workspace" verify
