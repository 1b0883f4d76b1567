#!/usr/bin/env bash
# Builds the Worker with the tools scripts/setup.sh installed (no downloads).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root/functions/worker"
worker-build --release
