/*
 * bench_odbc.c: the ODBC backend of eider-bench: environment, connections, diagnostics and the
 * workloads' operations, through the driver manager only (-lodbc), so every DSN is measured the
 * same way.
 *
 * Each worker owns one connection and one prepared statement with its buffers bound once; an
 * operation binds nothing and allocates nothing. Optional features (parameter arrays, block
 * cursors) are asked for and used when the driver accepts them, otherwise the workload falls
 * back to row-at-a-time calls and says so in the note of the result line.
 */
#include "bench_odbc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_sql.h"

/* Give up on one transaction after this many conflicts in a row (a livelocked system). */
#define MAX_RETRIES 100000

static SQLHENV g_env = SQL_NULL_HENV;
static char g_connstr[1024];
static const struct bench_opts *g_opts;
static char g_describe[600] = "system not described (no connection)";
/* -1 unknown, 0 row-at-a-time fallback, 1 the feature is used. Workers write the same value. */
static atomic_int g_bulk_arrays = -1;
static atomic_int g_q1_block = -1;
static atomic_int g_load_arrays = -1;
static atomic_int g_is_eider; /* SQL_DBMS_NAME says Eider: eider_db_stats() exists */

enum bench_rc odbc_fail(SQLSMALLINT type, SQLHANDLE h, const char *what, struct bench_diag *d)
{
    SQLCHAR state[6] = "", msg[SQL_MAX_MESSAGE_LENGTH] = "";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLRETURN r = SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
    if (SQL_SUCCEEDED(r))
        diag_set(d, (const char *)state, "%s: %s", what, (const char *)msg);
    else
        diag_set(d, "HY000", "%s failed without a diagnostic record", what);
    return diag_classify(d);
}

enum bench_rc be_init(const struct bench_opts *o, struct bench_diag *d)
{
    g_opts = o;
    if (o->connstr)
        snprintf(g_connstr, sizeof g_connstr, "%s", o->connstr);
    else if (o->dsn)
        snprintf(g_connstr, sizeof g_connstr, "DSN=%s;", o->dsn);
    else {
        diag_set(d, "IM002", "no data source: give --dsn NAME or --connect STRING");
        return BENCH_ERROR;
    }
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &g_env))) {
        diag_set(d, "HY001", "SQLAllocHandle(ENV) failed: is unixODBC installed?");
        return BENCH_ERROR;
    }
    if (!SQL_SUCCEEDED(
            SQLSetEnvAttr(g_env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)(intptr_t)SQL_OV_ODBC3, 0)))
        return odbc_fail(SQL_HANDLE_ENV, g_env, "SQLSetEnvAttr(ODBC_VERSION)", d);
    return BENCH_OK;
}

void be_shutdown(void)
{
    if (g_env != SQL_NULL_HENV)
        SQLFreeHandle(SQL_HANDLE_ENV, g_env);
    g_env = SQL_NULL_HENV;
}

const struct bench_opts *odbc_options(void)
{
    return g_opts;
}

const char *be_describe(void)
{
    return g_describe;
}

void odbc_describe(SQLHDBC dbc)
{
    char dbms[128] = "?", dbms_ver[64] = "?", drv[128] = "?", drv_ver[64] = "?";
    SQLSMALLINT len;
    SQLGetInfo(dbc, SQL_DBMS_NAME, dbms, sizeof dbms, &len);
    SQLGetInfo(dbc, SQL_DBMS_VER, dbms_ver, sizeof dbms_ver, &len);
    SQLGetInfo(dbc, SQL_DRIVER_NAME, drv, sizeof drv, &len);
    SQLGetInfo(dbc, SQL_DRIVER_VER, drv_ver, sizeof drv_ver, &len);
    snprintf(g_describe, sizeof g_describe, "%s: DBMS %s %s, driver %s %s, via unixODBC",
             g_opts->system, dbms, dbms_ver, drv, drv_ver);
    atomic_store(&g_is_eider, strcmp(dbms, "Eider") == 0);
}

enum bench_rc be_sync_counters(struct be_conn *c, uint64_t *commits, uint64_t *syncs)
{
    if (!atomic_load(&g_is_eider))
        return BENCH_UNSUPPORTED;
    struct bench_diag d;
    int64_t n = 0, s = 0;
    if (odbc_scalar(c->dbc, "SELECT SUM(commits) FROM eider_db_stats()", &n, &d) != BENCH_OK ||
        odbc_scalar(c->dbc, "SELECT SUM(log_syncs) FROM eider_db_stats()", &s, &d) != BENCH_OK)
        return BENCH_UNSUPPORTED;
    *commits = (uint64_t)n;
    *syncs = (uint64_t)s;
    return BENCH_OK;
}

