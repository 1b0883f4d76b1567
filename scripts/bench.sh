#!/usr/bin/env bash
# Benchmark (not a test): ratios against /healthz from one wrangler dev run,
# argon2id time in workerd, Worker gzip size, Spin component sizes.
# Prints the table and writes bench-results/latest.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"
bash scripts/build-spin.sh
cargo run --locked --release -p e2e --bin bench
