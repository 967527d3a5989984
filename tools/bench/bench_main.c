/*
 * bench_main.c: options, worker threads, timing and the result line of eider-bench and
 * duckdb-bench (the backend, bench_odbc.c or bench_duckdb.c, is chosen at link time).
 *
 * One run: every thread connects and prepares outside the clock, all start together at a
 * barrier, work through the warm-up (not recorded), then through the measured window. The
 * latency histogram gets every operation that started inside the window. Throughput counts
 * each operation by the share of its duration that lies inside the window, divided by the
 * window's length: exact for short operations, and unbiased for the long ones (TPC-H scans)
 * that straddle the window's edges, where counting whole operations would be off by up to one
 * query per thread.
 * --runs N repeats the run and reports the run with the median throughput, with the minimum and
 * maximum beside it. After each run the data is checked (bench.h, be_probe) and the line says
 * verify=ok or verify=FAIL with the reason in message=.
 */
#include "bench.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PH_WARMUP, PH_MEASURE, PH_STOP };

static atomic_int g_phase;
static _Atomic double g_window_start, g_window_end; /* set before g_phase moves on */
static atomic_int g_exited;
static pthread_barrier_t g_start;
static pthread_mutex_t g_connect_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const wl_names[BW_COUNT] = {
    [BW_CONNECT] = "connect", [BW_POINT_SELECT] = "point_select",
    [BW_UPDATE] = "update",   [BW_INSERT] = "insert",
    [BW_BULK] = "bulk",       [BW_SCAN_Q1] = "scan_q1",
    [BW_SCAN_Q6] = "scan_q6",
};

struct run_result {
    enum bench_rc status;
    struct bench_diag diag; /* why the status is not ok, or the first error of an ok run */
    int has_diag;
    double ops_s, p50_us, p99_us;
    uint64_t ops, errors, conflicts;
    int verify_ok;
    char verify_detail[256];
    double syncs_per_commit; /* log syncs over commits in the run (warm-up included), or -1 */
};

int bench_stopping(void)
{
    return atomic_load(&g_phase) == PH_STOP;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: eider-bench --dsn NAME | --connect STRING   (duckdb-bench: --database FILE)\n"
            "         [--workload LIST] [--threads N] [--seconds S] [--warmup S] [--rows N]\n"
            "         [--hot N] [--runs N] [--system LABEL] [--setup | --no-setup] [--csv]\n"
            "         [--seed N]\n"
            "workloads (comma separated): connect, point_select, update, insert, bulk,\n"
            "  scan (= scan_q1,scan_q6), scan_q1, scan_q6, all\n"
            "defaults: --threads 1 --seconds 5 --warmup 1 --rows 100000 --hot 1000 --runs 1\n"
            "The warm-up is excluded from every number. One line per workload:\n"
            "  RESULT system= workload= threads= status=ok|unsupported|error ops_s= p50_us=\n"
            "  p99_us= ops= errors= conflicts= verify=ok|FAIL|n/a ... sqlstate= message=\n");
}

/* Adds the workloads named in list (comma separated) to want[]. */
static int parse_workloads(const char *list, int want[BW_COUNT])
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; i < BW_COUNT; i++)
            if (strcmp(w, wl_names[i]) == 0)
                want[i] = found = 1;
        if (strcmp(w, "scan") == 0)
            want[BW_SCAN_Q1] = want[BW_SCAN_Q6] = found = 1;
        if (strcmp(w, "all") == 0)
            for (int i = 0; i < BW_COUNT; i++)
                want[i] = found = 1;
        if (!found) {
            fprintf(stderr, "eider-bench: unknown workload '%s'\n", w);
            return -1;
        }
    }
    return 0;
}

