/*
 * The end of a transaction: commit (validate, log, sync, restamp, publish) and rollback,
 * and the waits for a published timestamp, as db.h and engine/README.md ("Commit order")
 * describe.
 */
#include "db.h"

#include "bytebuf.h"
#include "crc32c.h"
#include "errors.h"
#include "gc.h"
#include "logrec.h"
#include "view.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Lets the tables a transaction touched reclaim what they can. */
static void db_collect(eng_db *db, const txn *t)
{
    uint64_t oldest = 0;
    for (uint32_t i = 0; i < t->nops; i++) {
        tbl_table *tb = t->ops[i].table;
        if (!gc_due(tb))
            continue;
        if (oldest == 0)
            oldest = db_oldest_snapshot(db);
        gc_collect(tb, oldest, db_commit_ts(db));
    }
}

/* Whether t changes what statements bind to: tables created or dropped, or views (rows of
 * VIEW_TABLE). Its commit or rollback then makes prepared plans bind again. */
static bool db_has_ddl(const txn *t)
{
    for (uint32_t i = 0; i < t->nops; i++)
        if (t->ops[i].kind == TXOP_CREATE || t->ops[i].kind == TXOP_DROP ||
            strcmp(t->ops[i].table->name, VIEW_TABLE) == 0)
            return true;
    return false;
}

void db_rollback(eng_db *db, txn *t)
{
    if (!t)
        return;
    bool ddl = db_has_ddl(t);
    txn_finish_ops(t, STAMP_NONE);
    db_collect(db, t);
    txn_free(t);
    if (ddl) {
        cat_purge(&db->catalog, db_oldest_snapshot(db));
        cat_bump_version(&db->catalog);
    }
}

/* Write-write checks that can only be made at commit. Caller holds the commit lock. */
static int db_validate(const txn *t, eng_error *err)
{
    for (uint32_t i = 0; i < t->nops; i++) {
        const txn_op *op = &t->ops[i];
        if (op->kind == TXOP_DROP && op->rewrite &&
            __atomic_load_n(&op->table->last_write, __ATOMIC_ACQUIRE) > t->start)
            return err_set(err, ENG_E_CONFLICT,
                           "Transaction conflict: table \"%s\" was changed by a transaction "
                           "that committed after this ALTER TABLE began; the transaction was "
                           "rolled back",
                           op->table->name);
        if (op->kind != TXOP_INSERT && op->kind != TXOP_DELETE)
            continue;
        uint64_t dropped = __atomic_load_n(&op->table->dropped, __ATOMIC_ACQUIRE);
        if (dropped != STAMP_NONE && dropped != t->id)
            return err_set(err, ENG_E_CONFLICT,
                           "Transaction conflict: table \"%s\" was dropped or altered by a "
                           "concurrent transaction; the transaction was rolled back",
                           op->table->name);
    }
    return 0;
}

/* Records that the tables t changed were written at ts (an ALTER that began earlier must
 * not copy them without these changes). Caller holds the commit lock. */
static void db_mark_writes(const txn *t, uint64_t ts)
{
    for (uint32_t i = 0; i < t->nops; i++)
        if (t->ops[i].kind == TXOP_INSERT || t->ops[i].kind == TXOP_DELETE)
            __atomic_store_n(&t->ops[i].table->last_write, ts, __ATOMIC_RELEASE);
}

/* After a commit that changed accounts is visible: credentials cached before it are
 * stale. (Bumped only now, so a cache filled from an older snapshot never carries the new
 * version.) */
static void db_note_accounts(eng_db *db, const txn *t)
{
    for (uint32_t i = 0; i < t->nops; i++)
        if (t->ops[i].table->name[0] == '$') {
            __atomic_add_fetch(&db->accounts_version, 1, __ATOMIC_RELEASE);
            return;
        }
}

/* A commit from its timestamp to its end. */
struct eng_commit {
    eng_db *db;
    txn *t;
    wal_log *wal;       /* a reference, or NULL for :memory: */
    wal_ticket *ticket; /* its record in the log */
    uint64_t ts;
    bool ddl;
    eng_commit *next;    /* in db->queue (publish_lock) */
    bool failed;         /* to be undone, not committed (publish_lock) */
    bool done;           /* restamped or undone, and published (set under publish_lock,
                            read atomically) */
    pthread_cond_t cond; /* its committer waits here for done */
};

