# Sourced by the client tests: a private unixODBC configuration in a temporary folder
# registering the driver given as $1 as "Eider" and a DSN "eider_client" on a fresh
# database. Sets ODBCSYSINI/ODBCINSTINI/ODBCINI and removes the folder on exit.
# EIDER_CLIENT_TRACE=FILE turns on the driver manager's trace of every ODBC call, to FILE.
driver=${1:?usage: $0 PATH-TO-libeiderodbc.so}
work=$(mktemp -d /tmp/eider-client-XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -n "${EIDER_CLIENT_TRACE:-}" ]; then
  printf '[ODBC]\nTrace = Yes\nTraceFile = %s\n\n' "$EIDER_CLIENT_TRACE" > "$work/odbcinst.ini"
fi
cat >> "$work/odbcinst.ini" <<INI
[Eider]
Description = Eider (test build)
Driver = $driver
Threading = 0
INI
cat > "$work/odbc.ini" <<INI
[eider_client]
Driver = Eider
Database = $work/client.eider
INI
export ODBCSYSINI=$work ODBCINSTINI=odbcinst.ini ODBCINI=$work/odbc.ini
