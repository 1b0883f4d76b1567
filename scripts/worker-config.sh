#!/usr/bin/env bash
# Writes the wrangler config of edge-GROUP (devices, market) for a local run
# into DIR: a copy of wrangler.GROUP.toml with its Worker's path made
# absolute, and DIR/.dev.vars: the project's .dev.vars with the KEY=VALUE
# settings given instead of its own. `wrangler dev -c wrangler.toml -c
# DIR/wrangler.toml …` gives its `--var` settings to the first Worker only
# and reads each Worker's .dev.vars beside its config: this is how the other
# Workers get the same settings as edge-members (scripts/dev.sh, the test
# harness).
#   bash scripts/worker-config.sh GROUP DIR [KEY=VALUE ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
group=$1
dir=$2
shift 2
mkdir -p "$dir"
sed "s|^main = \"|main = \"$root/|" "$root/wrangler.$group.toml" > "$dir/wrangler.toml"
{
  keys=$(printf '%s\n' "$@" | cut -d= -f1 | grep . | sed 's/^/^/; s/$/=/' || true)
  if [ -n "$keys" ]; then
    grep -v -f <(echo "$keys") "$root/.dev.vars" || true
  else
    cat "$root/.dev.vars"
  fi
  for kv in "$@"; do echo "$kv"; done
} > "$dir/.dev.vars"
