#!/usr/bin/env bash
# eider-odbc end to end, in a private unixODBC configuration in a temporary folder: register
# the freshly built driver and setup library, add DSNs with keys, check what odbcinst sees,
# connect through a DSN with isql and pyodbc, see bad DSNs refused, then remove it all.
set -euo pipefail
cli=${1:?usage: $0 EIDER-ODBC DRIVER-LIB SETUP-LIB}
driver=${2:?usage: $0 EIDER-ODBC DRIVER-LIB SETUP-LIB}
setup=${3:?usage: $0 EIDER-ODBC DRIVER-LIB SETUP-LIB}
work=$(mktemp -d /tmp/eider-setup-XXXXXX)
trap 'rm -rf "$work"' EXIT
# unixODBC finds a user's odbc.ini through the password database, not $HOME: ODBCINI must
# be set for the machine's files to stay untouched.
export ODBCSYSINI=$work ODBCINSTINI=odbcinst.ini ODBCINI=$work/user-odbc.ini HOME=$work
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data

fail=0
expect() { grep -qF -- "$2" <<<"$1" || { echo "MISSING: $2"; echo "$1"; fail=1; }; }
absent() { if grep -qF -- "$2" <<<"$1"; then echo "UNEXPECTED: $2"; echo "$1"; fail=1; fi; }
refused() { # expected message, command...: the command must fail with it
  local want=$1 out
  shift
  if out=$("$@" 2>&1); then
    echo "ACCEPTED: $*"
    fail=1
  fi
  expect "$out" "$want"
}

echo "== driver"
out=$("$cli" register-driver --path "$driver" --setup "$setup")
expect "$out" "registered driver Eider in $work/odbcinst.ini"
out=$("$cli" register-driver --path "$driver" --setup "$setup")
expect "$out" "updated driver Eider"
out=$(odbcinst -q -d)
expect "$out" "[Eider]"
out=$(odbcinst -q -d -n Eider)
expect "$out" "Driver=$(realpath "$driver")"
expect "$out" "Setup=$(realpath "$setup")"
expect "$out" "Threading=0"
expect "$out" "UsageCount=1"

echo "== a user DSN"
out=$("$cli" add-dsn shop "Database=$work/shop.eider" Synchronous=NORMAL PoolMaxSessions=4 \
  "Description=Shop test")
expect "$out" "added user DSN shop to $work/user-odbc.ini"
out=$(odbcinst -q -s)
expect "$out" "[shop]"
out=$(odbcinst -q -s -n shop)
expect "$out" "Driver=Eider"
expect "$out" "Synchronous=NORMAL"
expect "$out" "PoolMaxSessions=4"
out=$("$cli" list-dsns)
expect "$out" "shop"
expect "$out" "$work/shop.eider"
out=$("$cli" show-dsn shop)
expect "$out" "(user DSN, in $work/user-odbc.ini)"
expect "$out" "Description = Shop test"

echo "== connect through it"
out=$(isql -b -v shop <<'SQL' 2>&1
create table item (id integer primary key, name varchar(20))
insert into item values (1, 'kettle')
select name from item where id = 1
SQL
)
expect "$out" "kettle"
out=$(/usr/bin/python3 - <<'PY' 2>&1
import pyodbc
c = pyodbc.connect("DSN=shop", autocommit=True)
c.execute("insert into item values (?, ?)", 2, "teapot")
print(sorted(r.name for r in c.execute("select name from item")))
PY
)
expect "$out" "['kettle', 'teapot']"

echo "== keys reach the driver"
"$cli" add-dsn shop_ro "Database=$work/shop.eider" AccessMode=READ_ONLY Pooling=No >/dev/null
out=$(/usr/bin/python3 - <<'PY' 2>&1
import pyodbc
c = pyodbc.connect("DSN=shop_ro", autocommit=True)
print("rows", len(c.execute("select id from item").fetchall()))
try:
    c.execute("insert into item values (3, 'cup')")
    print("insert accepted")
except pyodbc.Error as e:
    print("refused", e.args[0])
PY
)
expect "$out" "rows 2"
expect "$out" "refused 25006"

echo "== bad DSNs are refused"
refused 'invalid value "sometimes" for Synchronous: expected FULL, NORMAL or OFF' \
  "$cli" add-dsn bad Synchronous=sometimes
refused 'unknown key "Colour"' "$cli" add-dsn bad Colour=blue
refused 'invalid value "0" for PoolMaxSessions' "$cli" add-dsn bad PoolMaxSessions=0
refused "user DSN shop already exists" "$cli" add-dsn shop
refused 'invalid DSN name "b;d"' "$cli" add-dsn 'b;d'
refused "there is no DSN nosuch" "$cli" remove-dsn nosuch
refused "wrong arguments for add-dsn" "$cli" add-dsn
refused 'unknown command "frobnicate"' "$cli" frobnicate
absent "$(odbcinst -q -s)" "[bad]"
out=$("$cli" add-dsn shop --replace "Database=$work/shop.eider")
expect "$out" "added user DSN shop"
absent "$(odbcinst -q -s -n shop)" "Synchronous"

echo "== a system DSN"
out=$("$cli" add-dsn shared --system "Database=$work/shop.eider" AccessMode=READ_ONLY)
expect "$out" "added system DSN shared to $work/odbc.ini"
out=$("$cli" list-dsns --system)
expect "$out" "shared"
absent "$out" "user"
out=$(echo "select name from item where id = 2" | isql -b shared 2>&1)
expect "$out" "teapot"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$work"
  refused "(a system DSN needs root; a user DSN does not)" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$cli" add-dsn other --system
fi
out=$("$cli" remove-dsn shared --system)
expect "$out" "removed system DSN shared from $work/odbc.ini"

echo "== remove"
out=$("$cli" remove-dsn shop)
expect "$out" "removed user DSN shop"
"$cli" remove-dsn shop_ro >/dev/null
absent "$(odbcinst -q -s)" "[shop]"
refused "[IM002]" isql -b -v shop
out=$("$cli" unregister-driver)
expect "$out" "unregistered driver Eider"
absent "$(odbcinst -q -d)" "[Eider]"
refused "driver Eider is not registered" "$cli" add-dsn late
exit $fail
