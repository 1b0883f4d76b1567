#!/usr/bin/env bash
# Builds every function crate as a Spin component for wasm32-wasip2, as
# spin.toml names them (target/wasm32-wasip2/release/<crate>.wasm).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pkgs=()
for dir in functions/*/; do
  name=$(basename "$dir")
  case "$name" in catalog|worker) continue ;; esac
  pkgs+=(-p "$name")
done
# Stripped by the release profile: symbol names are most of an unstripped component.
cargo build --locked --release --target wasm32-wasip2 "${pkgs[@]}"