static int parse_options(int argc, char **argv, struct bench_opts *o, int want[BW_COUNT])
{
    static const struct option longopts[] = {
        {"dsn", required_argument, NULL, 'd'},
        {"connect", required_argument, NULL, 'c'},
        {"database", required_argument, NULL, 'D'},
        {"system", required_argument, NULL, 'S'},
        {"threads", required_argument, NULL, 't'},
        {"seconds", required_argument, NULL, 's'},
        {"warmup", required_argument, NULL, 'w'},
        {"rows", required_argument, NULL, 'r'},
        {"hot", required_argument, NULL, 'h'},
        {"runs", required_argument, NULL, 'n'},
        {"workload", required_argument, NULL, 'W'},
        {"setup", no_argument, NULL, 'u'},
        {"no-setup", no_argument, NULL, 'U'},
        {"csv", no_argument, NULL, 'C'},
        {"seed", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, '?'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct bench_opts){.threads = 1,
                             .seconds = 5,
                             .warmup = 1,
                             .rows = 100000,
                             .hot = 1000,
                             .runs = 1,
                             .setup = -1,
                             .seed = 20240601};
    int any = 0, c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->dsn = optarg;
            break;
        case 'c':
            o->connstr = optarg;
            break;
        case 'D':
            o->database = optarg;
            break;
        case 'S':
            o->system = optarg;
            break;
        case 't':
            o->threads = atoi(optarg);
            break;
        case 's':
            o->seconds = atof(optarg);
            break;
        case 'w':
            o->warmup = atof(optarg);
            break;
        case 'r':
            o->rows = atol(optarg);
            break;
        case 'h':
            o->hot = atol(optarg);
            break;
        case 'n':
            o->runs = atoi(optarg);
            break;
        case 'W':
            if (parse_workloads(optarg, want) != 0)
                return -1;
            any = 1;
            break;
        case 'u':
            o->setup = 1;
            break;
        case 'U':
            o->setup = 0;
            break;
        case 'C':
            o->csv = 1;
            break;
        case 'e':
            o->seed = strtoull(optarg, NULL, 10);
            break;
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind != argc || o->threads < 1 || o->threads > 1024 || o->seconds <= 0 || o->warmup < 0 ||
        o->rows < 1 || o->rows > 2000000000L || o->hot < 1 || o->runs < 1) {
        usage(stderr);
        return -1;
    }
    if (o->hot > o->rows)
        o->hot = o->rows;
    if (!any)
        want[BW_POINT_SELECT] = 1;
    if (!o->system)
        o->system = o->dsn ? o->dsn : o->database ? o->database : "odbc";
    return 0;
}

static void keep_diag(struct bench_thread *t, const struct bench_diag *d)
{
    if (!t->has_diag) {
        t->diag = *d;
        t->has_diag = 1;
    }
}

static enum bench_rc run_op(struct bench_thread *t, struct bench_diag *d)
{
    if (t->wl != BW_CONNECT)
        return be_op(t, d);
    /* The connect workload: allocate + connect, then disconnect + free, as one operation. */
    struct be_conn *c = NULL;
    enum bench_rc rc = be_connect(&c, d);
    if (rc == BENCH_OK)
        be_disconnect(c);
    return rc;
}

static void work_loop(struct bench_thread *t)
{
    int failures_in_a_row = 0;
    for (;;) {
        int phase = atomic_load(&g_phase);
        /* A thread whose only operation straddled the whole window still reports one. */
        if (phase == PH_STOP && (t->ops > 0 || failures_in_a_row >= 10))
            break;
        int measured = phase == PH_MEASURE || phase == PH_STOP;
        struct bench_diag d = {{0}, {0}};
        uint64_t conflicts_before = t->conflicts;
        double start = now_s();
        enum bench_rc rc = run_op(t, &d);
        double end = now_s();
        if (measured)
            t->conflicts_measured += t->conflicts - conflicts_before;
        if (rc == BENCH_OK) {
            failures_in_a_row = 0;
            int phase_end = atomic_load(&g_phase);
            if (phase_end != PH_WARMUP) {
                double from = atomic_load(&g_window_start);
                double to = phase_end == PH_STOP ? atomic_load(&g_window_end) : end;
                double in = (end < to ? end : to) - (start > from ? start : from);
                if (in > 0 && end > start)
                    t->work += in / (end - start);
            }
            if (!measured)
                continue;
            t->ops++;
            hist_record(&t->hist, (uint64_t)((end - start) * 1e9));
        } else if (rc == BENCH_UNSUPPORTED) {
            t->rc = rc;
            keep_diag(t, &d);
            return;
        } else if (rc == BENCH_CONFLICT) {
            /* Gave up retrying because the window closed: nothing committed, nothing counted. */
            failures_in_a_row++;
        } else {
            keep_diag(t, &d);
            if (measured)
                t->errors++;
            /* A system that fails every operation is broken for this workload: stop early. */
            if (++failures_in_a_row >= 1000) {
                t->rc = BENCH_ERROR;
                return;
            }
        }
    }
}

