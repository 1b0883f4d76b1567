#!/usr/bin/env bash
# Benchmarks (not tests), each from one wrangler dev run:
#   bash scripts/bench.sh          signup endpoints vs /healthz, argon2id time,
#                                  Worker gzip size, Spin component sizes
#   bash scripts/bench.sh devices  attendance webhook vs /healthz, consumer vs
#                                  a plain batched insert, 20-terminal ADMS load
#                                  (database path and memory), 5,000-terminal fleet
#   bash scripts/bench.sh devices-spin  the ingestion ratios under the Spin test host
#   bash scripts/bench.sh matching  the proposal for one request with 100 and
#                                  10,000 partners in its category vs /healthz
#   bash scripts/bench.sh privacy  the daily destruction run vs plain deletes, an
#                                  access copy of 10,000 messages vs one plain read
#   bash scripts/bench.sh spin     the signup benchmark against the Spin
#                                  components under the Spin test host
# Results are printed and written under bench-results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"
# The wrangler benchmarks serve the dev Workers (the harness reads
# x-db-round-trips), built once here.
dev_workers() { WORKER_DEV=1 bash scripts/build-worker.sh; }
case "${1:-}" in
  devices) dev_workers; cargo run --locked --release -p e2e --bin bench_devices ;;
  matching) dev_workers; cargo run --locked --release -p e2e --bin bench_matching ;;
  privacy) dev_workers; cargo run --locked --release -p e2e --bin bench_privacy ;;
  devices-spin)
    # Dev builds, as the tests' (the harness reads x-db-round-trips).
    SPIN_DEV=1 bash scripts/build-spin.sh
    bash scripts/build-spin-host.sh
    E2E_TARGET=spin cargo run --locked --release -p e2e --bin bench_devices ;;
  spin)
    bash scripts/build-spin.sh
    bash scripts/build-spin-host.sh
    E2E_SPIN_BUILD=release E2E_TARGET=spin cargo run --locked --release -p e2e --bin bench ;;
  *)
    # Sizes are the release builds'.
    bash scripts/build-spin.sh
    bash scripts/build-worker.sh
    dev_workers
    cargo run --locked --release -p e2e --bin bench ;;
esac
