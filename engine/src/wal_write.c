/*
 * Appending records to the log and making them durable (wal.h).
 *
 * Buffered mode (Synchronous=NORMAL or OFF, or where O_DIRECT does not work): records are
 * written under the commit lock and one caller at a time runs fdatasync for everything
 * written so far (group commit). A failed write is cut off again (ftruncate to the old
 * end), so the log never keeps half a record in front of later ones.
 *
 * Direct mode (Synchronous=FULL where the file system allows O_DIRECT): wal_append only
 * queues the record. One committer at a time, the writer, takes every queued record, packs
 * them into one run padded with zeros to the log's alignment, and writes the run with
 * O_DIRECT | O_DSYNC: durable when the write returns, with no fdatasync and no page cache.
 * The last record of a run carries WAL_RUN_END in its length word, which tells replay that
 * the next run starts at the next aligned offset; within a run records follow each other,
 * so a torn run ends the log at its first damaged record. Writes go to space zero-filled
 * ahead (WAL_CHUNK at a time): a direct write into an allocated but unwritten extent makes
 * the file system journal the extent's conversion, which cost about a quarter of the
 * commit rate here (tools/bench update workload, 8 threads).
 *
 * While a run is written, the committers of the previous one come back with their next
 * commits; the next writer waits up to WAL_GATHER_NS for as many records as were in flight
 * when the run finished, so a steady set of clients shares one write instead of splitting
 * into two halves that alternate.
 *
 * Committers are woken after the lock is released, a run's all with one call (wal_wake).
 *
 * Failures: a failed fdatasync, or a direct write failing with anything but a full disk,
 * leaves the disk's state unknown and the log refusing commits (broken). A run failing for
 * want of space (ENOSPC, EFBIG, EDQUOT) fails its own commits only: nothing was durable,
 * the log's end stays where it was, and later runs are written there.
 */
#include "wal_int.h"

#include "bytebuf.h"
#include "crc32c.h"
#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Space ahead of the log's end is zero-filled this much at a time. */
#define WAL_CHUNK (8u << 20)
/* A run holds at most this many bytes of records (one larger record goes alone). */
#define WAL_RUN_MAX (1u << 20)
/* How long a writer waits for the previous run's committers (see above; measured with
 * tools/bench: 100-150 us is best here, 0 loses ~5%, 300 us loses more). */
#define WAL_GATHER_NS 150000u

enum { WT_PENDING, WT_WRITING };

static void wal_ticket_unref(wal_ticket *t)
{
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    free(t->buf);
    free(t);
}

void wal_ticket_free(wal_ticket *t)
{
    if (t)
        wal_ticket_unref(t);
}

uint64_t wal_ticket_lsn(const wal_ticket *t)
{
    return t->lsn;
}

static bool wal_disk_full(int e)
{
    return e == ENOSPC || e == EFBIG || e == EDQUOT;
}

static void wal_put_header(unsigned char *rec, size_t rec_len, uint32_t payload_crc,
                           uint64_t commit_ts, bool run_end)
{
    bb_le32(rec, (uint32_t)(rec_len - WAL_RECORD_HEADER) | (run_end ? WAL_RUN_END : 0));
    bb_le32(rec + 4, payload_crc);
    bb_le64(rec + 8, commit_ts);
    bb_le32(rec + 16, crc32c(0, rec, 16));
}

/* ---- buffered mode ---- */

/* Makes sure [end, end + len) is allocated (buffered mode; commit lock). On failure (no
 * space, or a file system without fallocate) the write itself reports a full disk. */
static void wal_preallocate(wal_log *w, uint64_t len)
{
    if (w->end + len <= w->allocated)
        return;
    uint64_t grow = ((w->end + len - w->allocated) / WAL_CHUNK + 1) * WAL_CHUNK;
    if (fallocate(w->fd, 0, (off_t)w->allocated, (off_t)grow) == 0)
        w->allocated += grow;
}