static void *worker_main(void *arg)
{
    struct bench_thread *t = arg;
    struct bench_diag d = {{0}, {0}};
    enum bench_rc rc = BENCH_OK;
    if (t->wl != BW_CONNECT) {
        /* Setup connections are opened one at a time: outside the clock it costs nothing, and
         * sqliteodbc corrupts its heap when connections open concurrently (docs/benchmarks.md);
         * only the connect workload measures concurrent connects. */
        pthread_mutex_lock(&g_connect_lock);
        rc = be_connect(&t->conn, &d);
        pthread_mutex_unlock(&g_connect_lock);
        if (rc == BENCH_OK)
            rc = be_prepare(t->conn, t->wl, &d);
    }
    if (rc != BENCH_OK) {
        t->rc = rc == BENCH_CONFLICT ? BENCH_ERROR : rc;
        keep_diag(t, &d);
    }
    pthread_barrier_wait(&g_start);
    if (rc == BENCH_OK)
        work_loop(t);
    if (t->conn)
        be_disconnect(t->conn);
    t->conn = NULL;
    atomic_fetch_add(&g_exited, 1);
    return NULL;
}

/* Sleeps until the deadline or until every worker has left (a system that fails at once). */
static void sleep_until(double deadline, int threads)
{
    while (now_s() < deadline && atomic_load(&g_exited) < threads) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        double left = deadline - now_s();
        if (left < 0.02)
            ts.tv_nsec = left > 0 ? (long)(left * 1e9) : 0;
        while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
            ;
    }
}

/* The workload's own check of the data: what changed in the table equals what committed. */
static void verify_run(struct be_conn *admin, enum bench_workload w, int64_t before,
                       struct bench_thread *ts, int n, struct run_result *r)
{
    uint64_t done = 0, bad = 0, ops = 0;
    const char *bad_detail = NULL;
    for (int i = 0; i < n; i++) {
        done += ts[i].done_all;
        bad += ts[i].bad;
        ops += ts[i].ops;
        if (ts[i].bad && !bad_detail)
            bad_detail = ts[i].bad_detail;
    }
    r->verify_ok = 1;
    if (bad) {
        r->verify_ok = 0;
        snprintf(r->verify_detail, sizeof r->verify_detail, "%llu wrong answers, first: %s",
                 (unsigned long long)bad, bad_detail);
        return;
    }
    if (w == BW_UPDATE || w == BW_INSERT || w == BW_BULK) {
        int64_t after = 0;
        struct bench_diag d = {{0}, {0}};
        if (be_probe(admin, w, &after, &d) != BENCH_OK) {
            r->verify_ok = 0;
            snprintf(r->verify_detail, sizeof r->verify_detail, "probe failed: [%s] %.200s",
                     d.sqlstate, d.message);
            return;
        }
        const char *what = w == BW_UPDATE ? "SUM(val) grew by" : "COUNT(*) grew by";
        const char *unit = w == BW_UPDATE ? "committed transactions" : "committed rows";
        if (after - before != (int64_t)done) {
            r->verify_ok = 0;
            snprintf(r->verify_detail, sizeof r->verify_detail, "%s %lld but %llu %s", what,
                     (long long)(after - before), (unsigned long long)done, unit);
        } else {
            snprintf(r->verify_detail, sizeof r->verify_detail, "%s %lld = %llu %s", what,
                     (long long)(after - before), (unsigned long long)done, unit);
        }
    } else if (ops == 0) {
        r->verify_ok = 0;
        snprintf(r->verify_detail, sizeof r->verify_detail, "no operation completed");
    } else if (w == BW_POINT_SELECT) {
        snprintf(r->verify_detail, sizeof r->verify_detail,
                 "all %llu lookups found their row, val >= loaded", (unsigned long long)ops);
    } else if (w == BW_SCAN_Q1 || w == BW_SCAN_Q6) {
        snprintf(r->verify_detail, sizeof r->verify_detail,
                 "all %llu answers equal the C computation over the same rows",
                 (unsigned long long)ops);
    }
}

