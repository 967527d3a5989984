/*
 * The Unicode (W) entry points: UTF-16 strings in and out, converted at the boundary to
 * the UTF-8 the rest of the driver uses. Lengths follow the ODBC reference: characters
 * for SQLCHAR-style buffers, bytes for SQLPOINTER buffers (SQLGetInfoW, SQLColAttributeW,
 * SQLGetConnectAttrW, SQLGetDiagFieldW).
 */
#include "drv.h"

#include <stdlib.h>
#include <string.h>

DRV_API SQLRETURN SQL_API SQLConnectW(SQLHDBC hdbc, SQLWCHAR *dsn, SQLSMALLINT dsn_len,
                                      SQLWCHAR *uid, SQLSMALLINT uid_len, SQLWCHAR *pwd,
                                      SQLSMALLINT pwd_len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect3(dbc, drv_wstr_in(dsn, dsn_len),
                                           drv_wstr_in(uid, uid_len), drv_wstr_in(pwd, pwd_len)));
}

DRV_API SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC hdbc, SQLHWND hwnd, SQLWCHAR *in,
                                            SQLSMALLINT in_len, SQLWCHAR *out, SQLSMALLINT cap,
                                            SQLSMALLINT *out_len, SQLUSMALLINT completion)
{
    (void)hwnd, (void)completion;
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect_out(dbc, drv_wstr_in(in, in_len), in != NULL, true, out,
                                              cap, out_len));
}

DRV_API SQLRETURN SQL_API SQLBrowseConnectW(SQLHDBC hdbc, SQLWCHAR *in, SQLSMALLINT in_len,
                                            SQLWCHAR *out, SQLSMALLINT cap, SQLSMALLINT *out_len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_connect_out(dbc, drv_wstr_in(in, in_len), in != NULL, true, out,
                                              cap, out_len));
}

DRV_API SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC hdbc, SQLINTEGER attr, SQLPOINTER value,
                                             SQLINTEGER len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_set_connect_attr(dbc, attr, value, len));
}

DRV_API SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC hdbc, SQLINTEGER attr, SQLPOINTER value,
                                             SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    const char *str;
    SQLRETURN rc = drv_get_connect_attr(dbc, attr, value, &str);
    if (rc == SQL_SUCCESS && str)
        rc = drv_put_str_int(&dbc->h, str, true, true, value, cap, len);
    else if (rc == SQL_SUCCESS && len)
        *len = sizeof(SQLUINTEGER);
    return drv_leave(&dbc->h, rc);
}

DRV_API SQLRETURN SQL_API SQLGetInfoW(SQLHDBC hdbc, SQLUSMALLINT type, SQLPOINTER value,
                                      SQLSMALLINT cap, SQLSMALLINT *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    drv_info_value v;
    SQLRETURN rc = drv_get_info(dbc, type, &v);
    if (rc == SQL_SUCCESS)
        rc = drv_info_out(dbc, &v, true, value, cap, len);
    return drv_leave(&dbc->h, rc);
}

static SQLRETURN drv_sql_w(drv_stmt *st, SQLWCHAR *sql, SQLINTEGER len, bool execute)
{
    if (!sql)
        return drv_diag_add(&st->h, SQL_ERROR, "HY009", "statement text is NULL");
    size_t n = len == SQL_NTS ? drv_wcslen(sql) : (size_t)(len < 0 ? 0 : len);
    size_t bytes;
    char *text = drv_utf16_to_utf8(sql, n, &bytes);
    if (!text)
        return drv_diag_nomem(&st->h);
    SQLRETURN rc = execute ? drv_exec_direct(st, text, bytes) : drv_prepare(st, text, bytes);
    free(text);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLPrepareW(SQLHSTMT hstmt, SQLWCHAR *sql, SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_sql_w(st, sql, len, false));
}

DRV_API SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT hstmt, SQLWCHAR *sql, SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_sql_w(st, sql, len, true));
}

DRV_API SQLRETURN SQL_API SQLDescribeColW(SQLHSTMT hstmt, SQLUSMALLINT col, SQLWCHAR *name,
                                          SQLSMALLINT cap, SQLSMALLINT *name_len, SQLSMALLINT *type,
                                          SQLULEN *size, SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    const char *n;
    SQLRETURN rc = drv_describe_col(st, col, &n, type, size, digits, nullable);
    if (rc == SQL_SUCCESS)
        rc = drv_put_str_small(&st->h, n, true, false, name, cap, name_len);
    if (rc != SQL_ERROR && type && *type == SQL_VARCHAR)
        *type = SQL_WVARCHAR; /* text reaches W applications as UTF-16 */
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLColAttributeW(SQLHSTMT hstmt, SQLUSMALLINT col, SQLUSMALLINT field,
                                           SQLPOINTER str_out, SQLSMALLINT cap,
                                           SQLSMALLINT *str_len, SQLLEN *num)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    const char *s;
    SQLLEN v;
    SQLRETURN rc = drv_col_attribute(st, col, field, &s, &v);
    if (rc == SQL_SUCCESS && s) {
        rc = drv_put_str_small(&st->h, s, true, true, str_out, cap, str_len);
    } else if (rc == SQL_SUCCESS && num) {
        bool type_field = field == SQL_DESC_TYPE || field == SQL_DESC_CONCISE_TYPE;
        *num = type_field && v == SQL_VARCHAR ? SQL_WVARCHAR : v;
    }
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT hstmt, SQLINTEGER attr, SQLPOINTER value,
                                          SQLINTEGER len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_set_stmt_attr(st, attr, value, len));
}

DRV_API SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT hstmt, SQLINTEGER attr, SQLPOINTER value,
                                          SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_stmt_attr(st, attr, value, cap, len));
}

DRV_API SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
                                         SQLWCHAR *state, SQLINTEGER *native, SQLWCHAR *msg,
                                         SQLSMALLINT cap, SQLSMALLINT *msg_len)
{
    return drv_get_diag_rec(type, handle, rec, true, state, native, msg, cap, msg_len);
}

DRV_API SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec,
                                           SQLSMALLINT field, SQLPOINTER value, SQLSMALLINT cap,
                                           SQLSMALLINT *len)
{
    return drv_diag_field(type, handle, rec, field, true, value, cap, len);
}
