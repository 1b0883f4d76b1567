#!/usr/bin/env bash
# Build stamps: what a build was made from, so a build is made once per
# run and nothing serves a stale one. A build script writes a stamp beside
# its output (the fingerprint of its inputs when it started, and its
# flavour); whatever serves the output checks the stamp first and fails,
# naming the command that rebuilds it, when the inputs changed since.
#   bash scripts/build-stamp.sh print KIND               the inputs' fingerprint
#   bash scripts/build-stamp.sh write KIND FLAVOUR FILE FINGERPRINT
#   bash scripts/build-stamp.sh check KIND FLAVOUR FILE  exit 1 if stale
# KIND: worker (the Workers and the pages), spin (the Spin components),
# spin-host (the Spin test host). FLAVOUR: dev (cargo feature `dev`) or
# release.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

inputs() {
  case "$1" in
    worker) echo Cargo.toml Cargo.lock package-lock.json shared functions web/src web/public \
      scripts/env.sh scripts/build-worker.sh scripts/build-web.sh ;;
    spin) echo Cargo.toml Cargo.lock shared functions scripts/build-spin.sh ;;
    spin-host) echo tests/spin-host scripts/build-spin-host.sh ;;
    *) echo "build-stamp: unknown kind '$1' (worker, spin, spin-host)" >&2; exit 2 ;;
  esac
}

fingerprint() {
  local paths
  read -r -a paths <<<"$(inputs "$1")"
  # Every file's path and content; build outputs inside the inputs are not
  # inputs (the Workers' build-* folders, cargo's target folders).
  find "${paths[@]}" -type f -not -path 'functions/worker/build*' -not -path '*/target/*' -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64
}

rebuild_hint() { # kind flavour
  local dev=""
  case "$1" in
    worker) [ "$2" = dev ] && dev="WORKER_DEV=1 "; echo "${dev}bash scripts/build-worker.sh" ;;
    spin) [ "$2" = dev ] && dev="SPIN_DEV=1 "; echo "${dev}bash scripts/build-spin.sh" ;;
    spin-host) echo "bash scripts/build-spin-host.sh" ;;
  esac
}

case "${1:-}" in
  print) fingerprint "$2" ;;
  write) echo "$2 $3 $5" > "$4" ;;
  check)
    kind=$2 flavour=$3 file=$4
    want="$kind $flavour $(fingerprint "$kind")"
    if [ ! -f "$file" ]; then
      echo "build-stamp: no $flavour $kind build ($file is missing): run $(rebuild_hint "$kind" "$flavour")" >&2
      exit 1
    fi
    have=$(cat "$file")
    if [ "$have" != "$want" ]; then
      echo "build-stamp: the $flavour $kind build is stale (its inputs changed since it was built; $file): run $(rebuild_hint "$kind" "$flavour")" >&2
      exit 1
    fi ;;
  *) echo "usage: build-stamp.sh print KIND | write KIND FLAVOUR FILE FINGERPRINT | check KIND FLAVOUR FILE" >&2; exit 2 ;;
esac
