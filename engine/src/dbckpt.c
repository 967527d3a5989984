/*
 * Checkpoints (engine/README.md, "Durability"): the tables as one snapshot sees them go
 * into the database file, and the log before that snapshot is dropped.
 *
 * 1. Under the commit lock, the only moment writers wait: take C, the newest timestamp
 *    handed out, register a snapshot floor so nothing C needs is reclaimed, and rotate the
 *    log (NAME.wal -> NAME.wal.old, a fresh NAME.wal for later commits).
 * 2. Wait until every timestamp up to C is published, then write the image of snapshot C
 *    while readers and writers go on, and sync it.
 * 3. Switch the database file's header to the new image (synced), then delete
 *    NAME.wal.old. Every crash point in between recovers: opening loads the image the
 *    header names and replays NAME.wal.old and NAME.wal, skipping records the image
 *    already holds.
 * Images alternate between the front of the image area and the end of the file, so the
 * file stays within about twice the data.
 */
#include "db.h"

#include "ckpt.h"
#include "errors.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define DB_CHECKPOINT_DEFAULT (16u << 20)

static uint64_t db_align(uint64_t x)
{
    return (x + 4095) & ~(uint64_t)4095;
}

/* Writes the image of C somewhere that does not overlap the current one. */
static int db_write_image(eng_db *db, uint64_t c, uint64_t *offset, uint64_t *bytes, eng_error *err)
{
    const dbf_header *h = &db->file.header;
    uint64_t front = DBF_IMAGE_AREA;
    uint64_t end = h->image_offset ? db_align(h->image_offset + h->image_bytes) : front;
    if (h->image_offset > front) { /* room in front of the current image: try it first */
        int rc =
            ckpt_write(db->file.fd, db->path, &db->catalog, c, front, h->image_offset, bytes, err);
        if (rc <= 0) {
            *offset = front;
            return rc;
        }
        /* It did not fit in front of the current image after all: write it at the end. */
    }
    *offset = end;
    return ckpt_write(db->file.fd, db->path, &db->catalog, c, end, 0, bytes, err) == 0 ? 0 : -1;
}

/* Deletes logs whose every record the image in force covers: a NAME.wal.old that a crash
 * left after the header switch, and NAME.wal when it holds only such records (a database
 * reopened after that crash replays them, skipping each one, on every open). Without an
 * image write: the image is already the state. Caller holds both locks. */
static int db_cut_covered_logs(eng_db *db, eng_error *err)
{
    if (!db->wal_old && !wal_empty(db->wal)) {
        wal_log *fresh;
        if (wal_rotate(db->wal, db->path, &fresh, err) != 0)
            return -1;
        db->wal_old = db->wal;
        db->wal = fresh;
    }
    if (db->wal_old) {
        if (wal_remove(db->wal_old, err) != 0)
            return -1;
        wal_close(db->wal_old);
        db->wal_old = NULL;
    }
    return 0;
}

