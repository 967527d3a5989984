/*
 * Many threads through the driver manager at once (Threading = 0: the manager serialises
 * nothing). Writers insert with their own connections, some in autocommit and some in
 * transactions of BATCH rows; readers check that they only ever see whole transactions;
 * another thread connects and disconnects in a loop. At the end every acknowledged row is
 * there exactly once. Runs under ThreadSanitizer in CI.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITERS 4
#define ROWS    400
#define BATCH   10
#define READERS 2
#define CHURN   100

static int writer_acked[WRITERS];
static int stop_readers;
static int reader_errors;

static void *writer(void *arg)
{
    int w = (int)(long)arg;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    if (!dbc)
        return NULL;
    bool batched = w % 2 == 1;
    if (batched)
        SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"insert into th values (?, ?, ?)", SQL_NTS);
    SQLINTEGER writer_id = w, seq;
    char text[32];
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &writer_id, 0, NULL);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &seq, 0, NULL);
    SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 30, 0, text, sizeof text,
                     NULL);
    for (seq = 0; seq < ROWS; seq++) {
        snprintf(text, sizeof text, "w%d-s%d", (int)writer_id, (int)seq);
        if (!SQL_SUCCEEDED(SQLExecute(st))) {
            ou_print_diag("insert", SQL_HANDLE_STMT, st);
            break;
        }
        if (batched && (seq + 1) % BATCH == 0) {
            if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
                ou_print_diag("commit", SQL_HANDLE_DBC, dbc);
                break;
            }
            __atomic_store_n(&writer_acked[w], seq + 1, __ATOMIC_RELEASE);
        } else if (!batched) {
            __atomic_store_n(&writer_acked[w], seq + 1, __ATOMIC_RELEASE);
        }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
    return NULL;
}

/* Reads every row; checks each writer's rows form 0..n-1 with n >= what was acknowledged
 * before the read started, and batched writers' n is a whole number of batches. */
static void *reader(void *arg)
{
    (void)arg;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    if (!dbc) {
        __atomic_add_fetch(&reader_errors, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"select w, seq from th", SQL_NTS);
    while (!__atomic_load_n(&stop_readers, __ATOMIC_ACQUIRE)) {
        int acked[WRITERS];
        for (int i = 0; i < WRITERS; i++)
            acked[i] = __atomic_load_n(&writer_acked[i], __ATOMIC_ACQUIRE);
        int count[WRITERS] = {0};
        long seq_sum[WRITERS] = {0};
        if (!SQL_SUCCEEDED(SQLExecute(st))) {
            ou_print_diag("reader execute", SQL_HANDLE_STMT, st);
            __atomic_add_fetch(&reader_errors, 1, __ATOMIC_RELAXED);
            break;
        }
        SQLINTEGER w, seq;
        SQLBindCol(st, 1, SQL_C_SLONG, &w, 0, NULL);
        SQLBindCol(st, 2, SQL_C_SLONG, &seq, 0, NULL);
        while (SQL_SUCCEEDED(SQLFetch(st))) {
            if (w >= 0 && w < WRITERS) {
                count[w]++;
                seq_sum[w] += seq;
            }
        }
        SQLCloseCursor(st);
        for (int i = 0; i < WRITERS; i++) {
            long n = count[i];
            bool ok =
                n >= acked[i] && seq_sum[i] == n * (n - 1) / 2 && (i % 2 == 0 || n % BATCH == 0);
            if (!ok) {
                fprintf(stderr, "reader saw writer %d with %ld rows (sum %ld, acked %d)\n", i, n,
                        seq_sum[i], acked[i]);
                __atomic_add_fetch(&reader_errors, 1, __ATOMIC_RELAXED);
            }
        }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
    return NULL;
}

static void *churner(void *arg)
{
    (void)arg;
    for (int i = 0; i < CHURN; i++) {
        SQLHDBC dbc = ou_connect("DSN=eider_test");
        if (!dbc) {
            __atomic_add_fetch(&reader_errors, 1, __ATOMIC_RELAXED);
            return NULL;
        }
        ou_disconnect(dbc);
    }
    return NULL;
}

static void test_concurrent_writers_and_readers(void)
{
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table th (w integer, seq integer, "
                                        "note varchar(30))"),
                           "00000");
    pthread_t writers[WRITERS], readers[READERS], churn;
    for (int i = 0; i < READERS; i++)
        pthread_create(&readers[i], NULL, reader, NULL);
    pthread_create(&churn, NULL, churner, NULL);
    for (long i = 0; i < WRITERS; i++)
        pthread_create(&writers[i], NULL, writer, (void *)i);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(writers[i], NULL);
    pthread_join(churn, NULL);
    __atomic_store_n(&stop_readers, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < READERS; i++)
        pthread_join(readers[i], NULL);
    CU_ASSERT_EQUAL(reader_errors, 0);
    for (int i = 0; i < WRITERS; i++)
        CU_ASSERT_EQUAL(writer_acked[i], ROWS);
    /* Every acknowledged row is there exactly once. */
    for (int w = 0; w < WRITERS; w++) {
        char sql[96];
        snprintf(sql, sizeof sql, "select seq from th where w = %d and (seq < 0 or seq >= %d)", w,
                 ROWS);
        CU_ASSERT_STRING_EQUAL(ou_query(dbc, sql), "");
        snprintf(sql, sizeof sql, "select note from th where w = %d and seq = %d", w, ROWS - 1);
        char expected[32];
        snprintf(expected, sizeof expected, "w%d-s%d", w, ROWS - 1);
        CU_ASSERT_STRING_EQUAL(ou_query(dbc, sql), expected);
    }
    const char *all = ou_query(dbc, "select w from th");
    int rows = *all ? 1 : 0;
    for (const char *p = all; *p; p++)
        rows += *p == ';';
    CU_ASSERT_EQUAL(rows, WRITERS * ROWS);
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

static CU_TestInfo thread_tests[] = {
    {"concurrent writers, readers and connects", test_concurrent_writers_and_readers},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc threads", setup, teardown, NULL, NULL, thread_tests})
