#!/usr/bin/env bash
# Creates the first `owner` admin of a running local platform (scripts/dev.sh),
# using the bootstrap token from .dev.vars. Works once: later admins are added
# by an owner through POST /admin/admins.
#   bash scripts/create-admin.sh <login_id> <password> [base_url]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 <login_id> <password> [base_url]" >&2; exit 2; }
base="${3:-http://127.0.0.1:${PORT:-8787}}"
token=$(grep '^ADMIN_BOOTSTRAP_TOKEN=' "$root/.dev.vars" | cut -d= -f2-)
body=$(python3 -c 'import json,sys; print(json.dumps({"token": sys.argv[1], "login_id": sys.argv[2], "password": sys.argv[3]}))' "$token" "$1" "$2")
curl -sS -X POST "$base/admin/bootstrap" -H 'content-type: application/json' --data "$body"
echo
