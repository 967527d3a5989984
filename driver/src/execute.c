/*
 * Preparing and executing statements: parameter sets (arrays of them, atomically), row
 * counts. Binding parameters and data at execution are in params.c.
 */
#include "drv.h"

#include "convert.h"
#include "desc.h"
#include "escape.h"

#include <stdlib.h>
#include <string.h>

SQLRETURN drv_prepare(drv_stmt *st, const char *sql, size_t len)
{
    if (drv_not_needing_data(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "a cursor is open on this statement; close it first");
    char *native = NULL; /* the text with its ODBC escapes translated */
    if (!st->noscan && drv_translate_sql(&st->h, sql, len, &native) == SQL_ERROR)
        return SQL_ERROR;
    if (native) {
        sql = native;
        len = strlen(native);
    }
    drv_dbc *dbc = st->dbc;
    pthread_mutex_lock(&dbc->session_lock);
    drv_stmt_reset(st);
    eng_session *session = drv_session(dbc, &st->h);
    eng_error err;
    eng_stmt *es = NULL;
    int rc = session ? eng_prepare(session, sql, len, &es, &err) : -1;
    free(native);
    if (session)
        drv_session_settle(dbc);
    pthread_mutex_unlock(&dbc->session_lock);
    if (rc != 0)
        return session ? drv_diag_engine(&st->h, &err) : SQL_ERROR;
    eng_stmt_set_timeout(es, (uint64_t)st->query_timeout * 1000u);
    pthread_mutex_lock(&st->cancel_lock);
    st->es = es;
    pthread_mutex_unlock(&st->cancel_lock);
    return SQL_SUCCESS;
}

static void drv_free_owned(char **owned, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        free(owned[i]);
        owned[i] = NULL;
    }
}

/* Reads parameter set `row` into vals (parameters waiting for data at execution come
 * from the DAE buffers instead). */
static SQLRETURN drv_gather(drv_stmt *st, SQLULEN row, uint32_t n, eng_value *vals, char **owned)
{
    const drv_desc *apd = st->apd;
    for (uint32_t i = 0; i < n; i++) {
        const drv_desc_rec *a = drv_desc_bound(apd, (SQLSMALLINT)(i + 1));
        if (!a)
            return drv_diag_add(&st->h, SQL_ERROR, "07002",
                                "parameter %u is not bound (the statement has %u parameter "
                                "markers)",
                                i + 1, n);
        drv_param p;
        drv_param_of(st, i + 1, row, &p);
        if (st->dae && st->dae[i].active) {
            p.value = st->dae[i].data ? st->dae[i].data : "";
            p.ind = &st->dae[i].len;
        }
        SQLRETURN rc = drv_param_in(&st->h, &p, i + 1, &vals[i], &owned[i]);
        if (rc == SQL_ERROR)
            return rc;
    }
    return SQL_SUCCESS;
}

/* Runs the prepared statement once per parameter set. A parameter array is one
 * statement: in autocommit mode its sets run in one transaction, so a failing set leaves
 * nothing behind; the status array marks the failing set and the sets not applied. */
static SQLRETURN drv_run_sets(drv_stmt *st, eng_session *session, uint32_t n, eng_value *vals,
                              char **owned)
{
    drv_desc *apd = st->apd, *ipd = &st->impl[DRV_IPD];
    SQLULEN size = apd->array_size, processed = 0;
    bool wrap = size > 1 && !eng_session_in_transaction(session) &&
                st->dbc->autocommit == SQL_AUTOCOMMIT_ON;
    eng_error err;
    SQLRETURN rc = SQL_SUCCESS;
    if (wrap && eng_session_set_autocommit(session, false, &err) != 0)
        return drv_diag_engine(&st->h, &err);
    SQLLEN rows = 0;
    SQLULEN r = 0;
    drv_cancel_arm(st);
    for (; r < size && rc != SQL_ERROR; r++) {
        if (r > 0 && (rc = drv_cancel_check(st)) == SQL_ERROR) /* as when a set fails */
            break;
        SQLUSMALLINT *status = ipd->array_status_ptr ? &ipd->array_status_ptr[r] : NULL;
        if (apd->array_status_ptr && apd->array_status_ptr[r] == SQL_PARAM_IGNORE) {
            if (status)
                *status = SQL_PARAM_UNUSED;
            continue;
        }
        processed++;
        rc = drv_gather(st, r, n, vals, owned);
        if (rc != SQL_ERROR && eng_stmt_execute(st->es, vals, n, &err) != 0) {
            drv_note_engine_error(st->dbc, &err);
            rc = drv_diag_engine(&st->h, &err);
        }
        drv_free_owned(owned, n);
        if (rc != SQL_ERROR && eng_stmt_row_count(st->es) > 0)
            rows += eng_stmt_row_count(st->es);
        if (status)
            *status = rc == SQL_ERROR ? SQL_PARAM_ERROR : SQL_PARAM_SUCCESS;
        if (rc == SQL_ERROR && size > 1)
            drv_diag_add(&st->h, SQL_ERROR, "HY000", "parameter set %lu of %lu failed; %s",
                         (unsigned long)r + 1, (unsigned long)size,
                         wrap ? "no set of the array was applied"
                              : "the sets after it were not run");
    }
    for (SQLULEN i = r; ipd->array_status_ptr && i < size; i++)
        ipd->array_status_ptr[i] = SQL_PARAM_UNUSED;
    if (wrap) {
        int end = rc == SQL_ERROR ? eng_session_rollback(session, &err)
                                  : eng_session_commit(session, &err);
        if (end != 0 && rc != SQL_ERROR) {
            drv_note_engine_error(st->dbc, &err);
            rc = drv_diag_engine(&st->h, &err);
        }
        if (rc == SQL_ERROR)
            for (SQLULEN i = 0; ipd->array_status_ptr && i < r; i++)
                if (ipd->array_status_ptr[i] == SQL_PARAM_SUCCESS)
                    ipd->array_status_ptr[i] = SQL_PARAM_UNUSED; /* rolled back */
        eng_session_set_autocommit(session, true, &err);
    }
    if (ipd->rows_processed_ptr)
        *ipd->rows_processed_ptr = processed;
    st->rows_affected = size > 1 ? rows : eng_stmt_row_count(st->es);
    return rc;
}

