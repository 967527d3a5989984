/*
 * Checkpoint image encoding. On disk the image is a sequence of blocks of at most
 * CKPT_BLOCK bytes: u32 payload length, u32 CRC-32C of the payload, payload. The payloads
 * joined form the logical image:
 *   u32 magic "EIM1", u64 checkpoint timestamp, u64 next table id, u32 tables, then per
 *   table: its definition (as in a CREATE log record), u64 row positions in use, u32
 *   segments, and per segment with rows visible to the snapshot: u64 segment index,
 *   u32 rows, u16 offset of each row in the segment, then per column one null byte per row
 *   and the values of the non-NULL rows (as in an INSERT log record).
 * A block that fails its checksum makes the whole file refused as corrupt: a checkpoint is
 * only ever read whole.
 */
#include "ckpt.h"

#include "bytebuf.h"
#include "crc32c.h"
#include "errors.h"
#include "logrec.h"
#include "txn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CKPT_MAGIC   0x314d4945u /* "EIM1" */
#define CKPT_PAYLOAD (CKPT_BLOCK - 8)

typedef struct ckpt_writer {
    int fd;
    uint64_t start, at, limit;
    bytebuf buf;
    bool over_limit;
    int error; /* errno of a failed write */
} ckpt_writer;

/* Writes out full blocks of the buffer (all of it when `all`). */
static void ckpt_flush(ckpt_writer *w, bool all)
{
    size_t done = 0;
    while (!w->error && !w->over_limit &&
           (w->buf.len - done >= CKPT_PAYLOAD || (all && w->buf.len > done))) {
        size_t n = w->buf.len - done < CKPT_PAYLOAD ? w->buf.len - done : CKPT_PAYLOAD;
        if (w->limit && w->at + 8 + n > w->limit) {
            w->over_limit = true;
            break;
        }
        unsigned char head[8];
        bb_le32(head, (uint32_t)n);
        bb_le32(head + 4, crc32c(0, w->buf.data + done, n));
        if (pwrite(w->fd, head, 8, (off_t)w->at) != 8 ||
            pwrite(w->fd, w->buf.data + done, n, (off_t)(w->at + 8)) != (ssize_t)n) {
            w->error = errno ? errno : EIO;
            break;
        }
        w->at += 8 + n;
        done += n;
    }
    if (done) {
        memmove(w->buf.data, w->buf.data + done, w->buf.len - done);
        w->buf.len -= done;
    }
}

static void ckpt_put_table(ckpt_writer *w, tbl_table *tb, const txn *snap)
{
    bytebuf *b = &w->buf;
    logrec_put_table_def(tb, b);
    uint64_t nrows = tbl_row_count(tb);
    uint64_t nsegs = (nrows + TBL_SEG_ROWS - 1) / TBL_SEG_ROWS;
    bb_put_u64(b, nrows);
    /* Blocks may be flushed while the table is written, so the segment count that comes
     * first is counted in a pass of its own. */
    uint32_t present_segs = 0;
    for (uint64_t si = 0; si < nsegs; si++) {
        const tbl_segment *s = tbl_segment_at(tb, si);
        uint32_t count = s ? __atomic_load_n(&s->count, __ATOMIC_ACQUIRE) : 0;
        for (uint32_t r = 0; r < count; r++) {
            if (txn_segment_row_visible(s, r, snap)) {
                present_segs++;
                break;
            }
        }
    }
    bb_put_u32(b, present_segs);
    uint16_t offsets[TBL_SEG_ROWS];
    for (uint64_t si = 0; si < nsegs && present_segs; si++) {
        const tbl_segment *s = tbl_segment_at(tb, si);
        uint32_t count = s ? __atomic_load_n(&s->count, __ATOMIC_ACQUIRE) : 0;
        uint32_t n = 0;
        for (uint32_t r = 0; r < count; r++)
            if (txn_segment_row_visible(s, r, snap))
                offsets[n++] = (uint16_t)r;
        if (n == 0)
            continue;
        present_segs--;
        bb_put_u64(b, si);
        bb_put_u32(b, n);
        for (uint32_t i = 0; i < n; i++) {
            unsigned char o[2] = {(unsigned char)offsets[i], (unsigned char)(offsets[i] >> 8)};
            bb_put(b, o, 2);
        }
        for (uint32_t c = 0; c < tb->ncols; c++) {
            for (uint32_t i = 0; i < n; i++)
                bb_put_u8(b, s->nulls[c][offsets[i]]);
            for (uint32_t i = 0; i < n; i++) {
                if (s->nulls[c][offsets[i]])
                    continue;
                eng_value v;
                tbl_get(tb, si * TBL_SEG_ROWS + offsets[i], c, &v);
                logrec_put_value(b, tb->cols[c].type.id, &v);
            }
        }
        ckpt_flush(w, false);
    }
}

