/*
 * eider-demo: several threads, each with its own ODBC connection through the unixODBC
 * driver manager, move money between accounts. A transfer is one durable transaction:
 * two UPDATEs of account balances and an INSERT into a ledger. When two transfers touch
 * the same account at once, the later one gets SQLSTATE 40001 (a transaction conflict),
 * rolls back and tries again. At the end the demo checks that no money was created or
 * lost, and that every account's balance matches its ledger entries. It speaks only ODBC,
 * so it runs against any DSN.
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

#define DEMO_START_BALANCE 1000

typedef struct demo_worker {
    const demo_opts *o;
    int id;
    int committed;
    int conflicts;   /* 40001: rolled back and retried */
    int failed;      /* any other error */
    long long moved; /* sum of the amounts this thread committed */
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

static bool demo_is_conflict(SQLSMALLINT type, SQLHANDLE h)
{
    SQLCHAR state[6] = "";
    SQLINTEGER native;
    SQLSMALLINT len;
    SQLGetDiagRec(type, h, 1, state, &native, NULL, 0, &len);
    return strcmp((char *)state, "40001") == 0;
}

/* One transfer = one transaction: debit, credit, ledger row; retried on conflict. */
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
    SQLHSTMT move, book;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &move);
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &book);
    SQLPrepare(move,
               (SQLCHAR *)"UPDATE demo_account SET balance = balance + ? WHERE run = ? AND id = ?",
               SQL_NTS);
    SQLPrepare(book, (SQLCHAR *)"INSERT INTO demo_ledger VALUES (?, ?, ?, ?, ?)", SQL_NTS);
    SQLBIGINT run = o->run, transfer, delta, amount;
    SQLINTEGER account, from, to;
    SQLBindParameter(move, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &delta, 0, NULL);
    SQLBindParameter(move, 2, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &run, 0, NULL);
    SQLBindParameter(move, 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &account, 0, NULL);
    SQLBindParameter(book, 1, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &run, 0, NULL);
    SQLBindParameter(book, 2, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &transfer, 0, NULL);
    SQLBindParameter(book, 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &from, 0, NULL);
    SQLBindParameter(book, 4, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &to, 0, NULL);
    SQLBindParameter(book, 5, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &amount, 0, NULL);
    unsigned seed = (unsigned)(o->run + w->id * 7919);
    for (int i = 0; i < o->transfers;) {
        transfer = (SQLBIGINT)w->id * 1000000 + i;
        from = rand_r(&seed) % o->accounts;
        to = (from + 1 + rand_r(&seed) % (o->accounts - 1)) % o->accounts;
        amount = 1 + rand_r(&seed) % 100;
        account = from;
        delta = -amount;
        SQLHANDLE h = move;
        SQLSMALLINT type = SQL_HANDLE_STMT;
        bool ok = SQL_SUCCEEDED(SQLExecute(move));
        if (ok) {
            account = to;
            delta = amount;
            ok = SQL_SUCCEEDED(SQLExecute(move));
        }
        if (ok && !(ok = SQL_SUCCEEDED(SQLExecute(book))))
            h = book;
        if (ok && !(ok = SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT)))) {
            h = dbc;
            type = SQL_HANDLE_DBC;
        }
        if (ok) {
            w->committed++;
            w->moved += amount;
            i++;
            continue;
        }
        bool conflict = demo_is_conflict(type, h);
        if (!conflict)
            demo_diag(type, h, w->error, sizeof w->error);
        SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
        if (conflict) {
            w->conflicts++; /* someone else moved money from or to one of our accounts */
            struct timespec pause = {0, 20000 + rand_r(&seed) % 80000};
            nanosleep(&pause, NULL);
        } else if (++w->failed > 10) {
            break;
        }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, move);
    SQLFreeHandle(SQL_HANDLE_STMT, book);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return NULL;
}

/* Fetches "SELECT a, b ... WHERE run = <run>" as pairs of integers into out. */
static long demo_pairs(SQLHDBC dbc, const char *sql, long long (*out)[2], long cap)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
        char err[512];
        demo_diag(SQL_HANDLE_STMT, st, err, sizeof err);
        fprintf(stderr, "check query failed: %s\n", err);
        SQLFreeHandle(SQL_HANDLE_STMT, st);
        return -1;
    }
    SQLBIGINT a, b;
    SQLBindCol(st, 1, SQL_C_SBIGINT, &a, 0, NULL);
    SQLBindCol(st, 2, SQL_C_SBIGINT, &b, 0, NULL);
    long n = 0;
    while (SQL_SUCCEEDED(SQLFetch(st)) && n < cap) {
        out[n][0] = a;
        out[n][1] = b;
        n++;
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return n;
}

/* Checks the books: total money unchanged, every balance equal to its start plus its
 * ledger entries, and as many ledger rows as committed transfers. */
