#!/usr/bin/env bash
# peers.sh: sets up the systems Eider is compared with, on a fresh Debian machine, in a private
# work folder; touches neither /etc/odbc.ini nor /etc/odbcinst.ini nor any system cluster.
#
#   peers.sh setup   install what is missing (apt-get), create the PostgreSQL cluster, write the
#                    private odbcinst.ini / odbc.ini, fetch DuckDB from npm, build duckdb-bench
#   peers.sh start   start the private PostgreSQL on 127.0.0.1 (pid recorded in the work folder)
#   peers.sh stop    stop it, by that pid
#   peers.sh env     print the exports that point unixODBC at the private ini files
#   peers.sh env pooled  the same for the folder with unixODBC pooling (bench_pg_pooled)
#   peers.sh status  say what is set up and running
#
# Environment: BENCH_WORKDIR (default /tmp/eider-bench), EIDER_BUILD (the CMake build folder
# holding driver/libeiderodbc.so, default <repo>/build), DUCKDB_VERSION (the `duckdb` npm
# package that ships duckdb.h, default 1.4.4) and DUCKDB_BINDINGS_VERSION (the
# @duckdb/node-bindings-linux-x64 package that ships libduckdb.so, default 1.4.4-r.4: the same
# DuckDB release as the header).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=${BENCH_WORKDIR:-/tmp/eider-bench}
EIDER_BUILD=${EIDER_BUILD:-$ROOT/build}
case $EIDER_BUILD in /*) ;; *) EIDER_BUILD=$ROOT/$EIDER_BUILD ;; esac
EIDER_LIB=$EIDER_BUILD/driver/libeiderodbc.so
DUCKDB_VERSION=${DUCKDB_VERSION:-1.4.4}
DUCKDB_BINDINGS_VERSION=${DUCKDB_BINDINGS_VERSION:-1.4.4-r.4}
ODBC_LIBDIR=/usr/lib/x86_64-linux-gnu/odbc
PG_USER=bench
PG_DB=bench

say() { echo "peers: $*" >&2; }
die() {
    echo "peers: error: $*" >&2
    exit 1
}

# The newest PostgreSQL server installed (Debian puts each major version in its own folder).
pg_bindir() {
    local d
    d=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    [ -n "$d" ] && [ -x "$d/initdb" ] || return 1
    echo "$d"
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install_packages() {
    local missing=() p
    for p in unixodbc odbcinst libsqliteodbc odbc-postgresql; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    pg_bindir >/dev/null || missing+=(postgresql)
    command -v npm >/dev/null || missing+=(npm)
    command -v gcc >/dev/null || missing+=(gcc)
    [ -e /usr/include/sqlext.h ] || missing+=(unixodbc-dev)
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): install them as root"
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local p=${1:-54329}
    while port_in_use "$p"; do p=$((p + 1)); done
    echo "$p"
}

pg_port() {
    cat "$W/pg/port" 2>/dev/null || echo 54329
}

setup_pg_cluster() {
    local bin
    bin=$(pg_bindir) || die "no PostgreSQL server found under /usr/lib/postgresql"
    mkdir -p "$W/pg/run"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$W/pg"
        as_pg test -w "$W/pg" || die "the postgres account cannot write $W/pg: choose a BENCH_WORKDIR it can reach"
    fi
    if [ ! -f "$W/pg/data/PG_VERSION" ]; then
        say "initdb $W/pg/data ($("$bin/postgres" --version))"
        as_pg "$bin/initdb" -D "$W/pg/data" -U "$PG_USER" -A trust -E UTF8 --locale=C >"$W/pg/initdb.log" 2>&1 ||
            die "initdb failed: see $W/pg/initdb.log"
        # Durability stays at PostgreSQL's defaults, written out so the table can say so.
        cat >>"$W/pg/data/postgresql.conf" <<EOF

# eider-bench: private cluster on the loopback address only.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$W/pg/run'
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
    fi
    [ -f "$W/pg/port" ] || pick_port >"$W/pg/port"
}

write_ini() {
    local port
    port=$(pg_port)
    mkdir -p "$W/odbc" "$W/odbc-pooled" "$W/sqlite" "$W/eider"
    # Threading: the driver manager's lock level. 0 (none) for the thread-safe psqlODBC and
    # Eider; 2 for sqliteodbc as its README suggests. Each thread has its own connection, so
    # neither level serializes one thread against another.
    cat >"$W/odbc/odbcinst.ini" <<EOF
[ODBC]
Pooling = No

[SQLite3]
Description = SQLite ODBC driver (libsqliteodbc)
Driver = $ODBC_LIBDIR/libsqlite3odbc.so
Threading = 2

# The same driver with the driver manager serializing every call: sqliteodbc corrupts its
# heap when connections are opened and closed concurrently at Threading = 2 (3 crashes in 6
# runs of the 8-thread connect workload), so the connect workload uses this entry.
[SQLite3 Serialized]
Description = SQLite ODBC driver, calls serialized by unixODBC
Driver = $ODBC_LIBDIR/libsqlite3odbc.so
Threading = 3

[PostgreSQL]
Description = psqlODBC (odbc-postgresql)
Driver = $ODBC_LIBDIR/psqlodbca.so
Threading = 0

[Eider]
Description = Eider ODBC driver
Driver = $EIDER_LIB
Threading = 0
EOF
    # unixODBC's pool is switched on per process by [ODBC] Pooling = Yes and applies to drivers
    # with CPTimeout > 0 (unixODBC 2.3: no SQLSetEnvAttr(SQL_ATTR_CONNECTION_POOLING) needed).
    # It has a folder of its own: with Pooling = Yes, unixODBC 2.3.11 let one connection's
    # SQL_ATTR_AUTOCOMMIT=OFF leak into later connections of the process even for drivers
    # without CPTimeout (seen with sqliteodbc: "autocommit" inserts that never committed).
    cat >"$W/odbc-pooled/odbcinst.ini" <<EOF
[ODBC]
Pooling = Yes

[PostgreSQL Pooled]
Description = psqlODBC behind unixODBC connection pooling
Driver = $ODBC_LIBDIR/psqlodbca.so
Threading = 0
CPTimeout = 120
EOF
    local pg_keys="Servername = 127.0.0.1
Port = $port
Database = $PG_DB
Username = $PG_USER
Password =
SSLmode = disable
UseServerSidePrepare = 1
UseDeclareFetch = 0
BatchSize = 1000
Debug = 0
CommLog = 0"
    cat >"$W/odbc/odbc.ini" <<EOF
[bench_sqlite]
Description = SQLite, WAL journal, synchronous=FULL (fsync at every commit)
Driver = SQLite3
Database = $W/sqlite/bench.sqlite
JournalMode = WAL
SyncPragma = FULL
Timeout = 10000

[bench_sqlite_serial]
Description = bench_sqlite through the serialized driver entry (connect workload)
Driver = SQLite3 Serialized
Database = $W/sqlite/bench.sqlite
JournalMode = WAL
SyncPragma = FULL
Timeout = 10000

[bench_pg]
Description = PostgreSQL (private cluster), fsync=on, synchronous_commit=on
Driver = PostgreSQL
$pg_keys

[bench_eider]
Description = Eider, Synchronous=FULL (fsync at every commit)
Driver = Eider
Database = $W/eider/bench.eider
Synchronous = FULL
EOF
    cat >"$W/odbc-pooled/odbc.ini" <<EOF
[bench_pg_pooled]
Description = the PostgreSQL of bench_pg through unixODBC's connection pool
Driver = PostgreSQL Pooled
$pg_keys
EOF
}

fetch_duckdb() {
    local d=$W/duckdb
    mkdir -p "$d/npm" "$d/include" "$d/lib"
    if [ ! -f "$d/include/duckdb.h" ] || [ "$(cat "$d/version" 2>/dev/null)" != "$DUCKDB_VERSION/$DUCKDB_BINDINGS_VERSION" ]; then
        say "fetching duckdb@$DUCKDB_VERSION (duckdb.h) and @duckdb/node-bindings-linux-x64@$DUCKDB_BINDINGS_VERSION (libduckdb.so) from npm"
        rm -f "$d"/npm/*.tgz
        (cd "$d/npm" && npm pack --silent "duckdb@$DUCKDB_VERSION" \
            "@duckdb/node-bindings-linux-x64@$DUCKDB_BINDINGS_VERSION" >/dev/null 2>"$d/npm/pack.log") ||
            die "npm pack failed: see $d/npm/pack.log"
        # The duckdb package is the old Node binding; its source tree carries the C header.
        tar -xzf "$d"/npm/duckdb-"$DUCKDB_VERSION".tgz -C "$d/npm" package/src/duckdb/src/include/duckdb.h
        cp "$d/npm/package/src/duckdb/src/include/duckdb.h" "$d/include/"
        tar -xzf "$d"/npm/duckdb-node-bindings-linux-x64-*.tgz -C "$d/npm" package/libduckdb.so
        cp "$d/npm/package/libduckdb.so" "$d/lib/"
        rm -rf "$d/npm/package"
        echo "$DUCKDB_VERSION/$DUCKDB_BINDINGS_VERSION" >"$d/version"
    fi
    # The same warnings as the CMake build; DuckDB's own header is a system header (-isystem).
    say "building $d/duckdb-bench"
    gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-unused-parameter -D_GNU_SOURCE -isystem "$d/include" -o "$d/duckdb-bench" \
        "$HERE/bench_main.c" "$HERE/bench_stats.c" "$HERE/bench_data.c" "$HERE/bench_diag.c" \
        "$HERE/bench_duckdb.c" -L"$d/lib" -lduckdb -Wl,-rpath,"$d/lib" -lpthread -lm
}

pg_running() {
    local pid
    pid=$(cat "$W/pg/pid" 2>/dev/null) || return 1
    kill -0 "$pid" 2>/dev/null
}

cmd_setup() {
    install_packages
    mkdir -p "$W"
    setup_pg_cluster
    write_ini
    fetch_duckdb
    if [ -f "$EIDER_LIB" ]; then
        say "Eider driver: $EIDER_LIB"
    else
        say "Eider driver not built ($EIDER_LIB missing): Eider will be skipped"
    fi
    say "ready in $W"
}

cmd_start() {
    local bin port
    bin=$(pg_bindir) || die "PostgreSQL is not installed: run peers.sh setup"
    [ -f "$W/pg/data/PG_VERSION" ] || die "no cluster in $W/pg/data: run peers.sh setup"
    if pg_running; then
        say "PostgreSQL already running (pid $(cat "$W/pg/pid"), port $(pg_port))"
        return 0
    fi
    port=$(pg_port)
    if port_in_use "$port"; then
        port=$(pick_port $((port + 1)))
        echo "$port" >"$W/pg/port"
        write_ini
    fi
    as_pg "$bin/pg_ctl" -D "$W/pg/data" -l "$W/pg/server.log" -o "-p $port" -w -t 60 start >/dev/null ||
        die "PostgreSQL did not start: see $W/pg/server.log"
    head -n 1 "$W/pg/data/postmaster.pid" >"$W/pg/pid"
    for _ in $(seq 1 50); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 0.2
    done
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
        "$bin/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $PG_DB" ||
            die "cannot create database $PG_DB"
    fi
    say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, pid $(cat "$W/pg/pid")"
}

cmd_stop() {
    local pid
    pid=$(cat "$W/pg/pid" 2>/dev/null) || {
        say "PostgreSQL not started by peers.sh"
        return 0
    }
    if kill -0 "$pid" 2>/dev/null; then
        # SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
        kill -INT "$pid"
        for _ in $(seq 1 150); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && die "PostgreSQL (pid $pid) did not stop"
        say "PostgreSQL (pid $pid) stopped"
    fi
    rm -f "$W/pg/pid"
}

# env: bench_sqlite, bench_pg, bench_eider; env pooled: bench_pg_pooled (see write_ini).
cmd_env() {
    local dir=$W/odbc
    [ "${1:-}" = pooled ] && dir=$W/odbc-pooled
    echo "export ODBCSYSINI='$dir'"
    echo "unset ODBCINSTINI" # the default name, odbcinst.ini, inside ODBCSYSINI
    echo "export ODBCINI='$dir/odbc.ini'"
    echo "export BENCH_WORKDIR='$W'"
    echo "export DUCKDB_BENCH='$W/duckdb/duckdb-bench'"
    echo "export DUCKDB_DATABASE='$W/duckdb/bench.duckdb'"
    echo "export EIDER_LIB='$EIDER_LIB'"
}

cmd_status() {
    echo "work folder:  $W"
    echo "odbc ini:     $([ -f "$W/odbc/odbc.ini" ] && echo "$W/odbc" || echo "not written")"
    if pg_running; then
        echo "PostgreSQL:   running, pid $(cat "$W/pg/pid"), 127.0.0.1:$(pg_port)"
    else
        echo "PostgreSQL:   stopped"
    fi
    echo "duckdb-bench: $([ -x "$W/duckdb/duckdb-bench" ] && echo "$W/duckdb/duckdb-bench ($(cat "$W/duckdb/version"))" || echo "not built")"
    echo "Eider driver: $([ -f "$EIDER_LIB" ] && echo "$EIDER_LIB" || echo "missing ($EIDER_LIB)")"
}

case ${1:-} in
setup) cmd_setup ;;
start) cmd_start ;;
stop) cmd_stop ;;
env) cmd_env "${2:-}" ;;
status) cmd_status ;;
*)
    echo "usage: $0 setup|start|stop|env|status   (BENCH_WORKDIR=$W)" >&2
    exit 2
    ;;
esac
