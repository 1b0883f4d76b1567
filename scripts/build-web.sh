#!/usr/bin/env bash
# Builds the web pages into web/dist: static HTML and CSS copied from
# web/public, each app's code bundled by esbuild (Preact, JSX) into
# web/dist/assets/<app>.js. No server-side rendering: Workers static assets
# and the Spin web component serve these files as they are.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root/web"
rm -rf dist
mkdir -p dist
cp -R public/. dist/
# The API's OpenAPI document, served beside the pages (not from the wasm).
cp "$root/functions/meta/openapi.json" dist/openapi.json
# One stylesheet: ours, then the chart library's (uPlot) own rules.
cat public/assets/style.css "$root/node_modules/uplot/dist/uPlot.min.css" > dist/assets/style.css
esbuild src/app.jsx src/staff.jsx --bundle --minify --format=esm --target=es2020 \
  --jsx=automatic --jsx-import-source=preact --outdir=dist/assets --log-level=warning