void odbc_note_load(int param_arrays)
{
    atomic_store(&g_load_arrays, param_arrays);
}

const char *be_note(enum bench_workload w)
{
    if (w == BW_BULK)
        return atomic_load(&g_bulk_arrays) == 0 ? "bulk=row_at_a_time" : "bulk=param_arrays";
    if (w == BW_SCAN_Q1)
        return atomic_load(&g_q1_block) == 0 ? "fetch=row_at_a_time" : "fetch=block";
    if (atomic_load(&g_load_arrays) == 0)
        return "load=row_at_a_time";
    return "-";
}

enum bench_rc be_connect(struct be_conn **out, struct bench_diag *d)
{
    struct be_conn *c = calloc(1, sizeof *c);
    if (!c) {
        diag_set(d, "HY001", "out of memory for a connection");
        return BENCH_ERROR;
    }
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, g_env, &c->dbc))) {
        enum bench_rc rc = odbc_fail(SQL_HANDLE_ENV, g_env, "SQLAllocHandle(DBC)", d);
        free(c);
        return rc == BENCH_OK ? BENCH_ERROR : rc;
    }
    SQLCHAR outstr[1024];
    SQLSMALLINT outlen = 0;
    SQLRETURN r = SQLDriverConnect(c->dbc, NULL, (SQLCHAR *)g_connstr, SQL_NTS, outstr,
                                   sizeof outstr, &outlen, SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(r)) {
        enum bench_rc rc = odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLDriverConnect", d);
        SQLFreeHandle(SQL_HANDLE_DBC, c->dbc);
        free(c);
        /* A connection refused is an error, never "unsupported". */
        return rc == BENCH_UNSUPPORTED ? BENCH_ERROR : rc;
    }
    *out = c;
    return BENCH_OK;
}

void be_disconnect(struct be_conn *c)
{
    if (!c)
        return;
    if (c->st)
        SQLFreeHandle(SQL_HANDLE_STMT, c->st);
    /* ODBC refuses to disconnect inside a manual-commit transaction (25000); a driver that
     * keeps one open would otherwise keep its locks. */
    if (c->manual_commit)
        SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_ROLLBACK);
    if (!SQL_SUCCEEDED(SQLDisconnect(c->dbc))) {
        struct bench_diag d;
        odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLDisconnect", &d);
        fprintf(stderr, "eider-bench: warning: [%s] %s\n", d.sqlstate, d.message);
    }
    SQLFreeHandle(SQL_HANDLE_DBC, c->dbc);
    free(c->b_key);
    free(c->b_thread);
    free(c->b_val);
    free(c->b_len);
    free(c->b_status);
    free(c);
}

enum bench_rc odbc_autocommit(struct be_conn *c, int on, struct bench_diag *d)
{
    SQLULEN v = on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF;
    if (!SQL_SUCCEEDED(SQLSetConnectAttr(c->dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)v, 0)))
        return odbc_fail(SQL_HANDLE_DBC, c->dbc, on ? "autocommit on" : "autocommit off", d);
    c->manual_commit = !on;
    return BENCH_OK;
}

int odbc_try_attr(SQLHSTMT st, SQLINTEGER attr, SQLULEN value)
{
    if (!SQL_SUCCEEDED(SQLSetStmtAttr(st, attr, (SQLPOINTER)value, 0)))
        return 0;
    /* A driver may answer 01S02 "option value changed" and keep another value. */
    SQLULEN got = 0;
    if (!SQL_SUCCEEDED(SQLGetStmtAttr(st, attr, &got, sizeof got, NULL)))
        return 0;
    return got == value;
}

static enum bench_rc stmt_fail(struct be_conn *c, const char *what, struct bench_diag *d)
{
    return odbc_fail(SQL_HANDLE_STMT, c->st, what, d);
}

