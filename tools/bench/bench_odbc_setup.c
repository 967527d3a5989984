/*
 * bench_odbc_setup.c: schema creation, data loading and the verification probes of the ODBC
 * backend.
 *
 * Loads run in one transaction with parameter arrays of BENCH_BATCH rows bound row-wise
 * (SQL_ATTR_PARAM_BIND_TYPE = sizeof(record)); a driver that refuses arrays, or fails the first
 * array, gets the same rows one prepared INSERT at a time in the same transaction. A table is
 * reloaded only when it is missing or has the wrong row count (--setup forces, --no-setup
 * forbids), so successive invocations of run.sh reuse the data.
 */
#include "bench_odbc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_sql.h"

enum table { T_KV, T_LINEITEM };

struct kv_rec {
    SQLINTEGER id;
    SQLBIGINT val;
    char pad[GEN_PAD_LEN + 1];
    SQLLEN pad_len;
};

struct li_rec {
    SQLBIGINT orderkey;
    SQLINTEGER linenumber;
    double quantity, extendedprice, discount, tax;
    char returnflag[2], linestatus[2];
    SQLLEN returnflag_len, linestatus_len;
    SQL_DATE_STRUCT shipdate;
};

/* Tables loaded by this process: scan_q1 then scan_q6 with --setup load lineitem once. */
static int g_loaded[2];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum bench_rc odbc_exec(SQLHDBC dbc, const char *sql, struct bench_diag *d)
{
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return odbc_fail(SQL_HANDLE_DBC, dbc, "SQLAllocHandle(STMT)", d);
    enum bench_rc rc = BENCH_OK;
    SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    /* SQL_NO_DATA: a searched statement that touched no row, which is fine here. */
    if (!SQL_SUCCEEDED(r) && r != SQL_NO_DATA) {
        char what[120];
        snprintf(what, sizeof what, "%.100s", sql);
        rc = odbc_fail(SQL_HANDLE_STMT, st, what, d);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return rc;
}

enum bench_rc odbc_scalar(SQLHDBC dbc, const char *sql, int64_t *out, struct bench_diag *d)
{
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return odbc_fail(SQL_HANDLE_DBC, dbc, "SQLAllocHandle(STMT)", d);
    SQLBIGINT v = 0;
    SQLLEN ind = 0;
    enum bench_rc rc = BENCH_OK;
    SQLRETURN r = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    if (SQL_SUCCEEDED(r))
        r = SQLBindCol(st, 1, SQL_C_SBIGINT, &v, 0, &ind);
    if (SQL_SUCCEEDED(r))
        r = SQLFetch(st);
    if (r == SQL_NO_DATA) {
        diag_set(d, "HY000", "%s returned no row", sql);
        rc = BENCH_ERROR;
    } else if (!SQL_SUCCEEDED(r)) {
        rc = odbc_fail(SQL_HANDLE_STMT, st, sql, d);
    }
    *out = ind == SQL_NULL_DATA ? 0 : (int64_t)v;
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return rc;
}

static void fill_rec(enum table t, long i, void *rec)
{
    uint64_t seed = odbc_options()->seed;
    if (t == T_KV) {
        struct kv_rec *r = rec;
        struct gen_kv g;
        gen_kv_row(seed, i, &g);
        r->id = g.id;
        r->val = g.val;
        memcpy(r->pad, g.pad, sizeof r->pad);
        r->pad_len = SQL_NTS;
        return;
    }
    struct li_rec *r = rec;
    struct gen_lineitem g;
    gen_lineitem_row(seed, i, &g);
    r->orderkey = g.orderkey;
    r->linenumber = g.linenumber;
    r->quantity = g.quantity;
    r->extendedprice = g.extendedprice;
    r->discount = g.discount;
    r->tax = g.tax;
    memcpy(r->returnflag, g.returnflag, 2);
    memcpy(r->linestatus, g.linestatus, 2);
    r->returnflag_len = r->linestatus_len = 1;
    int y, m, d;
    gen_civil_from_days(g.shipdate, &y, &m, &d);
    r->shipdate.year = (SQLSMALLINT)y;
    r->shipdate.month = (SQLUSMALLINT)m;
    r->shipdate.day = (SQLUSMALLINT)d;
}

static int bind_par(SQLHSTMT st, SQLUSMALLINT n, SQLSMALLINT ctype, SQLSMALLINT sqltype,
                    SQLULEN size, SQLSMALLINT digits, void *buf, SQLLEN buflen, SQLLEN *ind)
{
    return SQL_SUCCEEDED(
        SQLBindParameter(st, n, SQL_PARAM_INPUT, ctype, sqltype, size, digits, buf, buflen, ind));
}

/* Binds the parameters to record rec: the first of the array, or the row being inserted. */
static int bind_rec(enum table t, SQLHSTMT st, void *rec)
{
    if (t == T_KV) {
        struct kv_rec *r = rec;
        return bind_par(st, 1, SQL_C_SLONG, SQL_INTEGER, 0, 0, &r->id, 0, NULL) &&
               bind_par(st, 2, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &r->val, 0, NULL) &&
               bind_par(st, 3, SQL_C_CHAR, SQL_VARCHAR, 100, 0, r->pad, sizeof r->pad, &r->pad_len);
    }
    struct li_rec *r = rec;
    return bind_par(st, 1, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &r->orderkey, 0, NULL) &&
           bind_par(st, 2, SQL_C_SLONG, SQL_INTEGER, 0, 0, &r->linenumber, 0, NULL) &&
           bind_par(st, 3, SQL_C_DOUBLE, SQL_DOUBLE, 15, 0, &r->quantity, 0, NULL) &&
           bind_par(st, 4, SQL_C_DOUBLE, SQL_DOUBLE, 15, 0, &r->extendedprice, 0, NULL) &&
           bind_par(st, 5, SQL_C_DOUBLE, SQL_DOUBLE, 15, 0, &r->discount, 0, NULL) &&
           bind_par(st, 6, SQL_C_DOUBLE, SQL_DOUBLE, 15, 0, &r->tax, 0, NULL) &&
           bind_par(st, 7, SQL_C_CHAR, SQL_VARCHAR, 1, 0, r->returnflag, 2, &r->returnflag_len) &&
           bind_par(st, 8, SQL_C_CHAR, SQL_VARCHAR, 1, 0, r->linestatus, 2, &r->linestatus_len) &&
           bind_par(st, 9, SQL_C_TYPE_DATE, SQL_TYPE_DATE, 10, 0, &r->shipdate, 0, NULL);
}

/* Inserts rows [from, from+n) held in recs, as one parameter array or row by row. */
static enum bench_rc insert_batch(enum table t, SQLHSTMT st, char *recs, size_t recsz, long n,
                                  int arrays, struct bench_diag *d)
{
    if (arrays) {
        SQLULEN processed = 0;
        SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0);
        if (!SQL_SUCCEEDED(SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(SQLULEN)n, 0)))
            return odbc_fail(SQL_HANDLE_STMT, st, "SQLSetStmtAttr(PARAMSET_SIZE)", d);
        if (!SQL_SUCCEEDED(SQLExecute(st)))
            return odbc_fail(SQL_HANDLE_STMT, st, "SQLExecute(load array)", d);
        if ((long)processed != n) {
            diag_set(d, "HY000", "driver processed %lu of %ld rows of a parameter array",
                     (unsigned long)processed, n);
            return BENCH_ERROR;
        }
        return BENCH_OK;
    }
    for (long k = 0; k < n; k++) {
        if (!bind_rec(t, st, recs + (size_t)k * recsz))
            return odbc_fail(SQL_HANDLE_STMT, st, "SQLBindParameter(load)", d);
        if (!SQL_SUCCEEDED(SQLExecute(st)))
            return odbc_fail(SQL_HANDLE_STMT, st, "SQLExecute(load row)", d);
    }
    return BENCH_OK;
}