static int wal_append_buffered(wal_log *w, wal_ticket *t, const unsigned char *rec, size_t rec_len,
                               eng_error *err)
{
    /* Each record is a run of its own. In an aligned log the next one starts on the next
     * aligned offset; replay never reads the gap, so it is not written. */
    size_t len = (size_t)wal_round(rec_len, w->align);
    wal_preallocate(w, len);
    size_t done = 0;
    while (done < rec_len) {
        ssize_t n = pwrite(w->fd, rec + done, rec_len - done, (off_t)(w->end + done));
        if (n <= 0) {
            int rc = wal_io_error(err, "cannot write log", w->path);
            if (ftruncate(w->fd, (off_t)w->end) != 0)
                __atomic_store_n(&w->broken, true, __ATOMIC_RELEASE);
            else if (w->allocated > w->end)
                w->allocated = w->end; /* the cut took the preallocated space too */
            return rc;
        }
        done += (size_t)n;
    }
    t->lsn = w->end + rec_len;
    t->end = w->end + len;
    w->rec_end = t->lsn;
    __atomic_store_n(&w->end, t->end, __ATOMIC_RELEASE);
    return 0;
}

/* One fdatasync at a time covers everything written before it. */
static int wal_sync_buffered(wal_log *w, uint64_t lsn, void (*synced_fn)(void *ctx), void *ctx,
                             eng_error *err)
{
    int rc = 0, syncs = 0;
    pthread_mutex_lock(&w->sync_lock);
    while (w->synced < lsn && rc == 0) {
        if (__atomic_load_n(&w->broken, __ATOMIC_ACQUIRE)) {
            rc = err_set(err, ENG_E_IO, "cannot sync log %s: an earlier sync failed", w->path);
            break;
        }
        if (w->syncing) {
            pthread_cond_wait(&w->sync_cond, &w->sync_lock);
            continue;
        }
        /* Become the leader: one fdatasync for everything written so far. */
        w->syncing = true;
        uint64_t target = __atomic_load_n(&w->end, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&w->sync_lock);
        int synced = fdatasync(w->fd);
        int e = errno;
        syncs++;
        pthread_mutex_lock(&w->sync_lock);
        w->syncing = false;
        if (synced == 0) {
            if (target > w->synced)
                __atomic_store_n(&w->synced, target, __ATOMIC_RELEASE);
            if (synced_fn) { /* before the group wakes: it finds its work done */
                pthread_mutex_unlock(&w->sync_lock);
                synced_fn(ctx);
                pthread_mutex_lock(&w->sync_lock);
            }
        } else {
            __atomic_store_n(&w->broken, true, __ATOMIC_RELEASE);
            errno = e;
            rc = wal_io_error(err, "cannot sync log", w->path);
        }
        pthread_cond_broadcast(&w->sync_cond);
    }
    pthread_mutex_unlock(&w->sync_lock);
    return rc == 0 ? syncs : -1;
}

