/*
 * The exported ODBC entry points that carry no strings, and the ANSI (UTF-8) versions of
 * those that do. Each one validates and locks its handle (drv_enter), calls the shared
 * implementation, and settles the return code (drv_leave). None calls another SQL* name.
 */
#include "drv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DRV_API SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE *output)
{
    return drv_alloc_handle(type, input, output);
}

DRV_API SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle)
{
    return drv_free_handle(type, handle);
}

DRV_API SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV henv, SQLINTEGER attr, SQLPOINTER value,
                                        SQLINTEGER len)
{
    DRV_ENTER(env, drv_env, henv, DRV_MAGIC_ENV);
    return drv_leave(&env->h, drv_set_env_attr(env, attr, value, len));
}

DRV_API SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV henv, SQLINTEGER attr, SQLPOINTER value,
                                        SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(env, drv_env, henv, DRV_MAGIC_ENV);
    return drv_leave(&env->h, drv_get_env_attr(env, attr, value, cap, len));
}

/* SQLConnect's three strings become a connection string. */
static char *drv_connect_string(const char *dsn, const char *uid, const char *pwd)
{
    size_t n = strlen(dsn) + strlen(uid) + strlen(pwd) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "DSN={%s};UID={%s};PWD={%s}", dsn, uid, pwd);
    return s;
}

SQLRETURN drv_connect3(drv_dbc *dbc, char *dsn, char *uid, char *pwd)
{
    SQLRETURN rc;
    char *cs = drv_connect_string(dsn ? dsn : "", uid ? uid : "", pwd ? pwd : "");
    if (!cs) {
        rc = drv_diag_nomem(&dbc->h);
    } else {
        rc = drv_connect(dbc, cs, NULL);
        memset(cs, 0, strlen(cs)); /* it held the password */
        free(cs);
    }
    if (pwd)
        memset(pwd, 0, strlen(pwd));
    free(dsn);
    free(uid);
    free(pwd);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLConnect(SQLHDBC hdbc, SQLCHAR *dsn, SQLSMALLINT dsn_len, SQLCHAR *uid,
                                     SQLSMALLINT uid_len, SQLCHAR *pwd, SQLSMALLINT pwd_len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect3(dbc, drv_str_in(dsn, dsn_len), drv_str_in(uid, uid_len),
                                           drv_str_in(pwd, pwd_len)));
}

/* Connects with a connection string (a malloc'd UTF-8 copy, wiped and freed here) and
 * writes the completed one, for SQLDriverConnect(W) and SQLBrowseConnect(W). */
SQLRETURN drv_connect_out(drv_dbc *dbc, char *cs, bool given, bool wide, SQLPOINTER out,
                          SQLSMALLINT cap, SQLSMALLINT *out_len)
{
    char *result = NULL;
    SQLRETURN rc = given && !cs ? drv_diag_nomem(&dbc->h) : drv_connect(dbc, cs, &result);
    if (rc != SQL_ERROR && result) {
        SQLRETURN r2 = drv_put_str_small(&dbc->h, result, wide, false, out, cap, out_len);
        if (r2 != SQL_SUCCESS)
            rc = r2;
    }
    if (cs)
        memset(cs, 0, strlen(cs));
    free(cs);
    free(result);
    return rc;
}

/* No dialog is ever shown: every key has a default, so there is nothing to prompt for, and
 * the completion mode does not matter. */
DRV_API SQLRETURN SQL_API SQLDriverConnect(SQLHDBC hdbc, SQLHWND hwnd, SQLCHAR *in,
                                           SQLSMALLINT in_len, SQLCHAR *out, SQLSMALLINT cap,
                                           SQLSMALLINT *out_len, SQLUSMALLINT completion)
{
    (void)hwnd, (void)completion;
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect_out(dbc, drv_str_in(in, in_len), in != NULL, false, out,
                                              cap, out_len));
}

/* SQLBrowseConnect: one round is always enough, as no key is required. */
DRV_API SQLRETURN SQL_API SQLBrowseConnect(SQLHDBC hdbc, SQLCHAR *in, SQLSMALLINT in_len,
                                           SQLCHAR *out, SQLSMALLINT cap, SQLSMALLINT *out_len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect_out(dbc, drv_str_in(in, in_len), in != NULL, false, out,
                                              cap, out_len));
}

DRV_API SQLRETURN SQL_API SQLDisconnect(SQLHDBC hdbc)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_disconnect(dbc));
}

