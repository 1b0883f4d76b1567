#!/usr/bin/env bash
# Fails when a Worker (each group of scripts/groups.sh) exceeds its size budget
# (512 KB gzip for any one Worker, the platform's compressed-size limit we
# design for), and reports
# each Spin component's size against its 400 KB target. Run after the
# Worker and the Spin components are built (scripts/test.sh does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
budget=$((512 * 1024))
gz() { gzip -9 -c "$1" | wc -c; }
over=""
for group in $(bash "$root/scripts/groups.sh"); do
  wasm="$root/functions/worker/build-$group/index_bg.wasm"
  js="$root/functions/worker/build-$group/index.js"
  for f in "$wasm" "$js"; do
    [ -s "$f" ] || { echo "size check: $f missing or empty" >&2; exit 1; }
  done
  total=$(( $(gz "$wasm") + $(gz "$js") ))
  echo "Worker edge-$group: $(( $(stat -c %s "$wasm") / 1024 )) KB wasm raw; $(( total / 1024 )) KB gzip with its JS shim (budget $(( budget / 1024 )) KB)"
  if [ "$total" -gt "$budget" ]; then over="$over edge-$group ($(( total / 1024 )) KB)"; fi
done
spin_dir="$root/target/wasm32-wasip2/release"
if ls "$spin_dir"/*.wasm >/dev/null 2>&1; then
  for c in "$spin_dir"/*.wasm; do
    echo "Spin component $(basename "$c" .wasm): $(( $(stat -c %s "$c") / 1024 )) KB (target 400 KB)"
  done
fi
# Each page's whole transfer: its HTML with the script and stylesheet it
# loads, gzip (aim: under 100 KB for the member pages).
pages="$root/web/dist"
if [ -d "$pages" ]; then
  for html in "$pages"/index.html "$pages"/*/index.html; do
    bytes=$(gz "$html")
    for ref in $(grep -o '/assets/[a-z0-9_.-]*' "$html" | sort -u); do
      bytes=$(( bytes + $(gz "$pages$ref") ))
    done
    echo "Page ${html#"$pages"}: $(( (bytes + 1023) / 1024 )) KB gzip (HTML+JS+CSS; member pages aim under 100 KB)"
  done
fi
if [ -n "$over" ]; then
  echo "size check: over the $(( budget / 1024 )) KB gzip budget:$over" >&2
  exit 1
fi
