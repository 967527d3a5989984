/*
 * The database instance (struct eng_db) and the transaction lifecycle: begin takes a
 * snapshot, commit validates, logs, restamps and publishes, rollback undoes.
 *
 * Commit order: under the commit lock a transaction gets the next timestamp and writes its
 * record to the log, so the log's order is timestamp order. Outside the lock it waits for
 * the record to be durable (group commit: one fdatasync covers every record written so
 * far), restamps its rows and catalog entries, and then publishes: commit_ts advances to
 * its timestamp once every earlier timestamp is published. So a snapshot never sees half a
 * transaction, nor one transaction without an earlier one, and nothing becomes visible
 * before it is durable.
 */
#ifndef EIDER_DB_H
#define EIDER_DB_H

#include "catalog.h"
#include "dbfile.h"
#include "txn.h"
#include "wal.h"

#include <pthread.h>

struct eng_db {
    char *path;
    bool in_memory;
    eng_open_opts opts;
    dbf_file file;
    wal_log *wal; /* NULL for :memory: */
    pthread_mutex_t commit_lock;
    uint64_t next_ts; /* the last timestamp handed out (commit_lock) */
    pthread_mutex_t publish_lock;
    pthread_cond_t publish_cond;
    /* Commits with a timestamp not yet published, oldest first (publish_lock). */
    eng_commit *queue_head, *queue_tail;
    uint32_t publish_watchers; /* threads waiting on publish_cond (publish_lock) */
    uint64_t commit_ts;        /* atomic: the newest published commit timestamp */
    uint64_t commits;          /* atomic: write transactions committed */
    uint64_t log_syncs;        /* atomic: fdatasync calls that made commits durable */
    uint64_t accounts_version; /* atomic: bumped by commits that change accounts */
    uint64_t next_txn;         /* atomic: the next transaction id */
    cat_catalog catalog;
    pthread_mutex_t sessions_lock; /* guards the list; each session's floor is atomic */
    struct eng_session *sessions;

    /* Checkpoints (dbckpt.c). */
    pthread_mutex_t ckpt_lock; /* one checkpoint at a time */
    wal_log *wal_old;          /* a rotated log no checkpoint covers yet (ckpt_lock) */
    uint64_t ckpt_floor;       /* atomic: snapshot floor of a running checkpoint */
    uint64_t checkpoints;      /* atomic */
    uint64_t ckpt_threshold;
    pthread_mutex_t ckpt_wake_lock;
    pthread_cond_t ckpt_wake;
    bool ckpt_requested, ckpt_stop, ckpt_thread_started;
    pthread_t ckpt_thread;
};

/* A transaction with snapshot `start` (from session_hold). */
int db_begin(eng_db *db, uint64_t start, txn **out, eng_error *err);
/* Commits and frees t. On failure t is rolled back and freed too. */
int db_commit(eng_db *db, txn *t, eng_error *err);
/* db_commit in two halves: start validates, takes the timestamp and writes the log record;
 * wait syncs it, restamps, publishes and frees. Between them t belongs to the commit alone.
 * start sets *out to NULL when there is nothing to wait for (no writes); a failure of
 * either half rolled t back. */
int db_commit_start(eng_db *db, txn *t, eng_commit **out, eng_error *err);
int db_commit_wait(eng_commit *c, eng_error *err);
void db_rollback(eng_db *db, txn *t);
/* A snapshot-only transaction on the stack, for reads outside any transaction. */
void db_snapshot(uint64_t start, txn *t);
uint64_t db_commit_ts(eng_db *db);
/* After a failed row claim: waits until the holder's commit, if one is under way, is
 * published, so that a retry's snapshot sees the row's new version instead of failing
 * again for as long as the holder's log sync takes. `holder` is the row's delete stamp: a
 * commit timestamp (waits until it is visible) or a transaction id (waits for the commits
 * in flight now, whichever they are). Bounded by one group commit; never waits for a
 * transaction that is still running. */
void db_await_holder(eng_db *db, uint64_t holder);
/* Claims row `row` of tb for t (sets its delete stamp to t's id) and records it in t's
 * write set, so commit stamps it and rollback releases it: 0; 1 when another transaction
 * holds the row or changed it after t's snapshot (40001 for the caller to report, after
 * db_await_holder); -1 out of memory (nothing claimed). */
int db_claim_row(eng_db *db, tbl_table *tb, txn *t, uint64_t row);
/* Waits until commit_ts >= ts. */
void db_wait_published(eng_db *db, uint64_t ts);
/* The oldest snapshot any session may still read with: versions dead at or before it are
 * invisible to everyone. */
uint64_t db_oldest_snapshot(eng_db *db);
void db_register_session(eng_db *db, struct eng_session *s);
/* Checkpoints: the procedure, the background checkpointer, and its trigger. */
int db_checkpoint(eng_db *db, eng_error *err);
int db_checkpointer_start(eng_db *db, eng_error *err);
void db_checkpointer_stop(eng_db *db);
void db_checkpoint_if_due(eng_db *db, uint64_t log_bytes);
void db_unregister_session(eng_db *db, struct eng_session *s);

/* The tables visible to `view`, each with a reference taken (meta.c). */
typedef struct db_table_list {
    tbl_table **items;
    uint32_t n, cap;
    bool failed; /* out of memory: the list is incomplete */
} db_table_list;
void db_tables_collect(eng_db *db, const txn *view, db_table_list *l);
void db_tables_free(db_table_list *l);

#endif
