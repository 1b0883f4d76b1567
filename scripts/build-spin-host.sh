#!/usr/bin/env bash
# Builds the Spin test host (tests/spin-host: wasmtime 44 + wasi-http p3,
# matching spin-sdk 6's WASI P3 release candidate) into target/spin-host,
# and stamps the build (scripts/build-stamp.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fingerprint=$(bash "$root/scripts/build-stamp.sh" print spin-host)
CARGO_TARGET_DIR="$root/target/spin-host" cargo build --locked --release --manifest-path "$root/tests/spin-host/Cargo.toml"
bash "$root/scripts/build-stamp.sh" write spin-host release "$root/target/spin-host/release/.inputs" "$fingerprint"
