/*
 * Write-ahead log files: header, open (choosing direct writes where they work), replay,
 * rotation and close. Appending records and making them durable: wal_write.c.
 *
 * File header (32 bytes): magic "EIDERWAL", u32 version, u32 record alignment (version 2;
 * zero in version 1), u64 database uuid, u32 zero, u32 CRC-32C of bytes 0..27. Record:
 * u32 payload length, u32 payload CRC, u64 commit timestamp, u32 CRC of those 16 bytes,
 * then the payload. In a version 2 log every record starts on a multiple of the alignment
 * (the gap is zeros), so each can be written with O_DIRECT on its own.
 */
#include "wal_int.h"

#include "bytebuf.h"
#include "crc32c.h"
#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char wal_magic[8] = {'E', 'I', 'D', 'E', 'R', 'W', 'A', 'L'};

int wal_io_error(eng_error *err, const char *what, const char *path)
{
    int e = errno;
    eng_errcode code = e == ENOSPC || e == EFBIG || e == EDQUOT ? ENG_E_DISK_FULL
                       : e == ENOMEM                            ? ENG_E_NOMEM
                                                                : ENG_E_IO;
    return err_set(err, code, "%s %s: %s", what, path, strerror(e));
}

static int wal_write_header(wal_log *w, eng_error *err)
{
    unsigned char h[WAL_FILE_HEADER] = {0};
    memcpy(h, wal_magic, 8);
    bb_le32(h + 8, w->align > 1 ? WAL_VERSION : 1);
    bb_le32(h + 12, w->align > 1 ? w->align : 0);
    bb_le64(h + 16, w->db_uuid);
    bb_le32(h + 28, crc32c(0, h, 28));
    if (pwrite(w->fd, h, sizeof h, 0) != (ssize_t)sizeof h || fdatasync(w->fd) != 0)
        return wal_io_error(err, "cannot write log header of", w->path);
    w->start = wal_round(WAL_FILE_HEADER, w->align);
    w->end = w->rec_end = w->start;
    return 0;
}

static int wal_check_header(wal_log *w, eng_error *err)
{
    unsigned char h[WAL_FILE_HEADER];
    ssize_t n = pread(w->fd, h, sizeof h, 0);
    if (n != (ssize_t)sizeof h || memcmp(h, wal_magic, 8) != 0 ||
        bb_get32(h + 28) != crc32c(0, h, 28))
        return err_set(err, ENG_E_CORRUPT,
                       "%s is not an Eider log file (bad header); move it away to open the "
                       "database without it",
                       w->path);
    uint32_t version = bb_get32(h + 8), align = bb_get32(h + 12);
    if (version > WAL_VERSION)
        return err_set(err, ENG_E_CONNECT, "log %s was written by a newer version of Eider",
                       w->path);
    if (bb_get64(h + 16) != w->db_uuid)
        return err_set(err, ENG_E_CORRUPT,
                       "log %s belongs to a different database than its database file", w->path);
    if (version < 2)
        align = 1;
    if (align == 0 || align > WAL_MAX_ALIGN || (align & (align - 1)) != 0)
        return err_set(err, ENG_E_CORRUPT, "log %s has a damaged header (record alignment %u)",
                       w->path, align);
    w->align = align;
    w->start = wal_round(WAL_FILE_HEADER, align);
    w->end = w->rec_end = w->start;
    return 0;
}

/* The alignment O_DIRECT needs for file offsets and memory here, or 0 if it does not work
 * (or needs more than WAL_MAX_ALIGN). */
static uint32_t wal_direct_align(int fd)
{
    struct statx sx;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) != 0 || !(sx.stx_mask & STATX_DIOALIGN))
        return 0;
    uint32_t a = sx.stx_dio_offset_align;
    if (a == 0 || a > WAL_MAX_ALIGN || sx.stx_dio_mem_align > WAL_MAX_ALIGN)
        return 0;
    return a < 512 ? 512 : a; /* at least a sector: a torn write never spans two records */
}

/*
 * With Synchronous=FULL, records are written with O_DIRECT | O_DSYNC where the file system
 * allows it: each write is durable by itself and no fdatasync is needed (wal_write.c). A
 * new log takes the alignment direct writes need; an existing one keeps its own and uses
 * direct writes only if that alignment suits them.
 */
static void wal_choose_writer(wal_log *w, bool fresh)
{
    if (w->read_only || w->sync != ENG_SYNC_FULL)
        return;
    uint32_t a = wal_direct_align(w->fd);
    if (a == 0 || (!fresh && (w->align < a || w->align % a != 0)))
        return;
    w->dfd = open(w->path, O_WRONLY | O_DIRECT | O_DSYNC | O_CLOEXEC);
    if (w->dfd >= 0 && fresh)
        w->align = a;
}

