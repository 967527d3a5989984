/*
 * Crash recovery by killing: a child process runs transactions from two threads (each
 * inserts three rows of one event and increments a shared counter) with checkpoints every
 * few dozen kilobytes of log, and writes the id of every acknowledged commit to a pipe. The
 * parent kills it with SIGKILL at a random moment (often during a checkpoint), reopens the
 * database and checks that every acknowledged commit is there, that no transaction is
 * there in part (an event has all three rows or none, and the counter equals the number of
 * events), and that the killed writer's file lock is gone. The database carries over from
 * one round to the next, so later rounds recover longer histories.
 *
 * EIDER_CRASH_ROUNDS sets the number of rounds (default 25; run hundreds locally).
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static int setup(void)
{
    if (eu_temp_folder("crash", "crash.eider", dir, path) != 0)
        return 1;
    return 0;
}

static int teardown(void)
{
    return eu_remove_folder(dir) == 0 ? 0 : 1;
}

/* ---- the child ---- */

typedef struct writer {
    eng_db *db;
    int ack_fd;
    long long first_id;
} writer;

static bool exec_ok(eng_session *s, const char *sql, eng_error *err)
{
    eng_stmt *st;
    if (eng_prepare(s, sql, strlen(sql), &st, err) != 0)
        return false;
    bool ok = eng_stmt_execute(st, NULL, 0, err) == 0;
    eng_stmt_free(st);
    return ok;
}

static void *writer_main(void *arg)
{
    writer *w = arg;
    eng_session *s;
    eng_error err;
    if (eng_session_open(w->db, &s, &err) != 0)
        _exit(20);
    unsigned seed = (unsigned)w->first_id;
    for (long long id = w->first_id;; id++) {
        for (;;) { /* retry the same event until it commits */
            char sql[160];
            bool ok = exec_ok(s, "begin", &err);
            snprintf(sql, sizeof sql, "insert into ev values (%lld, 1), (%lld, 2), (%lld, 3)", id,
                     id, id);
            ok = ok && exec_ok(s, sql, &err);
            ok = ok && exec_ok(s, "update counter set n = n + 1 where id = 0", &err);
            ok = ok && exec_ok(s, "commit", &err);
            if (ok)
                break;
            eng_error failed = err;
            exec_ok(s, "rollback", &err);
            err = failed;
            if (strcmp(err.sqlstate, "40001") != 0 && strcmp(err.sqlstate, "25S03") != 0) {
                fprintf(stderr, "child: %s %s\n", err.sqlstate, err.message);
                _exit(21); /* anything but a conflict is a failure of the test */
            }
        }
        if (write(w->ack_fd, &id, sizeof id) != (ssize_t)sizeof id)
            _exit(22);
        if (rand_r(&seed) % 64 == 0)
            exec_ok(s, "checkpoint", &err);
    }
    return NULL;
}

static void child_main(int ack_fd, long long base)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {.checkpoint_bytes = 32 * 1024};
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "child open: %s %s\n", err.sqlstate, err.message);
        _exit(23);
    }
    eng_session *s;
    eng_session_open(db, &s, &err);
    exec_ok(s, "create table if not exists ev (id bigint not null, seq integer not null)", &err);
    exec_ok(s, "create table if not exists counter (id integer primary key, n bigint)", &err);
    if (strcmp(eu_query(s, "select n from counter where id = 0"), "") == 0)
        exec_ok(s, "insert into counter values (0, 0)", &err);
    writer w[2] = {{db, ack_fd, base}, {db, ack_fd, base + 500000}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, writer_main, &w[i]);
    for (;;)
        pause(); /* until killed */
}

/* ---- the parent ---- */

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

typedef struct acks {
    long long *ids;
    size_t n, cap;
} acks;

static void read_acks(int fd, acks *a)
{
    long long id;
    while (read(fd, &id, sizeof id) == (ssize_t)sizeof id) {
        if (a->n == a->cap) {
            a->cap = a->cap ? a->cap * 2 : 1024;
            a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
        }
        a->ids[a->n++] = id;
    }
}

