/*
 * The session pool through the driver manager (pool/src, driver/src/session.c): limits and
 * the HYT00 timeout, waiters served in arrival order, idle sessions closed (and the file
 * lock released), sessions reset on return, accounts with their own pools and rights,
 * transaction mode sharing few sessions among many connections, and thousands of connect
 * cycles from several threads (clean under ASan, LSan and TSan).
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char cs_pool[1024];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void test_exhaustion_and_timeout(void)
{
    snprintf(cs_pool, sizeof cs_pool, "%s",
             ou_conn("limit.eider", "PoolMaxSessions=2;PoolAcquireTimeout=300"));
    SQLHDBC a = ou_connect(cs_pool), b = ou_connect(cs_pool);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    SQLHDBC c;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &c);
    double t0 = now_s();
    SQLRETURN rc =
        SQLDriverConnect(c, NULL, (SQLCHAR *)cs_pool, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    double waited = now_s() - t0;
    CU_ASSERT_EQUAL(rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, c), "HYT00");
    const char *msg = ou_message(SQL_HANDLE_DBC, c);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "all 2 sessions"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "limit.eider"));
    CU_ASSERT_TRUE(waited >= 0.25);
    CU_ASSERT_STRING_EQUAL(ou_query(a, "SELECT timeouts, active, waiting FROM eider_pool_stats() "
                                       "WHERE database LIKE '%/limit.eider'"),
                           "1|2|0");
    /* A session that comes back is used again. */
    ou_disconnect(a);
    rc = SQLDriverConnect(c, NULL, (SQLCHAR *)cs_pool, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_TRUE(SQL_SUCCEEDED(rc));
    SQLDisconnect(c);
    SQLFreeHandle(SQL_HANDLE_DBC, c);
    ou_disconnect(b);
}

/* Waiters are served in the order they came. */
static int served[8], nserved;
static pthread_mutex_t served_lock = PTHREAD_MUTEX_INITIALIZER;

static void *waiter(void *arg)
{
    int id = (int)(long)arg;
    SQLHDBC dbc = ou_connect(cs_pool);
    if (!dbc)
        return NULL;
    pthread_mutex_lock(&served_lock);
    served[nserved++] = id;
    pthread_mutex_unlock(&served_lock);
    sleep_ms(30);
    ou_disconnect(dbc);
    return NULL;
}

static void test_waiters_in_order(void)
{
    snprintf(cs_pool, sizeof cs_pool, "%s",
             ou_conn("fair.eider", "PoolMaxSessions=1;PoolAcquireTimeout=10000"));
    SQLHDBC holder = ou_connect(cs_pool);
    CU_ASSERT_PTR_NOT_NULL_FATAL(holder);
    pthread_t t[5];
    for (long i = 0; i < 5; i++) {
        pthread_create(&t[i], NULL, waiter, (void *)i);
        sleep_ms(60); /* line them up one after another */
    }
    ou_disconnect(holder);
    for (int i = 0; i < 5; i++)
        pthread_join(t[i], NULL);
    CU_ASSERT_EQUAL(nserved, 5);
    for (int i = 0; i < nserved; i++)
        CU_ASSERT_EQUAL(served[i], i);
}

static void test_idle_sessions_release_the_database(void)
{
    const char *cs = ou_conn("idle.eider", "PoolIdleTimeout=100");
    SQLHDBC dbc = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table t (a int)"), "00000");
    ou_disconnect(dbc);
    /* Right after the disconnect the pool still holds the database ... */
    char probe[1024], line[512] = "";
    snprintf(probe, sizeof probe, "'%s' 'Driver={Eider};Database=%s/idle.eider' 2>&1",
             EIDER_PROBE_PATH, ou_dir());
    FILE *p = popen(probe, "r");
    if (!fgets(line, sizeof line, p))
        strcpy(line, "no output");
    pclose(p);
    CU_ASSERT_NSTRING_EQUAL(line, "08001", 5);
    /* ... and lets it go once its idle session has been closed. */
    sleep_ms(800);
    p = popen(probe, "r");
    if (!fgets(line, sizeof line, p))
        strcpy(line, "no output");
    pclose(p);
    CU_ASSERT_STRING_EQUAL(line, "OK\n");
}

