#!/usr/bin/env bash
# Creates the first `owner` admin of a running local platform (scripts/dev.sh),
# using the bootstrap token from .dev.vars. Works once: later admins are added
# by an owner through POST /admin/admins.
#   bash scripts/create-admin.sh <login_id> [base_url]
# The password is asked for (or read from standard input when it is not a
# terminal), never taken from the command line, where `ps` would show it;
# the request body goes to curl on its standard input for the same reason.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 <login_id> [base_url]   (password on the prompt or stdin)" >&2; exit 2; }
base="${2:-http://127.0.0.1:${PORT:-8787}}"
if [ -t 0 ]; then
  read -rsp "password for $1: " password; echo >&2
else
  IFS= read -r password
fi
token=$(grep '^ADMIN_BOOTSTRAP_TOKEN=' "$root/.dev.vars" | cut -d= -f2- || true)
[ -n "$token" ] || { echo "create-admin: no ADMIN_BOOTSTRAP_TOKEN in .dev.vars (run scripts/dev.sh once)" >&2; exit 1; }
answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
# The answer's status decides: anything but 201 Created is a failure, said
# on stderr with the problem document, and the script exits non-zero.
status=$(printf '%s\0%s\0%s' "$token" "$1" "$password" |
  python3 -c 'import json,sys; t,l,p=sys.stdin.read().split("\0"); print(json.dumps({"token": t, "login_id": l, "password": p}))' |
  curl -sS -o "$answer" -w '%{http_code}' -X POST "$base/admin/bootstrap" \
    -H 'content-type: application/json' -H 'accept-language: ko' --data-binary @-) || {
  echo "create-admin: the platform at $base did not answer (is scripts/dev.sh running?)" >&2
  exit 1
}
if [ "$status" != 201 ]; then
  echo "create-admin: the first admin was not created (HTTP $status):" >&2
  cat "$answer" >&2
  echo >&2
  exit 1
fi
cat "$answer"
echo
