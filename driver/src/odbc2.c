/*
 * ODBC 2 entry points, ANSI and W, for applications (and driver managers) that still call
 * them: each is a thin layer over the ODBC 3 implementation, as the reference's mapping
 * tables describe. Exporting them also spares the driver manager a failed symbol lookup
 * per name on every connect.
 */
#include "drv.h"

#include "desc.h"

#include <string.h>

DRV_API SQLRETURN SQL_API SQLAllocEnv(SQLHENV *env)
{
    return drv_alloc_handle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env);
}

DRV_API SQLRETURN SQL_API SQLAllocConnect(SQLHENV env, SQLHDBC *dbc)
{
    return drv_alloc_handle(SQL_HANDLE_DBC, env, dbc);
}

DRV_API SQLRETURN SQL_API SQLAllocStmt(SQLHDBC dbc, SQLHSTMT *st)
{
    return drv_alloc_handle(SQL_HANDLE_STMT, dbc, st);
}

DRV_API SQLRETURN SQL_API SQLFreeEnv(SQLHENV env)
{
    return drv_free_handle(SQL_HANDLE_ENV, env);
}

DRV_API SQLRETURN SQL_API SQLFreeConnect(SQLHDBC dbc)
{
    return drv_free_handle(SQL_HANDLE_DBC, dbc);
}

DRV_API SQLRETURN SQL_API SQLTransact(SQLHENV env, SQLHDBC dbc, SQLUSMALLINT completion)
{
    if (dbc)
        return drv_end_tran(SQL_HANDLE_DBC, dbc, (SQLSMALLINT)completion);
    return drv_end_tran(SQL_HANDLE_ENV, env, (SQLSMALLINT)completion);
}

/* SQLError: the next record of the most specific handle given, each returned once. */
static SQLRETURN drv_error(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, bool wide, SQLPOINTER state,
                           SQLINTEGER *native, SQLPOINTER msg, SQLSMALLINT cap,
                           SQLSMALLINT *msg_len)
{
    SQLSMALLINT type = stmt ? SQL_HANDLE_STMT : dbc ? SQL_HANDLE_DBC : SQL_HANDLE_ENV;
    SQLHANDLE h = stmt ? stmt : dbc ? dbc : env;
    drv_handle *hd = drv_handle_of(type, h);
    if (!hd)
        return SQL_INVALID_HANDLE;
    pthread_mutex_lock(&hd->lock);
    SQLSMALLINT rec = (SQLSMALLINT)++hd->diag.error_next;
    pthread_mutex_unlock(&hd->lock);
    SQLRETURN rc = drv_get_diag_rec(type, h, rec, wide, state, native, msg, cap, msg_len);
    return rc == SQL_NO_DATA ? SQL_NO_DATA_FOUND : rc;
}

DRV_API SQLRETURN SQL_API SQLError(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLCHAR *state,
                                   SQLINTEGER *native, SQLCHAR *msg, SQLSMALLINT cap,
                                   SQLSMALLINT *msg_len)
{
    return drv_error(env, dbc, stmt, false, state, native, msg, cap, msg_len);
}

DRV_API SQLRETURN SQL_API SQLErrorW(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLWCHAR *state,
                                    SQLINTEGER *native, SQLWCHAR *msg, SQLSMALLINT cap,
                                    SQLSMALLINT *msg_len)
{
    return drv_error(env, dbc, stmt, true, state, native, msg, cap, msg_len);
}

/* Connection options: string-valued ones are written whole (ODBC 2 gives no length). */
static SQLRETURN drv_get_connect_option(SQLHDBC hdbc, SQLUSMALLINT option, SQLPOINTER value,
                                        bool wide)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    const char *str = NULL;
    SQLRETURN rc = drv_get_connect_attr(dbc, option, value, &str);
    if (rc == SQL_SUCCESS && str)
        rc = drv_put_str_int(&dbc->h, str, wide, true, value, SQL_MAX_OPTION_STRING_LENGTH, NULL);
    return drv_leave(&dbc->h, rc);
}

DRV_API SQLRETURN SQL_API SQLGetConnectOption(SQLHDBC hdbc, SQLUSMALLINT option, SQLPOINTER value)
{
    return drv_get_connect_option(hdbc, option, value, false);
}

DRV_API SQLRETURN SQL_API SQLGetConnectOptionW(SQLHDBC hdbc, SQLUSMALLINT option, SQLPOINTER value)
{
    return drv_get_connect_option(hdbc, option, value, true);
}

static SQLRETURN drv_set_connect_option(SQLHDBC hdbc, SQLUSMALLINT option, SQLULEN value)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_set_connect_attr(dbc, option, (SQLPOINTER)value, SQL_NTS));
}

DRV_API SQLRETURN SQL_API SQLSetConnectOption(SQLHDBC hdbc, SQLUSMALLINT option, SQLULEN value)
{
    return drv_set_connect_option(hdbc, option, value);
}

