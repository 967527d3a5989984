/*
 * The database instance (struct eng_db) and the transaction lifecycle: begin takes a
 * snapshot, commit validates, logs, restamps and publishes, rollback undoes.
 *
 * Commit order: under the commit lock a transaction gets timestamp commit_ts + 1, its
 * record goes to the log (fdatasync'ed with Synchronous=FULL), its rows and catalog
 * entries are restamped, and only then is commit_ts advanced. So a snapshot never sees
 * half a transaction, and nothing becomes visible before it is durable.
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
    uint64_t commit_ts; /* atomic: the newest commit timestamp */
    uint64_t next_txn;  /* atomic: the next transaction id */
    cat_catalog catalog;
};

int db_begin(eng_db *db, txn **out, eng_error *err);
/* Commits and frees t. On failure t is rolled back and freed too. */
int db_commit(eng_db *db, txn *t, eng_error *err);
void db_rollback(eng_db *db, txn *t);
/* A snapshot-only transaction on the stack, for reads outside any transaction. */
void db_snapshot(eng_db *db, txn *t);

#endif