/*
 * Publishing. Commits queue in timestamp order (db->queue, publish_lock). A commit is
 * ready when its record is durable (or it failed and is to be undone). Whoever drains the
 * queue restamps every ready commit at its head and advances commit_ts over them in one
 * step: usually the log's sync leader, right after its fdatasync and before it wakes the
 * group, so a committer is woken once, finds its commit visible, and goes. (Each
 * committer restamping and publishing itself made a group of n commits wake up to n
 * times each: waiting for the sync, then for every earlier timestamp.)
 */
static bool db_ready(const eng_commit *c)
{
    return c->failed || !c->wal || wal_durable(c->wal, c->ticket);
}

/* Caller holds publish_lock. A committer may read `done` without the lock (db_commit_end),
 * so it is set last: after commit_ts covers the commit (the committer's next snapshot must
 * see it) and after the signal (the committer frees c once it reads done). */
static void db_drain_locked(eng_db *db)
{
    uint64_t visible = __atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE);
    eng_commit *h, *first = db->queue_head;
    int n = 0;
    while ((h = db->queue_head) && db_ready(h)) {
        assert(h->ts == visible + 1);
        txn_finish_ops(h->t, h->failed ? STAMP_NONE : h->ts);
        visible = h->ts;
        db->queue_head = h->next;
        if (!db->queue_head)
            db->queue_tail = NULL;
        n++;
    }
    if (visible != __atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&db->commit_ts, visible, __ATOMIC_RELEASE);
        if (db->publish_watchers)
            pthread_cond_broadcast(&db->publish_cond);
    }
    for (h = first; n > 0; n--) {
        eng_commit *next = h->next;
        pthread_cond_signal(&h->cond);
        __atomic_store_n(&h->done, true, __ATOMIC_RELEASE);
        h = next;
    }
}

/* The log's sync leader, after a successful fdatasync and before waking the group. */
static void db_drain(void *arg)
{
    eng_db *db = arg;
    pthread_mutex_lock(&db->publish_lock);
    db_drain_locked(db);
    pthread_mutex_unlock(&db->publish_lock);
}

void db_wait_published(eng_db *db, uint64_t ts)
{
    if (__atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE) >= ts)
        return;
    pthread_mutex_lock(&db->publish_lock);
    db->publish_watchers++;
    while (__atomic_load_n(&db->commit_ts, __ATOMIC_ACQUIRE) < ts)
        pthread_cond_wait(&db->publish_cond, &db->publish_lock);
    db->publish_watchers--;
    pthread_mutex_unlock(&db->publish_lock);
}

void db_await_holder(eng_db *db, uint64_t holder)
{
    uint64_t target = holder;
    if (holder >= TXN_ID_BASE) { /* a transaction id: wait for the commits in flight now */
        pthread_mutex_lock(&db->commit_lock);
        target = db->next_ts;
        pthread_mutex_unlock(&db->commit_lock);
    }
    db_wait_published(db, target);
}

int db_claim_row(eng_db *db, tbl_table *tb, txn *t, uint64_t row)
{
    uint64_t holder;
    if (!tbl_claim(tb, row, t->id, &holder)) {
        db_await_holder(db, holder);
        return 1;
    }
    if (txn_add_delete(t, tb, row) != 0) {
        tbl_set_del(tb, row, STAMP_NONE); /* unrecorded, a claim would outlive t */
        return -1;
    }
    return 0;
}

/* The end of every commit that got a timestamp, also of a failed one (rc != 0): waits until
 * it is restamped (or undone) and published, draining the queue if no one else did, then
 * lets the tables reclaim and frees it. */
