/*
 * How every engine type is described, through the driver manager: SQLColumns' size,
 * octet length, digits, radix, verbose type and subcode after the reference's Appendix D;
 * the same answers from SQLDescribeCol / SQLColAttribute and from SQLGetTypeInfo; the
 * catalog results' own SMALLINT columns; ODBC 2 date codes; static cursors over every type.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

static const char *ddl = "create table ty (s smallint, i int, b bigint, d double, n decimal(10,3), "
                         "dt date, tm time, ts timestamp, iv interval, bl blob, "
                         "vb varbinary(16), bo boolean, v varchar(20))";

static SQLHSTMT stmt(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    return st;
}

/* Columns of the current row as text, from..to, joined by '|' (NULL as "NULL"). */
static const char *row_text(SQLHSTMT st, int from, int to)
{
    static char out[1024];
    size_t len = 0;
    out[0] = '\0';
    for (int c = from; c <= to; c++) {
        char buf[128];
        SQLLEN ind;
        SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof buf, &ind);
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", c > from ? "|" : "",
                                ind == SQL_NULL_DATA ? "NULL" : buf);
    }
    return out;
}

static void test_columns_per_type(void)
{
    /* COLUMN_NAME, then DATA_TYPE .. DECIMAL_DIGITS, NUM_PREC_RADIX, then SQL_DATA_TYPE,
     * SQL_DATETIME_SUB, CHAR_OCTET_LENGTH. */
    static const char *expected[] = {
        "s|5|SMALLINT|5|2|0|10|5|NULL|NULL",
        "i|4|INTEGER|10|4|0|10|4|NULL|NULL",
        "b|-5|BIGINT|19|8|0|10|-5|NULL|NULL",
        "d|8|DOUBLE|15|8|NULL|10|8|NULL|NULL",
        "n|3|DECIMAL|10|12|3|10|3|NULL|NULL",
        "dt|91|DATE|10|6|NULL|NULL|9|1|NULL",
        "tm|92|TIME|15|6|6|NULL|9|2|NULL",
        "ts|93|TIMESTAMP|26|16|6|NULL|9|3|NULL",
        "iv|12|INTERVAL|64|64|NULL|NULL|12|NULL|64",
        "bl|-3|BLOB|65535|65535|NULL|NULL|-3|NULL|65535",
        "vb|-3|BLOB|16|16|NULL|NULL|-3|NULL|16",
        "bo|-7|BOOLEAN|1|1|NULL|NULL|-7|NULL|NULL",
        "v|12|VARCHAR|20|80|NULL|NULL|12|NULL|80",
    };
    SQLHSTMT st = stmt();
    CU_ASSERT_EQUAL(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"ty", SQL_NTS, NULL, 0),
                    SQL_SUCCESS);
    size_t n = 0;
    while (SQL_SUCCEEDED(SQLFetch(st)) && n < sizeof expected / sizeof *expected) {
        char got[512];
        snprintf(got, sizeof got, "%s|", row_text(st, 4, 10));
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s", row_text(st, 14, 16));
        CU_ASSERT_STRING_EQUAL(got, expected[n]);
        n++;
    }
    CU_ASSERT_EQUAL(n, sizeof expected / sizeof *expected);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* SQLDescribeCol and SQLColAttribute on a query over the table say what SQLColumns says. */