static enum bench_rc prepare_sql(struct be_conn *c, const char *sql, struct bench_diag *d)
{
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c->dbc, &c->st)))
        return odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLAllocHandle(STMT)", d);
    if (!SQL_SUCCEEDED(SQLPrepare(c->st, (SQLCHAR *)sql, SQL_NTS)))
        return stmt_fail(c, "SQLPrepare", d);
    return BENCH_OK;
}

static int bind_in(struct be_conn *c, SQLUSMALLINT n, SQLSMALLINT ctype, SQLSMALLINT sqltype,
                   SQLULEN size, void *buf, SQLLEN buflen, SQLLEN *ind)
{
    return SQL_SUCCEEDED(
        SQLBindParameter(c->st, n, SQL_PARAM_INPUT, ctype, sqltype, size, 0, buf, buflen, ind));
}

/* Binds (key, thread, val) of bench_ins to the scalar buffers of c. */
static enum bench_rc bind_ins_scalars(struct be_conn *c, struct bench_diag *d)
{
    c->val_len = SQL_NTS;
    if (!bind_in(c, 1, SQL_C_SBIGINT, SQL_BIGINT, 0, &c->key, 0, NULL) ||
        !bind_in(c, 2, SQL_C_SLONG, SQL_INTEGER, 0, &c->thread, 0, NULL) ||
        !bind_in(c, 3, SQL_C_CHAR, SQL_VARCHAR, 50, c->val, sizeof c->val, &c->val_len))
        return stmt_fail(c, "SQLBindParameter(bench_ins)", d);
    return BENCH_OK;
}

