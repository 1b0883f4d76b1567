# Sourced by the scripts: tool versions, cache paths, PATH, and wrangler's
# switches that keep it from calling home.
WASM_BINDGEN_VERSION=0.2.130
WORKER_BUILD_VERSION=0.8.7
TOOLS="${EDGE_TOOLS_CACHE:-$HOME/.cache/edge-tools}"
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="$root/node_modules/.bin:$TOOLS/worker-build-$WORKER_BUILD_VERSION/bin:$TOOLS/wasm-bindgen-cli-$WASM_BINDGEN_VERSION/bin:$HOME/.cargo/bin:$PATH"
export WASM_BINDGEN_BIN="$TOOLS/wasm-bindgen-cli-$WASM_BINDGEN_VERSION/bin/wasm-bindgen"
export WASM_OPT_BIN="$root/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$root/node_modules/.bin/esbuild"
export WRANGLER_SEND_METRICS=false
export WRANGLER_HIDE_BANNER=true
export CLOUDFLARE_CF_FETCH_ENABLED=false
export CI="${CI:-}"
