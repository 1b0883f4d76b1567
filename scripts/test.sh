#!/usr/bin/env bash
# Sets up a fresh machine (first run ~10 minutes; tools are cached after)
# and runs every test:
#   1. unit tests of the domain and function crates, and the scenarios
#      in-process against real SQLite with the real migrations, once with
#      the Cloudflare wiring (a queue) and once with Spin's (a table queue
#      drained by the maintenance endpoint's logic);
#   2. every function crate built as a Spin component (wasm32-wasip2), and
#      the same scenarios end to end over HTTP against those components
#      under the Spin test host (tests/spin-host, wasmtime);
#   3. the same scenarios end to end over HTTP against `wrangler dev`
#      (workerd, local D1, Queues, R2, cron) with fresh local state, and the
#      web pages in headless Chromium (tests/browser, playwright-core,
#      axe-core; screenshots in target/browser-artifacts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
# The browser tests' Chromium and Korean fonts, from Debian's packages
# (Playwright's own browser download cannot work here and is never used).
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  echo "==> Debian packages: chromium, fonts-noto-cjk"
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -q chromium fonts-noto-cjk >/dev/null
fi
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"
# A whole run from a fresh checkout gains nothing from incremental
# compilation, which kept gigabytes of session state in target/.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Later stages run only the end-to-end tests (tests/tests; no other package
# has integration tests) but select the whole workspace, so cargo resolves the
# same features and reuses the first stage's build instead of a second one.
# (`release` needs its feature and runs last, on its own.)
e2e=()
for f in "$root"/tests/tests/*.rs; do
  n=$(basename "$f" .rs)
  [ "$n" = release ] || e2e+=(--test "$n")
done

echo "==> unit and function tests (native, real SQLite)"
cargo test --workspace --locked

echo "==> the same scenarios with Spin's wiring (table queue, maintenance drain)"
E2E_TARGET=spin-wiring cargo test --locked --workspace "${e2e[@]}"

echo "==> Spin components (wasm32-wasip2) and the Spin test host"
SPIN_DEV=1 bash scripts/build-spin.sh
bash scripts/build-spin-host.sh

echo "==> end-to-end tests against the Spin components under the Spin test host"
E2E_TARGET=spin cargo test --locked --workspace "${e2e[@]}"

echo "==> end-to-end tests against wrangler dev"
E2E_TARGET=wrangler cargo test --locked --workspace "${e2e[@]}"

echo "==> the release Worker (no cargo feature dev) on wrangler dev: no dev-only behaviour"
E2E_TARGET=wrangler cargo test --locked --workspace --features e2e/release-check --test release

echo "==> size budget (each release Worker ≤ 512 KB gzip; Spin components and pages reported)"
bash scripts/check-size.sh
