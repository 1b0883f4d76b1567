#!/usr/bin/env bash
# Prints the Cloudflare Workers' groups, one a line: `members` (wrangler.toml,
# the one in front) and one for each wrangler.GROUP.toml beside it. The one
# list the scripts build, configure, run and measure (functions/catalog's
# BINDINGS names the same groups; a test compares).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
echo members
for f in "$root"/wrangler.*.toml; do
  g=${f##*/wrangler.}
  echo "${g%.toml}"
done
