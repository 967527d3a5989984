/*
 * The interleaving matrix: two transactions T1 and T2, each on its own connection driven
 * by its own thread, run one operation each (UPDATE, DELETE, INSERT or SELECT) on the
 * same row, another row or another table, in five orders of statements and commits. Every
 * case asserts which statement fails with which SQLSTATE, what T2's SELECT saw, and the
 * final contents of both tables, computed from the snapshot-isolation rules:
 *  - a row changed by a transaction that is still running, or that committed after our
 *    snapshot, cannot be changed again: 40001 at the statement (first updater wins);
 *  - a key inserted by a running transaction cannot be inserted again: 40001; a key
 *    committed already: 23000;
 *  - a SELECT sees its snapshot; appends and changes to other rows never conflict.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- two connections, each on its own thread, stepped in lockstep ---- */

typedef struct worker {
    pthread_t thread;
    SQLHDBC dbc;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    const char *sql; /* the step to run; NULL: idle */
    bool commit, rollback, quit;
    char state[6];
    char result[256]; /* a SELECT's rows */
} worker;

static worker W[2];

static void worker_step(worker *w)
{
    if (w->commit || w->rollback) {
        SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, w->dbc, w->commit ? SQL_COMMIT : SQL_ROLLBACK);
        snprintf(w->state, sizeof w->state, "%s",
                 rc == SQL_SUCCESS ? "00000" : ou_state(SQL_HANDLE_DBC, w->dbc));
        return;
    }
    if (strncmp(w->sql, "select", 6) == 0) {
        const char *r = ou_query(w->dbc, w->sql);
        snprintf(w->result, sizeof w->result, "%s", r);
        snprintf(w->state, sizeof w->state, "%s", strncmp(r, "ERROR ", 6) == 0 ? r + 6 : "00000");
        return;
    }
    snprintf(w->state, sizeof w->state, "%s", ou_exec(w->dbc, w->sql));
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->sql && !w->commit && !w->rollback && !w->quit)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->quit)
            break;
        worker_step(w);
        w->sql = NULL;
        w->commit = w->rollback = false;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Runs one step on worker i and waits for it; returns its SQLSTATE. */
static const char *run(int i, const char *sql, bool commit, bool rollback)
{
    worker *w = &W[i];
    pthread_mutex_lock(&w->lock);
    w->sql = sql;
    w->commit = commit;
    w->rollback = rollback;
    pthread_cond_broadcast(&w->cond);
    while (w->sql || w->commit || w->rollback)
        pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return w->state;
}

/* ---- the model ---- */

enum op { OP_U, OP_D, OP_I, OP_S };
enum target { SAME_ROW, OTHER_ROW, OTHER_TABLE };
enum order {
    CONCURRENT_T1_FIRST, /* T1 op, T2 op, T1 commit, T2 commit */
    CONCURRENT_T2_FIRST, /* T1 op, T2 op, T2 commit, T1 commit */
    T1_ROLLS_BACK,       /* T1 op, T2 op, T1 rollback, T2 commit */
    T1_COMMITS_MIDWAY,   /* T2 takes its snapshot, T1 op, T1 commit, T2 op, T2 commit */
    SERIAL,              /* T1 op, T1 commit, T2 op, T2 commit */
};
static const char *const op_name[] = {"UPDATE", "DELETE", "INSERT", "SELECT"};
static const char *const target_name[] = {"same row", "other row", "other table"};
static const char *const order_name[] = {"concurrent, T1 commits first",
                                         "concurrent, T2 commits first", "T1 rolls back",
                                         "T1 commits after T2's snapshot", "serial"};

/* The tables: m(id, v) with rows 1 and 2, o(id, v) with row 1. Values are small; a
 * model state is v per (table, id), -1 when the row does not exist. */
typedef struct model {
    int m[60], o[60];
} model;

static void model_init(model *s)
{
    for (int i = 0; i < 60; i++)
        s->m[i] = s->o[i] = -1;
    s->m[1] = 10;
    s->m[2] = 20;
    s->o[1] = 100;
}