static wal_log *wal_new(char *path, uint64_t db_uuid, bool read_only, eng_sync sync)
{
    wal_log *w = calloc(1, sizeof *w);
    if (!w) {
        free(path);
        return NULL;
    }
    w->fd = w->dfd = -1;
    w->refs = 1;
    pthread_mutex_init(&w->sync_lock, NULL);
    pthread_cond_init(&w->sync_cond, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->gather_cond, &ca);
    pthread_condattr_destroy(&ca);
    w->db_uuid = db_uuid;
    w->sync = sync;
    w->read_only = read_only;
    w->path = path;
    w->align = 1;
    w->start = w->end = w->rec_end = WAL_FILE_HEADER;
    return w;
}

/* Opens (creating it unless read-only or `must_exist`) the log at `path`. With
 * must_exist, a missing file gives *out = NULL and success. */
static int wal_open_path(char *path, uint64_t db_uuid, bool read_only, bool must_exist,
                         eng_sync sync, wal_log **out, eng_error *err)
{
    *out = NULL;
    wal_log *w = wal_new(path, db_uuid, read_only, sync);
    if (!w)
        return err_set(err, ENG_E_NOMEM, "out of memory opening the log");
    bool create = !read_only && !must_exist;
    w->fd =
        open(w->path, (read_only ? O_RDONLY : O_RDWR) | (create ? O_CREAT : 0) | O_CLOEXEC, 0644);
    if (w->fd < 0 && errno == ENOENT && (read_only || must_exist)) {
        wal_close(w);
        return 0;
    }
    if (w->fd < 0) {
        wal_io_error(err, "cannot open log", w->path);
        wal_close(w);
        return -1;
    }
    struct stat st = {0};
    if (fstat(w->fd, &st) != 0) {
        wal_io_error(err, "cannot stat log", w->path);
        wal_close(w);
        return -1;
    }
    int rc = 0;
    if (st.st_size == 0 && !read_only) {
        wal_choose_writer(w, true);
        rc = wal_write_header(w, err);
    } else if (st.st_size != 0 && (rc = wal_check_header(w, err)) == 0) {
        wal_choose_writer(w, false);
    }
    if (rc != 0) {
        wal_close(w);
        return -1;
    }
    w->allocated = w->end > (uint64_t)st.st_size ? w->end : (uint64_t)st.st_size;
    *out = w;
    return 0;
}

static char *wal_name(const char *db_path, const char *suffix)
{
    size_t n = strlen(db_path) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s", db_path, suffix);
    return p;
}

int wal_open(const char *db_path, uint64_t db_uuid, bool read_only, eng_sync sync, wal_log **out,
             eng_error *err)
{
    char *path = wal_name(db_path, ".wal");
    if (!path)
        return err_set(err, ENG_E_NOMEM, "out of memory opening the log");
    if (wal_open_path(path, db_uuid, read_only, false, sync, out, err) != 0)
        return -1;
    if (!*out) { /* read-only and no log yet: an empty one in memory */
        char *p = wal_name(db_path, ".wal");
        if (!p || !(*out = wal_new(p, db_uuid, true, sync)))
            return err_set(err, ENG_E_NOMEM, "out of memory opening the log");
    }
    return 0;
}

int wal_open_old(const char *db_path, uint64_t db_uuid, bool read_only, wal_log **out,
                 eng_error *err)
{
    char *path = wal_name(db_path, ".wal.old");
    if (!path)
        return err_set(err, ENG_E_NOMEM, "out of memory opening the log");
    return wal_open_path(path, db_uuid, read_only, true, ENG_SYNC_FULL, out, err);
}

static int wal_fsync_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int wal_rotate(wal_log *w, const char *db_path, wal_log **fresh, eng_error *err)
{
    char *old = wal_name(db_path, ".wal.old");
    if (!old)
        return err_set(err, ENG_E_NOMEM, "out of memory rotating the log");
    if (rename(w->path, old) != 0) {
        int rc = wal_io_error(err, "cannot rotate log", w->path);
        free(old);
        return rc;
    }
    char *cur = w->path;
    w->path = old;
    if (wal_open_path(cur, w->db_uuid, false, false, w->sync, fresh, err) != 0 ||
        wal_fsync_dir(db_path) != 0) {
        /* Put the log back where it was: commits continue in it. */
        char *back = wal_name(db_path, ".wal");
        if (*fresh) {
            wal_close(*fresh);
            *fresh = NULL;
        }
        if (back && rename(w->path, back) == 0) {
            free(w->path);
            w->path = back;
        } else {
            free(back);
        }
        return err->code ? -1 : wal_io_error(err, "cannot sync the folder of", db_path);
    }
    return 0;
}

