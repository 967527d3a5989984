/*
 * Statements and sessions (the structs behind eng_stmt and eng_session) and the executor
 * entry points the statement layer dispatches to.
 */
#ifndef EIDER_STMT_H
#define EIDER_STMT_H

#include "db.h"
#include "eval.h"
#include "plan.h"
#include "scan.h"

struct eng_session {
    eng_db *db;
    struct eng_session *next, *prev; /* in db->sessions */
    bool autocommit;
    bool read_only;
    char *account; /* NULL: no account (a database without accounts) */
    eng_role role;
    txn *txn; /* the open transaction (explicit, or implicit with autocommit off) */
    /* Snapshots the session holds (its transaction, open cursors, a running statement),
     * and a lower bound of their starts published for the reclaimer: STAMP_NONE when it
     * holds none. Only the session's thread changes holders; floor is atomic. */
    uint32_t holders;
    uint64_t floor;
};

typedef struct exec_cursor {
    bool open;
    bool holds; /* the cursor holds a snapshot of its session (session_release on close) */
    scan_state scan;
    bool one_row_done; /* SELECT without FROM */
    int64_t offset_left;
    int64_t limit_left; /* -1: no limit */
    eng_vector *out;
    eng_chunk chunk;
} exec_cursor;

struct eng_stmt {
    eng_session *session;
    char *sql;
    size_t sql_len;
    arena parse_arena; /* the parse tree: lives as long as the statement */
    arena plan_arena;  /* the bound plan: reset when the statement is rebound */
    arena exec_arena;  /* parameters and scratch of one execution */
    arena chunk_arena; /* one fetched chunk */
    ast_stmt *ast;
    plan plan;
    eng_value *params; /* this execution's parameters, cast to their types */
    int64_t row_count;
    exec_cursor cursor;
    /* A SELECT's snapshot (an autocommit one, or a copy of its transaction's start and
     * id): its cursor's operators keep pointing at it while later fetches pull rows and
     * open scans (UNION's second input), also after a COMMIT freed the transaction, so it
     * lives as long as the cursor. */
    txn snapshot;
    txn_stop stop;       /* polled by the running statement's scans (txn_stop) */
    uint64_t timeout_ns; /* eng_stmt_set_timeout; 0: none */
};

/* Executors. `t` is the transaction the statement runs in. */
int exec_select_open(eng_stmt *st, const txn *t, eng_error *err);
int exec_select_next(eng_stmt *st, eng_error *err);
/* Frees the execution state of the statement's open query, if any. */
void exec_select_close(eng_stmt *st);
/* Narrows sel (n rows of cols) to the rows where `where` is TRUE. */
int exec_filter(const bexpr *where, const ev_vec *cols, uint32_t *sel, uint32_t *n,
                const eng_value *params, arena *a, eng_error *err);
int exec_insert(eng_stmt *st, txn *t, eng_error *err);
int exec_update(eng_stmt *st, txn *t, eng_error *err);
int exec_delete(eng_stmt *st, txn *t, eng_error *err);
/* Appends rows (values: nrows x ncols, already checked) stamped by t, records them in t's
 * write set and adds them to the table's indexes with uniqueness checks. Strings of the
 * columns flagged in `copy` (all when NULL) are copied into the table's heap; the others
 * already live there. With first_out, the rows are not indexed: *first_out gets their
 * first position and the caller indexes them later. */
int exec_append_rows(tbl_table *tb, txn *t, const eng_value *values, uint32_t nrows,
                     const bool *copy, uint64_t *first_out, eng_error *err);
int exec_create_table(eng_stmt *st, txn *t, eng_error *err);
int exec_drop_table(eng_stmt *st, txn *t, eng_error *err);
int exec_alter_table(eng_stmt *st, txn *t, eng_error *err);
int exec_user(eng_stmt *st, txn *t, eng_error *err);
int exec_create_view(eng_stmt *st, txn *t, eng_error *err);
int exec_drop_view(eng_stmt *st, txn *t, eng_error *err);
/* Wipes passwords a CREATE/ALTER USER statement holds (its text and literal). */
void stmt_wipe_secrets(eng_stmt *st);

/* Session transaction control, shared by the API and the BEGIN/COMMIT/ROLLBACK statements. */
int session_begin(eng_session *s, eng_error *err);
/* Takes a snapshot for the session: publishes its floor before reading commit_ts, so the
 * reclaimer never misses it. Returns the snapshot's start. */
uint64_t session_hold(eng_session *s);
void session_release(eng_session *s);
/* Ends a transaction started with session_hold + db_begin. */
int session_commit_txn(eng_session *s, txn *t, eng_error *err);
void session_rollback_txn(eng_session *s, txn *t);

#endif