/* The statement transaction `who` (0 or 1) runs; key and table from the target. */
static void statement(char *sql, size_t cap, enum op op, enum target tg, int who)
{
    const char *table = tg == OTHER_TABLE && who == 1 ? "o" : "m";
    int row = tg == OTHER_ROW && who == 1 ? 2 : 1;
    int key = tg == OTHER_ROW && who == 1 ? 51 : 50;
    int delta = who == 0 ? 1 : 10;
    switch (op) {
    case OP_U:
        snprintf(sql, cap, "update %s set v = v + %d where id = %d", table, delta, row);
        break;
    case OP_D:
        snprintf(sql, cap, "delete from %s where id = %d", table, row);
        break;
    case OP_I:
        snprintf(sql, cap, "insert into %s values (%d, %d)", table, key, 5 + who);
        break;
    case OP_S:
        snprintf(sql, cap, "select v from %s where id = %d", table, row);
        break;
    }
}

static void model_apply(model *s, enum op op, enum target tg, int who)
{
    int *t = tg == OTHER_TABLE && who == 1 ? s->o : s->m;
    int row = tg == OTHER_ROW && who == 1 ? 2 : 1;
    int key = tg == OTHER_ROW && who == 1 ? 51 : 50;
    switch (op) {
    case OP_U:
        if (t[row] >= 0)
            t[row] += who == 0 ? 1 : 10;
        break;
    case OP_D:
        t[row] = -1;
        break;
    case OP_I:
        t[key] = 5 + who;
        break;
    case OP_S:
        break;
    }
}

static bool writes_row(enum op op)
{
    return op == OP_U || op == OP_D;
}

/* What T2's statement answers, by the rules in the file comment. */
static const char *expected_t2_state(enum op o1, enum op o2, enum target tg, enum order ord)
{
    if (tg != SAME_ROW)
        return "00000";
    if (o1 == OP_I && o2 == OP_I)
        return ord == T1_COMMITS_MIDWAY || ord == SERIAL ? "23000" : "40001";
    if (ord != SERIAL && writes_row(o1) && writes_row(o2))
        return "40001";
    return "00000";
}

static void render(const int *t, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 60; i++)
        if (t[i] >= 0)
            n += (size_t)snprintf(out + n, cap - n, "%s%d|%d", n ? ";" : "", i, t[i]);
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int ix = atoi(x), iy = atoi(y);
    return (ix > iy) - (ix < iy);
}

/* Rows of a table as "id|v;..." sorted by id. */
static void actual(SQLHDBC dbc, const char *table, char *out, size_t cap)
{
    char sql[64], rows[1024];
    snprintf(sql, sizeof sql, "select id, v from %s", table);
    snprintf(rows, sizeof rows, "%s", ou_query(dbc, sql));
    char *parts[64];
    size_t n = 0;
    for (char *save, *p = strtok_r(rows, ";", &save); p && n < 64; p = strtok_r(NULL, ";", &save))
        parts[n++] = p;
    qsort(parts, n, sizeof *parts, cmp_str);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ";" : "", parts[i]);
}

static int failures;

static void check(bool ok, const char *what, const char *got, const char *want,
                  const char *case_name)
{
    if (ok)
        return;
    failures++;
    fprintf(stderr, "%s: %s: got \"%s\", expected \"%s\"\n", case_name, what, got, want);
}