DRV_API SQLRETURN SQL_API SQLEndTran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion)
{
    if (type != SQL_HANDLE_ENV && type != SQL_HANDLE_DBC)
        return SQL_INVALID_HANDLE;
    DRV_ENTER(h, drv_handle, handle, type == SQL_HANDLE_ENV ? DRV_MAGIC_ENV : DRV_MAGIC_DBC);
    return drv_leave(h, drv_end_tran(type, handle, completion));
}

DRV_API SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC hdbc, SQLINTEGER attr, SQLPOINTER value,
                                            SQLINTEGER len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_set_connect_attr(dbc, attr, value, len));
}

DRV_API SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC hdbc, SQLINTEGER attr, SQLPOINTER value,
                                            SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    const char *str;
    SQLRETURN rc = drv_get_connect_attr(dbc, attr, value, &str);
    if (rc == SQL_SUCCESS && str)
        rc = drv_put_str_int(&dbc->h, str, false, true, value, cap, len);
    else if (rc == SQL_SUCCESS && len)
        *len = sizeof(SQLUINTEGER);
    return drv_leave(&dbc->h, rc);
}

/* Writes an SQLGetInfo value; strings in UTF-8 or UTF-16 (cap in bytes either way). */
SQLRETURN drv_info_out(drv_dbc *dbc, const drv_info_value *v, bool wide, SQLPOINTER value,
                       SQLSMALLINT cap, SQLSMALLINT *len)
{
    switch (v->kind) {
    case IV_STR:
        return drv_put_str_small(&dbc->h, v->str, wide, true, value, cap, len);
    case IV_U16:
        if (value)
            *(SQLUSMALLINT *)value = (SQLUSMALLINT)v->num;
        if (len)
            *len = sizeof(SQLUSMALLINT);
        return SQL_SUCCESS;
    case IV_U32:
        if (value)
            *(SQLUINTEGER *)value = (SQLUINTEGER)v->num;
        if (len)
            *len = sizeof(SQLUINTEGER);
        return SQL_SUCCESS;
    default:
        if (value)
            *(SQLULEN *)value = v->num;
        if (len)
            *len = sizeof(SQLULEN);
        return SQL_SUCCESS;
    }
}

DRV_API SQLRETURN SQL_API SQLGetInfo(SQLHDBC hdbc, SQLUSMALLINT type, SQLPOINTER value,
                                     SQLSMALLINT cap, SQLSMALLINT *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    drv_info_value v;
    SQLRETURN rc = drv_get_info(dbc, type, &v);
    if (rc == SQL_SUCCESS)
        rc = drv_info_out(dbc, &v, false, value, cap, len);
    return drv_leave(&dbc->h, rc);
}

DRV_API SQLRETURN SQL_API SQLGetFunctions(SQLHDBC hdbc, SQLUSMALLINT id, SQLUSMALLINT *supported)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_get_functions(dbc, id, supported));
}

DRV_API SQLRETURN SQL_API SQLPrepare(SQLHSTMT hstmt, SQLCHAR *sql, SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    if (!sql)
        return drv_leave(&st->h,
                         drv_diag_add(&st->h, SQL_ERROR, "HY009", "statement text is NULL"));
    size_t n = len == SQL_NTS ? strlen((const char *)sql) : (size_t)(len < 0 ? 0 : len);
    return drv_leave(&st->h, drv_prepare(st, (const char *)sql, n));
}

DRV_API SQLRETURN SQL_API SQLExecute(SQLHSTMT hstmt)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_execute(st));
}

DRV_API SQLRETURN SQL_API SQLExecDirect(SQLHSTMT hstmt, SQLCHAR *sql, SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    if (!sql)
        return drv_leave(&st->h,
                         drv_diag_add(&st->h, SQL_ERROR, "HY009", "statement text is NULL"));
    size_t n = len == SQL_NTS ? strlen((const char *)sql) : (size_t)(len < 0 ? 0 : len);
    return drv_leave(&st->h, drv_exec_direct(st, (const char *)sql, n));
}

DRV_API SQLRETURN SQL_API SQLBindParameter(SQLHSTMT hstmt, SQLUSMALLINT n, SQLSMALLINT io,
                                           SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                                           SQLSMALLINT digits, SQLPOINTER value, SQLLEN cap,
                                           SQLLEN *ind)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(
        &st->h, drv_bind_parameter(st, n, io, c_type, sql_type, size, digits, value, cap, ind));
}

