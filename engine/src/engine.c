/*
 * Database instances: open (file, lock, log replay) and close, and the transaction
 * lifecycle described in db.h.
 */
#include "db.h"

#include "bytebuf.h"
#include "crc32c.h"
#include "errors.h"
#include "logrec.h"

#include <stdlib.h>
#include <string.h>

/* After replay every stamp is committed: a version is live for all future transactions
 * exactly when it was inserted and not deleted, and only live versions need index entries. */
static void db_index_table(tbl_table *tb, void *ctx)
{
    int *rc = ctx;
    uint64_t n = tbl_row_count(tb);
    for (uint64_t row = 0; row < n && *rc == 0 && tb->nkeys; row++) {
        const tbl_segment *s = tbl_segment_at(tb, row / TBL_SEG_ROWS);
        if (s->ins[row % TBL_SEG_ROWS] == STAMP_NONE || s->del[row % TBL_SEG_ROWS] != STAMP_NONE)
            continue;
        for (uint32_t k = 0; k < tb->nkeys && *rc == 0; k++)
            *rc = idx_add_unchecked(tb->keys[k].index, tb, row);
    }
}

static int db_replay_record(void *ctx, uint64_t ts, const unsigned char *payload, size_t len,
                            eng_error *err)
{
    eng_db *db = ctx;
    return logrec_apply(&db->catalog, ts, payload, len, err);
}

int eng_db_open(const char *path, const eng_open_opts *opts, eng_db **out, eng_error *err)
{
    err_clear(err);
    if (!path || !*path)
        return err_set(err, ENG_E_CONNECT, "no database path given");
    eng_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        return err_set(err, ENG_E_NOMEM, "out of memory opening %s", path);
    }
    if (opts)
        db->opts = *opts;
    db->file.fd = -1;
    db->in_memory = strncmp(path, ":memory:", 8) == 0;
    db->commit_ts = 1;
    db->next_txn = TXN_ID_BASE;
    pthread_mutex_init(&db->commit_lock, NULL);
    cat_init(&db->catalog);
    if (!db->in_memory) {
        uint64_t last_ts = 0;
        if (dbf_open(path, db->opts.read_only, &db->file, err) != 0 ||
            wal_open(path, db->file.header.db_uuid, db->opts.read_only, db->opts.sync, &db->wal,
                     err) != 0 ||
            wal_replay(db->wal, db_replay_record, db, &last_ts, err) != 0) {
            eng_db_close(db);
            return -1;
        }
        if (last_ts > db->commit_ts)
            db->commit_ts = last_ts;
        int rc = 0;
        cat_for_each(&db->catalog, db_index_table, &rc);
        if (rc != 0) {
            err_set(err, ENG_E_NOMEM, "out of memory rebuilding the indexes of %s", path);
            eng_db_close(db);
            return -1;
        }
    }
    *out = db;
    return 0;
}

void eng_db_close(eng_db *db)
{
    if (!db)
        return;
    cat_destroy(&db->catalog);
    wal_close(db->wal);
    if (db->file.fd >= 0)
        dbf_close(&db->file);
    pthread_mutex_destroy(&db->commit_lock);
    free(db->path);
    free(db);
}

const char *eng_db_path(const eng_db *db)
{
    return db->path;
}

void db_snapshot(eng_db *db, txn *t)
{
    memset(t, 0, sizeof *t);
    t->start = __atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE);
    t->id = 0; /* never equal to a stamp: a snapshot owns no writes */
}

int db_begin(eng_db *db, txn **out, eng_error *err)
{
    txn *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a transaction");
    t->id = __atomic_fetch_add(&db->next_txn, 1, __ATOMIC_RELAXED);
    t->start = __atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE);
    *out = t;
    return 0;
}

static bool db_has_ddl(const txn *t)
{
    for (uint32_t i = 0; i < t->nops; i++)
        if (t->ops[i].kind == TXOP_CREATE || t->ops[i].kind == TXOP_DROP)
            return true;
    return false;
}

void db_rollback(eng_db *db, txn *t)
{
    if (!t)
        return;
    bool ddl = db_has_ddl(t);
    txn_free(t);
    if (ddl) {
        cat_purge(&db->catalog);
        cat_bump_version(&db->catalog);
    }
}

/* Write-write checks that can only be made at commit. Caller holds the commit lock. */
static int db_validate(const txn *t, eng_error *err)
{
    for (uint32_t i = 0; i < t->nops; i++) {
        const txn_op *op = &t->ops[i];
        if (op->kind != TXOP_INSERT && op->kind != TXOP_DELETE)
            continue;
        uint64_t dropped = __atomic_load_n(&op->table->dropped, __ATOMIC_ACQUIRE);
        if (dropped != STAMP_NONE && dropped != t->id)
            return err_set(err, ENG_E_CONFLICT,
                           "Transaction conflict: table \"%s\" was dropped by a concurrent "
                           "transaction; the transaction was rolled back",
                           op->table->name);
    }
    return 0;
}

int db_commit(eng_db *db, txn *t, eng_error *err)
{
    if (t->nops == 0) {
        txn_free(t);
        return 0;
    }
    if (db->opts.read_only) {
        db_rollback(db, t);
        return err_set(err, ENG_E_READ_ONLY, "database %s is open read-only", db->path);
    }
    bytebuf rec;
    bb_init(&rec);
    uint32_t crc = 0;
    if (db->wal) {
        static const unsigned char room[WAL_RECORD_HEADER];
        bb_put(&rec, room, sizeof room);
        if (logrec_encode(t, &rec, err) != 0) {
            bb_free(&rec);
            db_rollback(db, t);
            return -1;
        }
        crc = crc32c(0, rec.data + WAL_RECORD_HEADER, rec.len - WAL_RECORD_HEADER);
    }
    bool ddl = db_has_ddl(t);
    pthread_mutex_lock(&db->commit_lock);
    uint64_t ts = db->commit_ts + 1;
    int rc = db_validate(t, err);
    if (rc == 0 && db->wal)
        rc = wal_append(db->wal, rec.data, rec.len, crc, ts, err);
    if (rc == 0) {
        txn_finish_ops(t, ts);
        __atomic_store_n(&db->commit_ts, ts, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&db->commit_lock);
    bb_free(&rec);
    if (rc != 0) {
        db_rollback(db, t);
        return -1;
    }
    txn_free(t);
    if (ddl)
        cat_bump_version(&db->catalog);
    return 0;
}
