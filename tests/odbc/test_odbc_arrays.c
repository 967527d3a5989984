/*
 * Block cursors, parameter arrays, data at execution and descriptors through the driver
 * manager (driver/src/fetch.c, execute.c, params.c, desc.c): column- and row-wise binding,
 * status and count pointers, SQL_ATTR_MAX_ROWS, arrays that are all-or-nothing, values sent
 * in pieces, and descriptor fields read and written directly. (Results come in insertion
 * order: these tables are only ever appended to.)
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

static SQLHSTMT new_stmt(void)
{
    SQLHSTMT st;
    CU_ASSERT_EQUAL_FATAL(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_SUCCESS);
    return st;
}

static void fill(int n)
{
    ou_exec(dbc, "drop table if exists t");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table t (id int primary key, name varchar(20))"),
                           "00000");
    char sql[128];
    for (int i = 1; i <= n; i++) {
        if (i % 3 == 0)
            snprintf(sql, sizeof sql, "insert into t values (%d, null)", i);
        else
            snprintf(sql, sizeof sql, "insert into t values (%d, 'n%d')", i, i);
        CU_ASSERT_STRING_EQUAL(ou_exec(dbc, sql), "00000");
    }
}

static void test_block_cursor_column_wise(void)
{
    fill(10);
    SQLHSTMT st = new_stmt();
    SQLINTEGER ids[4];
    SQLCHAR names[4][8];
    SQLLEN id_ind[4], name_ind[4];
    SQLUSMALLINT status[4];
    SQLULEN fetched = 0;
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)4, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLBindCol(st, 1, SQL_C_SLONG, ids, 0, id_ind);
    SQLBindCol(st, 2, SQL_C_CHAR, names, sizeof names[0], name_ind);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select id, name from t", SQL_NTS), SQL_SUCCESS);
    int seen = 0;
    SQLRETURN rc;
    while ((rc = SQLFetch(st)) == SQL_SUCCESS) {
        for (SQLULEN i = 0; i < fetched; i++) {
            int id = ++seen;
            CU_ASSERT_EQUAL(ids[i], id);
            CU_ASSERT_EQUAL(status[i], SQL_ROW_SUCCESS);
            if (id % 3 == 0) {
                CU_ASSERT_EQUAL(name_ind[i], SQL_NULL_DATA);
            } else {
                char want[16];
                snprintf(want, sizeof want, "n%d", id);
                CU_ASSERT_STRING_EQUAL((char *)names[i], want);
                CU_ASSERT_EQUAL(name_ind[i], (SQLLEN)strlen(want));
            }
        }
        if (fetched < 4) /* the last rowset: rows beyond the end are marked */
            CU_ASSERT_EQUAL(status[fetched], SQL_ROW_NOROW);
    }
    CU_ASSERT_EQUAL(rc, SQL_NO_DATA);
    CU_ASSERT_EQUAL(seen, 10);
    /* SQLGetData cannot read a rowset of several rows (SQL_GD_BLOCK is not offered). */
    SQLCloseCursor(st);
    SQLExecDirect(st, (SQLCHAR *)"select id from t", SQL_NTS);
    SQLFetch(st);
    SQLINTEGER one;
    CU_ASSERT_EQUAL(SQLGetData(st, 1, SQL_C_SLONG, &one, 0, NULL), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYC00");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_block_cursor_row_wise_and_max_rows(void)
{
    fill(7);
    struct row {
        SQLINTEGER id;
        SQLLEN id_ind;
        SQLCHAR name[8];
        SQLLEN name_ind;
    } rows[3];
    SQLHSTMT st = new_stmt();
    SQLULEN fetched = 0;
    SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)sizeof(struct row), 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLSetStmtAttr(st, SQL_ATTR_MAX_ROWS, (SQLPOINTER)5, 0);
    SQLBindCol(st, 1, SQL_C_SLONG, &rows[0].id, 0, &rows[0].id_ind);
    SQLBindCol(st, 2, SQL_C_CHAR, rows[0].name, sizeof rows[0].name, &rows[0].name_ind);
    SQLExecDirect(st, (SQLCHAR *)"select id, name from t", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(fetched, 3);
    CU_ASSERT_EQUAL(rows[2].id, 3);
    CU_ASSERT_EQUAL(rows[2].name_ind, SQL_NULL_DATA);
    CU_ASSERT_STRING_EQUAL((char *)rows[1].name, "n2");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(fetched, 2); /* MAX_ROWS 5 */
    CU_ASSERT_EQUAL(rows[1].id, 5);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_NO_DATA);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* The ids of the rowset just fetched, "1,2,3" (status SQL_ROW_NOROW rows left out). */
static const char *rowset_ids(const SQLINTEGER *ids, SQLULEN fetched)
{
    static char out[128];
    size_t n = 0;
    out[0] = '\0';
    for (SQLULEN i = 0; i < fetched; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%d", i ? "," : "", (int)ids[i]);
    return out;
}

static void test_static_cursor(void)
{
    fill(10);
    SQLHSTMT st = new_stmt();
    SQLINTEGER ids[3];
    SQLULEN fetched = 0;
    CU_ASSERT_EQUAL(SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_STATIC, 0),
                    SQL_SUCCESS);
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLBindCol(st, 1, SQL_C_SLONG, ids, 0, NULL);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select id from t", SQL_NTS), SQL_SUCCESS);
    SQLLEN count = 0;
    SQLRowCount(st, &count);
    CU_ASSERT_EQUAL(count, 10); /* a static cursor knows its size */
#define AT(orientation, offset, expect_rc, expect)                                                 \
    do {                                                                                           \
        fetched = 0;                                                                               \
        CU_ASSERT_EQUAL(SQLFetchScroll(st, orientation, offset), expect_rc);                       \
        CU_ASSERT_STRING_EQUAL(rowset_ids(ids, fetched), expect);                                  \
    } while (0)
    AT(SQL_FETCH_NEXT, 0, SQL_SUCCESS, "1,2,3");
    AT(SQL_FETCH_NEXT, 0, SQL_SUCCESS, "4,5,6");
    AT(SQL_FETCH_PRIOR, 0, SQL_SUCCESS, "1,2,3");
    AT(SQL_FETCH_PRIOR, 0, SQL_NO_DATA, ""); /* before the start */
    AT(SQL_FETCH_NEXT, 0, SQL_SUCCESS, "1,2,3");
    AT(SQL_FETCH_LAST, 0, SQL_SUCCESS, "8,9,10");
    AT(SQL_FETCH_NEXT, 0, SQL_NO_DATA, ""); /* after the end */
    AT(SQL_FETCH_PRIOR, 0, SQL_SUCCESS, "8,9,10");
    AT(SQL_FETCH_ABSOLUTE, 5, SQL_SUCCESS, "5,6,7");
    AT(SQL_FETCH_ABSOLUTE, -2, SQL_SUCCESS, "9,10");
    AT(SQL_FETCH_RELATIVE, -3, SQL_SUCCESS, "6,7,8");
    AT(SQL_FETCH_FIRST, 0, SQL_SUCCESS, "1,2,3");
    AT(SQL_FETCH_RELATIVE, 1, SQL_SUCCESS, "2,3,4");
    AT(SQL_FETCH_PRIOR, 0, SQL_SUCCESS_WITH_INFO, "1,2,3"); /* 01S06: moved to the first */
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "01S06");
    AT(SQL_FETCH_ABSOLUTE, 11, SQL_NO_DATA, "");
    AT(SQL_FETCH_ABSOLUTE, 0, SQL_NO_DATA, "");
    /* One row at a time, SQLGetData reads where the cursor is. */
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0);
    SQLFreeStmt(st, SQL_UNBIND);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_ABSOLUTE, 7), SQL_SUCCESS);
    SQLINTEGER one = 0;
    SQLGetData(st, 1, SQL_C_SLONG, &one, 0, NULL);
    CU_ASSERT_EQUAL(one, 7);
    SQLULEN number = 0;
    SQLGetStmtAttr(st, SQL_ATTR_ROW_NUMBER, &number, 0, NULL);
    CU_ASSERT_EQUAL(number, 7);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_PRIOR, 0), SQL_SUCCESS);
    SQLGetData(st, 1, SQL_C_SLONG, &one, 0, NULL);
    CU_ASSERT_EQUAL(one, 6);
    SQLCloseCursor(st);
    /* Catalog results scroll too; keyset-driven cursors become static (01S02). */
    CU_ASSERT_EQUAL(SQLTables(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_LAST, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_FIRST, 0), SQL_SUCCESS);
    SQLCloseCursor(st);
    CU_ASSERT_EQUAL(
        SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_KEYSET_DRIVEN, 0),
        SQL_SUCCESS_WITH_INFO);
    SQLULEN type = 0;
    SQLGetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, &type, 0, NULL);
    CU_ASSERT_EQUAL(type, SQL_CURSOR_STATIC);
    /* A forward-only cursor refuses to scroll. */
    SQLSetStmtAttr(st, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_FORWARD_ONLY, 0);
    SQLExecDirect(st, (SQLCHAR *)"select id from t", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetchScroll(st, SQL_FETCH_LAST, 0), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY106");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
#undef AT
}