int wal_remove(wal_log *w, eng_error *err)
{
    if (unlink(w->path) != 0 && errno != ENOENT)
        return wal_io_error(err, "cannot remove", w->path);
    __atomic_store_n(&w->read_only, true, __ATOMIC_RELAXED); /* nothing to trim at close */
    return wal_fsync_dir(w->path) == 0 ? 0
                                       : wal_io_error(err, "cannot sync the folder of", w->path);
}

void wal_ref(wal_log *w)
{
    __atomic_add_fetch(&w->refs, 1, __ATOMIC_RELAXED);
}

void wal_close(wal_log *w)
{
    if (!w || __atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    if (w->fd >= 0 && !w->read_only && w->allocated > w->rec_end &&
        !__atomic_load_n(&w->broken, __ATOMIC_ACQUIRE)) {
        if (ftruncate(w->fd, (off_t)w->rec_end) == 0)
            fdatasync(w->fd); /* a trim only; the records were synced at commit */
    }
    if (w->dfd >= 0)
        close(w->dfd);
    free(w->run);
    if (w->fd >= 0)
        close(w->fd);
    pthread_mutex_destroy(&w->sync_lock);
    pthread_cond_destroy(&w->sync_cond);
    pthread_cond_destroy(&w->gather_cond);
    free(w->path);
    free(w);
}

uint64_t wal_size(const wal_log *w)
{
    return __atomic_load_n(&w->end, __ATOMIC_ACQUIRE);
}

bool wal_empty(const wal_log *w)
{
    /* (Queued records are read without the lock: callers hold the commit lock, which
     * wal_append needs, and want to know of records committed before.) */
    return wal_size(w) <= w->start && !__atomic_load_n(&w->pending, __ATOMIC_ACQUIRE);
}

bool wal_broken(const wal_log *w)
{
    return __atomic_load_n(&w->broken, __ATOMIC_ACQUIRE);
}

static int wal_read_all(wal_log *w, unsigned char **out, size_t *size, eng_error *err)
{
    struct stat st;
    if (fstat(w->fd, &st) != 0)
        return wal_io_error(err, "cannot stat log", w->path);
    *size = (size_t)st.st_size;
    *out = malloc(*size ? *size : 1);
    if (!*out)
        return err_set(err, ENG_E_NOMEM, "out of memory reading log %s (%zu bytes)", w->path,
                       *size);
    size_t got = 0;
    while (got < *size) {
        ssize_t n = pread(w->fd, *out + got, *size - got, (off_t)got);
        if (n <= 0) {
            free(*out);
            return wal_io_error(err, "cannot read log", w->path);
        }
        got += (size_t)n;
    }
    return 0;
}

int wal_replay(wal_log *w, wal_apply_fn apply, void *ctx, uint64_t after, uint64_t *last_ts,
               eng_error *err)
{
    /* *last_ts is the caller's: replaying two logs accumulates it. */
    if (w->fd < 0)
        return 0;
    unsigned char *buf = NULL;
    size_t size = 0;
    if (wal_read_all(w, &buf, &size, err) != 0)
        return -1;
    /* Records run from w->start with strictly increasing timestamps; in an aligned log, a
     * record marked as a run's end is followed by zeros up to the next aligned offset.
     * Anything else (zeros of the preallocated tail, a torn record, an older record left
     * behind a cut) ends the log. */
    uint64_t off = w->start, good_end = w->start, prev_ts = 0;
    int rc = 0;
    while (off < size && size - off >= WAL_RECORD_HEADER) {
        const unsigned char *h = buf + off;
        if (bb_get32(h + 16) != crc32c(0, h, 16))
            break;
        uint32_t word = bb_get32(h), len = w->align > 1 ? word & ~WAL_RUN_END : word;
        if (len > size - off - WAL_RECORD_HEADER)
            break;
        const unsigned char *payload = h + WAL_RECORD_HEADER;
        uint64_t ts = bb_get64(h + 8);
        if (bb_get32(h + 4) != crc32c(0, payload, len) || ts <= prev_ts)
            break;
        if (ts > after && (rc = apply(ctx, ts, payload, len, err)) != 0)
            break;
        if (ts > *last_ts)
            *last_ts = ts;
        prev_ts = ts;
        good_end = off + WAL_RECORD_HEADER + len;
        off = w->align > 1 && (word & WAL_RUN_END) ? wal_round(good_end, w->align) : good_end;
    }
    free(buf);
    w->end = off;
    w->rec_end = good_end;
    w->synced = off;
    w->allocated = size;
    if (rc == 0 && good_end < size && !w->read_only) {
        /* A torn tail from a crash mid-write: cut it so new records follow good ones. */
        if (ftruncate(w->fd, (off_t)good_end) != 0 || fdatasync(w->fd) != 0)
            return wal_io_error(err, "cannot cut the torn tail of log", w->path);
        w->allocated = good_end;
    }
    return rc;
}
