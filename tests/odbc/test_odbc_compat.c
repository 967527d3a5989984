/*
 * ODBC 2 functions and the small ODBC 3 ones, through the driver manager (driver/src/odbc2.c,
 * odbc_cursor.c): SQLError returns each record once, SQLTransact, connection and
 * statement options, SQLColAttributes, SQLSetParam, SQLParamOptions, SQLExtendedFetch with
 * SQL_ROWSET_SIZE, cursor names, SQLSetPos, SQLNativeSql and SQLBulkOperations.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <string.h>

static SQLHDBC dbc;

static void test_error_and_transact(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"selec 1", SQL_NTS), SQL_ERROR);
    SQLCHAR state[6], msg[256];
    SQLINTEGER native;
    SQLSMALLINT len;
    CU_ASSERT_EQUAL(
        SQLError(SQL_NULL_HENV, SQL_NULL_HDBC, st, state, &native, msg, sizeof msg, &len),
        SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL((char *)state, "42000");
    CU_ASSERT_EQUAL(
        SQLError(SQL_NULL_HENV, SQL_NULL_HDBC, st, state, &native, msg, sizeof msg, &len),
        SQL_NO_DATA);
    /* SQLTransact and the ODBC 2 autocommit option. */
    SQLUINTEGER ac = 0;
    CU_ASSERT_EQUAL(SQLSetConnectOption(dbc, SQL_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF), SQL_SUCCESS);
    SQLGetConnectOption(dbc, SQL_AUTOCOMMIT, &ac);
    CU_ASSERT_EQUAL(ac, SQL_AUTOCOMMIT_OFF);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table c2 (id int, name varchar(10))"), "00000");
    CU_ASSERT_EQUAL(SQLTransact(SQL_NULL_HENV, dbc, SQL_COMMIT), SQL_SUCCESS);
    ou_exec(dbc, "insert into c2 values (99, 'gone')");
    CU_ASSERT_EQUAL(SQLTransact(SQL_NULL_HENV, dbc, SQL_ROLLBACK), SQL_SUCCESS);
    SQLSetConnectOption(dbc, SQL_AUTOCOMMIT, SQL_AUTOCOMMIT_ON);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id from c2"), "");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_odbc2_parameters_and_fetch(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLINTEGER ids[3] = {1, 2, 3};
    SQLULEN done = 0;
    CU_ASSERT_EQUAL(SQLSetParam(st, 1, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, NULL), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLParamOptions(st, 3, &done), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"insert into c2 (id) values (?)", SQL_NTS),
                    SQL_SUCCESS);
    CU_ASSERT_EQUAL(done, 3);
    SQLParamOptions(st, 1, NULL);
    /* SQLExtendedFetch with a rowset of 2 from SQL_ROWSET_SIZE. */
    SQLINTEGER got[2];
    SQLLEN ind[2];
    SQLULEN rows = 0;
    SQLUSMALLINT status[2];
    CU_ASSERT_EQUAL(SQLSetStmtOption(st, SQL_ROWSET_SIZE, 2), SQL_SUCCESS);
    SQLBindCol(st, 1, SQL_C_SLONG, got, 0, ind);
    SQLExecDirect(st, (SQLCHAR *)"select id from c2", SQL_NTS);
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &rows, status), SQL_SUCCESS);
    CU_ASSERT_EQUAL(rows, 2);
    CU_ASSERT_EQUAL(got[1], 2);
    CU_ASSERT_EQUAL(status[0], SQL_ROW_SUCCESS);
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &rows, status), SQL_SUCCESS);
    CU_ASSERT_EQUAL(rows, 1);
    CU_ASSERT_EQUAL(status[1], SQL_ROW_NOROW);
    CU_ASSERT_EQUAL(SQLExtendedFetch(st, SQL_FETCH_NEXT, 0, &rows, status), SQL_NO_DATA);
    SQLFreeStmt(st, SQL_CLOSE);
    SQLFreeStmt(st, SQL_UNBIND);
    /* SQLColAttributes with an ODBC 2 field. */
    SQLExecDirect(st, (SQLCHAR *)"select name from c2", SQL_NTS);
    SQLCHAR name[32];
    SQLSMALLINT len = 0;
    CU_ASSERT_EQUAL(SQLColAttributes(st, 1, SQL_COLUMN_NAME, name, sizeof name, &len, NULL),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL((char *)name, "name");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_cursor_names_setpos_native_sql(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLCHAR name[64];
    SQLSMALLINT len = 0;
    CU_ASSERT_EQUAL(SQLGetCursorName(st, name, sizeof name, &len), SQL_SUCCESS);
    CU_ASSERT_EQUAL(strncmp((char *)name, "SQL_CUR", 7), 0);
    CU_ASSERT_EQUAL(SQLSetCursorName(st, (SQLCHAR *)"SQL_CURmine", SQL_NTS), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "34000");
    CU_ASSERT_EQUAL(SQLSetCursorName(st, (SQLCHAR *)"orders_cursor", SQL_NTS), SQL_SUCCESS);
    SQLGetCursorName(st, name, sizeof name, &len);
    CU_ASSERT_STRING_EQUAL((char *)name, "orders_cursor");
    /* SQLSetPos positions, but cannot change rows through a read-only cursor. */
    SQLExecDirect(st, (SQLCHAR *)"select id from c2", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLSetPos(st, 1, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLSetPos(st, 2, SQL_POSITION, SQL_LOCK_NO_CHANGE), SQL_ERROR);
    CU_ASSERT_EQUAL(SQLSetPos(st, 1, SQL_DELETE, SQL_LOCK_NO_CHANGE), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYC00");
    CU_ASSERT_EQUAL(SQLBulkOperations(st, SQL_ADD), SQL_ERROR);
    SQLCloseCursor(st);
    /* Text without escape sequences comes back as it is. */
    SQLCHAR out[128];
    SQLINTEGER out_len = 0;
    const char *sql = "select id from c2 where id > ?";
    CU_ASSERT_EQUAL(SQLNativeSql(dbc, (SQLCHAR *)sql, SQL_NTS, out, sizeof out, &out_len),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL((char *)out, sql);
    CU_ASSERT_EQUAL(out_len, (SQLINTEGER)strlen(sql));
    /* Escape sequences are translated (driver/src/escape.c, docs/escapes.md). */
    CU_ASSERT_EQUAL(SQLNativeSql(dbc,
                                 (SQLCHAR *)"select {fn UCASE(name)} from t where d = {d "
                                            "'2024-02-29'}",
                                 SQL_NTS, out, sizeof out, &out_len),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL((char *)out, "select UPPER(name) from t where d = DATE '2024-02-29'");
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"{call refresh(?)}", SQL_NTS), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYC00");
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select {fn UCASE('a'}", SQL_NTS), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "42000");
    /* SQL_ATTR_NOSCAN hands the text to the engine as it is. */
    SQLSetStmtAttr(st, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select {d '2024-01-01'}", SQL_NTS), SQL_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_STMT, st), "{"));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("compat.eider", ""));
    return dbc ? 0 : -1;
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo compat_tests[] = {
    {"SQLError and SQLTransact", test_error_and_transact},
    {"ODBC 2 parameters and SQLExtendedFetch", test_odbc2_parameters_and_fetch},
    {"cursor names, SQLSetPos, SQLNativeSql", test_cursor_names_setpos_native_sql},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc compat", setup, teardown, NULL, NULL, compat_tests})