int wal_append(wal_log *w, unsigned char *rec, size_t rec_len, uint32_t payload_crc,
               uint64_t commit_ts, wal_ticket **out, eng_error *err)
{
    *out = NULL;
    int rc = 0;
    wal_ticket *t = NULL;
    if (w->read_only)
        rc = err_set(err, ENG_E_READ_ONLY, "the database is open read-only");
    else if (__atomic_load_n(&w->broken, __ATOMIC_ACQUIRE))
        rc = err_set(err, ENG_E_IO,
                     "log %s failed to sync earlier; no further commits are accepted until "
                     "the database is reopened",
                     w->path);
    else if (rec_len - WAL_RECORD_HEADER >= WAL_RUN_END)
        rc = err_set(err, ENG_E_LIMIT,
                     "the transaction's log record (%zu bytes) is larger than the log allows "
                     "(2 GiB); commit in smaller transactions",
                     rec_len);
    else if (!(t = calloc(1, sizeof *t)))
        rc = err_set(err, ENG_E_NOMEM, "out of memory writing the log");
    if (rc == 0 && w->dfd < 0) {
        t->refs = 1;
        wal_put_header(rec, rec_len, payload_crc, commit_ts, w->align > 1);
        rc = wal_append_buffered(w, t, rec, rec_len, err);
        if (rc != 0) {
            free(t);
            t = NULL;
        }
    } else if (rc == 0) {
        /* The writer sets the run-end mark and the header's CRC. */
        wal_put_header(rec, rec_len, payload_crc, commit_ts, false);
        t->buf = rec;
        rec = NULL;
        t->len = rec_len;
        t->refs = 2; /* the owner and the queue */
        pthread_mutex_lock(&w->sync_lock);
        if (w->pending_tail)
            w->pending_tail->next = t;
        else
            w->pending = t;
        w->pending_tail = t;
        if (++w->queued >= w->expect && w->gathering)
            pthread_cond_signal(&w->gather_cond);
        pthread_mutex_unlock(&w->sync_lock);
    }
    free(rec);
    *out = t;
    return t ? 0 : -1;
}

bool wal_durable(const wal_log *w, const wal_ticket *t)
{
    if (w->sync != ENG_SYNC_FULL)
        return true;
    if (w->dfd >= 0)
        return __atomic_load_n(&t->durable, __ATOMIC_ACQUIRE);
    return __atomic_load_n(&w->synced, __ATOMIC_ACQUIRE) >= t->end;
}

/*
 * Waking committers (direct mode). Runs are numbered (w->runs counts those started); a
 * committer that finds a run in flight belongs to the next one and sleeps on the futex word
 * of that run's parity, w->wake[(runs + 1) & 1], with the value it read under the lock.
 * The writer of run k settles its tickets under the lock and then, outside it, bumps
 * wake[k & 1] and wakes all its sleepers with one call; if records are waiting, it bumps
 * wake[(k + 1) & 1] and wakes one of their owners to write them. A woken committer checks
 * its own ticket without the lock; one that is not settled (its record did not fit in the
 * run, or it is to write next) takes the lock and looks again.
 *
 * Measured on the update workload: one word for everyone cost 5-10% at 64 threads (every
 * run woke the next run's committers too, to sleep again); a semaphore per committer,
 * posted one by one, was no faster at 8 threads; a condition variable broadcast under the
 * lock woke them all into the lock and cost about 10%.
 */
static void wal_wake(wal_log *w, uint64_t run, int next)
{
    uint32_t *word = &w->wake[run & 1];
    __atomic_add_fetch(word, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    if (next) {
        word = &w->wake[(run + 1) & 1];
        __atomic_add_fetch(word, 1, __ATOMIC_RELEASE);
        syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, next, NULL, NULL, 0);
    }
}

/* Under sync_lock, a run in flight: releases the lock and sleeps until t's run ends (the
 * one in flight if t is in it, else the next) or this committer is to write. True when t
 * is durable (the lock stays released); false with the lock taken again. */
static bool wal_sleep(wal_log *w, wal_ticket *t)
{
    uint32_t *word = &w->wake[(t->run ? t->run : w->runs + 1) & 1];
    uint32_t seen = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    pthread_mutex_unlock(&w->sync_lock);
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
    if (__atomic_load_n(&t->durable, __ATOMIC_ACQUIRE))
        return true;
    pthread_mutex_lock(&w->sync_lock);
    return false;
}

/* Under sync_lock: takes the first n tickets off the queue, durable or failed. */
static void wal_retire(wal_log *w, int n, bool durable)
{
    while (n-- > 0) {
        wal_ticket *t = w->pending;
        w->pending = t->next;
        if (!w->pending)
            w->pending_tail = NULL;
        if (t->state == WT_PENDING)
            w->queued--;
        if (durable)
            __atomic_store_n(&t->durable, true, __ATOMIC_RELEASE);
        else
            __atomic_store_n(&t->failed, true, __ATOMIC_RELEASE);
        wal_ticket_unref(t);
    }
}