static void test_parameter_arrays(void)
{
    ou_exec(dbc, "drop table if exists p");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table p (id int primary key, name varchar(20))"),
                           "00000");
    SQLHSTMT st = new_stmt();
    SQLINTEGER ids[5] = {1, 2, 3, 4, 5};
    SQLCHAR names[5][10] = {"one", "two", "three", "four", "five"};
    SQLLEN name_len[5] = {SQL_NTS, SQL_NTS, SQL_NULL_DATA, SQL_NTS, SQL_NTS};
    SQLUSMALLINT status[5], ops[5] = {SQL_PARAM_PROCEED, SQL_PARAM_PROCEED, SQL_PARAM_PROCEED,
                                      SQL_PARAM_IGNORE, SQL_PARAM_PROCEED};
    SQLULEN processed = 0;
    SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)5, 0);
    SQLSetStmtAttr(st, SQL_ATTR_PARAM_STATUS_PTR, status, 0);
    SQLSetStmtAttr(st, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0);
    SQLSetStmtAttr(st, SQL_ATTR_PARAM_OPERATION_PTR, ops, 0);
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0, NULL);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, names, sizeof names[0],
                     name_len);
    CU_ASSERT_EQUAL(SQLPrepare(st, (SQLCHAR *)"insert into p values (?, ?)", SQL_NTS), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(processed, 4);
    CU_ASSERT_EQUAL(status[0], SQL_PARAM_SUCCESS);
    CU_ASSERT_EQUAL(status[3], SQL_PARAM_UNUSED);
    SQLLEN count = 0;
    SQLRowCount(st, &count);
    CU_ASSERT_EQUAL(count, 4);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id, name from p"), "1|one;2|two;3|NULL;5|five");
    /* A failing set (a duplicate key) leaves nothing of the array behind. */
    ids[0] = 10, ids[1] = 11, ids[2] = 2, ids[3] = 12, ids[4] = 13;
    ops[3] = SQL_PARAM_PROCEED;
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_EQUAL(status[2], SQL_PARAM_ERROR);
    CU_ASSERT_EQUAL(status[0], SQL_PARAM_UNUSED);
    CU_ASSERT_EQUAL(status[4], SQL_PARAM_UNUSED);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id from p"), "1;2;3;5");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_parameter_arrays_row_wise(void)
{
    ou_exec(dbc, "drop table if exists r");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table r (a int, b double)"), "00000");
    struct prow {
        SQLINTEGER a;
        SQLLEN a_ind;
        SQLDOUBLE b;
        SQLLEN b_ind;
    } rows[3] = {{1, 0, 1.5, 0}, {2, 0, 2.5, SQL_NULL_DATA}, {3, 0, 3.5, 0}};
    SQLHSTMT st = new_stmt();
    SQLSetStmtAttr(st, SQL_ATTR_PARAM_BIND_TYPE, (SQLPOINTER)sizeof(struct prow), 0);
    SQLSetStmtAttr(st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &rows[0].a, 0,
                     &rows[0].a_ind);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &rows[0].b, 0,
                     &rows[0].b_ind);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"insert into r values (?, ?)", SQL_NTS),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select a, b from r"), "1|1.5;2|NULL;3|3.5");
    /* A query with a parameter array is refused rather than half answered. */
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select a from r where a = ?", SQL_NTS),
                    SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYC00");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_data_at_execution(void)
{
    ou_exec(dbc, "drop table if exists d");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table d (id int, txt varchar(100))"), "00000");
    SQLHSTMT st = new_stmt();
    SQLINTEGER id = 7;
    SQLLEN id_len = SQL_DATA_AT_EXEC, txt_len = SQL_LEN_DATA_AT_EXEC(0);
    char token_txt[] = "txt";
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, &id_len);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 100, 0, token_txt, 0,
                     &txt_len);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"insert into d values (?, ?)", SQL_NTS),
                    SQL_NEED_DATA);
    /* Other calls must wait. */
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY010");
    SQLPOINTER token = NULL;
    CU_ASSERT_EQUAL(SQLParamData(st, &token), SQL_NEED_DATA);
    CU_ASSERT_PTR_EQUAL(token, &id);
    SQLINTEGER value = 42;
    CU_ASSERT_EQUAL(SQLPutData(st, &value, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLParamData(st, &token), SQL_NEED_DATA);
    CU_ASSERT_PTR_EQUAL(token, token_txt);
    CU_ASSERT_EQUAL(SQLPutData(st, "hello, ", SQL_NTS), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLPutData(st, "pieces", 6), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLParamData(st, &token), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id, txt from d"), "42|hello, pieces");
    /* NULL through SQLPutData; SQLCancel abandons a half-sent statement. */
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_NEED_DATA);
    SQLParamData(st, &token);
    SQLPutData(st, &value, 0);
    SQLParamData(st, &token);
    CU_ASSERT_EQUAL(SQLPutData(st, NULL, SQL_NULL_DATA), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLParamData(st, &token), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id from d where txt is null"), "42");
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_NEED_DATA);
    CU_ASSERT_EQUAL(SQLCancel(st), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id from d"), "42;42");
    CU_ASSERT_EQUAL(SQLPutData(st, "x", 1), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY010");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_descriptors(void)
{
    fill(3);
    SQLHSTMT st = new_stmt();
    SQLHDESC ard, ird, ipd;
    SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &ard, 0, NULL);
    SQLGetStmtAttr(st, SQL_ATTR_IMP_ROW_DESC, &ird, 0, NULL);
    SQLGetStmtAttr(st, SQL_ATTR_IMP_PARAM_DESC, &ipd, 0, NULL);
    /* Binding through the ARD's fields instead of SQLBindCol. */
    SQLINTEGER id = 0;
    SQLLEN ind = 0;
    CU_ASSERT_EQUAL(SQLSetDescField(ard, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_SLONG, 0),
                    SQL_SUCCESS);
    SQLSetDescField(ard, 1, SQL_DESC_INDICATOR_PTR, &ind, 0);
    SQLSetDescField(ard, 1, SQL_DESC_OCTET_LENGTH_PTR, &ind, 0);
    CU_ASSERT_EQUAL(SQLSetDescField(ard, 1, SQL_DESC_DATA_PTR, &id, 0), SQL_SUCCESS);
    SQLSMALLINT count = 0;
    CU_ASSERT_EQUAL(SQLGetDescField(ard, 0, SQL_DESC_COUNT, &count, 0, NULL), SQL_SUCCESS);
    CU_ASSERT_EQUAL(count, 1);
    SQLExecDirect(st, (SQLCHAR *)"select id, name from t where id = 2", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(id, 2);
    /* The IRD describes the result like SQLColAttribute. */
    SQLGetDescField(ird, 0, SQL_DESC_COUNT, &count, 0, NULL);
    CU_ASSERT_EQUAL(count, 2);
    SQLCHAR name[32];
    SQLINTEGER name_len = 0;
    CU_ASSERT_EQUAL(SQLGetDescField(ird, 2, SQL_DESC_NAME, name, sizeof name, &name_len),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL((char *)name, "name");
    SQLSMALLINT type = 0;
    SQLGetDescField(ird, 1, SQL_DESC_CONCISE_TYPE, &type, 0, NULL);
    CU_ASSERT_EQUAL(type, SQL_INTEGER);
    CU_ASSERT_EQUAL(SQLSetDescField(ird, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_CHAR, 0),
                    SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DESC, ird), "HY016");
    SQLCloseCursor(st);
    /* The IPD holds what SQLBindParameter said about the parameter. */
    SQLINTEGER p = 1;
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_BIGINT, 0, 0, &p, 0, NULL);
    SQLGetDescField(ipd, 1, SQL_DESC_CONCISE_TYPE, &type, 0, NULL);
    CU_ASSERT_EQUAL(type, SQL_BIGINT);
    /* An allocated ARD, shared by a statement, and a copy of the statement's APD. */
    SQLHDESC mine;
    CU_ASSERT_EQUAL(SQLAllocHandle(SQL_HANDLE_DESC, dbc, &mine), SQL_SUCCESS);
    SQLINTEGER id2 = 0;
    SQLLEN ind2 = 0;
    SQLSetDescRec(mine, 1, SQL_C_SLONG, 0, 0, 0, 0, &id2, &ind2, &ind2);
    CU_ASSERT_EQUAL(SQLSetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, mine, 0), SQL_SUCCESS);
    SQLExecDirect(st, (SQLCHAR *)"select id from t where id = 3", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(id2, 3);
    SQLCloseCursor(st);
    SQLHDESC apd;
    SQLGetStmtAttr(st, SQL_ATTR_APP_PARAM_DESC, &apd, 0, NULL);
    CU_ASSERT_EQUAL(SQLCopyDesc(apd, mine), SQL_SUCCESS);
    SQLPOINTER data = NULL;
    SQLGetDescField(mine, 1, SQL_DESC_DATA_PTR, &data, 0, NULL);
    CU_ASSERT_PTR_EQUAL(data, &p);
    /* Freeing it puts the statement back on its own ARD. */
    CU_ASSERT_EQUAL(SQLFreeHandle(SQL_HANDLE_DESC, mine), SQL_SUCCESS);
    SQLHDESC now;
    SQLGetStmtAttr(st, SQL_ATTR_APP_ROW_DESC, &now, 0, NULL);
    CU_ASSERT_PTR_EQUAL(now, ard);
    CU_ASSERT_EQUAL(SQLFreeHandle(SQL_HANDLE_DESC, ard), SQL_ERROR);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("arrays.eider", ""));
    return dbc ? 0 : -1;
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo array_tests[] = {
    {"block cursor, column-wise", test_block_cursor_column_wise},
    {"block cursor, row-wise, MAX_ROWS", test_block_cursor_row_wise_and_max_rows},
    {"static scrollable cursors", test_static_cursor},
    {"parameter arrays", test_parameter_arrays},
    {"parameter arrays, row-wise", test_parameter_arrays_row_wise},
    {"data at execution", test_data_at_execution},
    {"descriptors", test_descriptors},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc arrays", setup, teardown, NULL, NULL, array_tests})
