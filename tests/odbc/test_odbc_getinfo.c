/*
 * SQLGetInfo's cursor capabilities are what really works, through the driver manager
 * (driver/src/info.c): every cursor attribute bit claimed is used and must work; one not
 * claimed (absolute fetches on a forward-only cursor) must be refused. The SQL language
 * masks, {fn} functions and CONVERT pairs are checked the same way in tests/sql/test_info.c.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

static SQLUINTEGER info32(SQLUSMALLINT type)
{
    SQLUINTEGER v = 0;
    CU_ASSERT_EQUAL(SQLGetInfo(dbc, type, &v, sizeof v, NULL), SQL_SUCCESS);
    return v;
}

static SQLHSTMT query(SQLULEN cursor_type, const char *sql)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)cursor_type, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), SQL_SUCCESS);
    return st;
}

static SQLINTEGER current(SQLHSTMT st)
{
    SQLINTEGER v = -1;
    SQLGetData(st, 1, SQL_C_SLONG, &v, 0, NULL);
    return v;
}

static void test_cursor_attributes(void)
{
    CU_ASSERT_EQUAL(info32(SQL_SCROLL_OPTIONS), SQL_SO_FORWARD_ONLY | SQL_SO_STATIC);
    const char *sql = "select a from n order by a";

    SQLUINTEGER fwd1 = info32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1);
    CU_ASSERT_EQUAL(fwd1, SQL_CA1_NEXT | SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION);
    SQLHSTMT st = query(SQL_CURSOR_FORWARD_ONLY, sql);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_NEXT, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_ABSOLUTE, 2), SQL_ERROR); /* not claimed */
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY106");
    SQLFreeHandle(SQL_HANDLE_STMT, st);

    SQLUINTEGER static1 = info32(SQL_STATIC_CURSOR_ATTRIBUTES1);
    CU_ASSERT_EQUAL(static1, SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE |
                                 SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION);
    st = query(SQL_CURSOR_STATIC, sql);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_ABSOLUTE, 3), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 3);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_RELATIVE, -1), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 2);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_NEXT, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 3);
    CU_ASSERT_EQUAL(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_SUCCESS);
    SQLFreeHandle(SQL_HANDLE_STMT, st);

    /* ODBC 2's SQLExtendedFetch directions, on a static cursor. */
    SQLUINTEGER fd = info32(SQL_FETCH_DIRECTION);
    CU_ASSERT_EQUAL(fd, SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST |
                            SQL_FD_FETCH_PRIOR | SQL_FD_FETCH_ABSOLUTE | SQL_FD_FETCH_RELATIVE);
    st = query(SQL_CURSOR_STATIC, sql);
    SQLULEN got;
    SQLUSMALLINT status;
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_LAST, 0, &got, &status), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 4);
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_PRIOR, 0, &got, &status), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 3);
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_FIRST, 0, &got, &status), SQL_SUCCESS);
    CU_ASSERT_EQUAL(current(st), 1);
    SQLFreeHandle(SQL_HANDLE_STMT, st);

    /* Both cursor types: read-only, SQL_ATTR_MAX_ROWS for queries and catalog results. */
    SQLUINTEGER ca2 =
        SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT | SQL_CA2_MAX_ROWS_CATALOG;
    CU_ASSERT_EQUAL(info32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2), ca2);
    CU_ASSERT_EQUAL(info32(SQL_STATIC_CURSOR_ATTRIBUTES2), ca2);
    SQLULEN cursor_types[] = {SQL_CURSOR_FORWARD_ONLY, SQL_CURSOR_STATIC};
    for (int i = 0; i < 2; i++) {
        SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
        SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)cursor_types[i], 0);
        SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)2, 0);
        CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS), SQL_SUCCESS);
        int rows = 0;
        while (SQL_SUCCEEDED(SQLFetch(st)))
            rows++;
        CU_ASSERT_EQUAL(rows, 2);
        SQLFreeStmt(st, SQL_CLOSE);
        SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)1, 0);
        CU_ASSERT_EQUAL(SQLGetTypeInfo(st, SQL_ALL_TYPES), SQL_SUCCESS);
        rows = 0;
        while (SQL_SUCCEEDED(SQLFetch(st)))
            rows++;
        CU_ASSERT_EQUAL(rows, 1);
        SQLFreeHandle(SQL_HANDLE_STMT, st);
    }
    /* No keyset-driven or dynamic cursors. */
    CU_ASSERT_EQUAL(info32(SQL_KEYSET_CURSOR_ATTRIBUTES1), 0);
    CU_ASSERT_EQUAL(info32(SQL_DYNAMIC_CURSOR_ATTRIBUTES1), 0);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("getinfo.eider", ""));
    if (!dbc)
        return -1;
    if (strcmp(ou_exec(dbc, "create table n (a int)"), "00000") != 0 ||
        strcmp(ou_exec(dbc, "insert into n values (1), (2), (3), (4)"), "00000") != 0)
        return -1;
    return 0;
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo getinfo_tests[] = {
    {"cursor attributes", test_cursor_attributes},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc getinfo", setup, teardown, NULL, NULL, getinfo_tests})
