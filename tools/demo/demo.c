/*
 * eider-demo: several threads, each with its own ODBC connection through the unixODBC
 * driver manager, book transfers between accounts into a double-entry ledger (one debit
 * and one credit row per transfer, committed together in one durable transaction). At the
 * end it reads the ledger back and checks that every transfer is there whole and the books
 * balance. It speaks only ODBC, so it runs against any DSN.
 *
 *   eider-demo [--dsn NAME] [--threads N] [--transfers N] [--accounts N]
 */
#include <pthread.h>
#include <sql.h>
#include <sqlext.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct demo_opts {
    const char *dsn;
    int threads;
    int transfers;
    int accounts;
    long long run; /* tags this run's rows, so repeated demos on one database stay apart */
} demo_opts;

typedef struct demo_worker {
    const demo_opts *o;
    int id;
    int committed;
    int failed;
    long long debited; /* sum of the amounts this thread committed */
    char error[512];
} demo_worker;

static SQLHENV demo_env;

static void demo_diag(SQLSMALLINT type, SQLHANDLE h, char *out, size_t cap)
{
    SQLCHAR state[6] = "", msg[400] = "";
    SQLINTEGER native;
    SQLSMALLINT len;
    SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
    snprintf(out, cap, "[%s] %s", state, msg);
}

static SQLHDBC demo_connect(const char *dsn, char *err, size_t cap)
{
    SQLHDBC dbc;
    char cs[256];
    snprintf(cs, sizeof cs, "DSN=%s", dsn);
    SQLAllocHandle(SQL_HANDLE_DBC, demo_env, &dbc);
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL,
                                        SQL_DRIVER_NOPROMPT))) {
        demo_diag(SQL_HANDLE_DBC, dbc, err, cap);
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        return NULL;
    }
    return dbc;
}

static bool demo_exec(SQLHDBC dbc, const char *sql, char *err, size_t cap)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    if (!SQL_SUCCEEDED(rc))
        demo_diag(SQL_HANDLE_STMT, st, err, cap);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return SQL_SUCCEEDED(rc);
}

/* One transfer = one transaction with two rows: -amount from one account, +amount to
 * another. */
static void *demo_work(void *arg)
{
    demo_worker *w = arg;
    const demo_opts *o = w->o;
    SQLHDBC dbc = demo_connect(o->dsn, w->error, sizeof w->error);
    if (!dbc) {
        w->failed = o->transfers;
        return NULL;
    }
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    SQLPrepare(st, (SQLCHAR *)"INSERT INTO demo_ledger VALUES (?, ?, ?, ?)", SQL_NTS);
    SQLBIGINT run = o->run, transfer, amount;
    SQLINTEGER account;
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &run, 0, NULL);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &transfer, 0, NULL);
    SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &account, 0, NULL);
    SQLBindParameter(st, 4, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &amount, 0, NULL);
    unsigned seed = (unsigned)(o->run + w->id * 7919);
    for (int i = 0; i < o->transfers; i++) {
        transfer = (SQLBIGINT)w->id * 1000000 + i;
        int from = rand_r(&seed) % o->accounts;
        int to = (from + 1 + rand_r(&seed) % (o->accounts - 1)) % o->accounts;
        SQLBIGINT value = 1 + rand_r(&seed) % 1000;
        account = from;
        amount = -value;
        bool ok = SQL_SUCCEEDED(SQLExecute(st));
        account = to;
        amount = value;
        ok = ok && SQL_SUCCEEDED(SQLExecute(st));
        if (!ok)
            demo_diag(SQL_HANDLE_STMT, st, w->error, sizeof w->error);
        if (ok && !SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT))) {
            demo_diag(SQL_HANDLE_DBC, dbc, w->error, sizeof w->error);
            ok = false;
        }
        if (ok) {
            w->committed++;
            w->debited += value;
        } else {
            SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
            w->failed++;
        }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return NULL;
}

/* Reads this run's ledger back; returns true when it is consistent with what the threads
 * committed. */
