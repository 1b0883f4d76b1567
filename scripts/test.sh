#!/usr/bin/env bash
# Sets up a fresh machine (first run ~10 minutes; tools are cached after)
# and runs every test:
#   1. unit tests of the domain and function crates, and the scenarios
#      in-process against real SQLite with the real migrations, once with
#      the Cloudflare wiring (a queue) and once with Spin's (a table queue
#      drained by the maintenance endpoint's logic);
#   2. every function crate built once as a Spin component (wasm32-wasip2),
#      and the same scenarios end to end over HTTP against those components
#      under the Spin test host (tests/spin-host, wasmtime);
#   3. the Workers built once (dev builds), and the same scenarios end
#      to end over HTTP against `wrangler dev` (workerd, local D1, Queues,
#      R2, cron), each test binary with its own server and fresh local state
#      (a copy of databases migrated once per run), and the web pages in
#      headless Chromium (tests/browser, playwright-core, axe-core;
#      screenshots in target/browser-artifacts);
#   4. the release Workers built once: the release check on `wrangler dev`
#      and the size budget.
# Every build is stamped (scripts/build-stamp.sh) and the harness refuses a
# stale one, so no server builds and none serves old code. At the end: each
# stage's duration and the number of tests run on each target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs="$root/target/test-logs"
durations=()
counts=()
summary() {
  [ ${#durations[@]} -gt 0 ] || return 0
  echo
  echo "==> stage durations (this run)"
  local total=0 line
  for line in "${durations[@]}"; do
    printf '  %6ss  %s\n' "${line%%|*}" "${line#*|}"
    total=$((total + ${line%%|*}))
  done
  printf '  %6ss  total (%d min)\n' "$total" $(((total + 59) / 60))
  if [ ${#counts[@]} -gt 0 ]; then
    echo "==> tests run, by target"
    for line in "${counts[@]}"; do echo "  $line"; done
  fi
}
trap summary EXIT
# stage NAME COMMAND...: runs and times one stage.
stage() {
  local name=$1 start=$SECONDS
  shift
  echo "==> $name"
  "$@"
  durations+=("$((SECONDS - start))|$name")
}
# tests LABEL TARGET CARGO-TEST-ARGS...: one test run on E2E_TARGET=TARGET
# (empty: in-process), its output kept in target/test-logs/LABEL.log and its
# count of tests added to the summary (a failure stops the run).
tests() {
  local label=$1 target=$2
  shift 2
  mkdir -p "$logs"
  local log="$logs/$label.log"
  E2E_TARGET="$target" cargo test --locked "$@" 2>&1 | tee "$log"
  counts+=("$label: $(count "$log")")
}
count() {
  awk '/^test result:/ { p += $4; f += $6; i += $8 }
    END { printf "%d passed, %d failed, %d ignored", p, f, i }' "$1"
}

# lanes LABEL TARGET SLOW...: the end-to-end binaries on E2E_TARGET=TARGET,
# each with its own server as always, the SLOW ones in a second lane beside
# the others. They are the ones that wait on the queue's real retry backoff
# (dead letters after 5 retries, about a minute each) with the CPU idle;
# the other lane's tests keep it busy meanwhile. The second lane's output
# follows the first's; a failure in either fails the run.
lanes() {
  local label=$1 target=$2
  shift 2
  local slow=" $* " log="$logs/$label.log" name path pid status=0
  mkdir -p "$logs"
  E2E_TARGET="$target" cargo test --locked --workspace "${e2e[@]}" --no-run 2>&1 | tee "$log.build"
  local -a fast_lane=() slow_lane=()
  while read -r name path; do
    if [[ "$slow" == *" $name "* ]]; then slow_lane+=("$name:$path"); else fast_lane+=("$name:$path"); fi
  done < <(sed -n 's|^ *Executable tests/\([a-z_]*\)\.rs (\(.*\))$|\1 \2|p' "$log.build")
  if [ $((${#fast_lane[@]} + ${#slow_lane[@]})) != $((${#e2e[@]} / 2)) ]; then
    echo "lanes: cargo built ${#fast_lane[@]} + ${#slow_lane[@]} test binaries, not the $((${#e2e[@]} / 2)) asked for" >&2
    return 1
  fi
  run_lane() {
    local b
    for b in "$@"; do
      echo "     Running tests/${b%%:*}.rs (${b#*:})"
      # As cargo runs them: from the package's folder.
      (cd "$root/tests" && E2E_TARGET="$target" "$root/${b#*:}") || return 1
    done
  }
  run_lane "${slow_lane[@]}" > "$log.slow" 2>&1 &
  pid=$!
  run_lane "${fast_lane[@]}" 2>&1 | tee "$log" || status=1
  if [ "$status" != 0 ]; then kill "$pid" 2>/dev/null || true; fi
  wait "$pid" || status=1
  echo "==> the second lane (${slow_lane[*]%%:*})"
  tee -a "$log" < "$log.slow"
  counts+=("$label: $(count "$log")")
  return "$status"
}

tools() {
  bash "$root/scripts/setup.sh"
  # The browser tests' Chromium and Korean fonts, from Debian's packages
  # (Playwright's own browser download cannot work here and is never used).
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
    echo "==> Debian packages: chromium, fonts-noto-cjk"
    sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_ apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -q chromium fonts-noto-cjk >/dev/null
  fi
}
stage "tools (rustup targets, npm, worker-build, wasm-bindgen, chromium)" tools
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
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

stage "unit and function tests (native, real SQLite)" \
  tests native "" --workspace
stage "the same scenarios with Spin's wiring (table queue, maintenance drain)" \
  tests spin-wiring spin-wiring --workspace "${e2e[@]}"

build_spin() {
  SPIN_DEV=1 bash scripts/build-spin.sh
  bash scripts/build-spin-host.sh
}
stage "build: Spin components (wasm32-wasip2, dev) and the Spin test host" build_spin
stage "end-to-end tests against the Spin components under the Spin test host" \
  tests spin spin --workspace "${e2e[@]}"

stage "build: the Workers (dev), once for every wrangler dev below" \
  env WORKER_DEV=1 bash scripts/build-worker.sh
stage "end-to-end tests against wrangler dev (two lanes)" \
  lanes wrangler wrangler devices reliability

stage "build: the Workers (release, no cargo feature dev)" \
  env WORKER_DEV=0 bash scripts/build-worker.sh
stage "the release Workers on wrangler dev: no dev-only behaviour" \
  tests wrangler-release wrangler --workspace --features e2e/release-check --test release
stage "size budget (each release Worker ≤ 512 KB gzip; Spin components and pages reported)" \
  bash scripts/check-size.sh