static void test_describe_matches_columns(void)
{
    SQLHSTMT cols = stmt(), q = stmt();
    SQLColumns(cols, NULL, 0, NULL, 0, (SQLCHAR *)"ty", SQL_NTS, NULL, 0);
    CU_ASSERT_EQUAL(SQLPrepare(q, (SQLCHAR *)"select * from ty", SQL_NTS), SQL_SUCCESS);
    SQLUSMALLINT c = 0;
    while (SQL_SUCCEEDED(SQLFetch(cols))) {
        c++;
        SQLSMALLINT data_type, sql_data_type;
        SQLINTEGER size, octets;
        SQLSMALLINT digits = 0, radix = 0, sub = 0;
        SQLLEN ind;
        char type_name[64];
        SQLGetData(cols, 5, SQL_C_SSHORT, &data_type, 0, NULL);
        SQLGetData(cols, 6, SQL_C_CHAR, type_name, sizeof type_name, NULL);
        SQLGetData(cols, 7, SQL_C_SLONG, &size, 0, NULL);
        SQLGetData(cols, 8, SQL_C_SLONG, &octets, 0, NULL);
        SQLGetData(cols, 9, SQL_C_SSHORT, &digits, 0, &ind);
        if (ind == SQL_NULL_DATA)
            digits = 0;
        SQLGetData(cols, 10, SQL_C_SSHORT, &radix, 0, &ind);
        if (ind == SQL_NULL_DATA)
            radix = 0;
        SQLGetData(cols, 14, SQL_C_SSHORT, &sql_data_type, 0, NULL);
        SQLGetData(cols, 15, SQL_C_SSHORT, &sub, 0, &ind);
        if (ind == SQL_NULL_DATA)
            sub = 0;

        char name[64];
        SQLSMALLINT nl, type, dd, nullable;
        SQLULEN col_size;
        CU_ASSERT_EQUAL(SQLDescribeCol(q, c, (SQLCHAR *)name, sizeof name, &nl, &type, &col_size,
                                       &dd, &nullable),
                        SQL_SUCCESS);
        CU_ASSERT_EQUAL(type, data_type);
        CU_ASSERT_EQUAL(col_size, (SQLULEN)size);
        CU_ASSERT_EQUAL(dd, digits);
        SQLLEN v = -1;
        SQLColAttribute(q, c, SQL_DESC_OCTET_LENGTH, NULL, 0, NULL, &v);
        CU_ASSERT_EQUAL(v, octets);
        SQLColAttribute(q, c, SQL_DESC_NUM_PREC_RADIX, NULL, 0, NULL, &v);
        CU_ASSERT_EQUAL(v, radix);
        SQLColAttribute(q, c, SQL_DESC_TYPE, NULL, 0, NULL, &v);
        CU_ASSERT_EQUAL(v, sql_data_type);
        SQLColAttribute(q, c, SQL_DESC_DATETIME_INTERVAL_CODE, NULL, 0, NULL, &v);
        CU_ASSERT_EQUAL(v, sub);
        SQLColAttribute(q, c, SQL_DESC_CONCISE_TYPE, NULL, 0, NULL, &v);
        CU_ASSERT_EQUAL(v, data_type);
        char tn[64];
        SQLColAttribute(q, c, SQL_DESC_TYPE_NAME, tn, sizeof tn, NULL, NULL);
        CU_ASSERT_STRING_EQUAL(tn, type_name);
        /* SQLGetTypeInfo lists the type under the same DATA_TYPE and name. */
        SQLHSTMT ti = stmt();
        CU_ASSERT_EQUAL(SQLGetTypeInfo(ti, data_type), SQL_SUCCESS);
        bool listed = false;
        while (SQL_SUCCEEDED(SQLFetch(ti))) {
            char tin[64];
            SQLGetData(ti, 1, SQL_C_CHAR, tin, sizeof tin, NULL);
            listed = listed || strcmp(tin, type_name) == 0;
        }
        CU_ASSERT_TRUE(listed);
        SQLFreeHandle(SQL_HANDLE_STMT, ti);
    }
    CU_ASSERT_EQUAL(c, 13);
    SQLFreeHandle(SQL_HANDLE_STMT, cols);
    SQLFreeHandle(SQL_HANDLE_STMT, q);
}

static void test_type_info_rows(void)
{
    SQLHSTMT st = stmt();
    /* TYPE_NAME .. COLUMN_SIZE, LITERAL_PREFIX/SUFFIX, CREATE_PARAMS, then MINIMUM_SCALE ..
     * NUM_PREC_RADIX. */
    static const struct {
        SQLSMALLINT type;
        const char *row;
    } cases[] = {
        {SQL_SMALLINT, "SMALLINT|5|5|NULL|NULL|NULL|0|0|5|NULL|10"},
        {SQL_DECIMAL, "DECIMAL|3|38|NULL|NULL|precision,scale|0|38|3|NULL|10"},
        {SQL_NUMERIC, "NUMERIC|2|38|NULL|NULL|precision,scale|0|38|2|NULL|10"},
        {SQL_DOUBLE, "DOUBLE|8|15|NULL|NULL|NULL|NULL|NULL|8|NULL|10"},
        {SQL_TYPE_DATE, "DATE|91|10|'|'|NULL|NULL|NULL|9|1|NULL"},
        {SQL_TYPE_TIME, "TIME|92|15|'|'|NULL|6|6|9|2|NULL"},
        {SQL_TYPE_TIMESTAMP, "TIMESTAMP|93|26|'|'|NULL|6|6|9|3|NULL"},
        {SQL_VARBINARY, "BLOB|-3|65535|'\\x|'|max length|NULL|NULL|-3|NULL|NULL"},
        {SQL_LONGVARBINARY, "BLOB|-4|65535|'\\x|'|max length|NULL|NULL|-4|NULL|NULL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CU_ASSERT_EQUAL(SQLGetTypeInfo(st, cases[i].type), SQL_SUCCESS);
        CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
        char got[512];
        snprintf(got, sizeof got, "%s|", row_text(st, 1, 6));
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s", row_text(st, 14, 18));
        CU_ASSERT_STRING_EQUAL(got, cases[i].row);
        SQLCloseCursor(st);
    }
    /* INTERVAL is described as its text, after VARCHAR. */
    SQLGetTypeInfo(st, SQL_VARCHAR);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 1, 2), "VARCHAR|12");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 1, 2), "INTERVAL|12");
    SQLCloseCursor(st);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* The reference types some catalog result columns SMALLINT (DATA_TYPE, NULLABLE ...). */