static uint64_t wal_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Under sync_lock: waits until w->expect records are queued or w->expect_until. */
static void wal_gather(wal_log *w)
{
    struct timespec until = {(time_t)(w->expect_until / 1000000000u),
                             (long)(w->expect_until % 1000000000u)};
    w->gathering = true;
    pthread_cond_timedwait(&w->gather_cond, &w->sync_lock, &until);
    w->gathering = false;
}

/* Makes sure [w->end, w->end + len) is zero-filled (the writer, without sync_lock): 0 or
 * errno. */
static int wal_zero_ahead(wal_log *w, uint64_t len)
{
    static const unsigned char zeros[64 << 10];
    while (w->end + len > w->allocated) {
        uint64_t at = w->allocated, stop = at + WAL_CHUNK;
        while (at < stop) {
            size_t n = (size_t)(stop - at < sizeof zeros ? stop - at : sizeof zeros);
            ssize_t got = pwrite(w->fd, zeros, n, (off_t)at);
            if (got <= 0)
                return got == 0 ? EIO : errno;
            at += (uint64_t)got;
        }
        if (fdatasync(w->fd) != 0) /* the new extents and the size, once */
            return errno;
        /* Direct writes would only have to throw these pages out again. */
        posix_fadvise(w->fd, (off_t)w->allocated, WAL_CHUNK, POSIX_FADV_DONTNEED);
        w->allocated = stop;
    }
    return 0;
}

/* Packs tickets [first, first + n) into w->run (padded, the last one marked): its length,
 * or 0 out of memory. */
static size_t wal_pack(wal_log *w, wal_ticket *first, int n, size_t bytes)
{
    size_t len = (size_t)wal_round(bytes, w->align);
    if (len > w->run_cap) {
        free(w->run);
        w->run = NULL;
        w->run_cap = 0;
        void *p = NULL;
        if (posix_memalign(&p, WAL_MAX_ALIGN, wal_round(len, WAL_MAX_ALIGN)) != 0)
            return 0;
        w->run = p;
        w->run_cap = (size_t)wal_round(len, WAL_MAX_ALIGN);
    }
    size_t at = 0;
    wal_ticket *t = first;
    for (int i = 0; i < n; i++) {
        if (i > 0) /* (not past the run's last: wal_append may be linking a new one) */
            t = t->next;
        memcpy(w->run + at, t->buf, t->len);
        if (i == n - 1) { /* the run's end: replay goes on at the next aligned offset */
            unsigned char *h = w->run + at;
            bb_le32(h, bb_get32(h) | WAL_RUN_END);
            bb_le32(h + 16, crc32c(0, h, 16));
        }
        at += t->len;
    }
    memset(w->run + at, 0, len - at);
    return len;
}

static int wal_pwrite_all(int fd, const unsigned char *p, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t got = pwrite(fd, p + done, len - done, (off_t)(off + done));
        if (got <= 0)
            return got == 0 ? EIO : errno;
        done += (size_t)got;
    }
    return 0;
}

/* The writer (sync_lock held, released around the I/O): writes every queued record as one
 * run and settles their tickets; the caller wakes them (wal_wake). Returns the run's
 * number. */