DRV_API SQLRETURN SQL_API SQLParamData(SQLHSTMT hstmt, SQLPOINTER *token)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_param_data(st, token));
}

DRV_API SQLRETURN SQL_API SQLPutData(SQLHSTMT hstmt, SQLPOINTER data, SQLLEN len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_put_data(st, data, len));
}

/* SQLCancel may come from another thread while the statement runs, so it does not wait
 * for the statement's lock: a statement busy elsewhere is interrupted (the running call
 * fails with HY008 within a vector of rows), one waiting for data at execution is returned
 * to its prepared state. */
static SQLRETURN drv_cancel(SQLHSTMT hstmt)
{
    if (!drv_valid(hstmt, DRV_MAGIC_STMT))
        return SQL_INVALID_HANDLE;
    drv_stmt *st = hstmt;
    if (pthread_mutex_trylock(&st->h.lock) != 0) {
        pthread_mutex_lock(&st->cancel_lock);
        __atomic_store_n(&st->cancel_requested, true, __ATOMIC_RELEASE);
        if (st->es)
            eng_stmt_interrupt(st->es);
        pthread_mutex_unlock(&st->cancel_lock);
        return SQL_SUCCESS;
    }
    drv_diag_clear(&st->h);
    drv_dae_clear(st);
    return drv_leave(&st->h, SQL_SUCCESS);
}

DRV_API SQLRETURN SQL_API SQLCancel(SQLHSTMT hstmt)
{
    return drv_cancel(hstmt);
}

DRV_API SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT type, SQLHANDLE handle)
{
    if (type == SQL_HANDLE_STMT)
        return drv_cancel(handle);
    if (type != SQL_HANDLE_DBC)
        return SQL_INVALID_HANDLE;
    DRV_ENTER(dbc, drv_dbc, handle, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_diag_add(&dbc->h, SQL_ERROR, "HYC00",
                                           "asynchronous connection functions are not "
                                           "supported, so there is nothing to cancel"));
}

DRV_API SQLRETURN SQL_API SQLNumParams(SQLHSTMT hstmt, SQLSMALLINT *n)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_num_params(st, n));
}

DRV_API SQLRETURN SQL_API SQLDescribeParam(SQLHSTMT hstmt, SQLUSMALLINT n, SQLSMALLINT *type,
                                           SQLULEN *size, SQLSMALLINT *digits,
                                           SQLSMALLINT *nullable)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_describe_param(st, n, type, size, digits, nullable));
}

DRV_API SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT hstmt, SQLSMALLINT *n)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_num_result_cols(st, n));
}

DRV_API SQLRETURN SQL_API SQLDescribeCol(SQLHSTMT hstmt, SQLUSMALLINT col, SQLCHAR *name,
                                         SQLSMALLINT cap, SQLSMALLINT *name_len, SQLSMALLINT *type,
                                         SQLULEN *size, SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    const char *n;
    SQLRETURN rc = drv_describe_col(st, col, &n, type, size, digits, nullable);
    if (rc == SQL_SUCCESS)
        rc = drv_put_str_small(&st->h, n, false, false, name, cap, name_len);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLColAttribute(SQLHSTMT hstmt, SQLUSMALLINT col, SQLUSMALLINT field,
                                          SQLPOINTER str_out, SQLSMALLINT cap, SQLSMALLINT *str_len,
                                          SQLLEN *num)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    const char *s;
    SQLLEN v;
    SQLRETURN rc = drv_col_attribute(st, col, field, &s, &v);
    if (rc == SQL_SUCCESS && s)
        rc = drv_put_str_small(&st->h, s, false, true, str_out, cap, str_len);
    else if (rc == SQL_SUCCESS && num)
        *num = v;
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLBindCol(SQLHSTMT hstmt, SQLUSMALLINT col, SQLSMALLINT c_type,
                                     SQLPOINTER value, SQLLEN cap, SQLLEN *ind)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_bind_col(st, col, c_type, value, cap, ind));
}

DRV_API SQLRETURN SQL_API SQLFetch(SQLHSTMT hstmt)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_fetch(st));
}

DRV_API SQLRETURN SQL_API SQLFetchScroll(SQLHSTMT hstmt, SQLSMALLINT orientation, SQLLEN offset)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_fetch_scroll(st, orientation, offset));
}

