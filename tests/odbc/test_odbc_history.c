/*
 * A randomized list-append workload through the unixODBC driver manager, checked for
 * snapshot-isolation anomalies by history.c (Elle's method). Each key is a row of table
 * `lists` whose val holds ",v1,v2,..."; an append is UPDATE ... SET val = val || ',v' and a
 * read is a SELECT of val. THREADS threads, each with its own connection in manual-commit
 * mode, run random transactions of one to four operations; every operation and outcome is
 * recorded, a final transaction reads every key, and the checker must find nothing.
 *
 * Operations come from a fixed seed per thread (EIDER_HISTORY_SEED overrides it); the
 * interleaving is the scheduler's, so a failing run may not repeat exactly, which is why a
 * failure writes the whole history to history-SEED.txt in the working folder. Runs under
 * ThreadSanitizer in CI.
 */
#include "../common/test_main.h"
#include "history.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREADS       6
#define TXNS          150 /* per thread and round */
#define KEYS          8   /* per round */
#define ROUNDS        20
#define MAX_OPS       4
#define SLOW_ONE_IN   16
#define SLOW_PAUSE_NS 2000000
#define VAL_CAP       4000
#define MAX_LIST      (VAL_CAP / 2 + 1)
#define SEED_DEFAULT  20240604UL

typedef struct {
    int id;
    int key_base; /* the first key of the current round */
    unsigned long rng;
    long counter;
    hist_history h;
    int committed, conflicts, commit_failures, aborted_without_error;
    char error[1024]; /* the first unexpected failure; the thread stops there */

    /* buffers bound to the statements' parameters and column */
    SQLINTEGER key;
    char text[32];
    SQLLEN text_len;
    char val[VAL_CAP + 64];
    SQLLEN val_ind;
    long list[MAX_LIST];
} worker;

static worker workers[THREADS];
static pthread_barrier_t start_line;
static unsigned long base_seed;
static int rounds;

static unsigned long next_rand(unsigned long *s)
{
    /* splitmix64: good enough spread from consecutive seeds */
    unsigned long z = (*s += 0x9E3779B97F4A7C15UL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

/* ou_state keeps its answer in static buffers, which threads would share. */
static void diag(SQLSMALLINT type, SQLHANDLE h, char state[6], char *msg, size_t cap)
{
    SQLINTEGER native;
    SQLSMALLINT len;
    strcpy(state, "?????");
    if (cap)
        msg[0] = '\0';
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, (SQLCHAR *)state, &native, (SQLCHAR *)msg,
                                     (SQLSMALLINT)cap, &len)))
        snprintf(msg, cap, "(no diagnostic record)");
}

static void fail(worker *w, const char *what, SQLSMALLINT type, SQLHANDLE h)
{
    char state[6], msg[512];
    diag(type, h, state, msg, sizeof msg);
    if (!w->error[0])
        snprintf(w->error, sizeof w->error, "thread %d: %s: [%s] %s", w->id, what, state, msg);
}

/* ",12,7" -> [12, 7]; -1 when the text is not such a list. */
static long parse_list(const char *s, long *out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        if (*s != ',' || n == cap)
            return -1;
        char *end;
        out[n++] = strtol(s + 1, &end, 10);
        if (end == s + 1)
            return -1;
        s = end;
    }
    return (long)n;
}

static bool out_of_memory(worker *w)
{
    snprintf(w->error, sizeof w->error, "thread %d: out of memory recording the history", w->id);
    return false;
}