typedef struct ckpt_tables {
    tbl_table **items;
    uint32_t n, cap;
    uint64_t ts;
    bool oom;
} ckpt_tables;

/* Collects (with a reference) the tables the snapshot sees. */
static void ckpt_collect(tbl_table *tb, void *ctx)
{
    ckpt_tables *list = ctx;
    txn snap = {.start = list->ts};
    if (!cat_table_visible(tb, &snap))
        return;
    if (list->n == list->cap) {
        uint32_t cap = list->cap ? list->cap * 2 : 16;
        tbl_table **items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            list->oom = true;
            return;
        }
        list->items = items;
        list->cap = cap;
    }
    tbl_ref(tb);
    list->items[list->n++] = tb;
}

int ckpt_write(int fd, const char *path, cat_catalog *cat, uint64_t ts, uint64_t offset,
               uint64_t limit, uint64_t *bytes, eng_error *err)
{
    ckpt_tables list = {.ts = ts};
    cat_for_each(cat, ckpt_collect, &list);
    ckpt_writer w = {.fd = fd, .start = offset, .at = offset, .limit = limit};
    bb_init(&w.buf);
    bb_put_u32(&w.buf, CKPT_MAGIC);
    bb_put_u64(&w.buf, ts);
    pthread_mutex_lock(&cat->lock);
    bb_put_u64(&w.buf, cat->next_id);
    pthread_mutex_unlock(&cat->lock);
    bb_put_u32(&w.buf, list.n);
    txn snap = {.start = ts};
    for (uint32_t i = 0; i < list.n && !list.oom; i++)
        ckpt_put_table(&w, list.items[i], &snap);
    ckpt_flush(&w, true);
    for (uint32_t i = 0; i < list.n; i++)
        tbl_unref(list.items[i]);
    free(list.items);
    bool oom = list.oom || w.buf.oom;
    bb_free(&w.buf);
    if (oom)
        return err_set(err, ENG_E_NOMEM, "out of memory writing a checkpoint of %s", path);
    if (w.error) {
        errno = w.error;
        return err_set(err, (w.error == ENOSPC || w.error == EFBIG) ? ENG_E_DISK_FULL : ENG_E_IO,
                       "cannot write the checkpoint of %s: %s", path, strerror(w.error));
    }
    if (w.over_limit)
        return 1;
    *bytes = w.at - w.start;
    return 0;
}

static int ckpt_corrupt(eng_error *err, const char *path, const char *what, uint64_t where)
{
    return err_set(err, ENG_E_CORRUPT,
                   "database file %s is corrupt: %s (offset %llu); restore it from a backup", path,
                   what, (unsigned long long)where);
}

/* Reads and checks every block; returns the joined payloads (malloc'd). */
static unsigned char *ckpt_read(int fd, const char *path, const dbf_header *h, size_t *len,
                                eng_error *err)
{
    unsigned char *out = malloc(h->image_bytes ? h->image_bytes : 1);
    if (!out) {
        err_set(err, ENG_E_NOMEM, "out of memory loading %s", path);
        return NULL;
    }
    size_t n = 0;
    uint64_t at = h->image_offset, end = h->image_offset + h->image_bytes;
    while (at < end) {
        unsigned char head[8];
        if (end - at < 8 || pread(fd, head, 8, (off_t)at) != 8) {
            ckpt_corrupt(err, path, "checkpoint block header is missing", at);
            free(out);
            return NULL;
        }
        uint32_t blen = bb_get32(head);
        if (blen > CKPT_PAYLOAD || blen > end - at - 8 ||
            pread(fd, out + n, blen, (off_t)(at + 8)) != (ssize_t)blen) {
            ckpt_corrupt(err, path, "checkpoint block is truncated", at);
            free(out);
            return NULL;
        }
        if (crc32c(0, out + n, blen) != bb_get32(head + 4)) {
            ckpt_corrupt(err, path, "checkpoint block fails its checksum", at);
            free(out);
            return NULL;
        }
        n += blen;
        at += 8 + blen;
    }
    *len = n;
    return out;
}