static void test_catalog_smallint_columns(void)
{
    SQLHSTMT st = stmt();
    SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"ty", SQL_NTS, NULL, 0);
    static const struct {
        SQLUSMALLINT col;
        SQLSMALLINT type;
    } want[] = {{5, SQL_SMALLINT},  {7, SQL_INTEGER},   {9, SQL_SMALLINT},
                {10, SQL_SMALLINT}, {11, SQL_SMALLINT}, {14, SQL_SMALLINT},
                {15, SQL_SMALLINT}, {16, SQL_INTEGER},  {17, SQL_INTEGER}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char name[64];
        SQLSMALLINT nl, type, dd, nullable;
        SQLULEN size;
        SQLDescribeCol(st, want[i].col, (SQLCHAR *)name, sizeof name, &nl, &type, &size, &dd,
                       &nullable);
        CU_ASSERT_EQUAL(type, want[i].type);
    }
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    SQLSMALLINT data_type = 0;
    CU_ASSERT_EQUAL(SQLGetData(st, 5, SQL_C_SSHORT, &data_type, 0, NULL), SQL_SUCCESS);
    CU_ASSERT_EQUAL(data_type, SQL_SMALLINT);
    SQLCloseCursor(st);
    SQLGetTypeInfo(st, SQL_ALL_TYPES);
    char name[64];
    SQLSMALLINT nl, type, dd, nullable;
    SQLULEN size;
    SQLDescribeCol(st, 2, (SQLCHAR *)name, sizeof name, &nl, &type, &size, &dd, &nullable);
    CU_ASSERT_EQUAL(type, SQL_SMALLINT);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* ODBC 2 applications see SQL_DATE, SQL_TIME and SQL_TIMESTAMP in catalog results too (the
 * driver manager maps SQLDescribeCol's answer itself). */
static void test_odbc2_codes(void)
{
    SQLHENV env;
    SQLHDBC dbc2;
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC2, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc2);
    const char *cs = ou_conn("types.eider", "");
    CU_ASSERT_TRUE_FATAL(SQL_SUCCEEDED(
        SQLDriverConnect(dbc2, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT)));
    SQLAllocHandle(SQL_HANDLE_STMT, dbc2, &st);
    CU_ASSERT_EQUAL(
        SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"ty", SQL_NTS, (SQLCHAR *)"t%", SQL_NTS),
        SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 4, 5), "tm|10");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 4, 5), "ts|11");
    SQLCloseCursor(st);
    CU_ASSERT_EQUAL(SQLGetTypeInfo(st, SQL_DATE), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 1, 2), "DATE|9");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_NO_DATA);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLDisconnect(dbc2);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc2);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
}

/* A static cursor keeps every type: scroll back and read the values again. */
static void test_static_cursor_types(void)
{
    SQLHSTMT st = stmt();
    SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select * from ty order by s", SQL_NTS),
                    SQL_SUCCESS);
    const char *first = "1|2|3|0.5|1.250|2024-01-02|10:11:12|2024-01-02 10:11:12|1 day|0102|FF|1|a";
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_LAST, 0), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 1, 3), "2|NULL|NULL");
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_FIRST, 0), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(row_text(st, 1, 13), first);
    SQL_TIMESTAMP_STRUCT ts;
    CU_ASSERT_EQUAL(SQLGetData(st, 8, SQL_C_TYPE_TIMESTAMP, &ts, sizeof ts, NULL), SQL_SUCCESS);
    CU_ASSERT_EQUAL(ts.hour, 10);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("types.eider", ""));
    if (!dbc)
        return -1;
    const char *const sql[] = {
        ddl,
        "insert into ty values (1, 2, 3, 0.5, 1.25, date '2024-01-02', time '10:11:12', "
        "timestamp '2024-01-02 10:11:12', interval '1' day, '\\x0102', '\\xff', true, 'a')",
        "insert into ty (s) values (2)",
    };
    return OU_EXEC_ALL(dbc, sql);
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

