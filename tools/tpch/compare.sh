#!/usr/bin/env bash
# compare.sh: TPC-H Q1, Q3, Q5, Q6, Q10 on the same generated rows in Eider (through the
# unixODBC driver manager, block fetch) and DuckDB (C API), at each thread count, and a table
# of the times with their ratio. Rounds alternate between the two systems so that load from
# other processes falls on both; a cell is the median over rounds of each round's median,
# and the best (smallest) round's median beside it.
#
#   tools/tpch/compare.sh [--scale 1] [--threads "1 2"] [--repeat 9] [--rounds 3]
#                         [--work /tmp/eider-tpch]
#
# The work folder keeps the .tbl files, the Eider database and the DuckDB database between
# runs (delete it to regenerate). Eider's threads: EIDER_QUERY_THREADS; DuckDB's: SET
# threads. Eider verifies Q1 and Q6 on every run. Environment: EIDER_BUILD (default
# <repo>/build), DUCKDB_DIR (see duckdb.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${EIDER_BUILD:-$ROOT/build}
SCALE=1 THREADS="1 2" REPEAT=9 ROUNDS=3 W=/tmp/eider-tpch
while [ $# -gt 0 ]; do
    case $1 in
    --scale) SCALE=$2 ;;
    --threads) THREADS=$2 ;;
    --repeat) REPEAT=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --work) W=$2 ;;
    *)
        echo "usage: compare.sh [--scale SF] [--threads \"1 2\"] [--repeat N] [--rounds N] [--work DIR]" >&2
        exit 2
        ;;
    esac
    shift 2
done
TPCH=$BUILD/tools/tpch/eider-tpch
CONN="Driver=$BUILD/driver/libeiderodbc.so;Database=$W/tpch.eider"
[ -x "$TPCH" ] || {
    echo "compare.sh: $TPCH is not built" >&2
    exit 1
}
mkdir -p "$W"
if [ ! -f "$W/tbl/lineitem.tbl" ]; then
    mkdir -p "$W/tbl"
    "$TPCH" --tbl "$W/tbl" --scale "$SCALE" >&2
fi
if [ ! -f "$W/tpch.eider" ]; then
    "$TPCH" --connect "$CONN" --scale "$SCALE" >&2
    # The load's log into the database file now, so that no later open replays it or
    # writes the image in the background while queries are timed.
    if command -v isql >/dev/null; then
        echo CHECKPOINT | isql -k "$CONN" -b >&2
    else
        echo "compare.sh: no isql (unixodbc): the first timed opens may still checkpoint" >&2
    fi
fi
[ -f "$W/tpch.duckdb" ] || "$HERE/duckdb.sh" --db "$W/tpch.duckdb" --tbl "$W/tbl" --repeat 1 >&2

# One line per query: "system threads query median_ms".
out=$W/times.txt
: >"$out"
for t in $THREADS; do
    for r in $(seq "$ROUNDS"); do
        EIDER_QUERY_THREADS=$t "$TPCH" --connect "$CONN" --no-load --check --scale "$SCALE" \
            --repeat "$REPEAT" | awk -v t="$t" '$4 == "median" { print "eider", t, $1, $5 }' >>"$out"
        "$HERE/duckdb.sh" --db "$W/tpch.duckdb" --threads "$t" --repeat "$REPEAT" |
            awk -v t="$t" '$4 == "median" { print "duckdb", t, $1, $5 }' >>"$out"
    done
done

echo "TPC-H scale $SCALE, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $ROUNDS rounds, each the median of $REPEAT runs"
echo
echo "| query | threads | Eider ms | DuckDB ms | Eider ÷ DuckDB | best Eider ms | best DuckDB ms | best ÷ best |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for t in $THREADS; do
    for q in q1 q3 q5 q6 q10; do
        # the median and the smallest of the rounds' medians
        med() { awk -v s="$1" -v t="$t" -v q="$q" '$1 == s && $2 == t && $3 == q { print $4 }' "$out" |
            sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)], v[1]; else print "- -" }'; }
        read -r e eb <<<"$(med eider)"
        read -r d db <<<"$(med duckdb)"
        awk -v q="$q" -v t="$t" -v e="$e" -v d="$d" -v eb="$eb" -v db="$db" '
            function ms(x) { return x == "-" ? "failed" : sprintf("%.1f", x) }
            function ratio(x, y) { return x == "-" || y == "-" ? "—" : sprintf("%.2f", x / y) }
            BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", toupper(q), t, ms(e), ms(d),
                    ratio(e, d), ms(eb), ms(db), ratio(eb, db) }'
    done
done
