/*
 * bench.h: the shared contract of the eider-bench programs.
 *
 * One driver of the measurement (bench_main.c: options, threads, timing, the result line) runs
 * against one backend, chosen at link time: bench_odbc.c speaks only the ODBC API through the
 * driver manager (eider-bench), bench_duckdb.c speaks DuckDB's C API (duckdb-bench). Both
 * backends implement the be_* functions below with the same SQL text (bench_sql.h) on the same
 * generated data (bench_data.h), so a number in one column of the table means the same work as
 * the number beside it.
 */
#ifndef EIDER_BENCH_H
#define EIDER_BENCH_H

#include <stdint.h>

#include "bench_data.h"
#include "bench_stats.h"

/* Rows per parameter-array batch in the bulk workload and during loads. */
#define BENCH_BATCH 1000

enum bench_workload {
    BW_CONNECT,
    BW_POINT_SELECT,
    BW_UPDATE,
    BW_INSERT,
    BW_BULK,
    BW_SCAN_Q1,
    BW_SCAN_Q6,
    BW_COUNT
};

enum bench_rc {
    BENCH_OK = 0,
    BENCH_ERROR,      /* this attempt failed; the SQLSTATE and message are in the diag */
    BENCH_CONFLICT,   /* serialization failure, deadlock, busy/locked: retry the transaction */
    BENCH_UNSUPPORTED /* the system does not support something the workload needs */
};

/* The first diagnostic record of a failure, as the system reported it. */
struct bench_diag {
    char sqlstate[6];
    char message[512];
};

struct bench_opts {
    const char *dsn;      /* ODBC data source name (--dsn) */
    const char *connstr;  /* full ODBC connection string (--connect), wins over dsn */
    const char *database; /* DuckDB database file (--database) */
    const char *system;   /* label printed in the result line (--system) */
    int threads;
    double seconds;
    double warmup;
    long rows;
    long hot;
    int runs;
    int setup; /* -1 load only when missing or of the wrong size, 0 never, 1 always */
    int csv;
    uint64_t seed;
};

/* Everything one worker thread owns; a backend reads its inputs and updates its counters. */
struct bench_thread {
    int id;
    enum bench_workload wl;
    const struct bench_opts *opts;
    const struct gen_expect *expect; /* scan workloads: the answers computed in C */
    struct be_conn *conn;
    uint64_t rng;
    uint64_t seq; /* next key this thread inserts: unique across threads and runs */

    /* Work committed including warm-up (transactions for update, rows for insert and bulk):
     * what the verification compares with the table after the run. */
    uint64_t done_all;
    uint64_t conflicts; /* retried transactions, counted by the backend in every phase */
    uint64_t bad;       /* wrong answers seen by the workload itself (missing row, bad sum) */
    char bad_detail[200];

    /* Measured window only. */
    uint64_t ops;
    uint64_t errors;
    uint64_t conflicts_measured;
    double work; /* operations, each weighted by the share of its time inside the window */
    struct hist hist;

    enum bench_rc rc; /* BENCH_UNSUPPORTED or BENCH_ERROR when the thread could not work */
    struct bench_diag diag;
    int has_diag;
};

/* ---- implemented by each backend (bench_odbc.c, bench_duckdb.c) ---- */

struct be_conn;

/* Process-wide state (ODBC environment, DuckDB database) and a one-line description of the
 * system under test for the output header. */
enum bench_rc be_init(const struct bench_opts *o, struct bench_diag *d);
void be_shutdown(void);
const char *be_describe(void);

enum bench_rc be_connect(struct be_conn **out, struct bench_diag *d);
void be_disconnect(struct be_conn *c);

/* Creates and loads the tables the workload needs (per opts->setup). */
enum bench_rc be_setup(struct be_conn *c, enum bench_workload w, struct bench_diag *d);

/* Per-connection preparation: connection attributes, prepared statements, bound buffers. */
enum bench_rc be_prepare(struct be_conn *c, enum bench_workload w, struct bench_diag *d);

/* One unit of work (a transaction, a query, a batch), retrying on conflicts. Updates t's
 * counters; on failure fills t->diag and returns BENCH_ERROR or BENCH_UNSUPPORTED. */
enum bench_rc be_op(struct bench_thread *t, struct bench_diag *d);

/* A number that checks the run: SUM(val) for update, COUNT(*) of bench_ins for insert/bulk. */
enum bench_rc be_probe(struct be_conn *c, enum bench_workload w, int64_t *value,
                       struct bench_diag *d);

/* Commits and log syncs the system has counted so far (Eider: eider_db_stats()), for
 * syncs per commit; BENCH_UNSUPPORTED where the system does not tell. */
enum bench_rc be_sync_counters(struct be_conn *c, uint64_t *commits, uint64_t *syncs);

/* A note for the result line (e.g. "bulk=rowwise"): how the backend had to run the workload. */
const char *be_note(enum bench_workload w);

/* ---- bench_diag.c ---- */

/* Maps a failure to BENCH_CONFLICT, BENCH_UNSUPPORTED or BENCH_ERROR from its SQLSTATE and
 * message, the same way for every system. */
enum bench_rc diag_classify(const struct bench_diag *d);
void diag_set(struct bench_diag *d, const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- bench_main.c ---- */

/* True once the measured window has ended: a transaction that keeps conflicting gives up. */
int bench_stopping(void);

#endif