/* Runs one transaction; false after an unexpected failure. */
static bool run_txn(worker *w, SQLHDBC dbc, SQLHSTMT append, SQLHSTMT read)
{
    hist_txn *t = hist_begin(&w->h, w->id);
    if (!t)
        return out_of_memory(w);
    int ops = 1 + (int)(next_rand(&w->rng) % MAX_OPS);
    /* Now and then a transaction dawdles between its statements, so that its snapshot
     * grows old while others commit and version reclamation runs meanwhile. */
    bool slow = next_rand(&w->rng) % SLOW_ONE_IN == 0;
    SQLHSTMT failed = SQL_NULL_HSTMT;
    for (int i = 0; i < ops; i++) {
        if (slow && i > 0)
            nanosleep(&(struct timespec){0, SLOW_PAUSE_NS}, NULL);
        w->key = (SQLINTEGER)(w->key_base + (int)(next_rand(&w->rng) % KEYS));
        if (next_rand(&w->rng) % 2) {
            long v = (long)w->id * 1000000 + ++w->counter;
            snprintf(w->text, sizeof w->text, ",%ld", v);
            w->text_len = SQL_NTS;
            if (hist_append(&w->h, t, (int)w->key, v))
                return out_of_memory(w);
            if (!SQL_SUCCEEDED(SQLExecute(append))) {
                failed = append;
                break;
            }
            SQLLEN rows = -1;
            if (!SQL_SUCCEEDED(SQLRowCount(append, &rows)) || rows != 1) {
                snprintf(w->error, sizeof w->error, "thread %d: append to key %d changed %ld rows",
                         w->id, (int)w->key, (long)rows);
                return false;
            }
            continue;
        }
        if (!SQL_SUCCEEDED(SQLExecute(read))) {
            failed = read;
            break;
        }
        SQLRETURN rc = SQLFetch(read);
        if (rc != SQL_SUCCESS) {
            if (rc == SQL_NO_DATA)
                snprintf(w->error, sizeof w->error, "thread %d: key %d has no row", w->id,
                         (int)w->key);
            else
                fail(w, "fetch", SQL_HANDLE_STMT, read);
            return false;
        }
        long n = parse_list(w->val, w->list, MAX_LIST);
        if (n < 0 || w->val_ind < 0 || w->val_ind > VAL_CAP) {
            snprintf(w->error, sizeof w->error, "thread %d: key %d holds '%.200s' (length %ld)",
                     w->id, (int)w->key, w->val, (long)w->val_ind);
            return false;
        }
        /* Two visible versions of one row would be an anomaly of their own. */
        if ((rc = SQLFetch(read)) != SQL_NO_DATA) {
            snprintf(w->error, sizeof w->error, "thread %d: key %d has a second row (%d)", w->id,
                     (int)w->key, (int)rc);
            return false;
        }
        SQLFreeStmt(read, SQL_CLOSE);
        if (hist_read(&w->h, t, (int)w->key, w->list, (size_t)n))
            return out_of_memory(w);
    }

    char state[6], msg[512];
    if (failed) {
        diag(SQL_HANDLE_STMT, failed, state, msg, sizeof msg);
        /* Readers never conflict under snapshot isolation, so only an append may. */
        if (!strcmp(state, "40001") && failed == append) {
            w->conflicts++;
        } else if (!strcmp(state, "25000")) {
            /* The engine thinks the transaction aborted though no statement said so. */
            w->aborted_without_error++;
        } else {
            fail(w, failed == append ? "append" : "read", SQL_HANDLE_STMT, failed);
        }
        if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK))) {
            fail(w, "rollback", SQL_HANDLE_DBC, dbc);
            return false;
        }
        hist_end(t, HIST_FAILED);
        return !w->error[0];
    }
    if (SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
        hist_end(t, HIST_OK);
        w->committed++;
        return true;
    }
    diag(SQL_HANDLE_DBC, dbc, state, msg, sizeof msg);
    if (!strcmp(state, "40001") || !strcmp(state, "25S03")) {
        /* The engine rolled the transaction back. */
        hist_end(t, HIST_FAILED);
        w->commit_failures++;
        return true;
    }
    hist_end(t, HIST_UNKNOWN);
    fail(w, "commit", SQL_HANDLE_DBC, dbc);
    return false;
}