int db_checkpoint(eng_db *db, eng_error *err)
{
    if (db->in_memory)
        return 0;
    if (db->opts.read_only)
        return err_set(err, ENG_E_READ_ONLY, "database %s is open read-only", db->path);
    pthread_mutex_lock(&db->ckpt_lock);
    pthread_mutex_lock(&db->commit_lock);
    uint64_t c = db->next_ts;
    if (c == db->file.header.checkpoint_ts) {
        /* Nothing committed since the image in force: what the logs hold, it holds. */
        int rc = db_cut_covered_logs(db, err);
        pthread_mutex_unlock(&db->commit_lock);
        pthread_mutex_unlock(&db->ckpt_lock);
        return rc;
    }
    __atomic_store_n(&db->ckpt_floor, db_commit_ts(db), __ATOMIC_SEQ_CST);
    int rc = 0;
    if (!db->wal_old) { /* with a rotated log still pending, its records stay where they are */
        wal_log *fresh;
        rc = wal_rotate(db->wal, db->path, &fresh, err);
        if (rc == 0) {
            db->wal_old = db->wal;
            db->wal = fresh;
        }
    }
    pthread_mutex_unlock(&db->commit_lock);
    uint64_t offset = 0, bytes = 0;
    if (rc == 0) {
        db_wait_published(db, c);
        rc = db_write_image(db, c, &offset, &bytes, err);
    }
    if (rc == 0 && fdatasync(db->file.fd) != 0)
        rc = err_set(err, (errno == ENOSPC || errno == EFBIG) ? ENG_E_DISK_FULL : ENG_E_IO,
                     "cannot sync the checkpoint of %s: %s", db->path, strerror(errno));
    if (rc == 0) {
        dbf_header h = db->file.header;
        h.checkpoint_ts = c;
        h.image_offset = offset;
        h.image_bytes = bytes;
        rc = dbf_switch_header(&db->file, db->path, h, err);
    }
    if (rc == 0) {
        /* Space after the image in force is free now (an old image, or a failed write). */
        if (ftruncate(db->file.fd, (off_t)db_align(offset + bytes)) != 0) {
            /* only space is lost */
        }
        __atomic_add_fetch(&db->checkpoints, 1, __ATOMIC_RELAXED);
        if (wal_remove(db->wal_old, err) == 0) {
            wal_close(db->wal_old);
            db->wal_old = NULL;
        } else {
            rc = -1; /* the checkpoint holds; the old log goes next time */
        }
    }
    __atomic_store_n(&db->ckpt_floor, STAMP_NONE, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&db->ckpt_lock);
    return rc;
}

int eng_db_checkpoint(eng_db *db, eng_error *err)
{
    err_clear(err);
    return db_checkpoint(db, err);
}

static void *db_checkpointer(void *arg)
{
    eng_db *db = arg;
    pthread_mutex_lock(&db->ckpt_wake_lock);
    for (;;) {
        while (!db->ckpt_requested && !db->ckpt_stop)
            pthread_cond_wait(&db->ckpt_wake, &db->ckpt_wake_lock);
        if (db->ckpt_stop)
            break;
        pthread_mutex_unlock(&db->ckpt_wake_lock);
        eng_error err;
        /* A failure (a full disk, say) leaves the log growing; the next commit over the
         * threshold asks again. */
        db_checkpoint(db, &err);
        pthread_mutex_lock(&db->ckpt_wake_lock);
        db->ckpt_requested = false;
    }
    pthread_mutex_unlock(&db->ckpt_wake_lock);
    return NULL;
}

int db_checkpointer_start(eng_db *db, eng_error *err)
{
    db->ckpt_threshold =
        db->opts.checkpoint_bytes ? db->opts.checkpoint_bytes : DB_CHECKPOINT_DEFAULT;
    if (pthread_create(&db->ckpt_thread, NULL, db_checkpointer, db) != 0)
        return err_set(err, ENG_E_GENERAL, "cannot start the checkpointer of %s", db->path);
    db->ckpt_thread_started = true;
    return 0;
}

void db_checkpointer_stop(eng_db *db)
{
    if (!db->ckpt_thread_started)
        return;
    pthread_mutex_lock(&db->ckpt_wake_lock);
    db->ckpt_stop = true;
    pthread_cond_signal(&db->ckpt_wake);
    pthread_mutex_unlock(&db->ckpt_wake_lock);
    pthread_join(db->ckpt_thread, NULL);
    db->ckpt_thread_started = false;
}

void db_checkpoint_if_due(eng_db *db, uint64_t log_bytes)
{
    if (!db->ckpt_thread_started || log_bytes < db->ckpt_threshold)
        return;
    pthread_mutex_lock(&db->ckpt_wake_lock);
    if (!db->ckpt_requested) {
        db->ckpt_requested = true;
        pthread_cond_signal(&db->ckpt_wake);
    }
    pthread_mutex_unlock(&db->ckpt_wake_lock);
}
