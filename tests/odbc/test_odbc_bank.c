/*
 * The bank-transfer invariant through the driver manager: transfer threads move money
 * between random accounts in two-UPDATE transactions, retrying on 40001; auditor threads
 * read every balance in one snapshot and check the total never changes (a read skew or a
 * lost update would break it). At the end every account holds exactly its start balance
 * plus the transfers that committed, and conflicts must have occurred and been retried.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCOUNTS  10
#define START     1000
#define MOVERS    6
#define TRANSFERS 150
#define AUDITORS  2

static long committed_delta[MOVERS][ACCOUNTS];
static int conflicts, unexpected, audits, bad_audits;
static int movers_done;

static bool in_state(SQLSMALLINT type, SQLHANDLE h, const char *state)
{
    return strcmp(ou_state(type, h), state) == 0;
}

static void *mover(void *arg)
{
    int m = (int)(long)arg;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    if (!dbc) {
        __atomic_add_fetch(&unexpected, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"update account set balance = balance + ? where id = ?", SQL_NTS);
    SQLBIGINT amount;
    SQLINTEGER id;
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &amount, 0, NULL);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, NULL);
    unsigned seed = 1234u + (unsigned)m;
    for (int done = 0; done < TRANSFERS;) {
        int from = rand_r(&seed) % ACCOUNTS;
        int to = (from + 1 + rand_r(&seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        SQLBIGINT value = 1 + rand_r(&seed) % 50;
        id = from;
        amount = -value;
        bool ok = SQL_SUCCEEDED(SQLExecute(st));
        if (ok) {
            id = to;
            amount = value;
            ok = SQL_SUCCEEDED(SQLExecute(st));
        }
        SQLHANDLE failed = st;
        SQLSMALLINT failed_type = SQL_HANDLE_STMT;
        if (ok && !SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
            ok = false;
            failed = dbc;
            failed_type = SQL_HANDLE_DBC;
        }
        if (ok) {
            committed_delta[m][from] -= value;
            committed_delta[m][to] += value;
            done++;
            continue;
        }
        if (in_state(failed_type, failed, "40001")) {
            __atomic_add_fetch(&conflicts, 1, __ATOMIC_RELAXED);
        } else {
            ou_print_diag("transfer", failed_type, failed);
            __atomic_add_fetch(&unexpected, 1, __ATOMIC_RELAXED);
        }
        SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK); /* and retry another transfer */
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
    __atomic_add_fetch(&movers_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void *auditor(void *arg)
{
    (void)arg;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    if (!dbc) {
        __atomic_add_fetch(&unexpected, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"select balance from account where id = ?", SQL_NTS);
    SQLINTEGER id;
    SQLBIGINT balance;
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, NULL);
    SQLBindCol(st, 1, SQL_C_SBIGINT, &balance, 0, NULL);
    while (__atomic_load_n(&movers_done, __ATOMIC_ACQUIRE) < MOVERS) {
        /* One account at a time, in one transaction: its snapshot must be consistent
         * across the separate statements. */
        long total = 0;
        for (id = 0; id < ACCOUNTS; id++) {
            if (!SQL_SUCCEEDED(SQLExecute(st)) || !SQL_SUCCEEDED(SQLFetch(st))) {
                ou_print_diag("audit", SQL_HANDLE_STMT, st);
                __atomic_add_fetch(&unexpected, 1, __ATOMIC_RELAXED);
                break;
            }
            total += balance;
            SQLCloseCursor(st);
        }
        SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT);
        __atomic_add_fetch(&audits, 1, __ATOMIC_RELAXED);
        if (total != (long)ACCOUNTS * START) {
            fprintf(stderr, "audit saw a total of %ld\n", total);
            __atomic_add_fetch(&bad_audits, 1, __ATOMIC_RELAXED);
        }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
    return NULL;
}

static void test_bank(void)
{
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table account (id integer primary key, "
                                        "balance bigint not null)"),
                           "00000");
    for (int i = 0; i < ACCOUNTS; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "insert into account values (%d, %d)", i, START);
        CU_ASSERT_STRING_EQUAL(ou_exec(dbc, sql), "00000");
    }
    pthread_t movers[MOVERS], auditors[AUDITORS];
    for (int i = 0; i < AUDITORS; i++)
        pthread_create(&auditors[i], NULL, auditor, NULL);
    for (long i = 0; i < MOVERS; i++)
        pthread_create(&movers[i], NULL, mover, (void *)i);
    for (int i = 0; i < MOVERS; i++)
        pthread_join(movers[i], NULL);
    for (int i = 0; i < AUDITORS; i++)
        pthread_join(auditors[i], NULL);
    printf("\n%d transfers committed, %d conflicts retried, %d audits\n", MOVERS * TRANSFERS,
           conflicts, audits);
    CU_ASSERT_EQUAL(unexpected, 0);
    CU_ASSERT_EQUAL(bad_audits, 0);
    CU_ASSERT_TRUE(audits > 0);
    CU_ASSERT_TRUE(conflicts > 0); /* the test must really have raced */
    for (int a = 0; a < ACCOUNTS; a++) {
        long want = START;
        for (int m = 0; m < MOVERS; m++)
            want += committed_delta[m][a];
        char sql[64], expected[32];
        snprintf(sql, sizeof sql, "select balance from account where id = %d", a);
        snprintf(expected, sizeof expected, "%ld", want);
        CU_ASSERT_STRING_EQUAL(ou_query(dbc, sql), expected);
    }
    ou_disconnect(dbc);
}

static int setup(void)
{
    return ou_setup();
}

static int teardown(void)
{
    ou_teardown();
    return 0;
}

static CU_TestInfo bank_tests[] = {
    {"transfers keep the total", test_bank},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc bank", setup, teardown, NULL, NULL, bank_tests})