static void run_once(const struct bench_opts *o, enum bench_workload w, int run,
                     struct be_conn *admin, const struct gen_expect *expect, struct run_result *r)
{
    memset(r, 0, sizeof *r);
    r->syncs_per_commit = -1;
    uint64_t commits0 = 0, syncs0 = 0;
    int counted = (w == BW_UPDATE || w == BW_INSERT || w == BW_BULK) &&
                  be_sync_counters(admin, &commits0, &syncs0) == BENCH_OK;
    int64_t before = 0;
    if (w == BW_UPDATE || w == BW_INSERT || w == BW_BULK) {
        struct bench_diag d = {{0}, {0}};
        enum bench_rc rc = be_probe(admin, w, &before, &d);
        if (rc != BENCH_OK) {
            r->status = rc == BENCH_UNSUPPORTED ? rc : BENCH_ERROR;
            r->diag = d;
            r->has_diag = 1;
            return;
        }
    }

    struct bench_thread *ts = calloc((size_t)o->threads, sizeof *ts);
    pthread_t *tids = calloc((size_t)o->threads, sizeof *tids);
    if (!ts || !tids) {
        fprintf(stderr, "eider-bench: out of memory for %d threads\n", o->threads);
        exit(2);
    }
    atomic_store(&g_phase, PH_WARMUP);
    atomic_store(&g_exited, 0);
    pthread_barrier_init(&g_start, NULL, (unsigned)o->threads + 1);
    for (int i = 0; i < o->threads; i++) {
        struct bench_thread *t = &ts[i];
        t->id = i;
        t->wl = w;
        t->opts = o;
        t->expect = expect;
        t->rng = o->seed ^ ((uint64_t)run << 40) ^ ((uint64_t)(i + 1) * 0x9e3779b97f4a7c15ull);
        /* Keys of inserted rows: unique per (process start time, run, thread). */
        t->seq =
            ((uint64_t)(time(NULL) & 0x3fff) << 46) | ((uint64_t)run << 38) | ((uint64_t)i << 28);
        hist_reset(&t->hist);
        if (pthread_create(&tids[i], NULL, worker_main, t) != 0) {
            fprintf(stderr, "eider-bench: cannot start thread %d\n", i);
            exit(2);
        }
    }
    pthread_barrier_wait(&g_start);
    sleep_until(now_s() + o->warmup, o->threads);
    double t0 = now_s();
    atomic_store(&g_window_start, t0);
    atomic_store(&g_phase, PH_MEASURE);
    sleep_until(t0 + o->seconds, o->threads);
    double t1 = now_s();
    atomic_store(&g_window_end, t1);
    atomic_store(&g_phase, PH_STOP);
    for (int i = 0; i < o->threads; i++)
        pthread_join(tids[i], NULL);
    pthread_barrier_destroy(&g_start);

    struct hist *all = calloc(1, sizeof *all);
    if (!all) {
        fprintf(stderr, "eider-bench: out of memory\n");
        exit(2);
    }
    r->status = BENCH_OK;
    for (int i = 0; i < o->threads; i++) {
        struct bench_thread *t = &ts[i];
        hist_merge(all, &t->hist);
        r->ops += t->ops;
        r->errors += t->errors + (t->rc == BENCH_ERROR);
        r->conflicts += t->conflicts_measured;
        r->ops_s += t->work / (t1 - t0);
        if (t->rc == BENCH_UNSUPPORTED)
            r->status = BENCH_UNSUPPORTED;
        else if (t->rc == BENCH_ERROR && r->status == BENCH_OK)
            r->status = BENCH_ERROR;
        if (t->has_diag && (!r->has_diag || t->rc == BENCH_UNSUPPORTED)) {
            r->diag = t->diag;
            r->has_diag = 1;
        }
    }
    /* Threads that failed outright make the run an error only when nothing was measured;
     * otherwise the errors column tells. Unsupported always wins: the cell is n/a. */
    if (r->status == BENCH_ERROR && r->ops > 0)
        r->status = BENCH_OK;
    r->p50_us = hist_quantile(all, 0.50) / 1000.0;
    r->p99_us = hist_quantile(all, 0.99) / 1000.0;
    uint64_t commits1, syncs1;
    if (counted && be_sync_counters(admin, &commits1, &syncs1) == BENCH_OK && commits1 > commits0)
        r->syncs_per_commit = (double)(syncs1 - syncs0) / (double)(commits1 - commits0);
    if (r->status == BENCH_OK)
        verify_run(admin, w, before, ts, o->threads, r);
    free(all);
    free(ts);
    free(tids);
}