static bool demo_check(SQLHDBC dbc, const demo_opts *o, const demo_worker *w, long long *rows)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT transfer, amount FROM demo_ledger WHERE run = %lld", o->run);
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
        char err[512];
        demo_diag(SQL_HANDLE_STMT, st, err, sizeof err);
        fprintf(stderr, "check query failed: %s\n", err);
        return false;
    }
    SQLBIGINT transfer, amount;
    SQLBindCol(st, 1, SQL_C_SBIGINT, &transfer, 0, NULL);
    SQLBindCol(st, 2, SQL_C_SBIGINT, &amount, 0, NULL);
    /* Per transfer: its two rows must cancel out. */
    size_t n = (size_t)o->threads * (size_t)o->transfers;
    long long *sum = calloc(n, sizeof *sum);
    int *count = calloc(n, sizeof *count);
    long long total = 0, credits = 0;
    *rows = 0;
    bool ok = sum && count;
    while (ok && SQL_SUCCEEDED(SQLFetch(st))) {
        long long t = transfer / 1000000, i = transfer % 1000000;
        if (t < 0 || t >= o->threads || i >= o->transfers) {
            ok = false;
            break;
        }
        size_t k = (size_t)t * (size_t)o->transfers + (size_t)i;
        sum[k] += amount;
        count[k]++;
        total += amount;
        credits += amount > 0 ? amount : 0;
        (*rows)++;
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    long long committed = 0, debited = 0;
    for (int t = 0; t < o->threads; t++) {
        committed += w[t].committed;
        debited += w[t].debited;
    }
    long long whole = 0;
    for (size_t k = 0; ok && k < n; k++) {
        if (count[k] == 0)
            continue;
        if (count[k] != 2 || sum[k] != 0)
            ok = false;
        whole++;
    }
    free(sum);
    free(count);
    return ok && total == 0 && whole == committed && *rows == 2 * committed && credits == debited;
}

static void demo_usage(const char *prog)
{
    fprintf(stderr, "usage: %s [--dsn NAME] [--threads N] [--transfers N] [--accounts N]\n", prog);
    exit(2);
}

int main(int argc, char **argv)
{
    demo_opts o = {"eider", 4, 500, 100, 0};
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            demo_usage(argv[0]);
        if (strcmp(argv[i], "--dsn") == 0)
            o.dsn = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0)
            o.threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--transfers") == 0)
            o.transfers = atoi(argv[++i]);
        else if (strcmp(argv[i], "--accounts") == 0)
            o.accounts = atoi(argv[++i]);
        else
            demo_usage(argv[0]);
    }
    if (o.threads < 1 || o.transfers < 1 || o.transfers >= 1000000 || o.accounts < 2)
        demo_usage(argv[0]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_REALTIME, &t0);
    o.run = (long long)t0.tv_sec * 1000 + t0.tv_nsec / 1000000 + getpid() % 1000;

    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &demo_env);
    SQLSetEnvAttr(demo_env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    char err[512];
    SQLHDBC dbc = demo_connect(o.dsn, err, sizeof err);
    if (!dbc) {
        fprintf(stderr, "cannot connect to DSN \"%s\": %s\n", o.dsn, err);
        return 1;
    }
    char dbname[512] = "?";
    SQLSMALLINT len;
    SQLGetInfo(dbc, SQL_DATABASE_NAME, dbname, sizeof dbname, &len);
    if (!demo_exec(dbc,
                   "CREATE TABLE IF NOT EXISTS demo_ledger (run BIGINT NOT NULL, transfer BIGINT "
                   "NOT NULL, account INTEGER NOT NULL, amount BIGINT NOT NULL)",
                   err, sizeof err)) {
        fprintf(stderr, "cannot create the ledger table: %s\n", err);
        return 1;
    }
    printf("Eider demo: %d threads x %d transfers between %d accounts, DSN \"%s\"\n", o.threads,
           o.transfers, o.accounts, o.dsn);
    printf("  database: %s\n", dbname);

    demo_worker *w = calloc((size_t)o.threads, sizeof *w);
    pthread_t *tid = calloc((size_t)o.threads, sizeof *tid);
    if (!w || !tid)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < o.threads; t++) {
        w[t] = (demo_worker){.o = &o, .id = t};
        pthread_create(&tid[t], NULL, demo_work, &w[t]);
    }
    int committed = 0, failed = 0;
    for (int t = 0; t < o.threads; t++) {
        pthread_join(tid[t], NULL);
        committed += w[t].committed;
        failed += w[t].failed;
        if (w[t].error[0])
            printf("  thread %d: last error %s\n", t, w[t].error);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("  transfers committed: %d (%d ledger rows), failed: %d\n", committed, 2 * committed,
           failed);
    printf("  time: %.3f s, %.0f transfers/s (each a durable two-row transaction)\n", secs,
           committed / (secs > 0 ? secs : 1e-9));
    long long rows = 0;
    bool ok = demo_check(dbc, &o, w, &rows);
    printf("  check: %lld rows read back; every transfer whole, books balance: %s\n", rows,
           ok ? "CONSISTENT" : "INCONSISTENT");
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, demo_env);
    free(w);
    free(tid);
    return ok && failed == 0 ? 0 : 1;
}
