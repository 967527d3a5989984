#!/usr/bin/env bash
# isql (unixODBC's standard client) runs a script against the registered driver in batch
# mode; the output must show the rows and the errors with their SQLSTATEs. iusql, its
# Unicode twin, goes through the W functions. (It widens each byte of its input to one
# UTF-16 unit rather than decoding UTF-8, so real Unicode is tested with pyodbc instead.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"

out=$(isql -b -v eider_client <<'SQL' 2>&1 || true
create table fruit (id integer not null, name varchar(20), price double, ripe boolean)
insert into fruit values (1, 'apple', 0.5, true), (2, 'pear', 1.25, false), (3, NULL, NULL, NULL)
select id, name, price from fruit where price > 0.6 or name is null
select id from fruit where id = 1 / 0
select nosuch from fruit
SQL
)
echo "$out"
fail=0
expect() { grep -qF -- "$1" <<<"$out" || { echo "MISSING: $1"; fail=1; }; }
expect "SQLRowCount returns 3"
expect "| 2"
expect "pear"
expect "1.25"
expect "[22012]"
expect "division by zero"
# isql is an ODBC 2 application: the driver manager shows 42S22 as S0022.
expect '[S0022][Eider]column "nosuch" not found in table "fruit"'
out2=$(echo "select count_of_rows from fruit" | isql -b -v eider_client 2>&1 || true)
grep -qF "[S0022]" <<<"$out2" || { echo "MISSING second-session error"; fail=1; }
out3=$(echo "select name from fruit where id = 1" | isql -b eider_client 2>&1)
grep -qF "apple" <<<"$out3" || { echo "MISSING committed row in a new process"; fail=1; }
out4=$(iusql -b -v eider_client <<'SQL' 2>&1 || true
insert into fruit values (4, 'bergamot', 2.0, true)
select name, price from fruit where id = 4
select nosuch from fruit
SQL
)
grep -qF "bergamot" <<<"$out4" || { echo "MISSING row written and read through iusql: $out4"; fail=1; }
grep -qF '[Eider]column "nosuch" not found' <<<"$out4" || { echo "MISSING iusql error: $out4"; fail=1; }
exit $fail