static int by_ops(const void *a, const void *b)
{
    const struct run_result *x = a, *y = b;
    return (x->ops_s > y->ops_s) - (x->ops_s < y->ops_s);
}

/* Message text on one line, without the separators of the output formats. */
static void flatten(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t' || *s == '"')
            *s = *s == '"' ? '\'' : ' ';
}

static void print_result(const struct bench_opts *o, enum bench_workload w,
                         const struct run_result *m, double ops_min, double ops_max, int runs,
                         int all_verified, const char *verify_detail)
{
    const char *status = m->status == BENCH_OK            ? "ok"
                         : m->status == BENCH_UNSUPPORTED ? "unsupported"
                                                          : "error";
    const char *verify = m->status != BENCH_OK ? "n/a" : all_verified ? "ok" : "FAIL";
    char message[700] = "";
    const char *sqlstate = "-";
    if (m->status != BENCH_OK || m->errors > 0) {
        if (m->has_diag) {
            sqlstate = m->diag.sqlstate;
            snprintf(message, sizeof message, "%s", m->diag.message);
        }
    } else {
        snprintf(message, sizeof message, "%s", verify_detail);
    }
    flatten(message);
    char note[160];
    if (m->syncs_per_commit >= 0 && strcmp(be_note(w), "-") == 0)
        snprintf(note, sizeof note, "syncs/commit=%.3f", m->syncs_per_commit);
    else if (m->syncs_per_commit >= 0)
        snprintf(note, sizeof note, "%s,syncs/commit=%.3f", be_note(w), m->syncs_per_commit);
    else
        snprintf(note, sizeof note, "%s", be_note(w));
    if (o->csv) {
        printf("%s,%s,%d,%s,%.1f,%.1f,%.1f,%llu,%llu,%llu,%s,%d,%.1f,%.1f,%ld,%g,%g,%s,%s,\"%s\"\n",
               o->system, wl_names[w], o->threads, status, m->ops_s, m->p50_us, m->p99_us,
               (unsigned long long)m->ops, (unsigned long long)m->errors,
               (unsigned long long)m->conflicts, verify, runs, ops_min, ops_max, o->rows,
               o->seconds, o->warmup, note, sqlstate, message);
    } else {
        printf("RESULT system=%s workload=%s threads=%d status=%s ops_s=%.1f p50_us=%.1f "
               "p99_us=%.1f ops=%llu errors=%llu conflicts=%llu verify=%s runs=%d "
               "ops_s_min=%.1f ops_s_max=%.1f rows=%ld seconds=%g warmup=%g note=%s "
               "sqlstate=%s message=%s\n",
               o->system, wl_names[w], o->threads, status, m->ops_s, m->p50_us, m->p99_us,
               (unsigned long long)m->ops, (unsigned long long)m->errors,
               (unsigned long long)m->conflicts, verify, runs, ops_min, ops_max, o->rows,
               o->seconds, o->warmup, note, sqlstate, message);
    }
    fflush(stdout);
}

static void print_failure(const struct bench_opts *o, enum bench_workload w, enum bench_rc rc,
                          const struct bench_diag *d)
{
    struct run_result r = {
        .status = rc == BENCH_UNSUPPORTED ? rc : BENCH_ERROR, .diag = *d, .has_diag = 1};
    print_result(o, w, &r, 0, 0, 0, 0, "");
}

