/*
 * bench_odbc.h: what bench_odbc.c (connections, workloads) and bench_odbc_setup.c (schema,
 * loading, probes) share. Nothing here is seen by bench_main.c, which knows only bench.h.
 */
#ifndef EIDER_BENCH_ODBC_H
#define EIDER_BENCH_ODBC_H

#include <sql.h>
#include <sqlext.h>

#include "bench.h"

#define Q1_BLOCK 16 /* rows per block fetch for Q1 (it returns at most GEN_Q1_MAX groups) */
#define Q1_NUMS  7  /* Q1's DOUBLE columns between the flags and count_order */

struct be_conn {
    SQLHDBC dbc;
    SQLHSTMT st; /* the workload's prepared statement */
    int manual_commit;

    /* Scalar parameters and columns (point_select, update, insert, bulk's row-wise mode). */
    SQLINTEGER id;
    SQLBIGINT key;
    SQLINTEGER thread;
    char val[GEN_VAL_LEN + 1];
    SQLLEN val_len;
    SQLBIGINT out_i64;
    double out_dbl;
    SQLLEN out_ind;

    /* bulk: column-wise parameter arrays of BENCH_BATCH rows. */
    int bulk_rowwise;
    SQLBIGINT *b_key;
    SQLINTEGER *b_thread;
    char (*b_val)[GEN_VAL_LEN + 1];
    SQLLEN *b_len;
    SQLUSMALLINT *b_status;
    SQLULEN b_processed;

    /* scan_q1: column-wise block fetch (q1_block), or one row per SQLFetch. */
    int q1_block;
    SQLULEN q1_fetched;
    char q1_rf[Q1_BLOCK][2], q1_ls[Q1_BLOCK][2];
    double q1_num[Q1_NUMS][Q1_BLOCK];
    SQLBIGINT q1_count[Q1_BLOCK];
    SQLLEN q1_ind[3 + Q1_NUMS][Q1_BLOCK];
};

/* The options given to be_init. */
const struct bench_opts *odbc_options(void);

/* Reads the first diagnostic record of handle h into d, prefixed with what failed, and
 * classifies it (bench_diag.c). */
enum bench_rc odbc_fail(SQLSMALLINT type, SQLHANDLE h, const char *what, struct bench_diag *d);

/* SQLExecDirect of sql on a statement of its own. */
enum bench_rc odbc_exec(SQLHDBC dbc, const char *sql, struct bench_diag *d);

/* SQLExecDirect of a query returning one integer (COUNT, SUM); NULL reads as 0. */
enum bench_rc odbc_scalar(SQLHDBC dbc, const char *sql, int64_t *out, struct bench_diag *d);

enum bench_rc odbc_autocommit(struct be_conn *c, int on, struct bench_diag *d);

/* Asks the driver for statement attribute attr = value and reports whether it took it, for
 * features the peers support unevenly (parameter arrays, block cursors). */
int odbc_try_attr(SQLHSTMT st, SQLINTEGER attr, SQLULEN value);

/* Fills the description printed by be_describe() from SQLGetInfo on an open connection. */
void odbc_describe(SQLHDBC dbc);

/* The batch mode loads ended up using, for the note of the result line. */
void odbc_note_load(int param_arrays);

#endif
