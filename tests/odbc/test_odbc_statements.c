/*
 * Statements through the driver manager (driver/src/execute.c, results.c, fetch.c,
 * convert.c, odbc_w.c, info.c): results and their descriptions, conversions to C types,
 * SQLGetData in pieces, parameters, diagnostics, transactions, and the W functions.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

static SQLHSTMT new_stmt(void)
{
    SQLHSTMT st = NULL;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    return st;
}

static void test_results_and_row_counts(void)
{
    SQLHSTMT st = new_stmt();
    SQLLEN count = 0;
    OU_OK(SQLExecDirect(st,
                        (SQLCHAR *)"create table r (id integer not null, name varchar(12), "
                                   "x double, b boolean, g bigint)",
                        SQL_NTS),
          SQL_HANDLE_STMT, st, "create");
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLRowCount(st, &count)));
    CU_ASSERT_EQUAL(count, -1);
    OU_OK(SQLExecDirect(st,
                        (SQLCHAR *)"insert into r values (1, 'one', 1.5, true, 10), "
                                   "(2, null, -2.25, false, null), (3, 'three', 0, null, 3)",
                        SQL_NTS),
          SQL_HANDLE_STMT, st, "insert");
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLRowCount(st, &count)));
    CU_ASSERT_EQUAL(count, 3);
    OU_OK(SQLExecDirect(st, (SQLCHAR *)"select * from r where id > 1", SQL_NTS), SQL_HANDLE_STMT,
          st, "select");
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLRowCount(st, &count)));
    CU_ASSERT_EQUAL(count, -1);
    SQLSMALLINT ncols = 0;
    SQLNumResultCols(st, &ncols);
    CU_ASSERT_EQUAL(ncols, 5);
    char name[64];
    SQLSMALLINT name_len, type, digits, nullable;
    SQLULEN size;
    CU_ASSERT_EQUAL(SQLDescribeCol(st, 2, (SQLCHAR *)name, sizeof name, &name_len, &type, &size,
                                   &digits, &nullable),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(name, "name");
    CU_ASSERT_EQUAL(type, SQL_VARCHAR);
    CU_ASSERT_EQUAL(size, 12);
    CU_ASSERT_EQUAL(nullable, SQL_NULLABLE);
    SQLDescribeCol(st, 1, (SQLCHAR *)name, sizeof name, &name_len, &type, &size, &digits,
                   &nullable);
    CU_ASSERT_EQUAL(type, SQL_INTEGER);
    CU_ASSERT_EQUAL(nullable, SQL_NO_NULLS);
    SQLLEN num = 0;
    SQLColAttribute(st, 3, SQL_DESC_TYPE, NULL, 0, NULL, &num);
    CU_ASSERT_EQUAL(num, SQL_DOUBLE);
    SQLColAttribute(st, 4, SQL_DESC_CONCISE_TYPE, NULL, 0, NULL, &num);
    CU_ASSERT_EQUAL(num, SQL_BIT);
    SQLColAttribute(st, 5, SQL_DESC_DISPLAY_SIZE, NULL, 0, NULL, &num);
    CU_ASSERT_EQUAL(num, 20);
    char table[64];
    SQLSMALLINT tlen;
    SQLColAttribute(st, 2, SQL_DESC_TABLE_NAME, table, sizeof table, &tlen, NULL);
    CU_ASSERT_STRING_EQUAL(table, "r");
    SQLColAttribute(st, 2, SQL_DESC_TYPE_NAME, table, sizeof table, &tlen, NULL);
    CU_ASSERT_STRING_EQUAL(table, "VARCHAR");
    CU_ASSERT_EQUAL(SQLColAttribute(st, 9, SQL_DESC_TYPE, NULL, 0, NULL, &num), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "07009");

    SQLINTEGER id;
    double x;
    unsigned char b;
    SQLLEN id_ind, x_ind, b_ind, g_ind;
    SQLBIGINT g;
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    SQLGetData(st, 1, SQL_C_SLONG, &id, 0, &id_ind);
    SQLGetData(st, 3, SQL_C_DOUBLE, &x, 0, &x_ind);
    SQLGetData(st, 4, SQL_C_BIT, &b, 0, &b_ind);
    SQLGetData(st, 5, SQL_C_SBIGINT, &g, 0, &g_ind);
    CU_ASSERT_EQUAL(id, 2);
    CU_ASSERT_DOUBLE_EQUAL(x, -2.25, 1e-12);
    CU_ASSERT_EQUAL(b, 0);
    CU_ASSERT_EQUAL(g_ind, SQL_NULL_DATA);
    /* A NULL with no indicator to report it in. */
    CU_ASSERT_EQUAL(SQLGetData(st, 2, SQL_C_CHAR, name, sizeof name, NULL), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "22002");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    SQLSMALLINT small;
    SQLGetData(st, 1, SQL_C_SSHORT, &small, 0, NULL);
    CU_ASSERT_EQUAL(small, 3);
    /* Text that is not a number; the value can still be read as text afterwards. */
    CU_ASSERT_EQUAL(SQLGetData(st, 2, SQL_C_SLONG, &id, 0, NULL), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "22018");
    SQLGetData(st, 2, SQL_C_CHAR, name, sizeof name, &id_ind);
    CU_ASSERT_STRING_EQUAL(name, "three");
    CU_ASSERT_EQUAL(id_ind, 5);
    /* Once read whole, a column has no more data. */
    CU_ASSERT_EQUAL(SQLGetData(st, 2, SQL_C_CHAR, name, sizeof name, &id_ind), SQL_NO_DATA);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_NO_DATA);
    CU_ASSERT_EQUAL(SQLCloseCursor(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLCloseCursor(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "24000");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_getdata_in_pieces(void)
{
    SQLHSTMT st = new_stmt();
    OU_OK(SQLExecDirect(st, (SQLCHAR *)"select 'abcdefghijklmnopqrstuvwxyz' || '0123456789'",
                        SQL_NTS),
          SQL_HANDLE_STMT, st, "select");
    CU_ASSERT_EQUAL_FATAL(SQLFetch(st), SQL_SUCCESS);
    char piece[11], all[64] = "";
    SQLLEN ind;
    SQLRETURN rc;
    int pieces = 0;
    while ((rc = SQLGetData(st, 1, SQL_C_CHAR, piece, sizeof piece, &ind)) != SQL_NO_DATA) {
        CU_ASSERT_TRUE_FATAL(SQL_SUCCEEDED(rc));
        if (pieces == 0) {
            CU_ASSERT_EQUAL(rc, SQL_SUCCESS_WITH_INFO);
            CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "01004");
            CU_ASSERT_EQUAL(ind, 36); /* what is left, including this piece */
        }
        strcat(all, piece);
        pieces++;
    }
    CU_ASSERT_EQUAL(pieces, 4);
    CU_ASSERT_STRING_EQUAL(all, "abcdefghijklmnopqrstuvwxyz0123456789");
    /* A bound column that is too short is truncated with 01004 too. */
    SQLCloseCursor(st);
    char small[4];
    SQLLEN small_ind;
    SQLBindCol(st, 1, SQL_C_CHAR, small, sizeof small, &small_ind);
    SQLExecDirect(st, (SQLCHAR *)"select 'hello'", SQL_NTS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS_WITH_INFO);
    CU_ASSERT_STRING_EQUAL(small, "hel");
    CU_ASSERT_EQUAL(small_ind, 5);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_parameters(void)
{
    SQLHSTMT st = new_stmt();
    OU_OK(SQLExecDirect(st, (SQLCHAR *)"create table p (id integer, s varchar(20), d double)",
                        SQL_NTS),
          SQL_HANDLE_STMT, st, "create");
    OU_OK(SQLPrepare(st, (SQLCHAR *)"insert into p values (?, ?, ?)", SQL_NTS), SQL_HANDLE_STMT, st,
          "prepare");
    SQLSMALLINT n = 0;
    SQLNumParams(st, &n);
    CU_ASSERT_EQUAL(n, 3);
    SQLSMALLINT type;
    SQLULEN size;
    SQLDescribeParam(st, 2, &type, &size, NULL, NULL);
    CU_ASSERT_EQUAL(type, SQL_VARCHAR);
    CU_ASSERT_EQUAL(size, 20);
    SQLINTEGER id;
    char s[48];
    double d;
    SQLLEN s_ind = SQL_NTS, d_ind = 0;
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, NULL);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, s, sizeof s, &s_ind);
    SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &d, 0, &d_ind);
    for (id = 1; id <= 100; id++) {
        snprintf(s, sizeof s, "v%d", (int)id);
        d = id / 4.0;
        d_ind = id % 10 == 0 ? SQL_NULL_DATA : 0;
        OU_OK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute");
    }
    strcpy(s, "a string that is too long for twenty");
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "22001");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select id, s, d from p where id = 40 or id = 41"),
                           "40|v40|NULL;41|v41|10.25");

    st = new_stmt();
    SQLPrepare(st, (SQLCHAR *)"select s from p where id = ?", SQL_NTS);
    char key[8] = "77";
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_INTEGER, 0, 0, key, sizeof key, NULL);
    OU_OK(SQLExecute(st), SQL_HANDLE_STMT, st, "execute select");
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    SQLGetData(st, 1, SQL_C_CHAR, s, sizeof s, NULL);
    CU_ASSERT_STRING_EQUAL(s, "v77");
    SQLCloseCursor(st);
    strcpy(key, "x");
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "22018");
    SQLFreeStmt(st, SQL_RESET_PARAMS);
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "07002");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_engine_errors_reach_diagnostics(void)
{
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "selec 1"), "42000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "select * from nosuch"), "42S02");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table p (a int)"), "42S01");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "select nosuch from p"), "42S22");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "select 'x' + 1"), "22018");
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select 1 / 0"), "ERROR 22012");
    SQLHSTMT st = new_stmt();
    SQLExecDirect(st, (SQLCHAR *)"select * from nosuch", SQL_NTS);
    SQLINTEGER nrecs = 0;
    SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_NUMBER, &nrecs, 0, NULL);
    CU_ASSERT_EQUAL(nrecs, 1);
    char text[256];
    SQLSMALLINT len;
    SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_MESSAGE_TEXT, text, sizeof text, &len);
    CU_ASSERT_STRING_EQUAL(text, "[Eider]table \"nosuch\" does not exist");
    SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_SQLSTATE, text, sizeof text, &len);
    CU_ASSERT_STRING_EQUAL(text, "42S02");
    SQLGetDiagField(SQL_HANDLE_STMT, st, 1, SQL_DIAG_SUBCLASS_ORIGIN, text, sizeof text, &len);
    CU_ASSERT_STRING_EQUAL(text, "ODBC 3.0");
    SQLSMALLINT rc_field = 0;
    SQLGetDiagField(SQL_HANDLE_STMT, st, 0, SQL_DIAG_RETURNCODE, &rc_field, 0, NULL);
    CU_ASSERT_EQUAL(rc_field, SQL_ERROR);
    CU_ASSERT_EQUAL(SQLGetDiagRec(SQL_HANDLE_STMT, st, 2, (SQLCHAR *)text, NULL, NULL, 0, NULL),
                    SQL_NO_DATA);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_get_info(void)
{
    char buf[64];
    SQLSMALLINT len;
    CU_ASSERT_EQUAL(SQLGetInfo(dbc, SQL_DBMS_NAME, buf, sizeof buf, &len), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(buf, "Eider");
    SQLUINTEGER iso = 0;
    SQLGetInfo(dbc, SQL_DEFAULT_TXN_ISOLATION, &iso, sizeof iso, NULL);
    CU_ASSERT_EQUAL(iso, SQL_TXN_REPEATABLE_READ);
    SQLUSMALLINT supported = 0;
    SQLGetFunctions(dbc, SQL_API_SQLEXECDIRECT, &supported);
    CU_ASSERT_EQUAL(supported, SQL_TRUE);
    SQLGetFunctions(dbc, SQL_API_SQLTABLES, &supported); /* test_odbc_functions: all of them */
    CU_ASSERT_EQUAL(supported, SQL_TRUE);
    CU_ASSERT_EQUAL(SQLGetInfo(dbc, 9999, buf, sizeof buf, &len), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "HY096");
}

static void test_manual_commit(void)
{
    SQLHDBC other = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(other);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table tx (a int)"), "00000");
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (1)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_query(other, "select a from tx"), "");
    CU_ASSERT_EQUAL(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(other, "select a from tx"), "1");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (2)"), "00000");
    CU_ASSERT_EQUAL(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), SQL_SUCCESS);
    /* A failed statement aborts the transaction; the commit reports the rollback. */
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (3)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (1 / 0)"), "22012");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (4)"), "25000");
    CU_ASSERT_EQUAL(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "25S03");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into tx values (5)"), "00000");
    /* Turning autocommit back on commits the open transaction. */
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    CU_ASSERT_STRING_EQUAL(ou_query(other, "select a from tx"), "1;5");
    SQLUINTEGER ac = 0;
    SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL);
    CU_ASSERT_EQUAL(ac, SQL_AUTOCOMMIT_ON);
    /* A read-only connection on a read-write database. */
    SQLSetConnectAttr(other, SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(other, "insert into tx values (6)"), "25006");
    ou_disconnect(other);
}