DRV_API SQLRETURN SQL_API SQLSetConnectOptionW(SQLHDBC hdbc, SQLUSMALLINT option, SQLULEN value)
{
    return drv_set_connect_option(hdbc, option, value);
}

DRV_API SQLRETURN SQL_API SQLGetStmtOption(SQLHSTMT hstmt, SQLUSMALLINT option, SQLPOINTER value)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_stmt_attr(st, option, value, 0, NULL));
}

DRV_API SQLRETURN SQL_API SQLSetStmtOption(SQLHSTMT hstmt, SQLUSMALLINT option, SQLULEN value)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_set_stmt_attr(st, option, (SQLPOINTER)value, 0));
}

static SQLRETURN drv_col_attributes(SQLHSTMT hstmt, SQLUSMALLINT col, SQLUSMALLINT field,
                                    SQLPOINTER str_out, SQLSMALLINT cap, SQLSMALLINT *str_len,
                                    SQLLEN *num, bool wide)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    const char *s;
    SQLLEN v;
    SQLRETURN rc = drv_col_attribute(st, col, field, &s, &v);
    if (rc == SQL_SUCCESS && s)
        rc = drv_put_str_small(&st->h, s, wide, true, str_out, cap, str_len);
    else if (rc == SQL_SUCCESS && num)
        *num = v;
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLColAttributes(SQLHSTMT hstmt, SQLUSMALLINT col, SQLUSMALLINT field,
                                           SQLPOINTER str_out, SQLSMALLINT cap,
                                           SQLSMALLINT *str_len, SQLLEN *num)
{
    return drv_col_attributes(hstmt, col, field, str_out, cap, str_len, num, false);
}

DRV_API SQLRETURN SQL_API SQLColAttributesW(SQLHSTMT hstmt, SQLUSMALLINT col, SQLUSMALLINT field,
                                            SQLPOINTER str_out, SQLSMALLINT cap,
                                            SQLSMALLINT *str_len, SQLLEN *num)
{
    return drv_col_attributes(hstmt, col, field, str_out, cap, str_len, num, true);
}

static SQLRETURN drv_set_param(SQLHSTMT hstmt, SQLUSMALLINT n, SQLSMALLINT c_type,
                               SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                               SQLPOINTER value, SQLLEN *ind)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_bind_parameter(st, n, SQL_PARAM_INPUT, c_type, sql_type, size,
                                                digits, value, 0, ind));
}

DRV_API SQLRETURN SQL_API SQLSetParam(SQLHSTMT hstmt, SQLUSMALLINT n, SQLSMALLINT c_type,
                                      SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                                      SQLPOINTER value, SQLLEN *ind)
{
    return drv_set_param(hstmt, n, c_type, sql_type, size, digits, value, ind);
}

DRV_API SQLRETURN SQL_API SQLBindParam(SQLHSTMT hstmt, SQLUSMALLINT n, SQLSMALLINT c_type,
                                       SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                                       SQLPOINTER value, SQLLEN *ind)
{
    return drv_set_param(hstmt, n, c_type, sql_type, size, digits, value, ind);
}

DRV_API SQLRETURN SQL_API SQLParamOptions(SQLHSTMT hstmt, SQLULEN rows, SQLULEN *processed)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    SQLRETURN rc = drv_set_stmt_attr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)rows, 0);
    if (rc != SQL_ERROR)
        st->impl[DRV_IPD].rows_processed_ptr = processed;
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLSetScrollOptions(SQLHSTMT hstmt, SQLUSMALLINT concurrency,
                                              SQLLEN keyset, SQLUSMALLINT rowset)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    SQLRETURN rc = SQL_SUCCESS;
    if (keyset != SQL_SCROLL_FORWARD_ONLY || concurrency != SQL_CONCUR_READ_ONLY)
        rc = drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                          "only forward-only, read-only cursors are supported");
    else
        rc = drv_set_stmt_attr(st, SQL_ROWSET_SIZE, (SQLPOINTER)(SQLULEN)rowset, 0);
    return drv_leave(&st->h, rc);
}

/* SQLExtendedFetch: SQLFetchScroll with ODBC 2's rowset size and its own count and status
 * arrays, leaving the statement's attributes as they were. */
DRV_API SQLRETURN SQL_API SQLExtendedFetch(SQLHSTMT hstmt, SQLUSMALLINT orientation, SQLLEN offset,
                                           SQLULEN *count, SQLUSMALLINT *status)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    drv_desc *ird = &st->impl[DRV_IRD];
    SQLULEN size = st->ard->array_size, *fetched = ird->rows_processed_ptr;
    SQLUSMALLINT *statuses = ird->array_status_ptr;
    st->ard->array_size = st->rowset_size2 ? st->rowset_size2 : 1;
    ird->rows_processed_ptr = count;
    ird->array_status_ptr = status;
    SQLRETURN rc = drv_fetch_scroll(st, (SQLSMALLINT)orientation, offset);
    st->ard->array_size = size;
    ird->rows_processed_ptr = fetched;
    ird->array_status_ptr = statuses;
    return drv_leave(&st->h, rc);
}
