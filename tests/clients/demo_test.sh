#!/usr/bin/env bash
# The demo (tools/demo) through the driver manager on a private DSN: it must end with its
# consistency check passing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"
demo=${2:?usage: $0 DRIVER DEMO}
out=$("$demo" --dsn eider_client --threads 4 --transfers 200)
echo "$out"
grep -q "CONSISTENT" <<<"$out" && ! grep -q "INCONSISTENT" <<<"$out"
