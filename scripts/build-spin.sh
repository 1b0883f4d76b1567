#!/usr/bin/env bash
# Builds every function crate as a Spin component for wasm32-wasip2, as
# spin.toml names them (target/wasm32-wasip2/release/<crate>.wasm), and
# stamps the build (scripts/build-stamp.sh; the tests refuse a stale one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pkgs=()
for dir in functions/*/; do
  name=$(basename "$dir")
  case "$name" in catalog|worker) continue ;; esac
  pkgs+=(-p "$name")
done
# Stripped by the release profile: symbol names are most of an unstripped
# component. SPIN_DEV=1 (the tests) builds with the cargo feature `dev`;
# without it no dev-only code is compiled in (`spin build` builds so too).
features=() flavour=release
if [ "${SPIN_DEV:-}" = 1 ]; then
  features=(--features domain/dev,dev-switches/dev) flavour=dev
fi
fingerprint=$(bash scripts/build-stamp.sh print spin)
cargo build --locked --release --target wasm32-wasip2 "${features[@]}" "${pkgs[@]}"
bash scripts/build-stamp.sh write spin "$flavour" target/wasm32-wasip2/release/.inputs "$fingerprint"
