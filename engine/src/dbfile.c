/*
 * Database file header, owner block and locking.
 *
 * Header slot layout (little-endian, one slot at offset 0 and one at 4096):
 *   0  8  magic "EIDERDB\0"      8  4  format version     12 4  slot size (4096)
 *   16 8  iteration             24 8  database uuid       32 8  checkpoint timestamp
 *   40 8  image offset          48 8  image bytes         56 4  reserved (zero)
 *   60 4  CRC-32C of bytes 0..59
 * The valid slot with the higher iteration is current. A new file gets both slots
 * (iteration 1 and 0) and is fsynced, with its folder, before it is used.
 */
#include "dbfile.h"

#include "crc32c.h"
#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char dbf_magic[8] = {'E', 'I', 'D', 'E', 'R', 'D', 'B', '\0'};

static void dbf_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void dbf_put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t dbf_get32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t dbf_get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void dbf_encode(const dbf_header *h, unsigned char *slot)
{
    memset(slot, 0, DBF_HEADER_SIZE);
    memcpy(slot, dbf_magic, 8);
    dbf_put32(slot + 8, DBF_FORMAT_VERSION);
    dbf_put32(slot + 12, DBF_HEADER_SIZE);
    dbf_put64(slot + 16, h->iteration);
    dbf_put64(slot + 24, h->db_uuid);
    dbf_put64(slot + 32, h->checkpoint_ts);
    dbf_put64(slot + 40, h->image_offset);
    dbf_put64(slot + 48, h->image_bytes);
    dbf_put32(slot + 60, crc32c(0, slot, 60));
}

/* 1: valid, 0: not a header (bad magic or checksum), -1: a newer format version. */
static int dbf_decode(const unsigned char *slot, dbf_header *h)
{
    if (memcmp(slot, dbf_magic, 8) != 0 || dbf_get32(slot + 60) != crc32c(0, slot, 60))
        return 0;
    if (dbf_get32(slot + 8) > DBF_FORMAT_VERSION)
        return -1;
    h->iteration = dbf_get64(slot + 16);
    h->db_uuid = dbf_get64(slot + 24);
    h->checkpoint_ts = dbf_get64(slot + 32);
    h->image_offset = dbf_get64(slot + 40);
    h->image_bytes = dbf_get64(slot + 48);
    return 1;
}

static int dbf_fsync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (dfd < 0)
        return -1;
    int rc = fsync(dfd);
    close(dfd);
    return rc;
}

static int dbf_initialize(dbf_file *f, const char *path, eng_error *err)
{
    dbf_header h = {.iteration = 1};
    if (RAND_bytes((unsigned char *)&h.db_uuid, sizeof h.db_uuid) != 1)
        return err_set(err, ENG_E_GENERAL, "cannot generate a database id for %s", path);
    unsigned char buf[2 * DBF_HEADER_SIZE + DBF_OWNER_SIZE];
    dbf_encode(&h, buf);
    dbf_header older = h;
    older.iteration = 0;
    dbf_encode(&older, buf + DBF_HEADER_SIZE);
    memset(buf + 2 * DBF_HEADER_SIZE, 0, DBF_OWNER_SIZE);
    if (pwrite(f->fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf || fdatasync(f->fd) != 0 ||
        dbf_fsync_dir(path) != 0)
        return err_set(err, (errno == ENOSPC || errno == EFBIG) ? ENG_E_DISK_FULL : ENG_E_IO,
                       "cannot initialize database file %s: %s", path, strerror(errno));
    f->header = h;
    return 0;
}

/* Explains who holds a lock we could not take. */
static int dbf_lock_refused(dbf_file *f, const char *path, bool read_only, eng_error *err)
{
    struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool writer = fcntl(f->fd, F_OFD_GETLK, &probe) == 0 && probe.l_type == F_WRLCK;
    if (!writer)
        return err_set(err, ENG_E_CONNECT,
                       "database %s is open read-only by another process; it cannot be opened "
                       "read-write until they close it (AccessMode=READ_ONLY can join them)",
                       path);
    char owner[DBF_OWNER_SIZE] = {0};
    ssize_t n = pread(f->fd, owner, sizeof owner - 1, DBF_OWNER_OFFSET);
    if (n <= 0 || owner[0] == '\0')
        snprintf(owner, sizeof owner, "another process");
    return err_set(err, ENG_E_CONNECT, "database %s is opened read-write by %s; %s", path, owner,
                   read_only ? "read-only opens must wait until it closes"
                             : "only one process may write a database (open it with "
                               "AccessMode=READ_ONLY, or close the other process)");
}

/* Records "pid N (program)" in the owner block so a refused opener can say who holds it. */
static void dbf_write_owner(dbf_file *f)
{
    char owner[DBF_OWNER_SIZE] = {0};
    char exe[256] = "unknown program";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0)
        exe[n] = '\0';
    snprintf(owner, sizeof owner, "pid %d (%s)", (int)getpid(), exe);
    if (pwrite(f->fd, owner, sizeof owner, DBF_OWNER_OFFSET) != (ssize_t)sizeof owner) {
        /* Only the refusal message of another opener is less precise; not an error. */
    }
}

