#!/usr/bin/env bash
# eider-admin on a database written through the driver: info lists the tables, check
# passes, checkpoint cuts the log; then one byte of the checkpoint is damaged and both
# check and a normal open refuse the file as corrupt (XX001).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"
admin=${2:?usage: $0 DRIVER ADMIN}
db="$work/client.eider"
isql -b eider_client >/dev/null <<'SQL'
create table item (id integer primary key, name varchar(20))
insert into item values (1, 'one'), (2, 'two'), (3, 'three')
update item set name = 'TWO' where id = 2
SQL
fail=0
expect() { grep -qF -- "$2" <<<"$1" || { echo "MISSING: $2"; echo "$1"; fail=1; }; }
out=$("$admin" info "$db"); expect "$out" "item"; expect "$out" "3 rows"
out=$("$admin" check "$db"); expect "$out" ": ok"
out=$("$admin" checkpoint "$db"); expect "$out" "checkpoint written"
out=$("$admin" info "$db"); expect "$out" "checkpoint    timestamp"
read -r offset bytes < <("$admin" info "$db" | sed -n 's/.*image of \([0-9]*\) bytes at offset \([0-9]*\).*/\2 \1/p')
printf '\x55' | dd of="$db" bs=1 seek=$((offset + bytes / 2)) conv=notrunc status=none
if out=$("$admin" check "$db" 2>&1); then echo "check accepted a damaged file"; fail=1; fi
expect "$out" "[XX001]"
expect "$out" "corrupt"
out=$(echo "select * from item" | isql -b -v eider_client 2>&1 || true)
expect "$out" "corrupt"
exit $fail