static uint64_t wal_write_run(wal_log *w, void (*synced_fn)(void *ctx), void *ctx)
{
    uint64_t run = ++w->runs;
    int n = 0;
    size_t bytes = 0;
    for (wal_ticket *t = w->pending; t && (n == 0 || bytes + t->len <= WAL_RUN_MAX);
         t = t->next, n++) {
        t->state = WT_WRITING;
        t->run = run;
        bytes += t->len;
    }
    w->queued -= n;
    w->writing = true;
    pthread_mutex_unlock(&w->sync_lock);
    uint64_t off = w->end;
    size_t len = wal_pack(w, w->pending, n, bytes);
    int e = len ? wal_zero_ahead(w, len) : ENOMEM;
    if (e == 0 && (e = wal_pwrite_all(w->dfd, w->run, len, off)) == EINVAL) {
        /* Refused as a direct write (a file size limit cutting it to an unaligned
         * length, say): write it through the page cache instead. */
        e = wal_pwrite_all(w->fd, w->run, len, off);
        if (e == 0 && fdatasync(w->fd) != 0)
            e = errno;
    }
    if (w->run_cap > WAL_RUN_MAX * 2) { /* keep no huge buffer after a huge record */
        free(w->run);
        w->run = NULL;
        w->run_cap = 0;
    }
    pthread_mutex_lock(&w->sync_lock);
    w->writing = false;
    if (e == 0) {
        uint64_t at = off;
        wal_ticket *t = w->pending;
        for (int i = 0; i < n; i++, t = t->next) {
            at += t->len;
            t->lsn = at;
        }
        w->rec_end = off + bytes;
        __atomic_store_n(&w->synced, off + len, __ATOMIC_RELEASE);
        __atomic_store_n(&w->end, off + len, __ATOMIC_RELEASE);
    } else {
        w->fail_errno = e;
        if (!wal_disk_full(e) && e != ENOMEM)
            __atomic_store_n(&w->broken, true, __ATOMIC_RELEASE);
    }
    wal_retire(w, n, e == 0);
    if (__atomic_load_n(&w->broken, __ATOMIC_ACQUIRE))
        wal_retire(w, w->queued, false);
    /* The committers this run releases are likely to commit again soon. */
    w->expect = w->queued + n;
    w->expect_until = wal_now() + WAL_GATHER_NS;
    if (e == 0 && synced_fn) { /* before the group wakes: it finds its work done */
        pthread_mutex_unlock(&w->sync_lock);
        synced_fn(ctx);
        pthread_mutex_lock(&w->sync_lock);
    }
    return run;
}

static bool wal_settled(const wal_ticket *t)
{
    return __atomic_load_n(&t->durable, __ATOMIC_ACQUIRE) ||
           __atomic_load_n(&t->failed, __ATOMIC_ACQUIRE);
}

/* Waits for t to be durable or failed, writing the queue when no one else is. */
static int wal_sync_direct(wal_log *w, wal_ticket *t, void (*synced_fn)(void *ctx), void *ctx,
                           eng_error *err)
{
    int writes = 0;
    pthread_mutex_lock(&w->sync_lock);
    while (!wal_settled(t)) {
        if (w->writing) {
            if (wal_sleep(w, t))
                return writes; /* the usual end: no need for the lock again */
            continue;
        }
        if (w->queued < w->expect && wal_now() < w->expect_until) {
            wal_gather(w);
            continue;
        }
        uint64_t run = wal_write_run(w, synced_fn, ctx);
        /* One owner of the waiting records writes them; all if none will be written. */
        int next = wal_broken(w) ? INT_MAX : w->pending ? 1 : 0;
        writes++;
        pthread_mutex_unlock(&w->sync_lock);
        wal_wake(w, run, next);
        pthread_mutex_lock(&w->sync_lock);
    }
    int rc = writes;
    if (__atomic_load_n(&t->failed, __ATOMIC_ACQUIRE)) {
        errno = w->fail_errno ? w->fail_errno : EIO;
        rc = wal_io_error(err, "cannot write log", w->path);
    }
    pthread_mutex_unlock(&w->sync_lock);
    return rc;
}

int wal_sync(wal_log *w, wal_ticket *t, void (*synced_fn)(void *ctx), void *ctx, eng_error *err)
{
    if (w->sync != ENG_SYNC_FULL)
        return 0;
    if (w->dfd >= 0)
        return wal_sync_direct(w, t, synced_fn, ctx, err);
    return wal_sync_buffered(w, t->end, synced_fn, ctx, err);
}