/* Reads all events: sorted ids with their row counts; returns the counter. */
static long long load_events(eng_session *s, long long **ids, int **rows, size_t *n)
{
    eng_stmt *st;
    eng_error err;
    const char *sql = "select id from ev";
    *n = 0;
    *ids = NULL;
    *rows = NULL;
    if (eng_prepare(s, sql, strlen(sql), &st, &err) != 0 ||
        eng_stmt_execute(st, NULL, 0, &err) != 0)
        return -1;
    size_t cap = 4096, count = 0;
    long long *all = malloc(cap * sizeof *all);
    const eng_chunk *ch;
    while (eng_stmt_fetch(st, &ch, &err) == 1) {
        for (uint32_t r = 0; r < ch->count; r++) {
            if (count == cap)
                all = realloc(all, (cap *= 2) * sizeof *all);
            all[count++] = ((const int64_t *)ch->cols[0].data)[r];
        }
    }
    eng_stmt_free(st);
    qsort(all, count, sizeof *all, cmp_ll);
    *ids = malloc((count ? count : 1) * sizeof **ids);
    *rows = malloc((count ? count : 1) * sizeof **rows);
    for (size_t i = 0; i < count; i++) {
        if (*n && (*ids)[*n - 1] == all[i]) {
            (*rows)[*n - 1]++;
        } else {
            (*ids)[*n] = all[i];
            (*rows)[(*n)++] = 1;
        }
    }
    free(all);
    const char *c = eu_query(s, "select n from counter where id = 0");
    return strncmp(c, "ERROR", 5) == 0 || !*c ? -1 : atoll(c);
}

static int verify_round(const acks *a, size_t *events_out)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {0};
    /* The killed writer's lock must be gone: this open would be refused otherwise. */
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "reopen failed: %s %s\n", err.sqlstate, err.message);
        return 1;
    }
    eng_session *s;
    eng_session_open(db, &s, &err);
    long long *ids;
    int *rows;
    size_t n;
    long long counter = load_events(s, &ids, &rows, &n);
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i] != 3) {
            fprintf(stderr, "event %lld has %d rows: a transaction is there in part\n", ids[i],
                    rows[i]);
            bad++;
        }
    /* A child killed before it made the counter row (a loaded machine) left no events. */
    bool no_counter_yet = counter == -1 && n == 0;
    if (counter != (long long)n && !no_counter_yet) {
        fprintf(stderr, "counter is %lld but %zu events are there\n", counter, n);
        bad++;
    }
    for (size_t i = 0; i < a->n; i++)
        if (!bsearch(&a->ids[i], ids, n, sizeof *ids, cmp_ll)) {
            fprintf(stderr, "acknowledged event %lld is lost\n", a->ids[i]);
            bad++;
        }
    *events_out = n;
    free(ids);
    free(rows);
    eng_session_close(s);
    eng_db_close(db);
    return bad;
}

static void test_kill_and_recover(void)
{
    const char *env = getenv("EIDER_CRASH_ROUNDS");
    int rounds = env ? atoi(env) : 25;
    unsigned seed = (unsigned)time(NULL);
    printf("\n  crash seed %u, %d rounds\n", seed, rounds);
    acks all = {0};
    size_t events = 0;
    for (int round = 0; round < rounds; round++) {
        int fds[2];
        CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
        pid_t pid = fork();
        CU_ASSERT_TRUE_FATAL(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child_main(fds[1], (long long)(round + 1) * 1000000);
        }
        close(fds[1]);
        struct timespec pause = {0, (20 + rand_r(&seed) % 180) * 1000000L};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) {
            fprintf(stderr, "the child exited by itself (status %d)\n", WEXITSTATUS(status));
            CU_FAIL("child failed");
        }
        read_acks(fds[0], &all); /* acknowledged before it died */
        close(fds[0]);
        int bad = verify_round(&all, &events);
        if (bad) {
            fprintf(stderr, "round %d (seed %u): %d problems\n", round, seed, bad);
            CU_FAIL("recovery lost or half-applied a transaction");
            break;
        }
    }
    printf("  %zu acknowledged commits over %d kills; %zu events recovered\n", all.n, rounds,
           events);
    CU_ASSERT_TRUE(all.n > 0);
    free(all.ids);
}

static CU_TestInfo crash_tests[] = {
    {"kill -9 and recover", test_kill_and_recover},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"crash", setup, teardown, NULL, NULL, crash_tests})