static void run_case(SQLHDBC admin, enum op o1, enum op o2, enum target tg, enum order ord)
{
    char name[160];
    snprintf(name, sizeof name, "T1 %s / T2 %s, %s, %s", op_name[o1], op_name[o2], target_name[tg],
             order_name[ord]);
    ou_exec(admin, "delete from m");
    ou_exec(admin, "delete from o");
    ou_exec(admin, "insert into m values (1, 10), (2, 20)");
    ou_exec(admin, "insert into o values (1, 100)");
    char s1[128], s2[128];
    statement(s1, sizeof s1, o1, tg, 0);
    statement(s2, sizeof s2, o2, tg, 1);
    model before, after;
    model_init(&before);
    after = before;

    const char *st1, *st2, *c1 = "00000", *c2;
    char t2_read[256] = "";
    if (ord == T1_COMMITS_MIDWAY) {
        check(strcmp(run(1, "select v from m where id = 2", false, false), "00000") == 0,
              "T2 snapshot", W[1].state, "00000", name);
    }
    st1 = run(0, s1, false, false);
    check(strcmp(st1, "00000") == 0, "T1 statement", st1, "00000", name);
    model_apply(&after, o1, tg, 0);
    model t2_view = before; /* what T2's snapshot shows */
    if (ord == T1_COMMITS_MIDWAY || ord == SERIAL) {
        c1 = run(0, NULL, true, false);
        if (ord == SERIAL)
            t2_view = after;
    }
    st2 = run(1, s2, false, false);
    if (o2 == OP_S)
        snprintf(t2_read, sizeof t2_read, "%s", W[1].result);
    const char *want2 = expected_t2_state(o1, o2, tg, ord);
    check(strcmp(st2, want2) == 0, "T2 statement", st2, want2, name);
    bool t2_failed = strcmp(want2, "00000") != 0;
    if (!t2_failed)
        model_apply(&after, o2, tg, 1);

    if (ord == CONCURRENT_T1_FIRST || ord == T1_ROLLS_BACK)
        c1 = run(0, NULL, ord == CONCURRENT_T1_FIRST, ord == T1_ROLLS_BACK);
    c2 = run(1, NULL, true, false);
    if (ord == CONCURRENT_T2_FIRST)
        c1 = run(0, NULL, true, false);
    check(strcmp(c1, "00000") == 0, "T1 end", c1, "00000", name);
    /* A transaction whose statement failed is aborted: COMMIT rolls it back and says so. */
    const char *want_c2 = t2_failed ? "25S03" : "00000";
    check(strcmp(c2, want_c2) == 0, "T2 commit", c2, want_c2, name);

    if (ord == T1_ROLLS_BACK) { /* recompute: only T2's effect */
        after = before;
        if (!t2_failed)
            model_apply(&after, o2, tg, 1);
    }
    if (o2 == OP_S) {
        int *t = tg == OTHER_TABLE ? t2_view.o : t2_view.m;
        int row = tg == OTHER_ROW ? 2 : 1;
        char want[32] = "";
        if (t[row] >= 0)
            snprintf(want, sizeof want, "%d", t[row]);
        check(strcmp(t2_read, want) == 0, "T2 read", t2_read, want, name);
    }
    char got[512], want[512];
    actual(admin, "m", got, sizeof got);
    render(after.m, want, sizeof want);
    check(strcmp(got, want) == 0, "final m", got, want, name);
    actual(admin, "o", got, sizeof got);
    render(after.o, want, sizeof want);
    check(strcmp(got, want) == 0, "final o", got, want, name);
}

static void test_matrix(void)
{
    SQLHDBC admin = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(admin);
    CU_ASSERT_STRING_EQUAL(ou_exec(admin, "create table m (id integer primary key, v integer)"),
                           "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(admin, "create table o (id integer primary key, v integer)"),
                           "00000");
    for (int i = 0; i < 2; i++) {
        W[i].dbc = ou_connect("DSN=eider_test");
        CU_ASSERT_PTR_NOT_NULL_FATAL(W[i].dbc);
        SQLSetConnectAttr(W[i].dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
        pthread_mutex_init(&W[i].lock, NULL);
        pthread_cond_init(&W[i].cond, NULL);
        pthread_create(&W[i].thread, NULL, worker_main, &W[i]);
    }
    int cases = 0;
    for (int o1 = OP_U; o1 <= OP_S; o1++)
        for (int o2 = OP_U; o2 <= OP_S; o2++)
            for (int tg = SAME_ROW; tg <= OTHER_TABLE; tg++)
                for (int ord = CONCURRENT_T1_FIRST; ord <= SERIAL; ord++, cases++)
                    run_case(admin, o1, o2, tg, ord);
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&W[i].lock);
        W[i].quit = true;
        pthread_cond_broadcast(&W[i].cond);
        pthread_mutex_unlock(&W[i].lock);
        pthread_join(W[i].thread, NULL);
        ou_disconnect(W[i].dbc);
    }
    printf("\n%d interleavings checked, %d mismatches\n", cases, failures);
    CU_ASSERT_EQUAL(cases, 4 * 4 * 3 * 5);
    CU_ASSERT_EQUAL(failures, 0);
    ou_disconnect(admin);
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

static CU_TestInfo conflict_tests[] = {
    {"interleaving matrix", test_matrix},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc conflicts", setup, teardown, NULL, NULL, conflict_tests})