static enum bench_rc prepare_bulk(struct be_conn *c, struct bench_diag *d)
{
    c->b_key = calloc(BENCH_BATCH, sizeof *c->b_key);
    c->b_thread = calloc(BENCH_BATCH, sizeof *c->b_thread);
    c->b_val = calloc(BENCH_BATCH, sizeof *c->b_val);
    c->b_len = calloc(BENCH_BATCH, sizeof *c->b_len);
    c->b_status = calloc(BENCH_BATCH, sizeof *c->b_status);
    if (!c->b_key || !c->b_thread || !c->b_val || !c->b_len || !c->b_status) {
        diag_set(d, "HY001", "out of memory for parameter arrays");
        return BENCH_ERROR;
    }
    int arrays = odbc_try_attr(c->st, SQL_ATTR_PARAM_BIND_TYPE, SQL_PARAM_BIND_BY_COLUMN) &&
                 odbc_try_attr(c->st, SQL_ATTR_PARAMSET_SIZE, BENCH_BATCH);
    if (arrays) {
        SQLSetStmtAttr(c->st, SQL_ATTR_PARAM_STATUS_PTR, c->b_status, 0);
        SQLSetStmtAttr(c->st, SQL_ATTR_PARAMS_PROCESSED_PTR, &c->b_processed, 0);
        if (!bind_in(c, 1, SQL_C_SBIGINT, SQL_BIGINT, 0, c->b_key, 0, NULL) ||
            !bind_in(c, 2, SQL_C_SLONG, SQL_INTEGER, 0, c->b_thread, 0, NULL) ||
            !bind_in(c, 3, SQL_C_CHAR, SQL_VARCHAR, 50, c->b_val, sizeof *c->b_val, c->b_len))
            return stmt_fail(c, "SQLBindParameter(arrays)", d);
    } else {
        SQLSetStmtAttr(c->st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
        enum bench_rc rc = bind_ins_scalars(c, d);
        if (rc != BENCH_OK)
            return rc;
    }
    c->bulk_rowwise = !arrays;
    atomic_store(&g_bulk_arrays, arrays);
    return BENCH_OK;
}

static enum bench_rc prepare_q1(struct be_conn *c, struct bench_diag *d)
{
    int block = odbc_try_attr(c->st, SQL_ATTR_ROW_BIND_TYPE, SQL_BIND_BY_COLUMN) &&
                odbc_try_attr(c->st, SQL_ATTR_ROW_ARRAY_SIZE, Q1_BLOCK);
    if (!block)
        SQLSetStmtAttr(c->st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0);
    SQLSetStmtAttr(c->st, SQL_ATTR_ROWS_FETCHED_PTR, &c->q1_fetched, 0);
    c->q1_block = block;
    atomic_store(&g_q1_block, block);
    int ok = SQL_SUCCEEDED(SQLBindCol(c->st, 1, SQL_C_CHAR, c->q1_rf, 2, c->q1_ind[0])) &&
             SQL_SUCCEEDED(SQLBindCol(c->st, 2, SQL_C_CHAR, c->q1_ls, 2, c->q1_ind[1]));
    for (int k = 0; ok && k < Q1_NUMS; k++)
        ok = SQL_SUCCEEDED(SQLBindCol(c->st, (SQLUSMALLINT)(3 + k), SQL_C_DOUBLE, c->q1_num[k], 0,
                                      c->q1_ind[2 + k]));
    if (ok)
        ok = SQL_SUCCEEDED(
            SQLBindCol(c->st, 3 + Q1_NUMS, SQL_C_SBIGINT, c->q1_count, 0, c->q1_ind[2 + Q1_NUMS]));
    return ok ? BENCH_OK : stmt_fail(c, "SQLBindCol(Q1)", d);
}

enum bench_rc be_prepare(struct be_conn *c, enum bench_workload w, struct bench_diag *d)
{
    enum bench_rc rc = BENCH_OK;
    switch (w) {
    case BW_CONNECT:
        return BENCH_OK;
    case BW_POINT_SELECT:
        if ((rc = prepare_sql(c, SQL_KV_SELECT, d)) != BENCH_OK)
            return rc;
        if (!bind_in(c, 1, SQL_C_SLONG, SQL_INTEGER, 0, &c->id, 0, NULL) ||
            !SQL_SUCCEEDED(SQLBindCol(c->st, 1, SQL_C_SBIGINT, &c->out_i64, 0, &c->out_ind)))
            return stmt_fail(c, "bind(point_select)", d);
        return BENCH_OK;
    case BW_UPDATE:
        if ((rc = odbc_autocommit(c, 0, d)) != BENCH_OK ||
            (rc = prepare_sql(c, SQL_KV_UPDATE, d)) != BENCH_OK)
            return rc;
        if (!bind_in(c, 1, SQL_C_SLONG, SQL_INTEGER, 0, &c->id, 0, NULL))
            return stmt_fail(c, "SQLBindParameter(update)", d);
        return BENCH_OK;
    case BW_INSERT:
        if ((rc = prepare_sql(c, SQL_INS_INSERT, d)) != BENCH_OK)
            return rc;
        return bind_ins_scalars(c, d);
    case BW_BULK:
        if ((rc = odbc_autocommit(c, 0, d)) != BENCH_OK ||
            (rc = prepare_sql(c, SQL_INS_INSERT, d)) != BENCH_OK)
            return rc;
        return prepare_bulk(c, d);
    case BW_SCAN_Q1:
        if ((rc = prepare_sql(c, SQL_Q1, d)) != BENCH_OK)
            return rc;
        return prepare_q1(c, d);
    case BW_SCAN_Q6:
        if ((rc = prepare_sql(c, SQL_Q6, d)) != BENCH_OK)
            return rc;
        if (!SQL_SUCCEEDED(SQLBindCol(c->st, 1, SQL_C_DOUBLE, &c->out_dbl, 0, &c->out_ind)))
            return stmt_fail(c, "SQLBindCol(Q6)", d);
        return BENCH_OK;
    case BW_COUNT:
        break;
    }
    diag_set(d, "HY000", "unknown workload %d", (int)w);
    return BENCH_ERROR;
}

/* Records a wrong answer; the first one is kept for the message of the result line. */
static void mark_bad(struct bench_thread *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void mark_bad(struct bench_thread *t, const char *fmt, ...)
{
    if (t->bad++ > 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->bad_detail, sizeof t->bad_detail, fmt, ap);
    va_end(ap);
}

static enum bench_rc op_point_select(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    c->id = (SQLINTEGER)(1 + gen_next(&t->rng) % (uint64_t)t->opts->rows);
    if (!SQL_SUCCEEDED(SQLExecute(c->st)))
        return stmt_fail(c, "SQLExecute(point_select)", d);
    SQLRETURN r = SQLFetch(c->st);
    enum bench_rc rc = BENCH_OK;
    if (r == SQL_NO_DATA)
        mark_bad(t, "id %lld not found", (long long)c->id);
    else if (!SQL_SUCCEEDED(r))
        rc = stmt_fail(c, "SQLFetch(point_select)", d);
    else if (c->out_ind == SQL_NULL_DATA || c->out_i64 < gen_kv_val(t->opts->seed, c->id))
        /* Updates only add to val: less than the loaded value is another row's, or garbage. */
        mark_bad(t, "id %lld returned val %lld, below its loaded value", (long long)c->id,
                 c->out_ind == SQL_NULL_DATA ? -1LL : (long long)c->out_i64);
    if (!SQL_SUCCEEDED(SQLCloseCursor(c->st)) && rc == BENCH_OK)
        rc = stmt_fail(c, "SQLCloseCursor", d);
    return rc;
}

/* Ends a failed transaction: closes the cursor, rolls back, and tells whether to retry. */
static enum bench_rc abort_txn(struct bench_thread *t, enum bench_rc rc, unsigned attempt,
                               struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    SQLFreeStmt(c->st, SQL_CLOSE);
    SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_ROLLBACK);
    if (rc != BENCH_CONFLICT)
        return rc;
    t->conflicts++;
    if (bench_stopping())
        return BENCH_CONFLICT; /* the window is over: abandon, nothing was committed */
    if (attempt >= MAX_RETRIES) {
        diag_set(d, "40001", "gave up after %u conflicts in a row: %s", attempt, d->message);
        return BENCH_ERROR;
    }
    return BENCH_OK; /* retry */
}

static enum bench_rc op_update(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    c->id = (SQLINTEGER)(1 + gen_next(&t->rng) % (uint64_t)t->opts->hot);
    for (unsigned attempt = 1;; attempt++) {
        enum bench_rc rc;
        SQLLEN changed = -1;
        if (!SQL_SUCCEEDED(SQLExecute(c->st)))
            rc = stmt_fail(c, "SQLExecute(update)", d);
        else if (!SQL_SUCCEEDED(SQLRowCount(c->st, &changed)))
            rc = stmt_fail(c, "SQLRowCount(update)", d);
        else if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_COMMIT)))
            rc = odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLEndTran(COMMIT)", d);
        else {
            if (changed == 1)
                t->done_all++;
            else
                mark_bad(t, "UPDATE of id %lld changed %lld rows", (long long)c->id,
                         (long long)changed);
            return BENCH_OK;
        }
        rc = abort_txn(t, rc, attempt, d);
        if (rc != BENCH_OK)
            return rc;
    }
}

