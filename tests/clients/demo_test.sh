#!/usr/bin/env bash
# The demo (tools/demo) through the driver manager on a private DSN: it must end with its
# consistency check passing, and print the pool the workers shared (4 workers and the
# checking connection: 5 connects, each served by a session of its own).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"
demo=${2:?usage: $0 DRIVER DEMO}
out=$("$demo" --dsn eider_client --threads 4 --transfers 200)
echo "$out"
grep -q "CONSISTENT" <<<"$out" && ! grep -q "INCONSISTENT" <<<"$out"
grep -q "session mode: 1 active, 4 idle of at most 100; 5 connects served by 5 sessions" <<<"$out"