static void test_sessions_are_reset_on_return(void)
{
    const char *cs = ou_conn("reset.eider", "PoolMaxSessions=1");
    SQLHDBC dbc = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table t (a int)"), "00000");
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLSetConnectAttr(dbc, SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "select * from t"), "00000");
    SQLSetConnectAttr(dbc, SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_WRITE, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into t values (1)"), "00000");
    SQLSetConnectAttr(dbc, SQL_ATTR_ACCESS_MODE, (SQLPOINTER)SQL_MODE_READ_ONLY, 0);
    ou_disconnect(dbc); /* with the insert uncommitted and the session read-only */
    /* The one session comes back rolled back, writable and in autocommit. */
    dbc = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select a from t"), "");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into t values (2)"), "00000");
    SQLUINTEGER ac = 0;
    SQLGetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL);
    CU_ASSERT_EQUAL(ac, SQL_AUTOCOMMIT_ON);
    /* SQL_ATTR_RESET_CONNECTION does the same in place. */
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into t values (3)"), "00000");
    CU_ASSERT_EQUAL(SQLSetConnectAttr(dbc, SQL_ATTR_RESET_CONNECTION,
                                      (SQLPOINTER)SQL_RESET_CONNECTION_YES, SQL_IS_UINTEGER),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(dbc, "select a from t"), "2");
    ou_disconnect(dbc);
}

static void test_accounts(void)
{
    SQLHDBC owner = ou_connect(ou_conn("acct.eider", "PoolIdleTimeout=100"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "create table t (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "create user alice password 'wonder'"), "00000");
    ou_disconnect(owner);
    /* Now the database has accounts: every connection authenticates. */
    owner = ou_connect(ou_conn("acct.eider", "UID=alice;PWD=wonder"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "create user bob password 'builder' read only"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "insert into t values (1)"), "00000");
    SQLHDBC dbc;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &dbc);
    const char *bad[] = {"UID=alice;PWD=wrong", "UID=nobody;PWD=wonder", "", "UID=bob"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        SQLRETURN rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)ou_conn("acct.eider", bad[i]),
                                        SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
        CU_ASSERT_EQUAL(rc, SQL_ERROR);
        CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "28000");
        const char *m = ou_message(SQL_HANDLE_DBC, dbc);
        CU_ASSERT_PTR_NULL(strstr(m, "wonder")); /* a password never shows */
        CU_ASSERT_PTR_NULL(strstr(m, "wrong"));
    }
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    /* A read-only account reads but never writes. */
    SQLHDBC reader = ou_connect(ou_conn("acct.eider", "UID=bob;PWD=builder"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(reader);
    CU_ASSERT_STRING_EQUAL(ou_query(reader, "select a from t"), "1");
    CU_ASSERT_STRING_EQUAL(ou_exec(reader, "insert into t values (2)"), "25006");
    ou_disconnect(reader);
    /* A changed password takes effect at once, despite the pool's credential cache. */
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "alter user bob password 'new one'"), "00000");
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &dbc);
    CU_ASSERT_EQUAL(SQLDriverConnect(dbc, NULL,
                                     (SQLCHAR *)ou_conn("acct.eider", "UID=bob;PWD=builder"),
                                     SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT),
                    SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "28000");
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    reader = ou_connect(ou_conn("acct.eider", "UID=bob;PWD={new one}"));
    CU_ASSERT_PTR_NOT_NULL(reader);
    ou_disconnect(reader);
    ou_disconnect(owner);
}

/* Transaction mode: many connections, two sessions. */
#define TM_THREADS 16
#define TM_TXNS    40
static int tm_errors;