static enum bench_rc op_insert(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    c->key = (SQLBIGINT)t->seq++;
    c->thread = t->id;
    gen_ins_val(c->key, c->val);
    for (unsigned attempt = 1;; attempt++) {
        if (SQL_SUCCEEDED(SQLExecute(c->st))) {
            t->done_all++;
            return BENCH_OK;
        }
        enum bench_rc rc = stmt_fail(c, "SQLExecute(insert)", d);
        if (rc != BENCH_CONFLICT)
            return rc;
        t->conflicts++;
        if (bench_stopping() || attempt >= MAX_RETRIES)
            return rc;
    }
}

/* Executes the prepared batch of BENCH_BATCH rows, as one array or row by row. */
static enum bench_rc exec_batch(struct be_conn *c, struct bench_diag *d)
{
    if (c->bulk_rowwise) {
        for (int k = 0; k < BENCH_BATCH; k++) {
            c->key = c->b_key[k];
            c->thread = c->b_thread[k];
            memcpy(c->val, c->b_val[k], sizeof c->val);
            if (!SQL_SUCCEEDED(SQLExecute(c->st)))
                return stmt_fail(c, "SQLExecute(bulk row)", d);
        }
        return BENCH_OK;
    }
    c->b_processed = 0;
    SQLRETURN r = SQLExecute(c->st);
    if (!SQL_SUCCEEDED(r))
        return stmt_fail(c, "SQLExecute(bulk array)", d);
    if (c->b_processed != BENCH_BATCH) {
        diag_set(d, "HY000", "driver processed %lu of %d rows of a parameter array",
                 (unsigned long)c->b_processed, BENCH_BATCH);
        return BENCH_ERROR;
    }
    for (int k = 0; k < BENCH_BATCH; k++)
        if (c->b_status[k] != SQL_PARAM_SUCCESS && c->b_status[k] != SQL_PARAM_SUCCESS_WITH_INFO) {
            diag_set(d, "HY000", "row %d of the parameter array has status %u", k,
                     (unsigned)c->b_status[k]);
            return BENCH_ERROR;
        }
    return BENCH_OK;
}

