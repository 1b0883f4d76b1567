#!/usr/bin/env bash
# Builds the Workers with the tools scripts/setup.sh installed (no downloads).
# Release builds (wrangler deploy, the size check, the release test) go to
# functions/worker/build-<group>/ and compile no dev-only code; WORKER_DEV=1
# (scripts/dev.sh, the tests) builds with the cargo feature `dev` into
# functions/worker/build-dev-<group>/. Each build folder gets a stamp
# (scripts/build-stamp.sh): scripts/worker-config.sh refuses to point
# `wrangler dev` at a build whose inputs changed since.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
# One Worker per group of areas (README "How the Cloudflare side stays
# within 512 KB"): `bash scripts/build-worker.sh [GROUP ...]`, every group
# scripts/groups.sh lists by default.
groups=("$@")
[ ${#groups[@]} -gt 0 ] || mapfile -t groups < <(bash "$root/scripts/groups.sh")
flavour=release
[ "${WORKER_DEV:-}" = 1 ] && flavour=dev
# The fingerprint of the inputs as they are when the build starts: an edit
# made during the build leaves the stamp stale.
fingerprint=$(bash "$root/scripts/build-stamp.sh" print worker)
for group in "${groups[@]}"; do
  case "$group" in
    members)
      # The pages first: wrangler serves web/dist beside edge-members.
      bash "$root/scripts/build-web.sh" ;;
    *)
      # Read whole (no `grep -q` on a pipe: under pipefail the writer's
      # SIGPIPE would fail the check at random).
      known=$(bash "$root/scripts/groups.sh")
      grep -qx "$group" <<<"$known" || {
        echo "build-worker: unknown Worker '$group' ($(echo $known))" >&2
        exit 2
      } ;;
  esac
  features="$group" out="build-$group"
  if [ "$flavour" = dev ]; then features="$group,dev" out="build-dev-$group"; fi
  (cd "$root/functions/worker" && worker-build --release --out-dir "$out" --features "$features")
  bash "$root/scripts/build-stamp.sh" write worker "$flavour" "$root/functions/worker/$out/.inputs" "$fingerprint"
done
