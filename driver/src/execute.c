/*
 * Preparing and executing statements, parameters, row counts.
 */
#include "drv.h"

#include "convert.h"

#include <stdlib.h>
#include <string.h>

SQLRETURN drv_prepare(drv_stmt *st, const char *sql, size_t len)
{
    if (st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "a cursor is open on this statement; close it first");
    drv_dbc *dbc = st->dbc;
    pthread_mutex_lock(&dbc->session_lock);
    drv_stmt_reset(st);
    eng_session *session = drv_session(dbc, &st->h);
    eng_error err;
    int rc = session ? eng_prepare(session, sql, len, &st->es, &err) : -1;
    if (session)
        drv_session_settle(dbc);
    pthread_mutex_unlock(&dbc->session_lock);
    if (rc != 0) {
        st->es = NULL;
        return session ? drv_diag_engine(&st->h, &err) : SQL_ERROR;
    }
    return SQL_SUCCESS;
}

static void drv_free_owned(char **owned, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free(owned[i]);
    free(owned);
}

SQLRETURN drv_execute(drv_stmt *st)
{
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "a cursor is open on this statement; close it first");
    uint32_t n = eng_stmt_param_count(st->es);
    eng_value stack_vals[8];
    eng_value *vals = n <= 8 ? stack_vals : malloc(n * sizeof *vals);
    char **owned = n ? calloc(n, sizeof *owned) : NULL;
    if ((n > 8 && !vals) || (n && !owned)) {
        if (vals != stack_vals)
            free(vals);
        free(owned);
        return drv_diag_nomem(&st->h);
    }
    SQLRETURN rc = SQL_SUCCESS;
    for (uint32_t i = 0; i < n && rc != SQL_ERROR; i++) {
        if (i >= st->nparams || !st->params[i].bound)
            rc = drv_diag_add(&st->h, SQL_ERROR, "07002",
                              "parameter %u is not bound (the statement has %u parameter "
                              "markers)",
                              i + 1, n);
        else
            rc = drv_param_in(&st->h, &st->params[i], i + 1, &vals[i], &owned[i]);
    }
    if (rc != SQL_ERROR) {
        eng_error err;
        drv_dbc *dbc = st->dbc;
        pthread_mutex_lock(&dbc->session_lock);
        eng_session *session = drv_session(dbc, &st->h);
        if (!session) {
            rc = SQL_ERROR;
        } else {
            eng_stmt_set_session(st->es, session); /* transaction mode: maybe another one */
            if (eng_stmt_execute(st->es, vals, n, &err) != 0) {
                drv_note_engine_error(dbc, &err);
                rc = drv_diag_engine(&st->h, &err);
            } else {
                st->executed = true;
                st->cursor = eng_stmt_column_count(st->es) > 0;
                st->chunk = NULL;
                st->on_row = false;
                if (st->cursor)
                    drv_cursor_opened(st);
            }
            drv_session_settle(dbc);
        }
        pthread_mutex_unlock(&dbc->session_lock);
    }
    if (vals != stack_vals)
        free(vals);
    drv_free_owned(owned, n);
    return rc;
}

SQLRETURN drv_exec_direct(drv_stmt *st, const char *sql, size_t len)
{
    SQLRETURN rc = drv_prepare(st, sql, len);
    if (rc == SQL_ERROR)
        return rc;
    return drv_execute(st);
}

SQLRETURN drv_bind_parameter(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT io, SQLSMALLINT c_type,
                             SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                             SQLPOINTER value, SQLLEN cap, SQLLEN *ind)
{
    if (n < 1)
        return drv_diag_add(&st->h, SQL_ERROR, "07009", "parameter number %u is invalid", n);
    if (io != SQL_PARAM_INPUT)
        return drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                            "only input parameters are supported (no procedures)");
    if (n > st->nparams) {
        drv_param *p = realloc(st->params, n * sizeof *p);
        if (!p)
            return drv_diag_nomem(&st->h);
        memset(p + st->nparams, 0, (n - st->nparams) * sizeof *p);
        st->params = p;
        st->nparams = n;
    }
    st->params[n - 1] = (drv_param){true, io, c_type, sql_type, size, digits, value, cap, ind};
    return SQL_SUCCESS;
}

SQLRETURN drv_num_params(drv_stmt *st, SQLSMALLINT *n)
{
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (n)
        *n = (SQLSMALLINT)eng_stmt_param_count(st->es);
    return SQL_SUCCESS;
}

SQLRETURN drv_describe_param(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT *type, SQLULEN *size,
                             SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (n < 1 || n > eng_stmt_param_count(st->es))
        return drv_diag_add(&st->h, SQL_ERROR, "07009", "parameter number %u is invalid", n);
    eng_type t = eng_stmt_param_type(st->es, n - 1);
    if (type)
        *type = drv_sql_type(t);
    if (size)
        *size = drv_column_size(t);
    if (digits)
        *digits = drv_decimal_digits(t);
    if (nullable)
        *nullable = SQL_NULLABLE;
    return SQL_SUCCESS;
}

SQLRETURN drv_row_count(drv_stmt *st, SQLLEN *count)
{
    if (!st->executed)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "the statement has not been executed");
    if (count)
        *count = (SQLLEN)eng_stmt_row_count(st->es);
    return SQL_SUCCESS;
}