static enum bench_rc op_bulk(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    for (int k = 0; k < BENCH_BATCH; k++) {
        c->b_key[k] = (SQLBIGINT)t->seq++;
        c->b_thread[k] = t->id;
        gen_ins_val(c->b_key[k], c->b_val[k]);
        c->b_len[k] = SQL_NTS;
    }
    for (unsigned attempt = 1;; attempt++) {
        enum bench_rc rc = exec_batch(c, d);
        if (rc == BENCH_OK) {
            if (SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, c->dbc, SQL_COMMIT))) {
                t->done_all += BENCH_BATCH;
                return BENCH_OK;
            }
            rc = odbc_fail(SQL_HANDLE_DBC, c->dbc, "SQLEndTran(COMMIT)", d);
        }
        rc = abort_txn(t, rc, attempt, d);
        if (rc != BENCH_OK)
            return rc;
    }
}

static double num_or_zero(const double *v, const SQLLEN *ind, SQLULEN row)
{
    return ind[row] == SQL_NULL_DATA ? 0.0 : v[row];
}

static enum bench_rc op_q1(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    if (!SQL_SUCCEEDED(SQLExecute(c->st)))
        return stmt_fail(c, "SQLExecute(Q1)", d);
    struct gen_q1_group got[GEN_Q1_MAX];
    int n = 0, extra = 0;
    SQLRETURN r;
    while ((r = SQLFetch(c->st)) != SQL_NO_DATA) {
        if (!SQL_SUCCEEDED(r)) {
            enum bench_rc rc = stmt_fail(c, "SQLFetch(Q1)", d);
            SQLFreeStmt(c->st, SQL_CLOSE);
            return rc;
        }
        SQLULEN rows = c->q1_block ? c->q1_fetched : 1;
        for (SQLULEN i = 0; i < rows; i++) {
            if (n == GEN_Q1_MAX) {
                extra++;
                continue;
            }
            struct gen_q1_group *g = &got[n++];
            g->returnflag = c->q1_rf[i][0];
            g->linestatus = c->q1_ls[i][0];
            double *dst[Q1_NUMS] = {&g->sum_qty,    &g->sum_base_price, &g->sum_disc_price,
                                    &g->sum_charge, &g->avg_qty,        &g->avg_price,
                                    &g->avg_disc};
            for (int k = 0; k < Q1_NUMS; k++)
                *dst[k] = num_or_zero(c->q1_num[k], c->q1_ind[2 + k], i);
            g->count_order = c->q1_count[i];
        }
    }
    SQLCloseCursor(c->st);
    char detail[200];
    if (extra)
        mark_bad(t, "q1 returned %d groups, at most %d expected", n + extra, GEN_Q1_MAX);
    else if (gen_check_q1(t->expect, got, n, detail, sizeof detail) != 0)
        mark_bad(t, "%s", detail);
    return BENCH_OK;
}

static enum bench_rc op_q6(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    if (!SQL_SUCCEEDED(SQLExecute(c->st)))
        return stmt_fail(c, "SQLExecute(Q6)", d);
    SQLRETURN r = SQLFetch(c->st);
    enum bench_rc rc = BENCH_OK;
    char detail[200];
    if (r == SQL_NO_DATA) {
        mark_bad(t, "q6 returned no row");
    } else if (!SQL_SUCCEEDED(r)) {
        rc = stmt_fail(c, "SQLFetch(Q6)", d);
    } else {
        double revenue = c->out_ind == SQL_NULL_DATA ? 0.0 : c->out_dbl;
        if (gen_check_q6(t->expect, revenue, detail, sizeof detail) != 0)
            mark_bad(t, "%s", detail);
    }
    SQLCloseCursor(c->st);
    return rc;
}

enum bench_rc be_op(struct bench_thread *t, struct bench_diag *d)
{
    switch (t->wl) {
    case BW_POINT_SELECT:
        return op_point_select(t, d);
    case BW_UPDATE:
        return op_update(t, d);
    case BW_INSERT:
        return op_insert(t, d);
    case BW_BULK:
        return op_bulk(t, d);
    case BW_SCAN_Q1:
        return op_q1(t, d);
    case BW_SCAN_Q6:
        return op_q6(t, d);
    case BW_CONNECT:
    case BW_COUNT:
        break;
    }
    diag_set(d, "HY000", "workload %d has no operation in this backend", (int)t->wl);
    return BENCH_ERROR;
}
