/*
 * SQLGetInfo's conversion masks and cursor capabilities are what really runs, through the
 * driver manager (driver/src/info.c). For every pair of a SQL_CONVERT_* source and a
 * CONVERT target type, {fn CONVERT(value, target)} must succeed exactly when the mask
 * claims the conversion. Every cursor attribute bit claimed is used and must work; one
 * not claimed (absolute fetches on a forward-only cursor) must be refused. The {fn}
 * function masks are checked the same way in tests/sql/test_info.c.
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

/* A source: its SQL_CONVERT_* info type and a value of it (NULL: text, chosen per target). */
typedef struct source {
    SQLUSMALLINT info;
    const char *value;
} source;

static const source sources[] = {
    {SQL_CONVERT_BIGINT, "cast(7 as bigint)"},
    {SQL_CONVERT_INTEGER, "7"},
    {SQL_CONVERT_SMALLINT, "cast(7 as smallint)"},
    {SQL_CONVERT_TINYINT, "cast(7 as smallint)"},
    {SQL_CONVERT_DOUBLE, "7.5e0"},
    {SQL_CONVERT_FLOAT, "7.5e0"},
    {SQL_CONVERT_REAL, "7.5e0"},
    {SQL_CONVERT_DECIMAL, "7.5"},
    {SQL_CONVERT_NUMERIC, "7.5"},
    {SQL_CONVERT_BIT, "true"},
    {SQL_CONVERT_CHAR, NULL},
    {SQL_CONVERT_VARCHAR, NULL},
    {SQL_CONVERT_LONGVARCHAR, NULL},
    {SQL_CONVERT_WCHAR, NULL},
    {SQL_CONVERT_WVARCHAR, NULL},
    {SQL_CONVERT_WLONGVARCHAR, NULL},
    {SQL_CONVERT_DATE, "date '2024-01-02'"},
    {SQL_CONVERT_TIME, "time '10:11:12'"},
    {SQL_CONVERT_TIMESTAMP, "timestamp '2024-01-02 10:11:12'"},
    {SQL_CONVERT_BINARY, "cast('\\x0102' as blob)"},
    {SQL_CONVERT_VARBINARY, "cast('\\x0102' as blob)"},
    {SQL_CONVERT_LONGVARBINARY, "cast('\\x0102' as blob)"},
};

/* A CONVERT target, its SQL_CVT_* bit, and text that converts to it. */
typedef struct target {
    const char *name;
    SQLUINTEGER cvt;
    const char *text;
} target;

static const target targets[] = {
    {"SQL_BIGINT", SQL_CVT_BIGINT, "'1'"},
    {"SQL_INTEGER", SQL_CVT_INTEGER, "'1'"},
    {"SQL_SMALLINT", SQL_CVT_SMALLINT, "'1'"},
    {"SQL_TINYINT", SQL_CVT_TINYINT, "'1'"},
    {"SQL_DOUBLE", SQL_CVT_DOUBLE, "'1'"},
    {"SQL_FLOAT", SQL_CVT_FLOAT, "'1'"},
    {"SQL_REAL", SQL_CVT_REAL, "'1'"},
    {"SQL_DECIMAL", SQL_CVT_DECIMAL, "'1.5'"},
    {"SQL_NUMERIC", SQL_CVT_NUMERIC, "'1.5'"},
    {"SQL_BIT", SQL_CVT_BIT, "'1'"},
    {"SQL_CHAR", SQL_CVT_CHAR, "'a'"},
    {"SQL_VARCHAR", SQL_CVT_VARCHAR, "'a'"},
    {"SQL_LONGVARCHAR", SQL_CVT_LONGVARCHAR, "'a'"},
    {"SQL_WCHAR", SQL_CVT_WCHAR, "'a'"},
    {"SQL_WVARCHAR", SQL_CVT_WVARCHAR, "'a'"},
    {"SQL_WLONGVARCHAR", SQL_CVT_WLONGVARCHAR, "'a'"},
    {"SQL_DATE", SQL_CVT_DATE, "'2024-01-02'"},
    {"SQL_TIME", SQL_CVT_TIME, "'10:11:12'"},
    {"SQL_TIMESTAMP", SQL_CVT_TIMESTAMP, "'2024-01-02 10:11:12'"},
    {"SQL_BINARY", SQL_CVT_BINARY, "'\\x01'"},
    {"SQL_VARBINARY", SQL_CVT_VARBINARY, "'\\x01'"},
    {"SQL_LONGVARBINARY", SQL_CVT_LONGVARBINARY, "'\\x01'"},
    {"SQL_GUID", SQL_CVT_GUID, "'a'"},
};

static void test_convert_masks(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    int claimed = 0;
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        SQLUINTEGER mask = info32(sources[i].info);
        for (size_t j = 0; j < sizeof targets / sizeof *targets; j++) {
            char sql[256];
            snprintf(sql, sizeof sql, "select {fn convert(%s, %s)}",
                     sources[i].value ? sources[i].value : targets[j].text, targets[j].name);
            SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
            bool ok = SQL_SUCCEEDED(rc) && SQL_SUCCEEDED(SQLFetch(st));
            bool claims = (mask & targets[j].cvt) != 0;
            if (ok != claims)
                fprintf(stderr, "\n  %s: claimed %d, ran %d (%s)\n", sql, claims, ok,
                        ok ? "" : ou_message(SQL_HANDLE_STMT, st));
            CU_ASSERT_EQUAL(ok, claims);
            claimed += claims;
            SQLFreeStmt(st, SQL_CLOSE);
        }
    }
    CU_ASSERT_TRUE(claimed > 100);
    /* Intervals and GUIDs: no source of those types converts anywhere by CONVERT. */
    CU_ASSERT_EQUAL(info32(SQL_CONVERT_GUID), 0);
    CU_ASSERT_EQUAL(info32(SQL_CONVERT_INTERVAL_DAY_TIME), 0);
    CU_ASSERT_EQUAL(info32(SQL_CONVERT_INTERVAL_YEAR_MONTH), 0);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
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
    {"SQL_CONVERT_* masks match CONVERT", test_convert_masks},
    {"cursor attributes", test_cursor_attributes},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc getinfo", setup, teardown, NULL, NULL, getinfo_tests})