DRV_API SQLRETURN SQL_API SQLGetData(SQLHSTMT hstmt, SQLUSMALLINT col, SQLSMALLINT c_type,
                                     SQLPOINTER value, SQLLEN cap, SQLLEN *ind)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_data(st, col, c_type, value, cap, ind));
}

DRV_API SQLRETURN SQL_API SQLRowCount(SQLHSTMT hstmt, SQLLEN *count)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_row_count(st, count));
}

DRV_API SQLRETURN SQL_API SQLMoreResults(SQLHSTMT hstmt)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_more_results(st));
}

DRV_API SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT hstmt)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_close_cursor(st, true));
}

DRV_API SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT hstmt, SQLUSMALLINT option)
{
    if (option == SQL_DROP)
        return drv_free_handle(SQL_HANDLE_STMT, hstmt);
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_free_stmt(st, option));
}

DRV_API SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT hstmt, SQLINTEGER attr, SQLPOINTER value,
                                         SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_set_stmt_attr(st, attr, value, len));
}

DRV_API SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT hstmt, SQLINTEGER attr, SQLPOINTER value,
                                         SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_stmt_attr(st, attr, value, cap, len));
}

/* Diagnostics are read without clearing them, so no drv_enter here. */
SQLRETURN drv_get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec, bool wide,
                           SQLPOINTER state, SQLINTEGER *native, SQLPOINTER msg, SQLSMALLINT cap,
                           SQLSMALLINT *msg_len)
{
    drv_handle *h = drv_handle_of(type, handle);
    if (!h)
        return SQL_INVALID_HANDLE;
    if (rec < 1 || cap < 0)
        return SQL_ERROR;
    pthread_mutex_lock(&h->lock);
    SQLRETURN rc = SQL_NO_DATA;
    if (rec <= h->diag.n) {
        const drv_diag_rec *r = &h->diag.recs[rec - 1];
        if (state) {
            if (wide)
                drv_wstr_out(r->state, state, 6, NULL);
            else
                drv_str_out(r->state, state, 6, NULL);
        }
        if (native)
            *native = r->native;
        SQLLEN len;
        const char *m = r->message ? r->message : "[Eider]out of memory";
        bool truncated = wide ? drv_wstr_out(m, msg, cap, &len) : drv_str_out(m, msg, cap, &len);
        if (msg_len)
            *msg_len = (SQLSMALLINT)len;
        rc = truncated ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
    }
    pthread_mutex_unlock(&h->lock);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
                                        SQLCHAR *state, SQLINTEGER *native, SQLCHAR *msg,
                                        SQLSMALLINT cap, SQLSMALLINT *msg_len)
{
    return drv_get_diag_rec(type, handle, rec, false, state, native, msg, cap, msg_len);
}

SQLRETURN drv_diag_field(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec, SQLSMALLINT field,
                         bool wide, SQLPOINTER value, SQLSMALLINT cap, SQLSMALLINT *len)
{
    drv_handle *h = drv_handle_of(type, handle);
    if (!h)
        return SQL_INVALID_HANDLE;
    pthread_mutex_lock(&h->lock);
    drv_diag_value v;
    SQLRETURN rc = drv_get_diag_field(type, handle, rec, field, &v);
    if (rc == SQL_SUCCESS) {
        switch (v.kind) {
        case DV_STR: {
            SQLLEN n;
            bool truncated = wide ? drv_wstr_out(v.str, value, cap / (SQLLEN)sizeof(SQLWCHAR), &n)
                                  : drv_str_out(v.str, value, cap, &n);
            if (len)
                *len = (SQLSMALLINT)(wide ? n * (SQLLEN)sizeof(SQLWCHAR) : n);
            rc = truncated ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
            break;
        }
        case DV_INT:
            if (value)
                *(SQLINTEGER *)value = (SQLINTEGER)v.num;
            break;
        case DV_SMALLINT:
            if (value)
                *(SQLSMALLINT *)value = (SQLSMALLINT)v.num;
            break;
        case DV_LEN:
            if (value)
                *(SQLLEN *)value = v.num;
            break;
        }
    }
    pthread_mutex_unlock(&h->lock);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
                                          SQLSMALLINT field, SQLPOINTER value, SQLSMALLINT cap,
                                          SQLSMALLINT *len)
{
    return drv_diag_field(type, handle, rec, field, false, value, cap, len);
}
