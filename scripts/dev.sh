#!/usr/bin/env bash
# Sets up (first run ~10 minutes) and runs the platform locally on workerd:
# wrangler dev with local D1 (migrations applied), Queues, R2 and cron.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"
port="${PORT:-8787}"
notices_port="${NOTICES_PORT:-8790}"
inspector_port="${INSPECTOR_PORT:-9229}"
# Where the local databases, queues, buckets and the Workers' configs live
# (a test that runs this script gives it a folder of its own).
dev_dir="${DEV_DIR:-.wrangler}"
mkdir -p "$dev_dir"
# A dev build (cargo feature `dev`) with dev mode on: x-db-round-trips,
# /__dev/switches. `wrangler deploy` builds without the feature.
# The Workers (scripts/groups.sh): edge-members (this port, the pages) and
# the others behind their service bindings, all with the same settings,
# built here when their stamp says the sources changed (scripts/build-stamp.sh);
# `wrangler dev` serves that build and never builds.
export WORKER_DEV=1
for group in $(bash scripts/groups.sh); do
  if ! bash scripts/build-stamp.sh check worker dev "functions/worker/build-dev-$group/.inputs" 2>/dev/null; then
    bash scripts/build-worker.sh
    break
  fi
done
# Every database the Workers bind: the main one and each attendance shard.
for db in $(grep -o '^binding = "\(DB\|ATT_SHARD_[0-9]*\)"' wrangler.toml | cut -d'"' -f2); do
  wrangler d1 migrations apply "$db" --local --persist-to "$dev_dir/state" >/dev/null
done
# The notice receiver: stands in for the SMS and e-mail providers (NAVER
# Cloud SENS and Outbound Mailer) and lists what was sent, phone codes too.
cargo build -q -p e2e --bin receiver
target/debug/receiver "$notices_port" &
receiver_pid=$!
trap 'kill $receiver_pid 2>/dev/null' EXIT
cat <<TXT

  Member platform running at http://127.0.0.1:$port
    member pages:     http://127.0.0.1:$port/app/
    staff dashboard:  http://127.0.0.1:$port/staff/
    health:    http://127.0.0.1:$port/healthz
    API docs:  http://127.0.0.1:$port/openapi.json
    notices sent (SMS codes, e-mails): http://127.0.0.1:$notices_port/
    first admin:  bash scripts/create-admin.sh <login_id>  (asks for the password)
    cron sweep:   curl "http://127.0.0.1:$port/__scheduled?cron=*/15+*+*+*+*"

TXT
settings=(DEV_MODE=true "NCP_SMS_ORIGIN=http://127.0.0.1:$notices_port" "NCP_MAIL_ORIGIN=http://127.0.0.1:$notices_port" "PAGES_ORIGIN=http://127.0.0.1:$port")
configs=()
for group in $(bash scripts/groups.sh); do
  bash scripts/worker-config.sh "$group" "$dev_dir/edge-$group" "${settings[@]}"
  configs+=(-c "$dev_dir/edge-$group/wrangler.toml")
done
vars=()
for kv in "${settings[@]}"; do vars+=(--var "${kv%%=*}:${kv#*=}"); done
# Without a terminal (a test, a service manager) wrangler's key shortcuts
# are off.
interactive=()
[ -t 0 ] || interactive=(--show-interactive-dev-session=false)
wrangler dev "${configs[@]}" --persist-to "$dev_dir/state" \
  --local --test-scheduled --ip 127.0.0.1 --port "$port" --inspector-port "$inspector_port" \
  "${interactive[@]}" "${vars[@]}"