static void *tm_worker(void *arg)
{
    (void)arg;
    SQLHDBC dbc = ou_connect(cs_pool);
    if (!dbc) {
        __atomic_add_fetch(&tm_errors, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"update counter set n = n + 1 where id = 1", SQL_NTS);
    for (int done = 0; done < TM_TXNS;) {
        if (SQL_SUCCEEDED(SQLExecute(st)) &&
            SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
            done++;
            continue;
        }
        const char *state = ou_state(SQL_HANDLE_STMT, st);
        if (strcmp(state, "40001") != 0 && strcmp(state, "00000") != 0) {
            ou_print_diag("transaction mode", SQL_HANDLE_STMT, st);
            __atomic_add_fetch(&tm_errors, 1, __ATOMIC_RELAXED);
            break;
        }
        SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
    return NULL;
}

static void test_transaction_mode(void)
{
    snprintf(
        cs_pool, sizeof cs_pool, "%s",
        ou_conn("txmode.eider", "PoolMode=Transaction;PoolMaxSessions=2;PoolAcquireTimeout=20000"));
    SQLHDBC admin = ou_connect(cs_pool);
    CU_ASSERT_PTR_NOT_NULL_FATAL(admin);
    CU_ASSERT_STRING_EQUAL(ou_exec(admin, "create table counter (id int primary key, n int)"),
                           "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(admin, "insert into counter values (1, 0)"), "00000");
    /* 16 connections at once over 2 sessions: in session mode the third would wait. */
    pthread_t t[TM_THREADS];
    for (int i = 0; i < TM_THREADS; i++)
        pthread_create(&t[i], NULL, tm_worker, NULL);
    for (int i = 0; i < TM_THREADS; i++)
        pthread_join(t[i], NULL);
    CU_ASSERT_EQUAL(tm_errors, 0);
    char want[32];
    snprintf(want, sizeof want, "%d", TM_THREADS * TM_TXNS);
    CU_ASSERT_STRING_EQUAL(ou_query(admin, "select n from counter where id = 1"), want);
    /* A cursor keeps its session until it is closed. */
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, admin, &st);
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)"select n from counter", SQL_NTS)));
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_SUCCESS);
    SQLINTEGER n = 0;
    SQLGetData(st, 1, SQL_C_SLONG, &n, 0, NULL);
    CU_ASSERT_EQUAL(n, TM_THREADS * TM_TXNS);
    SQLCloseCursor(st);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(admin);
}

/* Transaction mode, deterministically: three connections on one session. A connection holds
 * the session only while its transaction is open; meanwhile another's statement waits and
 * then fails with HYT00, and the session mode would refuse the second connect instead. */