static enum bench_rc load_rows(struct be_conn *c, enum table t, long rows, SQLHSTMT st,
                               struct bench_diag *d)
{
    size_t recsz = t == T_KV ? sizeof(struct kv_rec) : sizeof(struct li_rec);
    char *recs = calloc(BENCH_BATCH, recsz);
    if (!recs) {
        diag_set(d, "HY001", "out of memory for the load buffer");
        return BENCH_ERROR;
    }
    int arrays = odbc_try_attr(st, SQL_ATTR_PARAM_BIND_TYPE, recsz) &&
                 odbc_try_attr(st, SQL_ATTR_PARAMSET_SIZE, BENCH_BATCH) && bind_rec(t, st, recs);
    enum bench_rc rc = BENCH_OK;
    long next_report = rows / 10;
    for (long from = 0; from < rows && rc == BENCH_OK; from += BENCH_BATCH) {
        long n = rows - from < BENCH_BATCH ? rows - from : BENCH_BATCH;
        for (long k = 0; k < n; k++)
            fill_rec(t, from + k, recs + (size_t)k * recsz);
        rc = insert_batch(t, st, recs, recsz, n, arrays, d);
        if (rc != BENCH_OK && arrays && from == 0) {
            /* Arrays accepted but not executable: start again, one row at a time. */
            fprintf(stderr, "#   parameter arrays failed ([%s] %s): loading row by row\n",
                    d->sqlstate, d->message);
            SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_ROLLBACK);
            SQLFreeStmt(st, SQL_RESET_PARAMS);
            SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_TYPE, (SQLPOINTER)SQL_PARAM_BIND_BY_COLUMN, 0);
            SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
            arrays = 0;
            rc = insert_batch(t, st, recs, recsz, n, arrays, d);
        }
        if (from + n >= next_report && rows >= 100000) {
            fprintf(stderr, "#   %ld / %ld rows\n", from + n, rows);
            next_report += rows / 10;
        }
    }
    free(recs);
    odbc_note_load(arrays);
    if (rc == BENCH_OK && !SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_COMMIT)))
        rc = odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLEndTran(COMMIT load)", d);
    return rc;
}

