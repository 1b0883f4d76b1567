#!/usr/bin/env bash
# Builds the Workers with the tools scripts/setup.sh installed (no downloads).
# WORKER_DEV=1 (scripts/dev.sh, the test harness) builds with the cargo
# feature `dev`; without it (wrangler deploy, the size check, the release
# test) no dev-only code is compiled in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# One Worker per group of areas (README "How the Cloudflare side stays
# within 512 KB"): `bash scripts/build-worker.sh [members|devices|market]`,
# all three by default, each into functions/worker/build-<group>/.
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(members devices market)
for group in "${groups[@]}"; do
  case "$group" in
    members)
      # The pages first: wrangler serves web/dist beside edge-members.
      bash "$root/scripts/build-web.sh" ;;
    devices | market) ;;
    *) echo "build-worker: unknown Worker '$group' (members, devices or market)" >&2; exit 2 ;;
  esac
  features="$group"
  [ "${WORKER_DEV:-}" = 1 ] && features="$group,dev"
  (cd "$root/functions/worker" && worker-build --release --out-dir "build-$group" --features "$features")
done