static bool demo_check(SQLHDBC dbc, const demo_opts *o, const demo_worker *w, long long *rows)
{
    char sql[160];
    long long(*acct)[2] = calloc((size_t)o->accounts, sizeof *acct);
    long long *expect = calloc((size_t)o->accounts, sizeof *expect);
    size_t cap = (size_t)o->threads * (size_t)o->transfers;
    long long(*ledger)[2] = calloc(cap + 1, sizeof *ledger);
    bool ok = acct && expect && ledger;
    snprintf(sql, sizeof sql, "SELECT id, balance FROM demo_account WHERE run = %lld", o->run);
    long na = ok ? demo_pairs(dbc, sql, acct, o->accounts) : -1;
    snprintf(sql, sizeof sql, "SELECT from_acct, amount FROM demo_ledger WHERE run = %lld", o->run);
    long nl = ok ? demo_pairs(dbc, sql, ledger, (long)cap + 1) : -1;
    snprintf(sql, sizeof sql, "SELECT to_acct, amount FROM demo_ledger WHERE run = %lld", o->run);
    long long(*credits)[2] = calloc(cap + 1, sizeof *credits);
    long nc = ok && credits ? demo_pairs(dbc, sql, credits, (long)cap + 1) : -1;
    ok = ok && credits && na == o->accounts && nl >= 0 && nc == nl;
    long long total = 0, committed = 0;
    for (int t = 0; t < o->threads; t++)
        committed += w[t].committed;
    for (long i = 0; ok && i < o->accounts; i++)
        expect[i] = DEMO_START_BALANCE;
    for (long i = 0; ok && i < nl; i++) {
        ok = ledger[i][0] >= 0 && ledger[i][0] < o->accounts && credits[i][0] >= 0 &&
             credits[i][0] < o->accounts;
        if (ok) {
            expect[ledger[i][0]] -= ledger[i][1];
            expect[credits[i][0]] += credits[i][1];
        }
    }
    for (long i = 0; ok && i < na; i++) {
        total += acct[i][1];
        ok = acct[i][0] >= 0 && acct[i][0] < o->accounts && acct[i][1] == expect[acct[i][0]];
    }
    *rows = nl;
    ok = ok && total == (long long)o->accounts * DEMO_START_BALANCE && nl == committed;
    free(acct);
    free(expect);
    free(ledger);
    free(credits);
    return ok;
}

/* Prints Eider's pool statistics (SELECT ... FROM eider_pool_stats()): the pool the workers
 * shared, its sessions and how long connecting waited. Other DBMSs have no such function. */
static void demo_pool_stats(SQLHDBC dbc)
{
    static const char *const sql =
        "SELECT mode, active, idle, max_sessions, acquired, created, destroyed, conflicts, "
        "acquire_p50_us, acquire_p99_us FROM eider_pool_stats() ORDER BY database, account";
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
        printf("  pool statistics: not available from this DSN\n");
        SQLFreeHandle(SQL_HANDLE_STMT, st);
        return;
    }
    printf("  pool statistics (SELECT * FROM eider_pool_stats()):\n");
    while (SQL_SUCCEEDED(SQLFetch(st))) {
        char v[10][64];
        for (SQLUSMALLINT c = 0; c < 10; c++) {
            SQLLEN ind;
            if (!SQL_SUCCEEDED(SQLGetData(st, c + 1, SQL_C_CHAR, v[c], sizeof v[c], &ind)) ||
                ind == SQL_NULL_DATA)
                strcpy(v[c], "-");
        }
        printf("    %s mode: %s active, %s idle of at most %s; %s connects served by %s sessions "
               "created (%s closed); %s conflicts; acquire p50 < %s us, p99 < %s us\n",
               v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void demo_usage(const char *prog)
{
    fprintf(stderr, "usage: %s [--dsn NAME] [--threads N] [--transfers N] [--accounts N]\n", prog);
    exit(2);
}

int main(int argc, char **argv)
{
    demo_opts o = {"eider", 4, 500, 20, 0};
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
                   "CREATE TABLE IF NOT EXISTS demo_account (run BIGINT NOT NULL, id INTEGER "
                   "NOT NULL, balance BIGINT NOT NULL, PRIMARY KEY (run, id))",
                   err, sizeof err) ||
        !demo_exec(dbc,
                   "CREATE TABLE IF NOT EXISTS demo_ledger (run BIGINT NOT NULL, transfer "
                   "BIGINT NOT NULL, from_acct INTEGER NOT NULL, to_acct INTEGER NOT NULL, "
                   "amount BIGINT NOT NULL)",
                   err, sizeof err)) {
        fprintf(stderr, "cannot create the demo tables: %s\n", err);
        return 1;
    }
    for (int a = 0; a < o.accounts; a++) {
        char sql[160];
        snprintf(sql, sizeof sql, "INSERT INTO demo_account VALUES (%lld, %d, %d)", o.run, a,
                 DEMO_START_BALANCE);
        if (!demo_exec(dbc, sql, err, sizeof err)) {
            fprintf(stderr, "cannot create the accounts: %s\n", err);
            return 1;
        }
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
    int committed = 0, failed = 0, conflicts = 0;
    long long moved = 0;
    for (int t = 0; t < o.threads; t++) {
        pthread_join(tid[t], NULL);
        committed += w[t].committed;
        failed += w[t].failed;
        conflicts += w[t].conflicts;
        moved += w[t].moved;
        if (w[t].error[0])
            printf("  thread %d: last error %s\n", t, w[t].error);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("  transfers committed: %d (%lld moved), other errors: %d\n", committed, moved, failed);
    printf("  conflicts: %d transfers hit an account another transfer was changing (SQLSTATE "
           "40001), rolled back and retried\n",
           conflicts);
    printf("  time: %.3f s, %.0f transfers/s (each a durable transaction: 2 UPDATEs + 1 "
           "INSERT)\n",
           secs, committed / (secs > 0 ? secs : 1e-9));
    long long rows = 0;
    bool ok = demo_check(dbc, &o, w, &rows);
    printf("  check: %d accounts, %lld ledger rows; total unchanged and every balance matches "
           "its ledger: %s\n",
           o.accounts, rows, ok ? "CONSISTENT" : "INCONSISTENT");
    demo_pool_stats(dbc);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, demo_env);
    free(w);
    free(tid);
    return ok && failed == 0 ? 0 : 1;
}