static enum bench_rc load(struct be_conn *c, enum table t, long rows, struct bench_diag *d)
{
    const char *name = t == T_KV ? "bench_kv" : "lineitem";
    double t0 = now_s();
    fprintf(stderr, "#   loading %s: %ld rows\n", name, rows);
    enum bench_rc rc = odbc_autocommit(c, 0, d);
    if (rc != BENCH_OK)
        return rc;
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c->dbc, &st)))
        return odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLAllocHandle(STMT)", d);
    if (!SQL_SUCCEEDED(
            SQLPrepare(st, (SQLCHAR *)(t == T_KV ? SQL_KV_INSERT : SQL_LI_INSERT), SQL_NTS)))
        rc = odbc_fail(SQL_HANDLE_STMT, st, "SQLPrepare(load)", d);
    else
        rc = load_rows(c, t, rows, st, d);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    if (rc != BENCH_OK)
        SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_ROLLBACK);
    struct bench_diag ignore;
    odbc_autocommit(c, 1, rc == BENCH_OK ? d : &ignore);
    if (rc == BENCH_OK)
        fprintf(stderr, "#   loaded %s in %.1f s\n", name, now_s() - t0);
    return rc;
}

/* Drops (a missing table is fine) and creates a table. */
static enum bench_rc recreate(struct be_conn *c, const char *drop, const char *create,
                              struct bench_diag *d)
{
    struct bench_diag ignore;
    odbc_exec(c->dbc, drop, &ignore);
    return odbc_exec(c->dbc, create, d);
}

/* Makes table t hold exactly --rows generated rows (bench_kv, lineitem). */
static enum bench_rc ensure_loaded(struct be_conn *c, enum table t, struct bench_diag *d)
{
    const struct bench_opts *o = odbc_options();
    const char *name = t == T_KV ? "bench_kv" : "lineitem";
    if (o->setup == 0 || g_loaded[t])
        return BENCH_OK;
    if (o->setup < 0) {
        int64_t n = -1;
        struct bench_diag ignore;
        if (odbc_scalar(c->dbc, t == T_KV ? SQL_KV_COUNT : SQL_LI_COUNT, &n, &ignore) == BENCH_OK &&
            n == o->rows) {
            fprintf(stderr, "#   %s already holds %ld rows: reused\n", name, o->rows);
            g_loaded[t] = 1;
            return BENCH_OK;
        }
    }
    enum bench_rc rc = t == T_KV ? recreate(c, SQL_DROP_KV, SQL_KV_CREATE, d)
                                 : recreate(c, SQL_DROP_LI, SQL_LI_CREATE, d);
    if (rc == BENCH_OK)
        rc = load(c, t, o->rows, d);
    g_loaded[t] = rc == BENCH_OK;
    return rc;
}

/* bench_ins starts empty; its rows are only counted, so an existing table is kept. */
static enum bench_rc ensure_ins(struct be_conn *c, struct bench_diag *d)
{
    const struct bench_opts *o = odbc_options();
    int64_t n;
    struct bench_diag ignore;
    if (o->setup == 0)
        return BENCH_OK;
    if (o->setup < 0 && odbc_scalar(c->dbc, SQL_INS_COUNT, &n, &ignore) == BENCH_OK)
        return BENCH_OK;
    return recreate(c, SQL_DROP_INS, SQL_INS_CREATE, d);
}

enum bench_rc be_setup(struct be_conn *c, enum bench_workload w, struct bench_diag *d)
{
    odbc_describe(c->dbc);
    switch (w) {
    case BW_POINT_SELECT:
    case BW_UPDATE:
        return ensure_loaded(c, T_KV, d);
    case BW_INSERT:
    case BW_BULK:
        return ensure_ins(c, d);
    case BW_SCAN_Q1:
    case BW_SCAN_Q6:
        return ensure_loaded(c, T_LINEITEM, d);
    case BW_CONNECT:
    case BW_COUNT:
        break;
    }
    return BENCH_OK;
}

enum bench_rc be_probe(struct be_conn *c, enum bench_workload w, int64_t *value,
                       struct bench_diag *d)
{
    return odbc_scalar(c->dbc, w == BW_UPDATE ? SQL_KV_SUM : SQL_INS_COUNT, value, d);
}