static void test_transaction_mode_holds_only_transactions(void)
{
    snprintf(
        cs_pool, sizeof cs_pool, "%s",
        ou_conn("txone.eider", "PoolMode=Transaction;PoolMaxSessions=1;PoolAcquireTimeout=300"));
    SQLHDBC a = ou_connect(cs_pool), b = ou_connect(cs_pool), c = ou_connect(cs_pool);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(ou_exec(a, "create table t (id int primary key, v int)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(b, "insert into t values (1, 10)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_query(c, "select v from t"), "10");
    /* b opens a transaction: it keeps the one session until it ends. */
    SQLSetConnectAttr(b, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(b, "update t set v = 11 where id = 1"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(c, "select v from t"), "HYT00");
    CU_ASSERT_EQUAL(SQLEndTran(SQL_HANDLE_DBC, b, SQL_COMMIT), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(ou_query(c, "select v from t"), "11");
    /* The same keys in session mode: the second connection finds no session. */
    snprintf(cs_pool, sizeof cs_pool, "%s",
             ou_conn("txone2.eider", "PoolMode=Session;PoolMaxSessions=1;PoolAcquireTimeout=300"));
    SQLHDBC s1 = ou_connect(cs_pool);
    CU_ASSERT_PTR_NOT_NULL(s1);
    SQLHDBC s2;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &s2);
    CU_ASSERT_EQUAL(
        SQLDriverConnect(s2, NULL, (SQLCHAR *)cs_pool, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT),
        SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, s2), "HYT00");
    SQLFreeHandle(SQL_HANDLE_DBC, s2);
    ou_disconnect(s1);
    ou_disconnect(a);
    ou_disconnect(b);
    ou_disconnect(c);
}

#define CHURN_THREADS 8
#define CHURN_CYCLES  400

static void *churn(void *arg)
{
    (void)arg;
    for (int i = 0; i < CHURN_CYCLES; i++) {
        SQLHDBC dbc = ou_connect(cs_pool);
        if (!dbc) {
            __atomic_add_fetch(&tm_errors, 1, __ATOMIC_RELAXED);
            return NULL;
        }
        if (i % 50 == 0 && strcmp(ou_query(dbc, "select 1"), "1") != 0)
            __atomic_add_fetch(&tm_errors, 1, __ATOMIC_RELAXED);
        ou_disconnect(dbc);
    }
    return NULL;
}

static void test_many_cycles_from_threads(void)
{
    snprintf(cs_pool, sizeof cs_pool, "%s", ou_conn("churn.eider", "PoolMaxSessions=4"));
    tm_errors = 0;
    pthread_t t[CHURN_THREADS];
    for (int i = 0; i < CHURN_THREADS; i++)
        pthread_create(&t[i], NULL, churn, NULL);
    for (int i = 0; i < CHURN_THREADS; i++)
        pthread_join(t[i], NULL);
    CU_ASSERT_EQUAL(tm_errors, 0);
}

/* SELECT * FROM eider_pool_stats(): the counters of every pool of the process, in SQL. */
static void test_statistics_in_sql(void)
{
    const char *cs = ou_conn("stats.eider", "PoolMaxSessions=5");
    SQLHDBC a = ou_connect(cs), b = ou_connect(cs), c = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    const char *q =
        "SELECT account, mode, active, idle, waiting, max_sessions, created, destroyed, "
        "acquired FROM eider_pool_stats() WHERE database LIKE '%/stats.eider'";
    CU_ASSERT_STRING_EQUAL(ou_query(a, q), "|session|3|0|0|5|3|0|3");
    ou_disconnect(b);
    ou_disconnect(c);
    CU_ASSERT_STRING_EQUAL(ou_query(a, q), "|session|1|2|0|5|3|0|3");
    /* Every acquire landed in the histogram, and the percentiles are its bucket bounds. */
    CU_ASSERT_STRING_EQUAL(
        ou_query(a, "SELECT acquire_histogram LIKE '<%', acquire_p50_us <= acquire_p99_us "
                    "FROM eider_pool_stats() WHERE database LIKE '%/stats.eider'"),
        "1|1");
    /* It is a table like any other: joins, aggregates and ORDER BY apply. */
    SQLHDBC t = ou_connect(ou_conn("stats2.eider", "PoolMode=Transaction"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(ou_query(a,
                                    "SELECT mode, COUNT(*) FROM eider_pool_stats() WHERE "
                                    "database LIKE '%/stats%.eider' GROUP BY mode ORDER BY mode"),
                           "session|1;transaction|1");
    ou_disconnect(t);
    ou_disconnect(a);
}

/* SELECT * FROM eider_db_stats(): the engine's counters of each open database. */
static void test_database_statistics_in_sql(void)
{
    SQLHDBC a = ou_connect(ou_conn("dbstats.eider", ""));
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(ou_exec(a, "CREATE TABLE t (n INTEGER)"), "00000");
    for (int i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(ou_exec(a, "INSERT INTO t VALUES (1)"), "00000");
    /* Six commits (the CREATE and five INSERTs), each synced (one thread: no sharing). */
    CU_ASSERT_STRING_EQUAL(ou_query(a, "SELECT access_mode, commits, log_syncs, segments, "
                                       "log_bytes > 0 FROM eider_db_stats() "
                                       "WHERE database LIKE '%/dbstats.eider'"),
                           "READ_WRITE|6|6|1|1");
    CU_ASSERT_STRING_EQUAL(ou_exec(a, "CHECKPOINT"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_query(a, "SELECT checkpoints, checkpoint_ts = commit_ts, "
                                       "image_bytes > 0 FROM eider_db_stats() "
                                       "WHERE database LIKE '%/dbstats.eider'"),
                           "1|1|1");
    ou_disconnect(a);
}

/* PoolMaxLifetime: a session past its lifetime is closed and replaced, as the statistics
 * show. */
static void test_lifetime_rotates_sessions(void)
{
    const char *cs = ou_conn("lifetime.eider", "PoolMaxLifetime=200");
    SQLHDBC a = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ou_disconnect(a);
    sleep_ms(700);
    a = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(ou_query(a, "SELECT created, destroyed, active FROM eider_pool_stats() "
                                       "WHERE database LIKE '%/lifetime.eider'"),
                           "2|1|1");
    ou_disconnect(a);
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

static CU_TestInfo pool_tests[] = {
    {"exhaustion and timeout", test_exhaustion_and_timeout},
    {"waiters are served in order", test_waiters_in_order},
    {"idle sessions release the database", test_idle_sessions_release_the_database},
    {"sessions are reset on return", test_sessions_are_reset_on_return},
    {"accounts", test_accounts},
    {"transaction mode", test_transaction_mode},
    {"transaction mode holds sessions only for transactions",
     test_transaction_mode_holds_only_transactions},
    {"thousands of cycles from threads", test_many_cycles_from_threads},
    {"statistics in SQL", test_statistics_in_sql},
    {"lifetime rotates sessions", test_lifetime_rotates_sessions},
    {"database statistics in SQL", test_database_statistics_in_sql},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc pool", setup, teardown, NULL, NULL, pool_tests})
