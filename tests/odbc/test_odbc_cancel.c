/*
 * Stopping running statements through the driver manager: SQLCancel from another thread
 * (HY008) and SQL_ATTR_QUERY_TIMEOUT (HYT00). The work is a cross join whose probe side
 * has hundreds of vectors, so the engine's per-vector check comes round often while the
 * whole query would run far longer than the test waits. A stopped write leaves nothing.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static SQLHDBC dbc;

/* The join of big (3M rows) and small (1,000) has 3 * 10^9 pairs to filter: half a
 * minute of work, some 20 ms per vector of big (ten times more under sanitizers, and on
 * a busy machine more still: the limits below stretch for sanitizer builds). */
static const char *long_query = "select count(*) from big, small where big.x + small.y < 0";

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SLACK 4.0
#else
#define SLACK 1.0
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct runner {
    SQLHSTMT st;
    const char *sql;
    SQLRETURN rc;
    char state[6];
    double ended;
} runner;

static void *run_statement(void *arg)
{
    runner *r = arg;
    r->rc = SQLExecDirect(r->st, (SQLCHAR *)r->sql, SQL_NTS);
    r->ended = now_s();
    snprintf(r->state, sizeof r->state, "%s", ou_state(SQL_HANDLE_STMT, r->st));
    return NULL;
}

static void test_cancel_from_another_thread(void)
{
    runner r = {.sql = long_query};
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &r.st);
    pthread_t t;
    pthread_create(&t, NULL, run_statement, &r);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    double canceled = now_s();
    CU_ASSERT_EQUAL(SQLCancel(r.st), SQL_SUCCESS);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(r.rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(r.state, "HY008");
    CU_ASSERT(r.ended - canceled < 2.0 * SLACK);
    /* The statement and the connection work on. */
    CU_ASSERT_EQUAL(SQLExecDirect(r.st, (SQLCHAR *)"select count(*) from small", SQL_NTS),
                    SQL_SUCCESS);
    SQLINTEGER n = 0;
    CU_ASSERT_EQUAL(SQLFetch(r.st), SQL_SUCCESS);
    SQLGetData(r.st, 1, SQL_C_SLONG, &n, 0, NULL);
    CU_ASSERT_EQUAL(n, 1000);
    SQLFreeHandle(SQL_HANDLE_STMT, r.st);
    /* A cancel while nothing runs changes nothing. */
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    CU_ASSERT_EQUAL(SQLCancel(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select 1", SQL_NTS), SQL_SUCCESS);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* A parameter array runs the engine once per set: SQLCancel between two sets stops the
 * array (HY008), and in autocommit mode none of its sets stays. */
#define CANCEL_SETS 4000000
static void test_cancel_stops_a_parameter_array(void)
{
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table arr (v int)"), "00000");
    SQLINTEGER *vals = calloc(CANCEL_SETS, sizeof *vals);
    CU_ASSERT_PTR_NOT_NULL_FATAL(vals);
    runner r = {.sql = "insert into arr values (?)"};
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &r.st);
    SQLSetStmtAttr(r.st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(uintptr_t)CANCEL_SETS, 0);
    SQLBindParameter(r.st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, vals, 0, NULL);
    pthread_t t;
    pthread_create(&t, NULL, run_statement, &r);
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    CU_ASSERT_EQUAL(SQLCancel(r.st), SQL_SUCCESS);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(r.rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(r.state, "HY008");
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select count(*) from arr"), "0");
    SQLFreeHandle(SQL_HANDLE_STMT, r.st);
    free(vals);
}

static void test_query_timeout(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    CU_ASSERT_EQUAL(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)1, 0), SQL_SUCCESS);
    SQLULEN got = 0;
    CU_ASSERT_EQUAL(SQLGetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, &got, 0, NULL), SQL_SUCCESS);
    CU_ASSERT_EQUAL(got, 1);
    double start = now_s();
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)long_query, SQL_NTS), SQL_ERROR);
    double took = now_s() - start;
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYT00");
    CU_ASSERT(took >= 1.0 && took < 3.0 * SLACK);
    /* Prepared first, then the attribute: the same. */
    CU_ASSERT_EQUAL(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)0, 0), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLPrepare(st, (SQLCHAR *)long_query, SQL_NTS), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)1, 0), SQL_SUCCESS);
    start = now_s();
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYT00");
    CU_ASSERT(now_s() - start < 3.0 * SLACK);
    /* A join of joins makes millions of rows per vector it scans: the operators check too. */
    start = now_s();
    CU_ASSERT_EQUAL(SQLExecDirect(st,
                                  (SQLCHAR *)"select count(*) from small a, small b, small c "
                                             "where a.y + b.y + c.y < 0",
                                  SQL_NTS),
                    SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYT00");
    CU_ASSERT(now_s() - start < 3.0 * SLACK);
    /* A query well within its timeout is untouched. */
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select count(*) from big", SQL_NTS), SQL_SUCCESS);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_stopped_write_leaves_nothing(void)
{
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table sink (x int)"), "00000");
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)1, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st,
                                  (SQLCHAR *)"insert into sink select big.x from big, small "
                                             "where big.x + small.y < 0",
                                  SQL_NTS),
                    SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYT00");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select count(*) from sink"), "0");
    /* Inside a transaction the stopped statement aborts it, like any failed statement. */
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into sink values (1)"), "00000");
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)1, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)long_query, SQL_NTS), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HYT00");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "select 1"), "25000");
    SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select count(*) from sink"), "0");
}

/* A cursor outlives the COMMIT of its transaction (SQL_CB_PRESERVE), its stop state too:
 * its rows keep coming, and its timeout keeps counting per call. */
static void test_cursor_after_commit(void)
{
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)5, 0);
    CU_ASSERT_EQUAL(SQLExecDirect(st, (SQLCHAR *)"select x from big where x < 100000", SQL_NTS),
                    SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    CU_ASSERT_EQUAL(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_SUCCESS);
    int rows = 1;
    while (SQL_SUCCEEDED(SQLFetch(st)))
        rows++;
    CU_ASSERT_EQUAL(rows, 100000);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("cancel.eider", ""));
    if (!dbc)
        return -1;
    static const char *const sql[] = {
        "create table small (y int)",
        "insert into small values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
        "insert into small select a.y * 10 + b.y from small a, small b where a.y > 0",
        "insert into small select a.y * 100 + b.y from small a, small b where a.y between 1 and "
        "9",
        "create table big (x int)",
        "insert into big select a.y * 1000 + b.y from small a, small b",
        "insert into big select x + 1000000 from big",
        "insert into big select x + 2000000 from big where x < 1000000",
    };
    return OU_EXEC_ALL(dbc, sql);
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo cancel_tests[] = {
    {"SQLCancel from another thread", test_cancel_from_another_thread},
    {"SQL_ATTR_QUERY_TIMEOUT", test_query_timeout},
    {"SQLCancel stops a parameter array", test_cancel_stops_a_parameter_array},
    {"a stopped write leaves nothing", test_stopped_write_leaves_nothing},
    {"a cursor after its transaction's COMMIT", test_cursor_after_commit},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc cancel", setup, teardown, NULL, NULL, cancel_tests})