static bool prepare(worker *w, SQLHDBC dbc, SQLHSTMT *append, SQLHSTMT *read)
{
    *append = *read = SQL_NULL_HSTMT;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, append)) ||
        !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, read))) {
        fail(w, "allocate statements", SQL_HANDLE_DBC, dbc);
        return false;
    }
    if (!SQL_SUCCEEDED(SQLPrepare(*append, (SQLCHAR *)"UPDATE lists SET val = val || ? WHERE k = ?",
                                  SQL_NTS)) ||
        !SQL_SUCCEEDED(SQLBindParameter(*append, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR,
                                        sizeof w->text - 1, 0, w->text, sizeof w->text,
                                        &w->text_len)) ||
        !SQL_SUCCEEDED(SQLBindParameter(*append, 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0,
                                        &w->key, 0, NULL))) {
        fail(w, "prepare append", SQL_HANDLE_STMT, *append);
        return false;
    }
    if (!SQL_SUCCEEDED(
            SQLPrepare(*read, (SQLCHAR *)"SELECT val FROM lists WHERE k = ?", SQL_NTS)) ||
        !SQL_SUCCEEDED(SQLBindParameter(*read, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0,
                                        &w->key, 0, NULL)) ||
        !SQL_SUCCEEDED(SQLBindCol(*read, 1, SQL_C_CHAR, w->val, sizeof w->val, &w->val_ind))) {
        fail(w, "prepare read", SQL_HANDLE_STMT, *read);
        return false;
    }
    return true;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    SQLHSTMT append = SQL_NULL_HSTMT, read = SQL_NULL_HSTMT;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    bool ready = false;
    if (!dbc)
        snprintf(w->error, sizeof w->error, "thread %d: cannot connect", w->id);
    else if (!SQL_SUCCEEDED(
                 SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)))
        fail(w, "autocommit off", SQL_HANDLE_DBC, dbc);
    else
        ready = prepare(w, dbc, &append, &read);
    /* Each round starts everyone together on fresh keys, so transactions overlap from the
     * first one while no list outgrows its VARCHAR(4000). */
    for (int r = 0; r < rounds; r++) {
        pthread_barrier_wait(&start_line);
        w->key_base = r * KEYS;
        for (int i = 0; ready && i < TXNS; i++)
            ready = run_txn(w, dbc, append, read);
    }
    if (append)
        SQLFreeHandle(SQL_HANDLE_STMT, append);
    if (read)
        SQLFreeHandle(SQL_HANDLE_STMT, read);
    ou_disconnect(dbc);
    return NULL;
}

/* The final read: every key in one fresh transaction. */
static bool read_all(hist_history *h)
{
    worker *w = calloc(1, sizeof *w);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    w->id = -1;
    SQLHDBC dbc = ou_connect("DSN=eider_test");
    SQLHSTMT append = SQL_NULL_HSTMT, read = SQL_NULL_HSTMT;
    bool ok = dbc &&
              SQL_SUCCEEDED(
                  SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0)) &&
              prepare(w, dbc, &append, &read);
    hist_txn *t = ok ? hist_begin(h, -1) : NULL;
    if (t)
        t->final = true;
    for (int k = 0; t && ok && k < rounds * KEYS; k++) {
        w->key = k;
        long n = -1;
        ok = SQL_SUCCEEDED(SQLExecute(read)) && SQLFetch(read) == SQL_SUCCESS &&
             (n = parse_list(w->val, w->list, MAX_LIST)) >= 0 &&
             hist_read(h, t, k, w->list, (size_t)n) == 0;
        if (!ok)
            fail(w, "final read", SQL_HANDLE_STMT, read);
        SQLFreeStmt(read, SQL_CLOSE);
    }
    ok = ok && t && SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT));
    hist_end(t, ok ? HIST_OK : HIST_UNKNOWN);
    if (!ok)
        fprintf(stderr, "final read failed: %s\n", w->error);
    if (append)
        SQLFreeHandle(SQL_HANDLE_STMT, append);
    if (read)
        SQLFreeHandle(SQL_HANDLE_STMT, read);
    ou_disconnect(dbc);
    free(w);
    return ok;
}

/* Keeps every list in full, unlike the report, for whoever debugs the run. */
static void dump_history(const hist_history *h)
{
    char path[64];
    snprintf(path, sizeof path, "history-%lu.txt", base_seed);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    for (size_t i = 0; i < h->n_txns; i++) {
        const hist_txn *t = h->txns[i];
        fprintf(f, "T%zu thread %d %s%s:", i, t->thread,
                t->outcome == HIST_OK       ? "OK"
                : t->outcome == HIST_FAILED ? "FAILED"
                                            : "UNKNOWN",
                t->final ? " final" : "");
        for (size_t j = 0; j < t->n_ops; j++) {
            const hist_op *op = &t->ops[j];
            if (op->kind == HIST_APPEND) {
                fprintf(f, " append(%d, %ld)", op->key, op->value);
                continue;
            }
            fprintf(f, " read(%d)=[", op->key);
            for (size_t e = 0; e < op->n_list; e++)
                fprintf(f, "%s%ld", e ? ", " : "", op->list[e]);
            fprintf(f, "]");
        }
        fprintf(f, "\n");
    }
    fclose(f);
    fprintf(stderr, "the whole history is in %s\n", path);
}

