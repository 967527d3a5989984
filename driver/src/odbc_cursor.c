/*
 * Cursor positioning and naming, ANSI and W: SQLSetPos, SQLBulkOperations,
 * SQLGetCursorName, SQLSetCursorName, and SQLNativeSql. Eider's cursors are read-only and
 * forward-only, so positioning is all SQLSetPos does; updates through a cursor and bulk
 * operations are answered with HYC00 ("optional feature not implemented"), as the reference
 * allows.
 */
#include "drv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DRV_API SQLRETURN SQL_API SQLSetPos(SQLHSTMT hstmt, SQLSETPOSIROW row, SQLUSMALLINT op,
                                    SQLUSMALLINT lock)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    SQLRETURN rc = SQL_SUCCESS;
    if (op != SQL_POSITION)
        rc = drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                          "cursors are read-only: only SQL_POSITION is supported");
    else if (lock != SQL_LOCK_NO_CHANGE)
        rc = drv_diag_add(&st->h, SQL_ERROR, "HYC00", "row locks are not supported");
    else if (!st->cursor || !st->on_row)
        rc = drv_diag_add(&st->h, SQL_ERROR, "24000", "the cursor is not positioned on a rowset");
    else if (row < 1 || row > st->rowset_len)
        rc = drv_diag_add(&st->h, SQL_ERROR, "HY107", "row %lu is outside the rowset of %lu",
                          (unsigned long)row, (unsigned long)st->rowset_len);
    else if (st->rowset_len > 1)
        rc = drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                          "positioning within a rowset of several rows is not supported");
    else
        st->rowset_pos = row - 1;
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLBulkOperations(SQLHSTMT hstmt, SQLSMALLINT op)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                                          "bulk operation %d through a cursor is not supported "
                                          "(cursors are read-only); use INSERT with a parameter "
                                          "array",
                                          op));
}

/* The cursor name: the application's, or SQL_CUR followed by a number unique to the
 * statement, made on first use. */
static const char *drv_cursor_name(drv_stmt *st)
{
    if (!st->cursor_name[0])
        snprintf(st->cursor_name, sizeof st->cursor_name, "SQL_CUR%lx",
                 (unsigned long)(uintptr_t)st);
    return st->cursor_name;
}

DRV_API SQLRETURN SQL_API SQLGetCursorName(SQLHSTMT hstmt, SQLCHAR *name, SQLSMALLINT cap,
                                           SQLSMALLINT *len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h,
                     drv_put_str_small(&st->h, drv_cursor_name(st), false, false, name, cap, len));
}

DRV_API SQLRETURN SQL_API SQLGetCursorNameW(SQLHSTMT hstmt, SQLWCHAR *name, SQLSMALLINT cap,
                                            SQLSMALLINT *len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h,
                     drv_put_str_small(&st->h, drv_cursor_name(st), true, false, name, cap, len));
}

static SQLRETURN drv_set_cursor_name(drv_stmt *st, char *name)
{
    SQLRETURN rc = SQL_SUCCESS;
    if (!name)
        rc = drv_diag_nomem(&st->h);
    else if (st->cursor)
        rc = drv_diag_add(&st->h, SQL_ERROR, "24000", "a cursor is open on this statement");
    else if (!name[0] || strlen(name) >= sizeof st->cursor_name)
        rc = drv_diag_add(&st->h, SQL_ERROR, "34000", "a cursor name must have 1 to %zu bytes",
                          sizeof st->cursor_name - 1);
    else if (strncmp(name, "SQL_CUR", 7) == 0 || strncmp(name, "SQLCUR", 6) == 0)
        rc = drv_diag_add(&st->h, SQL_ERROR, "34000",
                          "cursor names starting with SQL_CUR or SQLCUR are reserved");
    else
        snprintf(st->cursor_name, sizeof st->cursor_name, "%s", name);
    free(name);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLSetCursorName(SQLHSTMT hstmt, SQLCHAR *name, SQLSMALLINT len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_set_cursor_name(st, drv_str_in(name, len)));
}

DRV_API SQLRETURN SQL_API SQLSetCursorNameW(SQLHSTMT hstmt, SQLWCHAR *name, SQLSMALLINT len)
{
    DRV_ENTER(st, drv_stmt, hstmt, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_set_cursor_name(st, drv_wstr_in(name, len)));
}

/* SQLNativeSql: the text the engine would run for the application's SQL. */
static SQLRETURN drv_native_sql(drv_dbc *dbc, char *in, bool wide, SQLPOINTER out, SQLINTEGER cap,
                                SQLINTEGER *len)
{
    if (!in)
        return drv_diag_nomem(&dbc->h);
    char *native = NULL;
    SQLRETURN rc = drv_translate_sql(&dbc->h, in, strlen(in), &native);
    if (rc != SQL_ERROR)
        rc = drv_put_str_int(&dbc->h, native ? native : in, wide, false, out, cap, len);
    free(native);
    free(in);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLNativeSql(SQLHDBC hdbc, SQLCHAR *in, SQLINTEGER in_len, SQLCHAR *out,
                                       SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_native_sql(dbc, drv_str_in(in, in_len), false, out, cap, len));
}

DRV_API SQLRETURN SQL_API SQLNativeSqlW(SQLHDBC hdbc, SQLWCHAR *in, SQLINTEGER in_len,
                                        SQLWCHAR *out, SQLINTEGER cap, SQLINTEGER *len)
{
    DRV_ENTER(dbc, drv_dbc, hdbc, DRV_MAGIC_DBC);
    return drv_leave(&dbc->h, drv_native_sql(dbc, drv_wstr_in(in, in_len), true, out, cap, len));
}