static int db_commit_end(eng_commit *c, int rc)
{
    eng_db *db = c->db;
    txn *t = c->t;
    /* Usually whoever made the record durable has published it already. */
    if (rc != 0 || !__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&db->publish_lock);
        if (rc != 0)
            c->failed = true;
        db_drain_locked(db);
        while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE))
            pthread_cond_wait(&c->cond, &db->publish_lock);
        pthread_mutex_unlock(&db->publish_lock);
    }
    pthread_cond_destroy(&c->cond);
    if (c->wal) {
        if (rc == 0)
            db_checkpoint_if_due(db, wal_ticket_lsn(c->ticket));
        wal_ticket_free(c->ticket);
        wal_close(c->wal);
    }
    if (rc == 0)
        db_note_accounts(db, t);
    db_collect(db, t);
    txn_free(t);
    if (c->ddl) {
        cat_purge(&db->catalog, db_oldest_snapshot(db));
        cat_bump_version(&db->catalog);
    }
    if (rc == 0)
        __atomic_add_fetch(&db->commits, 1, __ATOMIC_RELAXED);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* The log record of t (db->wal itself changes at checkpoints: the commit picks it under the
 * lock), built and checksummed before the commit lock is taken. */
static int db_encode(const txn *t, unsigned char **buf, size_t *len, uint32_t *crc, eng_error *err)
{
    static const unsigned char room[WAL_RECORD_HEADER];
    bytebuf rec;
    bb_init(&rec);
    bb_put(&rec, room, sizeof room);
    if (logrec_encode(t, &rec, err) != 0) {
        bb_free(&rec);
        return -1;
    }
    *crc = crc32c(0, rec.data + WAL_RECORD_HEADER, rec.len - WAL_RECORD_HEADER);
    *buf = rec.data; /* the log's once appended */
    *len = rec.len;
    return 0;
}

int db_commit_start(eng_db *db, txn *t, eng_commit **out, eng_error *err)
{
    *out = NULL;
    if (!txn_has_writes(t)) {
        txn_free(t);
        return 0;
    }
    if (db->opts.read_only) {
        db_rollback(db, t);
        return err_set(err, ENG_E_READ_ONLY, "database %s is open read-only", db->path);
    }
    eng_commit *c = calloc(1, sizeof *c);
    if (!c) {
        db_rollback(db, t);
        return err_set(err, ENG_E_NOMEM, "out of memory committing");
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    uint32_t crc = 0;
    if (!db->in_memory && db_encode(t, &buf, &len, &crc, err) != 0) {
        free(c);
        db_rollback(db, t);
        return -1;
    }
    c->db = db;
    c->t = t;
    c->ddl = db_has_ddl(t);
    pthread_cond_init(&c->cond, NULL);
    pthread_mutex_lock(&db->commit_lock);
    if (db_validate(t, err) != 0) {
        pthread_mutex_unlock(&db->commit_lock);
        free(buf);
        pthread_cond_destroy(&c->cond);
        free(c);
        db_rollback(db, t);
        return -1;
    }
    c->ts = ++db->next_ts;
    db_mark_writes(t, c->ts);
    /* A checkpoint may rotate db->wal once we let go of the lock: keep ours. */
    c->wal = db->wal;
    if (c->wal)
        wal_ref(c->wal);
    int rc = c->wal ? wal_append(c->wal, buf, len, crc, c->ts, &c->ticket, err) : 0;
    /* Queued under the commit lock, so the queue is in timestamp order with no gaps. */
    pthread_mutex_lock(&db->publish_lock);
    c->failed = rc != 0;
    if (db->queue_tail)
        db->queue_tail->next = c;
    else
        db->queue_head = c;
    db->queue_tail = c;
    pthread_mutex_unlock(&db->publish_lock);
    pthread_mutex_unlock(&db->commit_lock);
    if (rc != 0)
        return db_commit_end(c, rc);
    *out = c;
    return 0;
}

int db_commit_wait(eng_commit *c, eng_error *err)
{
    int rc = c->wal ? wal_sync(c->wal, c->ticket, db_drain, c->db, err) : 0;
    if (rc > 0) {
        __atomic_add_fetch(&c->db->log_syncs, (uint64_t)rc, __ATOMIC_RELAXED);
        rc = 0;
    }
    return db_commit_end(c, rc);
}

int db_commit(eng_db *db, txn *t, eng_error *err)
{
    eng_commit *c;
    if (db_commit_start(db, t, &c, err) != 0)
        return -1;
    return c ? db_commit_wait(c, err) : 0;
}
