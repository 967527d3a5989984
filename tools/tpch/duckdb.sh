#!/usr/bin/env bash
# duckdb.sh: builds tpch-duckdb (tpch_duckdb.c, DuckDB's C API) and runs it with this folder's
# schema and queries, so DuckDB answers the same TPC-H queries over the same generated rows
# as eider-tpch. Arguments go to tpch-duckdb:
#
#   eider-tpch --tbl /tmp/tpch1 --scale 1                          # the rows, once
#   tools/tpch/duckdb.sh --db /tmp/tpch1.duckdb --tbl /tmp/tpch1   # load them into DuckDB
#   tools/tpch/duckdb.sh --db /tmp/tpch1.duckdb --threads 2 --repeat 7
#
# Environment: DUCKDB_DIR, a folder with include/duckdb.h and lib/libduckdb.so (default: the
# one `tools/bench/peers.sh setup` fetches, $BENCH_WORKDIR/duckdb), EIDER_BUILD (where the
# program is built, default <repo>/build).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=${DUCKDB_DIR:-${BENCH_WORKDIR:-/tmp/eider-bench}/duckdb}
OUT=${EIDER_BUILD:-$ROOT/build}/tools/tpch/tpch-duckdb

if [ ! -f "$D/include/duckdb.h" ] || [ ! -f "$D/lib/libduckdb.so" ]; then
    echo "duckdb.sh: no DuckDB in $D: run tools/bench/peers.sh setup, or set DUCKDB_DIR" >&2
    exit 1
fi
if [ ! -x "$OUT" ] || [ "$HERE/tpch_duckdb.c" -nt "$OUT" ]; then
    mkdir -p "$(dirname "$OUT")"
    # The CMake build's warnings; DuckDB's header is a system header (-isystem).
    gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -isystem "$D/include" -o "$OUT" "$HERE/tpch_duckdb.c" \
        -L"$D/lib" -lduckdb -Wl,-rpath,"$D/lib"
fi
exec "$OUT" --schema "$HERE/schema.sql" --queries "$HERE/queries" "$@"
