#!/usr/bin/env bash
# Builds the Worker with the tools scripts/setup.sh installed (no downloads).
# WORKER_DEV=1 (scripts/dev.sh, the test harness) builds with the cargo
# feature `dev`; without it (wrangler deploy, the size check, the release
# test) no dev-only code is compiled in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# The pages first: wrangler serves web/dist beside the Worker.
bash "$root/scripts/build-web.sh"
cd "$root/functions/worker"
if [ "${WORKER_DEV:-}" = 1 ]; then
  worker-build --release --features dev
else
  worker-build --release
fi