/* The SQLSTATE of running `sql` (one parameter) with the value bound as c_type. */
static const char *run_with(const char *sql, SQLSMALLINT c_type, SQLSMALLINT sql_type, void *v)
{
    static char state[6];
    SQLHSTMT st = stmt();
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, c_type, sql_type, 38, 2, v, 0, NULL);
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    snprintf(state, sizeof state, "%s",
             SQL_SUCCEEDED(rc) ? "00000" : ou_state(SQL_HANDLE_STMT, st));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return state;
}

/* Appendix D: a struct whose fields are no real date or time is 22008, a NUMERIC beyond
 * 38 digits 22003; valid ones go in unchanged. */
static void test_struct_parameters_are_checked(void)
{
    const char *sel = "select cast(? as varchar(40))";
    SQL_DATE_STRUCT d = {2024, 2, 29};
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_DATE, SQL_TYPE_DATE, &d), "00000");
    d.year = 2023; /* not a leap year */
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_DATE, SQL_TYPE_DATE, &d), "22008");
    d = (SQL_DATE_STRUCT){2024, 13, 1};
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_DATE, SQL_TYPE_DATE, &d), "22008");
    SQL_TIME_STRUCT t = {24, 0, 0};
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_TIME, SQL_TYPE_TIME, &t), "22008");
    SQL_TIMESTAMP_STRUCT ts = {2024, 1, 2, 3, 4, 5, 123456000};
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts), "00000");
    ts.fraction = 123456789; /* nanoseconds a TIMESTAMP cannot keep */
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts), "22008");
    ts = (SQL_TIMESTAMP_STRUCT){2024, 4, 31, 0, 0, 0, 0};
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts), "22008");
    SQL_NUMERIC_STRUCT n = {38, 2, 1, {0}};
    n.val[0] = 0x39; /* 12345 = 0x3039: 123.45 */
    n.val[1] = 0x30;
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_NUMERIC, SQL_NUMERIC, &n), "00000");
    memset(n.val, 0xff, 16); /* 2^128 - 1: 39 digits */
    n.val[15] = 0x7f;
    CU_ASSERT_STRING_EQUAL(run_with(sel, SQL_C_NUMERIC, SQL_NUMERIC, &n), "22003");
}

/* Fetching `sql`'s one value as SQL_C_NUMERIC: the SQLSTATE ("00000" for plain success)
 * and, through num, the struct. */
static const char *fetch_numeric(const char *sql, SQL_NUMERIC_STRUCT *num)
{
    static char state[6];
    SQLHSTMT st = stmt();
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    if (SQL_SUCCEEDED(rc))
        rc = SQLFetch(st);
    if (SQL_SUCCEEDED(rc))
        rc = SQLGetData(st, 1, SQL_C_NUMERIC, num, sizeof *num, NULL);
    snprintf(state, sizeof state, "%s",
             rc == SQL_SUCCESS ? "00000" : ou_state(SQL_HANDLE_STMT, st));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return state;
}

/* SQL_C_NUMERIC holds 38 digits: more before the point is 22003, more after it is cut with
 * 01S07; never a silently wrapped value. */
static void test_numeric_fetch_limits(void)
{
    SQL_NUMERIC_STRUCT n;
    CU_ASSERT_STRING_EQUAL(fetch_numeric("select 123.45e0", &n), "00000");
    CU_ASSERT_EQUAL(n.scale, 2);
    CU_ASSERT_EQUAL(n.val[0] | n.val[1] << 8, 12345);
    CU_ASSERT_STRING_EQUAL(fetch_numeric("select 1e300", &n), "22003");
    CU_ASSERT_STRING_EQUAL(fetch_numeric("select '1234567890123456789012345678901234567890'", &n),
                           "22003");
    CU_ASSERT_STRING_EQUAL(
        fetch_numeric("select '0.12345678901234567890123456789012345678901'", &n), "01S07");
    CU_ASSERT_EQUAL(n.scale, 38);
}

static CU_TestInfo types_tests[] = {
    {"SQL_C_NUMERIC fetch limits", test_numeric_fetch_limits},
    {"struct parameters are checked", test_struct_parameters_are_checked},
    {"SQLColumns for every type", test_columns_per_type},
    {"SQLDescribeCol and SQLColAttribute match SQLColumns", test_describe_matches_columns},
    {"SQLGetTypeInfo rows", test_type_info_rows},
    {"catalog results' SMALLINT columns", test_catalog_smallint_columns},
    {"ODBC 2 date and time codes", test_odbc2_codes},
    {"static cursors keep every type", test_static_cursor_types},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc types", setup, teardown, NULL, NULL, types_tests})