int dbf_open(const char *path, bool read_only, dbf_file *out, eng_error *err)
{
    memset(out, 0, sizeof *out);
    out->read_only = read_only;
    out->fd = open(path, (read_only ? O_RDONLY : O_RDWR | O_CREAT) | O_CLOEXEC, 0644);
    if (out->fd < 0) {
        int e = errno;
        if (e == ENOENT && !read_only) {
            char *copy = strdup(path);
            err_set(err, ENG_E_CONNECT, "cannot create database %s: folder %s does not exist", path,
                    copy ? dirname(copy) : "?");
            free(copy);
            return -1;
        }
        return err_set(err, ENG_E_CONNECT, "cannot open database %s: %s", path, strerror(e));
    }
    struct flock fl = {.l_type = read_only ? F_RDLCK : F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(out->fd, F_OFD_SETLK, &fl) != 0) {
        int rc =
            errno == EAGAIN || errno == EACCES
                ? dbf_lock_refused(out, path, read_only, err)
                : err_set(err, ENG_E_CONNECT, "cannot lock database %s: %s", path, strerror(errno));
        dbf_close(out);
        return rc;
    }
    struct stat st;
    if (fstat(out->fd, &st) != 0) {
        err_set(err, ENG_E_IO, "cannot stat database %s: %s", path, strerror(errno));
        dbf_close(out);
        return -1;
    }
    if (st.st_size == 0 && !read_only) {
        if (dbf_initialize(out, path, err) != 0) {
            dbf_close(out);
            return -1;
        }
    } else {
        unsigned char slots[2 * DBF_HEADER_SIZE];
        ssize_t n = pread(out->fd, slots, sizeof slots, 0);
        dbf_header a = {0}, b = {0};
        int va = n >= DBF_HEADER_SIZE ? dbf_decode(slots, &a) : 0;
        int vb = n == (ssize_t)sizeof slots ? dbf_decode(slots + DBF_HEADER_SIZE, &b) : 0;
        if (va < 0 || vb < 0) {
            err_set(err, ENG_E_CONNECT,
                    "database %s was written by a newer version of Eider (file format > %d)", path,
                    DBF_FORMAT_VERSION);
            dbf_close(out);
            return -1;
        }
        if (!va && !vb) {
            err_set(err, ENG_E_CONNECT, "%s is not an Eider database (no valid header)", path);
            dbf_close(out);
            return -1;
        }
        out->header = va && (!vb || a.iteration >= b.iteration) ? a : b;
    }
    if (!read_only)
        dbf_write_owner(out);
    return 0;
}

void dbf_close(dbf_file *f)
{
    if (f->fd >= 0) {
        if (!f->read_only) {
            static const char none[DBF_OWNER_SIZE];
            if (pwrite(f->fd, none, sizeof none, DBF_OWNER_OFFSET) < 0) {
                /* The owner block is advisory; a stale one is overwritten by the next writer. */
            }
        }
        close(f->fd);
    }
    f->fd = -1;
}

int dbf_switch_header(dbf_file *f, const char *path, dbf_header h, eng_error *err)
{
    h.iteration = f->header.iteration + 1;
    unsigned char slot[DBF_HEADER_SIZE];
    dbf_encode(&h, slot);
    /* The current header stays intact: the new one goes to the other slot. */
    off_t where = (h.iteration % 2) ? 0 : DBF_HEADER_SIZE;
    if (pwrite(f->fd, slot, sizeof slot, where) != (ssize_t)sizeof slot || fdatasync(f->fd) != 0)
        return err_set(err, (errno == ENOSPC || errno == EFBIG) ? ENG_E_DISK_FULL : ENG_E_IO,
                       "cannot write the header of %s: %s", path, strerror(errno));
    f->header = h;
    return 0;
}
