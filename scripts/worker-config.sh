#!/usr/bin/env bash
# Writes the wrangler config of edge-GROUP (scripts/groups.sh) for a
# local run into DIR, and DIR/.dev.vars beside it:
# - DIR/wrangler.toml: a copy of the group's config (wrangler.toml for
#   members, wrangler.GROUP.toml for the others) without its build command,
#   its paths made absolute, serving the build WORKER_DEV picks (1: the dev
#   build in functions/worker/build-dev-GROUP, else the release build in
#   build-GROUP), which must be fresh: a build whose stamp does not match
#   today's inputs is refused (scripts/build-stamp.sh), so `wrangler dev`
#   never builds and never serves a stale build;
# - DIR/.dev.vars: the project's .dev.vars with the KEY=VALUE settings given
#   instead of its own (the notice providers' keys for edge-members and
#   edge-jobs only). `wrangler dev -c A -c B …` reads each Worker's
#   .dev.vars beside its config (its `--var` settings reach the first Worker
#   only): this is how every Worker gets the same settings (scripts/dev.sh,
#   the test harness).
#   bash scripts/worker-config.sh GROUP DIR [KEY=VALUE ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
group=$1
dir=$2
shift 2
# Read whole (no `grep -q` on a pipe: under pipefail the writer's SIGPIPE
# would fail the check at random).
known=$(bash "$root/scripts/groups.sh")
grep -qx "$group" <<<"$known" || {
  echo "worker-config: unknown Worker '$group' ($(echo $known))" >&2
  exit 2
}
config="$root/wrangler.$group.toml"
[ "$group" = members ] && config="$root/wrangler.toml"
flavour=release out="build-$group"
if [ "${WORKER_DEV:-}" = 1 ]; then flavour=dev out="build-dev-$group"; fi
bash "$root/scripts/build-stamp.sh" check worker "$flavour" "$root/functions/worker/$out/.inputs"
mkdir -p "$dir"
sed -e "s|^main = \"functions/worker/build-$group/index.js\"|main = \"$root/functions/worker/$out/index.js\"|" \
  -e '/^\[build\]$/,/^command = /d' \
  -e "s|^directory = \"web/dist\"|directory = \"$root/web/dist\"|" \
  -e "s|^migrations_dir = \"migrations\"|migrations_dir = \"$root/migrations\"|" \
  "$config" > "$dir/wrangler.toml"
grep -q "^main = \"$root/functions/worker/$out/index.js\"" "$dir/wrangler.toml" &&
  ! grep -q '^\[build\]' "$dir/wrangler.toml" || {
  echo "worker-config: $config no longer has the main and build lines this script rewrites" >&2
  exit 1
}
# Least privilege: only edge-members' routes write notices and edge-jobs
# delivers them, so only they are given the notice providers' keys and origins (catalog::BINDINGS says what each
# Worker binds).
notice_keys='^(NCP_ACCESS_KEY|NCP_SECRET_KEY|SENS_SERVICE_ID|SMS_SENDER|MAIL_SENDER|NCP_SMS_ORIGIN|NCP_MAIL_ORIGIN)='
{
  keys=$(printf '%s\n' "$@" | cut -d= -f1 | grep . | sed 's/^/^/; s/$/=/' || true)
  if [ -n "$keys" ]; then
    grep -v -f <(echo "$keys") "$root/.dev.vars" || true
  else
    cat "$root/.dev.vars"
  fi
  for kv in "$@"; do echo "$kv"; done
} | if [ "$group" = members ] || [ "$group" = jobs ]; then cat; else grep -Ev "$notice_keys" || true; fi > "$dir/.dev.vars"