static void test_random_list_appends(void)
{
    const char *env = getenv("EIDER_HISTORY_SEED");
    base_seed = env && *env ? strtoul(env, NULL, 0) : SEED_DEFAULT;
    env = getenv("EIDER_HISTORY_ROUNDS");
    /* Past 1000 rounds a thread's counter would reach the next thread's values. */
    rounds = env && atoi(env) > 0 && atoi(env) <= 1000 ? atoi(env) : ROUNDS;
    printf("\n  history seed %lu, %d rounds (set EIDER_HISTORY_SEED, EIDER_HISTORY_ROUNDS to "
           "change them)\n",
           base_seed, rounds);

    SQLHDBC dbc = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL_FATAL(ou_exec(dbc, "CREATE TABLE lists (k INTEGER PRIMARY KEY, "
                                              "val VARCHAR(4000) NOT NULL DEFAULT '')"),
                                 "00000");
    for (int k = 0; k < rounds * KEYS; k++) {
        char sql[64];
        snprintf(sql, sizeof sql, "INSERT INTO lists (k) VALUES (%d)", k);
        CU_ASSERT_STRING_EQUAL_FATAL(ou_exec(dbc, sql), "00000");
    }
    ou_disconnect(dbc);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CU_ASSERT_EQUAL_FATAL(pthread_barrier_init(&start_line, NULL, THREADS), 0);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        worker *w = &workers[i];
        w->id = i;
        w->rng = base_seed * 1000003UL + (unsigned long)i;
        hist_init(&w->h);
        if (pthread_create(&threads[i], NULL, run_worker, w) != 0) {
            /* The threads already started would wait at the barrier for ever. */
            fprintf(stderr, "cannot start thread %d\n", i);
            exit(2);
        }
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start_line);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    hist_history all;
    hist_init(&all);
    int committed = 0, conflicts = 0, commit_failures = 0, aborted = 0, txns = 0;
    for (int i = 0; i < THREADS; i++) {
        worker *w = &workers[i];
        if (w->error[0])
            fprintf(stderr, "%s\n", w->error);
        CU_ASSERT_STRING_EQUAL(w->error, "");
        committed += w->committed;
        conflicts += w->conflicts;
        commit_failures += w->commit_failures;
        aborted += w->aborted_without_error;
        txns += (int)w->h.n_txns;
        CU_ASSERT_EQUAL(hist_merge(&all, &w->h), 0);
    }
    CU_ASSERT(read_all(&all));

    static char report[1 << 18];
    int anomalies = hist_check(&all, report, sizeof report);
    printf("  %d transactions in %.2f s: %d committed, %d conflicts (40001 at a statement), "
           "%d failed commits, %d aborted without an error (25000)\n",
           txns, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
           committed, conflicts, commit_failures, aborted);
    if (anomalies != 0) {
        fprintf(stderr, "seed %lu:\n%s", base_seed, report);
        dump_history(&all);
    } else {
        printf("  %s", report);
    }
    CU_ASSERT_EQUAL(anomalies, 0);
    CU_ASSERT_EQUAL(aborted, 0);
    /* A run where nearly everything conflicts, or nothing does, checks little. Typical
     * runs commit about half. */
    CU_ASSERT_EQUAL(txns, THREADS * TXNS * rounds);
    CU_ASSERT(committed >= txns / 4);
    CU_ASSERT(conflicts + commit_failures > 0);
    hist_free(&all);
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

static CU_TestInfo tests[] = {
    {"random list appends are snapshot isolated", test_random_list_appends},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc history", setup, teardown, NULL, NULL, tests})