static void test_unicode_functions(void)
{
    SQLHSTMT st = new_stmt();
    /* "insert into u values ('κόσμε 😀')" as UTF-16, built from UTF-8 by hand. */
    static const SQLWCHAR create[] = {'c', 'r', 'e', 'a', 't', 'e', ' ', 't', 'a', 'b', 'l',
                                      'e', ' ', 'u', ' ', '(', 's', ' ', 'v', 'a', 'r', 'c',
                                      'h', 'a', 'r', '(', '1', '0', ')', ')', 0};
    static const SQLWCHAR insert[] = {
        'i',    'n',    's',    'e',    'r', 't',    ' ',    'i',  'n', 't', 'o',  ' ',
        'u',    ' ',    'v',    'a',    'l', 'u',    'e',    's',  ' ', '(', '\'', 0x03BA,
        0x1F79, 0x03C3, 0x03BC, 0x03B5, ' ', 0xD83D, 0xDE00, '\'', ')', 0};
    static const SQLWCHAR select[] = {'s', 'e', 'l', 'e', 'c', 't', ' ', 's',
                                      ' ', 'f', 'r', 'o', 'm', ' ', 'u', 0};
    OU_OK(SQLExecDirectW(st, (SQLWCHAR *)create, SQL_NTS), SQL_HANDLE_STMT, st, "create W");
    OU_OK(SQLExecDirectW(st, (SQLWCHAR *)insert, SQL_NTS), SQL_HANDLE_STMT, st, "insert W");
    OU_OK(SQLExecDirectW(st, (SQLWCHAR *)select, SQL_NTS), SQL_HANDLE_STMT, st, "select W");
    SQLWCHAR name[16];
    SQLSMALLINT name_len, type;
    SQLDescribeColW(st, 1, name, 16, &name_len, &type, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(name_len, 1);
    CU_ASSERT_EQUAL(name[0], 's');
    CU_ASSERT_EQUAL(type, SQL_WVARCHAR);
    CU_ASSERT_EQUAL_FATAL(SQLFetch(st), SQL_SUCCESS);
    SQLWCHAR w[16];
    SQLLEN ind;
    OU_OK(SQLGetData(st, 1, SQL_C_WCHAR, w, sizeof w, &ind), SQL_HANDLE_STMT, st, "getdata W");
    CU_ASSERT_EQUAL(ind, 8 * (SQLLEN)sizeof(SQLWCHAR));
    CU_ASSERT_EQUAL(memcmp(w, insert + 23, 8 * sizeof(SQLWCHAR)), 0);
    CU_ASSERT_EQUAL(w[8], 0);
    SQLCloseCursor(st);
    /* The same value as UTF-8 through the ANSI path. */
    SQLExecDirect(st, (SQLCHAR *)"select s from u", SQL_NTS);
    SQLFetch(st);
    char utf8[32];
    SQLGetData(st, 1, SQL_C_CHAR, utf8, sizeof utf8, &ind);
    CU_ASSERT_STRING_EQUAL(utf8, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5 \xf0\x9f\x98\x80");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLWCHAR state[6], msg[256];
    SQLINTEGER native;
    SQLSMALLINT mlen;
    st = new_stmt();
    static const SQLWCHAR bad[] = {'s', 'e', 'l', 'e', 'c', 't', ' ', 'x', 0};
    CU_ASSERT_EQUAL(SQLExecDirectW(st, (SQLWCHAR *)bad, SQL_NTS), SQL_ERROR);
    CU_ASSERT_EQUAL(SQLGetDiagRecW(SQL_HANDLE_STMT, st, 1, state, &native, msg, 256, &mlen),
                    SQL_SUCCESS);
    CU_ASSERT_EQUAL(state[0], '4');
    CU_ASSERT_EQUAL(state[4], '2');
    CU_ASSERT_TRUE(mlen > 10);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return 1;
    dbc = ou_connect("DSN=eider_test");
    return dbc ? 0 : 1;
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo statement_tests[] = {
    {"results and row counts", test_results_and_row_counts},
    {"SQLGetData in pieces", test_getdata_in_pieces},
    {"parameters", test_parameters},
    {"engine errors reach the diagnostics", test_engine_errors_reach_diagnostics},
    {"SQLGetInfo and SQLGetFunctions", test_get_info},
    {"manual commit", test_manual_commit},
    {"Unicode functions", test_unicode_functions},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc statements", setup, teardown, NULL, NULL, statement_tests})
