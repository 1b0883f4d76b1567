#!/usr/bin/env bash
# Installs everything the platform and its tests need, from the registries
# only: rustup targets, npm packages (wrangler, Node 22, binaryen, esbuild),
# worker-build and wasm-bindgen-cli (cached under ~/.cache/edge-tools by
# version, so a second run skips them), and a local .dev.vars with fresh keys.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "rustup targets"
rustup target add wasm32-unknown-unknown wasm32-wasip2 >/dev/null

install_crate() { # name version
  local dir="$TOOLS/$1-$2"
  if [ ! -x "$dir/bin/$3" ]; then
    say "cargo install $1 $2 (once per machine, cached in $dir)"
    cargo install --quiet --root "$dir" "$1" --version "$2"
  fi
}
install_crate worker-build "$WORKER_BUILD_VERSION" worker-build
# Must equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
install_crate wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen

stamp="node_modules/.installed-$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  say "npm install (wrangler, node 22, binaryen, esbuild)"
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node --version | grep -q '^v22\.' || { echo "node 22 from node_modules is not first on PATH" >&2; exit 1; }

if [ ! -f .dev.vars ]; then
  say "writing .dev.vars with fresh local keys"
  key() { head -c 32 /dev/urandom | base64 -w0; }
  {
    echo "DATA_KEY=$(key)"
    echo "INDEX_KEY=$(key)"
    echo "JWT_KEY=$(key)"
    echo "ADMIN_BOOTSTRAP_TOKEN=$(head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_')"
  } > .dev.vars
fi
# Keys only: dev mode is a build feature plus a command-line switch
# (scripts/dev.sh, the test harness), never a secret that could be uploaded.
sed -i '/^DEV_MODE=/d' .dev.vars
if ! grep -q '^MAINTENANCE_TOKEN=' .dev.vars; then
  echo "MAINTENANCE_TOKEN=$(head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_')" >> .dev.vars
fi
# Notice providers (NAVER Cloud SENS and Outbound Mailer) for local runs: a
# local key pair that the local receiver accepts; scripts/dev.sh and the
# test harness point the origins at that receiver. Production sets real ones.
if ! grep -q '^NCP_ACCESS_KEY=' .dev.vars; then
  {
    echo "NCP_ACCESS_KEY=local-$(head -c 12 /dev/urandom | base64 -w0 | tr '+/' '-_')"
    echo "NCP_SECRET_KEY=$(head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_')"
    echo "SENS_SERVICE_ID=ncp:sms:kr:0:local"
    echo "SMS_SENDER=0200000000"
    echo "MAIL_SENDER=no-reply@member-platform.local"
  } >> .dev.vars
fi
# The web pages (wrangler serves web/dist as static assets).
bash scripts/build-web.sh
