/*
 * bench_duckdb.c: the DuckDB backend of duckdb-bench, through DuckDB's C API (duckdb.h).
 *
 * DuckDB has no ODBC driver in the registries this project uses, so it is measured natively,
 * with the same SQL text (bench_sql.h), the same data (bench_data.c) and the same result line
 * (bench_main.c) as the ODBC systems. Not part of the CMake build: peers.sh fetches libduckdb.so
 * (npm @duckdb/node-bindings-linux-x64) and duckdb.h (npm duckdb, src/duckdb/src/include) at
 * run time and compiles this file against them.
 *
 * Mapping of the workloads onto DuckDB's API, each what a DuckDB user would write:
 * - one duckdb_database for the process (DuckDB allows one read-write instance per file), one
 *   duckdb_connection per thread; "connect" is duckdb_connect + duckdb_disconnect on it;
 * - prepared statements for point_select, update, insert, Q1, Q6; transactions are explicit
 *   BEGIN TRANSACTION / COMMIT (prepared too);
 * - bulk and the loads use the Appender, DuckDB's bulk-insert API, one transaction per batch.
 * DuckDB has no SQLSTATEs: errors are given the nearest one from duckdb_error_type (transaction
 * conflicts 40001, parser 42601, not implemented 0A000) and keep DuckDB's message.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <duckdb.h>

#include "bench_sql.h"

#define MAX_RETRIES 100000

struct be_conn {
    duckdb_connection con;
    duckdb_prepared_statement ps, begin, commit;
};

static duckdb_database g_db;
static const struct bench_opts *g_opts;
static char g_describe[300];
static int g_loaded[2];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *sqlstate_of_type(duckdb_error_type t)
{
    switch (t) {
    case DUCKDB_ERROR_TRANSACTION:
        return "40001";
    case DUCKDB_ERROR_NOT_IMPLEMENTED:
        return "0A000";
    case DUCKDB_ERROR_PARSER:
    case DUCKDB_ERROR_SYNTAX:
        return "42601";
    case DUCKDB_ERROR_CATALOG:
        return "42P01";
    case DUCKDB_ERROR_BINDER:
        return "42703";
    case DUCKDB_ERROR_CONSTRAINT:
        return "23000";
    case DUCKDB_ERROR_CONNECTION:
        return "08001";
    case DUCKDB_ERROR_IO:
        return "58030";
    default:
        return "HY000";
    }
}

/* Prepare errors come without a type: read it from the message's "Xxx Error:" prefix. */
static const char *sqlstate_of_message(const char *m)
{
    static const struct {
        const char *prefix, *state;
    } map[] = {{"Parser Error", "42601"},
               {"Catalog Error", "42P01"},
               {"Binder Error", "42703"},
               {"Not implemented Error", "0A000"},
               {"TransactionContext Error", "40001"},
               {"Constraint Error", "23000"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (m && strncmp(m, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].state;
    return "HY000";
}

static enum bench_rc fail(struct bench_diag *d, const char *state, const char *what,
                          const char *msg)
{
    diag_set(d, state, "%s: %s", what, msg ? msg : "(no message)");
    return diag_classify(d);
}

/* Reports a failed result and destroys it. */
static enum bench_rc fail_result(duckdb_result *res, const char *what, struct bench_diag *d)
{
    enum bench_rc rc =
        fail(d, sqlstate_of_type(duckdb_result_error_type(res)), what, duckdb_result_error(res));
    duckdb_destroy_result(res);
    return rc;
}

static enum bench_rc query(duckdb_connection con, const char *sql, struct bench_diag *d)
{
    duckdb_result res;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        return fail_result(&res, sql, d);
    duckdb_destroy_result(&res);
    return BENCH_OK;
}

static enum bench_rc exec_ps(duckdb_prepared_statement ps, const char *what, struct bench_diag *d)
{
    duckdb_result res;
    if (duckdb_execute_prepared(ps, &res) == DuckDBError)
        return fail_result(&res, what, d);
    duckdb_destroy_result(&res);
    return BENCH_OK;
}

/* Reads row `row` of column `col` of a chunk as a double (BIGINT, INTEGER, HUGEINT, DOUBLE). */
static int chunk_num(duckdb_data_chunk ch, duckdb_type type, idx_t col, idx_t row, double *out)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(ch, col);
    uint64_t *validity = duckdb_vector_get_validity(v);
    void *data = duckdb_vector_get_data(v);
    if (validity && !duckdb_validity_row_is_valid(validity, row)) {
        *out = 0;
        return 0;
    }
    switch (type) {
    case DUCKDB_TYPE_BIGINT:
        *out = (double)((int64_t *)data)[row];
        return 0;
    case DUCKDB_TYPE_INTEGER:
        *out = (double)((int32_t *)data)[row];
        return 0;
    case DUCKDB_TYPE_DOUBLE:
        *out = ((double *)data)[row];
        return 0;
    case DUCKDB_TYPE_HUGEINT:
        *out = duckdb_hugeint_to_double(((duckdb_hugeint *)data)[row]);
        return 0;
    default:
        return -1;
    }
}

/* The first column of the first row of a result as an exact integer (COUNT, SUM). */
static enum bench_rc scalar_i64(duckdb_connection con, const char *sql, int64_t *out,
                                struct bench_diag *d)
{
    duckdb_result res;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        return fail_result(&res, sql, d);
    duckdb_type type = duckdb_column_type(&res, 0);
    duckdb_data_chunk ch = duckdb_fetch_chunk(res);
    enum bench_rc rc = BENCH_OK;
    *out = 0;
    if (!ch || duckdb_data_chunk_get_size(ch) == 0) {
        rc = fail(d, "HY000", sql, "no row");
    } else {
        duckdb_vector v = duckdb_data_chunk_get_vector(ch, 0);
        uint64_t *validity = duckdb_vector_get_validity(v);
        void *data = duckdb_vector_get_data(v);
        if (validity && !duckdb_validity_row_is_valid(validity, 0))
            *out = 0;
        else if (type == DUCKDB_TYPE_BIGINT)
            *out = ((int64_t *)data)[0];
        else if (type == DUCKDB_TYPE_HUGEINT)
            /* SUM(BIGINT) is a HUGEINT; our sums fit in 64 bits. */
            *out = (int64_t)((duckdb_hugeint *)data)[0].lower;
        else
            rc = fail(d, "HY000", sql, "unexpected result type");
    }
    if (ch)
        duckdb_destroy_data_chunk(&ch);
    duckdb_destroy_result(&res);
    return rc;
}

enum bench_rc be_init(const struct bench_opts *o, struct bench_diag *d)
{
    g_opts = o;
    if (!o->database) {
        diag_set(d, "IM002", "no database: give --database FILE");
        return BENCH_ERROR;
    }
    char *err = NULL;
    if (duckdb_open_ext(o->database, &g_db, NULL, &err) == DuckDBError) {
        diag_set(d, "08001", "duckdb_open_ext(%s): %s", o->database, err ? err : "?");
        duckdb_free(err);
        return BENCH_ERROR;
    }
    snprintf(g_describe, sizeof g_describe,
             "%s: DuckDB %s through its C API (libduckdb.so from npm), database %s", o->system,
             duckdb_library_version(), o->database);
    return BENCH_OK;
}

void be_shutdown(void)
{
    duckdb_close(&g_db);
}

const char *be_describe(void)
{
    return g_describe;
}

const char *be_note(enum bench_workload w)
{
    return w == BW_BULK ? "bulk=appender" : "-";
}

enum bench_rc be_sync_counters(struct be_conn *c, uint64_t *commits, uint64_t *syncs)
{
    (void)c;
    (void)commits;
    (void)syncs;
    return BENCH_UNSUPPORTED; /* DuckDB does not count its WAL syncs */
}

enum bench_rc be_connect(struct be_conn **out, struct bench_diag *d)
{
    struct be_conn *c = calloc(1, sizeof *c);
    if (!c) {
        diag_set(d, "HY001", "out of memory for a connection");
        return BENCH_ERROR;
    }
    if (duckdb_connect(g_db, &c->con) == DuckDBError) {
        free(c);
        diag_set(d, "08001", "duckdb_connect failed");
        return BENCH_ERROR;
    }
    *out = c;
    return BENCH_OK;
}

void be_disconnect(struct be_conn *c)
{
    if (!c)
        return;
    duckdb_destroy_prepare(&c->ps);
    duckdb_destroy_prepare(&c->begin);
    duckdb_destroy_prepare(&c->commit);
    duckdb_disconnect(&c->con);
    free(c);
}

static enum bench_rc prepare(struct be_conn *c, duckdb_prepared_statement *ps, const char *sql,
                             struct bench_diag *d)
{
    if (duckdb_prepare(c->con, sql, ps) == DuckDBSuccess)
        return BENCH_OK;
    const char *msg = duckdb_prepare_error(*ps);
    return fail(d, sqlstate_of_message(msg), sql, msg);
}

enum bench_rc be_prepare(struct be_conn *c, enum bench_workload w, struct bench_diag *d)
{
    enum bench_rc rc;
    if ((w == BW_UPDATE || w == BW_BULK) &&
        ((rc = prepare(c, &c->begin, "BEGIN TRANSACTION", d)) != BENCH_OK ||
         (rc = prepare(c, &c->commit, "COMMIT", d)) != BENCH_OK))
        return rc;
    switch (w) {
    case BW_POINT_SELECT:
        return prepare(c, &c->ps, SQL_KV_SELECT, d);
    case BW_UPDATE:
        return prepare(c, &c->ps, SQL_KV_UPDATE, d);
    case BW_INSERT:
        return prepare(c, &c->ps, SQL_INS_INSERT, d);
    case BW_SCAN_Q1:
        return prepare(c, &c->ps, SQL_Q1, d);
    case BW_SCAN_Q6:
        return prepare(c, &c->ps, SQL_Q6, d);
    case BW_CONNECT:
    case BW_BULK:
    case BW_COUNT:
        break;
    }
    return BENCH_OK;
}

static void mark_bad(struct bench_thread *t, const char *detail)
{
    if (t->bad++ == 0)
        snprintf(t->bad_detail, sizeof t->bad_detail, "%s", detail);
}

static enum bench_rc op_point_select(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    int32_t id = (int32_t)(1 + gen_next(&t->rng) % (uint64_t)t->opts->rows);
    duckdb_bind_int32(c->ps, 1, id);
    duckdb_result res;
    if (duckdb_execute_prepared(c->ps, &res) == DuckDBError)
        return fail_result(&res, "execute(point_select)", d);
    duckdb_data_chunk ch = duckdb_fetch_chunk(res);
    char detail[96];
    double val = 0;
    if (!ch || duckdb_data_chunk_get_size(ch) != 1) {
        snprintf(detail, sizeof detail, "id %d not found", id);
        mark_bad(t, detail);
    } else if (chunk_num(ch, DUCKDB_TYPE_BIGINT, 0, 0, &val) != 0 ||
               (int64_t)val < gen_kv_val(t->opts->seed, id)) {
        /* Updates only add to val: less than the loaded value is another row's, or garbage. */
        snprintf(detail, sizeof detail, "id %d returned val %.0f, below its loaded value", id, val);
        mark_bad(t, detail);
    }
    if (ch)
        duckdb_destroy_data_chunk(&ch);
    duckdb_destroy_result(&res);
    return BENCH_OK;
}

/* Rolls a failed transaction back and tells whether to retry (BENCH_OK) or give up. */
static enum bench_rc abort_txn(struct bench_thread *t, enum bench_rc rc, unsigned attempt,
                               struct bench_diag *d)
{
    struct bench_diag ignore;
    query(t->conn->con, "ROLLBACK", &ignore);
    if (rc != BENCH_CONFLICT)
        return rc;
    t->conflicts++;
    if (bench_stopping())
        return BENCH_CONFLICT; /* the window is over: abandon, nothing was committed */
    if (attempt >= MAX_RETRIES) {
        diag_set(d, "40001", "gave up after %u conflicts in a row: %.400s", attempt, d->message);
        return BENCH_ERROR;
    }
    return BENCH_OK;
}

static enum bench_rc op_update(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    int32_t id = (int32_t)(1 + gen_next(&t->rng) % (uint64_t)t->opts->hot);
    for (unsigned attempt = 1;; attempt++) {
        enum bench_rc rc = exec_ps(c->begin, "BEGIN TRANSACTION", d);
        idx_t changed = 0;
        if (rc == BENCH_OK) {
            duckdb_result res;
            duckdb_bind_int32(c->ps, 1, id);
            if (duckdb_execute_prepared(c->ps, &res) == DuckDBError) {
                rc = fail_result(&res, "execute(update)", d);
            } else {
                changed = duckdb_rows_changed(&res);
                duckdb_destroy_result(&res);
                rc = exec_ps(c->commit, "COMMIT", d);
            }
        }
        if (rc == BENCH_OK) {
            if (changed == 1) {
                t->done_all++;
            } else {
                char detail[80];
                snprintf(detail, sizeof detail, "UPDATE of id %d changed %llu rows", id,
                         (unsigned long long)changed);
                mark_bad(t, detail);
            }
            return BENCH_OK;
        }
        if ((rc = abort_txn(t, rc, attempt, d)) != BENCH_OK)
            return rc;
    }
}

static enum bench_rc op_insert(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    int64_t key = (int64_t)t->seq++;
    char val[GEN_VAL_LEN + 1];
    gen_ins_val(key, val);
    duckdb_bind_int64(c->ps, 1, key);
    duckdb_bind_int32(c->ps, 2, t->id);
    duckdb_bind_varchar(c->ps, 3, val);
    for (unsigned attempt = 1;; attempt++) {
        enum bench_rc rc = exec_ps(c->ps, "execute(insert)", d);
        if (rc == BENCH_OK) {
            t->done_all++;
            return BENCH_OK;
        }
        if (rc != BENCH_CONFLICT)
            return rc;
        t->conflicts++;
        if (bench_stopping() || attempt >= MAX_RETRIES)
            return rc;
    }
}

static enum bench_rc appender_fail(duckdb_appender *app, const char *what, struct bench_diag *d)
{
    const char *msg = duckdb_appender_error(*app);
    enum bench_rc rc = fail(d, sqlstate_of_message(msg), what, msg);
    duckdb_appender_destroy(app);
    return rc;
}

static enum bench_rc append_ins_batch(struct bench_thread *t, uint64_t first, struct bench_diag *d)
{
    duckdb_appender app;
    if (duckdb_appender_create(t->conn->con, NULL, "bench_ins", &app) == DuckDBError)
        return appender_fail(&app, "appender(bench_ins)", d);
    for (int k = 0; k < BENCH_BATCH; k++) {
        char val[GEN_VAL_LEN + 1];
        gen_ins_val((int64_t)(first + (uint64_t)k), val);
        if (duckdb_append_int64(app, (int64_t)(first + (uint64_t)k)) == DuckDBError ||
            duckdb_append_int32(app, t->id) == DuckDBError ||
            duckdb_append_varchar(app, val) == DuckDBError ||
            duckdb_appender_end_row(app) == DuckDBError)
            return appender_fail(&app, "append(bench_ins)", d);
    }
    if (duckdb_appender_close(app) == DuckDBError)
        return appender_fail(&app, "appender close(bench_ins)", d);
    duckdb_appender_destroy(&app);
    return BENCH_OK;
}

static enum bench_rc op_bulk(struct bench_thread *t, struct bench_diag *d)
{
    struct be_conn *c = t->conn;
    uint64_t first = t->seq;
    t->seq += BENCH_BATCH;
    for (unsigned attempt = 1;; attempt++) {
        enum bench_rc rc = exec_ps(c->begin, "BEGIN TRANSACTION", d);
        if (rc == BENCH_OK)
            rc = append_ins_batch(t, first, d);
        if (rc == BENCH_OK)
            rc = exec_ps(c->commit, "COMMIT", d);
        if (rc == BENCH_OK) {
            t->done_all += BENCH_BATCH;
            return BENCH_OK;
        }
        if ((rc = abort_txn(t, rc, attempt, d)) != BENCH_OK)
            return rc;
    }
}

static enum bench_rc op_q1(struct bench_thread *t, struct bench_diag *d)
{
    duckdb_result res;
    if (duckdb_execute_prepared(t->conn->ps, &res) == DuckDBError)
        return fail_result(&res, "execute(Q1)", d);
    duckdb_type types[10];
    for (idx_t k = 0; k < 10; k++)
        types[k] = duckdb_column_type(&res, k);
    struct gen_q1_group got[GEN_Q1_MAX];
    int n = 0, extra = 0, badtype = 0;
    duckdb_data_chunk ch;
    while ((ch = duckdb_fetch_chunk(res)) != NULL) {
        idx_t rows = duckdb_data_chunk_get_size(ch);
        duckdb_string_t *rf = duckdb_vector_get_data(duckdb_data_chunk_get_vector(ch, 0));
        duckdb_string_t *ls = duckdb_vector_get_data(duckdb_data_chunk_get_vector(ch, 1));
        for (idx_t i = 0; i < rows; i++) {
            if (n == GEN_Q1_MAX) {
                extra++;
                continue;
            }
            struct gen_q1_group *g = &got[n++];
            g->returnflag = duckdb_string_t_data(&rf[i])[0];
            g->linestatus = duckdb_string_t_data(&ls[i])[0];
            double *dst[8] = {&g->sum_qty, &g->sum_base_price, &g->sum_disc_price, &g->sum_charge,
                              &g->avg_qty, &g->avg_price,      &g->avg_disc,       NULL};
            double count = 0;
            for (idx_t k = 0; k < 8; k++)
                badtype |= chunk_num(ch, types[2 + k], 2 + k, i, dst[k] ? dst[k] : &count);
            g->count_order = (int64_t)count;
        }
        duckdb_destroy_data_chunk(&ch);
    }
    duckdb_destroy_result(&res);
    char detail[200];
    if (badtype)
        mark_bad(t, "q1 returned a column of an unexpected type");
    else if (extra)
        mark_bad(t, "q1 returned more groups than expected");
    else if (gen_check_q1(t->expect, got, n, detail, sizeof detail) != 0)
        mark_bad(t, detail);
    return BENCH_OK;
}

static enum bench_rc op_q6(struct bench_thread *t, struct bench_diag *d)
{
    duckdb_result res;
    if (duckdb_execute_prepared(t->conn->ps, &res) == DuckDBError)
        return fail_result(&res, "execute(Q6)", d);
    duckdb_type type = duckdb_column_type(&res, 0);
    duckdb_data_chunk ch = duckdb_fetch_chunk(res);
    double revenue = 0;
    char detail[200];
    if (!ch || duckdb_data_chunk_get_size(ch) != 1)
        mark_bad(t, "q6 returned no row");
    else if (chunk_num(ch, type, 0, 0, &revenue) != 0)
        mark_bad(t, "q6 returned a column of an unexpected type");
    else if (gen_check_q6(t->expect, revenue, detail, sizeof detail) != 0)
        mark_bad(t, detail);
    if (ch)
        duckdb_destroy_data_chunk(&ch);
    duckdb_destroy_result(&res);
    return BENCH_OK;
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

/* ---- setup: the same tables and rows as bench_odbc_setup.c, loaded with the Appender ---- */

static enum bench_rc append_row(duckdb_appender app, int lineitem, long i)
{
    int ok;
    if (!lineitem) {
        struct gen_kv r;
        gen_kv_row(g_opts->seed, i, &r);
        ok = duckdb_append_int32(app, r.id) == DuckDBSuccess &&
             duckdb_append_int64(app, r.val) == DuckDBSuccess &&
             duckdb_append_varchar(app, r.pad) == DuckDBSuccess;
    } else {
        struct gen_lineitem r;
        gen_lineitem_row(g_opts->seed, i, &r);
        ok = duckdb_append_int64(app, r.orderkey) == DuckDBSuccess &&
             duckdb_append_int32(app, r.linenumber) == DuckDBSuccess &&
             duckdb_append_double(app, r.quantity) == DuckDBSuccess &&
             duckdb_append_double(app, r.extendedprice) == DuckDBSuccess &&
             duckdb_append_double(app, r.discount) == DuckDBSuccess &&
             duckdb_append_double(app, r.tax) == DuckDBSuccess &&
             duckdb_append_varchar(app, r.returnflag) == DuckDBSuccess &&
             duckdb_append_varchar(app, r.linestatus) == DuckDBSuccess &&
             duckdb_append_date(app, (duckdb_date){r.shipdate}) == DuckDBSuccess;
    }
    return ok && duckdb_appender_end_row(app) == DuckDBSuccess ? BENCH_OK : BENCH_ERROR;
}

static enum bench_rc load(struct be_conn *c, int lineitem, struct bench_diag *d)
{
    const char *name = lineitem ? "lineitem" : "bench_kv";
    struct bench_diag ignore;
    double t0 = now_s();
    query(c->con, lineitem ? SQL_DROP_LI : SQL_DROP_KV, &ignore);
    enum bench_rc rc = query(c->con, lineitem ? SQL_LI_CREATE : SQL_KV_CREATE, d);
    if (rc != BENCH_OK)
        return rc;
    fprintf(stderr, "#   loading %s: %ld rows (appender)\n", name, g_opts->rows);
    if ((rc = query(c->con, "BEGIN TRANSACTION", d)) != BENCH_OK)
        return rc;
    duckdb_appender app;
    if (duckdb_appender_create(c->con, NULL, name, &app) == DuckDBError)
        rc = appender_fail(&app, "appender create", d);
    for (long i = 0; rc == BENCH_OK && i < g_opts->rows; i++)
        if (append_row(app, lineitem, i) != BENCH_OK)
            rc = appender_fail(&app, "append", d);
    if (rc == BENCH_OK && duckdb_appender_close(app) == DuckDBError)
        rc = appender_fail(&app, "appender close", d);
    else if (rc == BENCH_OK)
        duckdb_appender_destroy(&app);
    if (rc == BENCH_OK)
        rc = query(c->con, "COMMIT", d);
    else
        query(c->con, "ROLLBACK", &ignore);
    if (rc == BENCH_OK)
        fprintf(stderr, "#   loaded %s in %.1f s\n", name, now_s() - t0);
    return rc;
}

static enum bench_rc ensure_loaded(struct be_conn *c, int lineitem, struct bench_diag *d)
{
    if (g_opts->setup == 0 || g_loaded[lineitem])
        return BENCH_OK;
    int64_t n = -1;
    struct bench_diag ignore;
    if (g_opts->setup < 0 &&
        scalar_i64(c->con, lineitem ? SQL_LI_COUNT : SQL_KV_COUNT, &n, &ignore) == BENCH_OK &&
        n == g_opts->rows) {
        fprintf(stderr, "#   %s already holds %ld rows: reused\n",
                lineitem ? "lineitem" : "bench_kv", g_opts->rows);
        g_loaded[lineitem] = 1;
        return BENCH_OK;
    }
    enum bench_rc rc = load(c, lineitem, d);
    g_loaded[lineitem] = rc == BENCH_OK;
    return rc;
}

enum bench_rc be_setup(struct be_conn *c, enum bench_workload w, struct bench_diag *d)
{
    int64_t n;
    struct bench_diag ignore;
    switch (w) {
    case BW_POINT_SELECT:
    case BW_UPDATE:
        return ensure_loaded(c, 0, d);
    case BW_SCAN_Q1:
    case BW_SCAN_Q6:
        return ensure_loaded(c, 1, d);
    case BW_INSERT:
    case BW_BULK:
        if (g_opts->setup == 0 ||
            (g_opts->setup < 0 && scalar_i64(c->con, SQL_INS_COUNT, &n, &ignore) == BENCH_OK))
            return BENCH_OK;
        query(c->con, SQL_DROP_INS, &ignore);
        return query(c->con, SQL_INS_CREATE, d);
    case BW_CONNECT:
    case BW_COUNT:
        break;
    }
    return BENCH_OK;
}

enum bench_rc be_probe(struct be_conn *c, enum bench_workload w, int64_t *value,
                       struct bench_diag *d)
{
    return scalar_i64(c->con, w == BW_UPDATE ? SQL_KV_SUM : SQL_INS_COUNT, value, d);
}