/* 0, or -1 when the segment is malformed, or -2 out of memory (err set). */
static int ckpt_load_segment(tbl_table *tb, uint64_t ts, bytereader *r, eng_error *err)
{
    uint64_t si = br_u64(r);
    uint32_t n = br_u32(r);
    if (r->bad || n == 0 || n > TBL_SEG_ROWS || si >= TBL_MAX_ROWS / TBL_SEG_ROWS)
        return -1;
    uint16_t offsets[TBL_SEG_ROWS];
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *o = br_bytes(r, 2);
        if (!o)
            return -1;
        offsets[i] = (uint16_t)(o[0] | o[1] << 8);
        if (offsets[i] >= TBL_SEG_ROWS || si * TBL_SEG_ROWS + offsets[i] >= tbl_row_count(tb))
            return -1;
    }
    for (uint32_t c = 0; c < tb->ncols; c++) {
        eng_type_id type = tb->cols[c].type.id;
        const uint8_t *nulls = br_bytes(r, n);
        for (uint32_t i = 0; nulls && i < n; i++) {
            eng_value v = {.type = type, .is_null = nulls[i] != 0};
            if (!v.is_null) {
                logrec_get_value(r, type, &v);
                if (r->bad)
                    return -1;
                if ((type == ENG_TYPE_VARCHAR || type == ENG_TYPE_BLOB) && v.u.s.len &&
                    !(v.u.s.ptr = tbl_heap_copy(tb, v.u.s.ptr, v.u.s.len))) {
                    err_set(err, ENG_E_NOMEM, "out of memory loading a checkpoint");
                    return -2;
                }
            }
            tbl_store(tb, si * TBL_SEG_ROWS + offsets[i], c, &v);
        }
        if (r->bad)
            return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        tbl_set_ins(tb, si * TBL_SEG_ROWS + offsets[i], ts);
    return 0;
}

int ckpt_load(int fd, const char *path, const dbf_header *h, cat_catalog *cat, eng_error *err)
{
    if (!h->image_offset)
        return 0;
    size_t len;
    unsigned char *img = ckpt_read(fd, path, h, &len, err);
    if (!img)
        return -1;
    bytereader r = {img, len, false};
    int rc = 0;
    uint32_t magic = br_u32(&r);
    uint64_t ts = br_u64(&r);
    uint64_t next_id = br_u64(&r);
    uint32_t ntables = br_u32(&r);
    if (r.bad || magic != CKPT_MAGIC || ts != h->checkpoint_ts)
        rc = ckpt_corrupt(err, path, "checkpoint image has a bad heading", h->image_offset);
    for (uint32_t t = 0; t < ntables && rc == 0; t++) {
        bytereader peek = r;
        uint64_t id = br_u64(&peek);
        if ((rc = logrec_restore_table_def(cat, ts, &r, err)) != 0)
            break;
        tbl_table *tb = cat_find_by_id(cat, id);
        uint64_t nrows = br_u64(&r);
        uint32_t nsegs = br_u32(&r);
        if (!tb || r.bad || nrows > TBL_MAX_ROWS || logrec_extend(tb, nrows, err) != 0) {
            rc = rc ? rc : ckpt_corrupt(err, path, "checkpoint table is malformed", 0);
            break;
        }
        for (uint32_t s = 0; s < nsegs && rc == 0; s++) {
            int seg = ckpt_load_segment(tb, ts, &r, err);
            if (seg == -1)
                rc = ckpt_corrupt(err, path, "checkpoint segment is malformed", 0);
            else if (seg == -2)
                rc = -1;
        }
    }
    if (rc == 0 && (r.bad || r.left != 0))
        rc = ckpt_corrupt(err, path, "checkpoint image has trailing bytes", h->image_offset);
    if (rc == 0) {
        pthread_mutex_lock(&cat->lock);
        if (next_id > cat->next_id)
            cat->next_id = next_id;
        pthread_mutex_unlock(&cat->lock);
    }
    free(img);
    return rc;
}