static void run_workload(const struct bench_opts *o, enum bench_workload w, struct be_conn *admin)
{
    struct bench_diag d = {{0}, {0}};
    fprintf(stderr, "# %s %s: setting up (rows=%ld)\n", o->system, wl_names[w], o->rows);
    enum bench_rc rc = be_setup(admin, w, &d);
    if (rc != BENCH_OK) {
        fprintf(stderr, "# %s %s: setup failed: [%s] %s\n", o->system, wl_names[w], d.sqlstate,
                d.message);
        print_failure(o, w, rc, &d);
        return;
    }
    struct gen_expect *expect = NULL;
    if (w == BW_SCAN_Q1 || w == BW_SCAN_Q6) {
        expect = malloc(sizeof *expect);
        if (!expect) {
            fprintf(stderr, "eider-bench: out of memory\n");
            exit(2);
        }
        gen_expect_compute(o->seed, o->rows, expect);
    }
    struct run_result *runs = calloc((size_t)o->runs, sizeof *runs);
    if (!runs) {
        fprintf(stderr, "eider-bench: out of memory\n");
        exit(2);
    }
    int all_verified = 1;
    const char *failed_detail = NULL;
    for (int i = 0; i < o->runs; i++) {
        fprintf(stderr,
                "# %s %s threads=%d run %d/%d: %.1f s warm-up (excluded), %.1f s measured\n",
                o->system, wl_names[w], o->threads, i + 1, o->runs, o->warmup, o->seconds);
        run_once(o, w, i, admin, expect, &runs[i]);
        struct run_result *r = &runs[i];
        fprintf(stderr, "#   %.1f ops/s p50 %.1f us p99 %.1f us, %llu errors, %llu conflicts%s%s\n",
                r->ops_s, r->p50_us, r->p99_us, (unsigned long long)r->errors,
                (unsigned long long)r->conflicts, r->verify_detail[0] ? ", " : "",
                r->verify_detail);
        if (r->status != BENCH_OK) {
            print_result(o, w, r, r->ops_s, r->ops_s, i + 1, 0, "");
            free(runs);
            free(expect);
            return;
        }
        if (!r->verify_ok && all_verified) {
            all_verified = 0;
            failed_detail = r->verify_detail;
        }
    }
    /* failed_detail points into runs[]: copy it before sorting moves the runs around. */
    char detail[256];
    snprintf(detail, sizeof detail, "%s", failed_detail ? failed_detail : "");
    qsort(runs, (size_t)o->runs, sizeof *runs, by_ops);
    struct run_result *median = &runs[(o->runs - 1) / 2];
    print_result(o, w, median, runs[0].ops_s, runs[o->runs - 1].ops_s, o->runs, all_verified,
                 all_verified ? median->verify_detail : detail);
    free(runs);
    free(expect);
}

int main(int argc, char **argv)
{
    struct bench_opts o;
    int want[BW_COUNT] = {0};
    if (parse_options(argc, argv, &o, want) != 0)
        return 2;
    if (o.csv)
        printf("system,workload,threads,status,ops_s,p50_us,p99_us,ops,errors,conflicts,verify,"
               "runs,ops_s_min,ops_s_max,rows,seconds,warmup,note,sqlstate,message\n");

    struct bench_diag d = {{0}, {0}};
    enum bench_rc rc = be_init(&o, &d);
    struct be_conn *admin = NULL;
    if (rc == BENCH_OK)
        rc = be_connect(&admin, &d);
    if (rc != BENCH_OK) {
        fprintf(stderr, "eider-bench: cannot connect to %s: [%s] %s\n", o.system, d.sqlstate,
                d.message);
        for (int w = 0; w < BW_COUNT; w++)
            if (want[w])
                print_failure(&o, (enum bench_workload)w, rc, &d);
        be_shutdown();
        return 1;
    }
    for (int w = 0; w < BW_COUNT; w++) {
        if (!want[w])
            continue;
        run_workload(&o, (enum bench_workload)w, admin);
        fprintf(stderr, "# describe: %s\n", be_describe());
    }
    be_disconnect(admin);
    be_shutdown();
    return 0;
}