/* Executes with the current parameters (and data-at-execution values, if any). */
SQLRETURN drv_execute_now(drv_stmt *st)
{
    uint32_t n = eng_stmt_param_count(st->es);
    eng_value stack_vals[8];
    char *stack_owned[8] = {0};
    eng_value *vals = n <= 8 ? stack_vals : malloc(n * sizeof *vals);
    char **owned = n <= 8 ? stack_owned : calloc(n, sizeof *owned);
    if (!vals || !owned) {
        if (vals != stack_vals)
            free(vals);
        if (owned != stack_owned)
            free(owned);
        return drv_diag_nomem(&st->h);
    }
    SQLRETURN rc = SQL_SUCCESS;
    drv_dbc *dbc = st->dbc;
    pthread_mutex_lock(&dbc->session_lock);
    eng_session *session = drv_session(dbc, &st->h);
    if (!session) {
        rc = SQL_ERROR;
    } else {
        eng_stmt_set_session(st->es, session); /* transaction mode: maybe another one */
        rc = drv_run_sets(st, session, n, vals, owned);
        if (rc != SQL_ERROR) {
            st->executed = true;
            st->cursor = eng_stmt_column_count(st->es) > 0;
            st->chunk = NULL;
            st->on_row = false;
            st->rows_fetched = 0;
            st->rowset_len = 0;
            if (st->cursor)
                drv_cursor_opened(st);
        }
        drv_session_settle(dbc);
    }
    pthread_mutex_unlock(&dbc->session_lock);
    if (rc != SQL_ERROR && drv_result_opened(st) == SQL_ERROR) {
        drv_close_cursor(st, false);
        rc = SQL_ERROR;
    }
    if (vals != stack_vals)
        free(vals);
    if (owned != stack_owned)
        free(owned);
    drv_dae_clear(st);
    return rc;
}

SQLRETURN drv_execute(drv_stmt *st)
{
    if (drv_not_needing_data(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "a cursor is open on this statement; close it first");
    if (st->apd->array_size > 1 && eng_stmt_column_count(st->es) > 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                            "a query cannot run with a parameter array "
                            "(SQL_PARAM_ARRAY_SELECTS is SQL_PAS_NO_SELECT)");
    SQLRETURN rc = drv_dae_start(st);
    if (rc != SQL_SUCCESS)
        return rc; /* SQL_NEED_DATA, or an error */
    return drv_execute_now(st);
}

SQLRETURN drv_translate_sql(drv_handle *h, const char *sql, size_t len, char **out)
{
    size_t out_len;
    esc_error err;
    *out = NULL;
    int rc = esc_translate(sql, len, out, &out_len, &err);
    if (rc == ESC_ERROR)
        return drv_diag_add(h, SQL_ERROR, err.sqlstate, "%s (at byte %zu of the statement)",
                            err.message, err.pos + 1);
    return SQL_SUCCESS;
}

SQLRETURN drv_exec_direct(drv_stmt *st, const char *sql, size_t len)
{
    SQLRETURN rc = drv_prepare(st, sql, len);
    if (rc == SQL_ERROR)
        return rc;
    return drv_execute(st);
}

SQLRETURN drv_row_count(drv_stmt *st, SQLLEN *count)
{
    if (!st->executed)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "the statement has not been executed");
    if (count)
        *count = st->rows_affected;
    return SQL_SUCCESS;
}
