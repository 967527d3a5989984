/*
 * bench_sql.h: the SQL text of every workload, one copy for all systems.
 *
 * Types are the portable subset that SQLite, PostgreSQL, DuckDB (and Eider) all accept: money
 * is DOUBLE PRECISION, dates are DATE (SQLite stores the ISO text, which compares correctly as a
 * string), and date constants are plain '1998-09-02' literals rather than DATE '...' or interval
 * arithmetic, which SQLite does not parse.
 */
#ifndef EIDER_BENCH_SQL_H
#define EIDER_BENCH_SQL_H

#define SQL_KV_CREATE "CREATE TABLE bench_kv (id INTEGER PRIMARY KEY, val BIGINT, pad VARCHAR(100))"
#define SQL_KV_INSERT "INSERT INTO bench_kv (id, val, pad) VALUES (?, ?, ?)"
#define SQL_KV_COUNT  "SELECT COUNT(*) FROM bench_kv"
#define SQL_KV_SUM    "SELECT SUM(val) FROM bench_kv"
#define SQL_KV_SELECT "SELECT val FROM bench_kv WHERE id = ?"
#define SQL_KV_UPDATE "UPDATE bench_kv SET val = val + 1 WHERE id = ?"

#define SQL_INS_CREATE "CREATE TABLE bench_ins (id BIGINT, thread INTEGER, val VARCHAR(50))"
#define SQL_INS_INSERT "INSERT INTO bench_ins (id, thread, val) VALUES (?, ?, ?)"
#define SQL_INS_COUNT  "SELECT COUNT(*) FROM bench_ins"

#define SQL_LI_CREATE                                                                              \
    "CREATE TABLE lineitem (l_orderkey BIGINT, l_linenumber INTEGER, "                             \
    "l_quantity DOUBLE PRECISION, l_extendedprice DOUBLE PRECISION, "                              \
    "l_discount DOUBLE PRECISION, l_tax DOUBLE PRECISION, l_returnflag VARCHAR(1), "               \
    "l_linestatus VARCHAR(1), l_shipdate DATE)"
#define SQL_LI_INSERT                                                                              \
    "INSERT INTO lineitem (l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_discount, "    \
    "l_tax, l_returnflag, l_linestatus, l_shipdate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define SQL_LI_COUNT "SELECT COUNT(*) FROM lineitem"

/* TPC-H Q1: shipdate <= date '1998-12-01' - interval '90' day, written as the constant. */
#define SQL_Q1                                                                                     \
    "SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS sum_qty, "                              \
    "SUM(l_extendedprice) AS sum_base_price, "                                                     \
    "SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price, "                                  \
    "SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, "                        \
    "AVG(l_quantity) AS avg_qty, AVG(l_extendedprice) AS avg_price, "                              \
    "AVG(l_discount) AS avg_disc, COUNT(*) AS count_order FROM lineitem "                          \
    "WHERE l_shipdate <= '1998-09-02' GROUP BY l_returnflag, l_linestatus "                        \
    "ORDER BY l_returnflag, l_linestatus"

/* TPC-H Q6 with the specification's validation parameters. */
#define SQL_Q6                                                                                     \
    "SELECT SUM(l_extendedprice * l_discount) AS revenue FROM lineitem "                           \
    "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "                              \
    "AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"

#define SQL_DROP_KV  "DROP TABLE bench_kv"
#define SQL_DROP_INS "DROP TABLE bench_ins"
#define SQL_DROP_LI  "DROP TABLE lineitem"

#endif
