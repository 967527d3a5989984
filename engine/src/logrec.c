/*
 * Log record payload encoding (docs/file-format.md, "Log records"):
 *   u32 op count, then per op a u8 kind:
 *   1 CREATE  u64 table id, str name, u32 columns, per column: str name, u8 type,
 *             u32 width, u8 not-null
 *   2 DROP    u64 table id
 *   3 INSERT  u64 table id, u64 rows, then per column: one null byte per row, then the
 *             values of the non-NULL rows (fixed-width little-endian, strings as u32
 *             length + bytes)
 * Strings (str) are u32 length + bytes. Any inconsistency found on replay is corruption:
 * the record passed its checksum, so it was written wrong, not torn.
 */
#include "logrec.h"

#include "errors.h"

#include <stdlib.h>
#include <string.h>

enum { LOG_CREATE = 1, LOG_DROP = 2, LOG_INSERT = 3 };

static void logrec_encode_create(const tbl_table *tb, bytebuf *b)
{
    bb_put_u8(b, LOG_CREATE);
    bb_put_u64(b, tb->id);
    bb_put_str(b, tb->name, (uint32_t)strlen(tb->name));
    bb_put_u32(b, tb->ncols);
    for (uint32_t c = 0; c < tb->ncols; c++) {
        bb_put_str(b, tb->cols[c].name, (uint32_t)strlen(tb->cols[c].name));
        bb_put_u8(b, (uint8_t)tb->cols[c].type.id);
        bb_put_u32(b, tb->cols[c].type.width);
        bb_put_u8(b, tb->cols[c].not_null);
    }
}

static void logrec_encode_insert(const tbl_table *tb, uint64_t first, uint64_t count, bytebuf *b)
{
    bb_put_u8(b, LOG_INSERT);
    bb_put_u64(b, tb->id);
    bb_put_u64(b, count);
    for (uint32_t c = 0; c < tb->ncols; c++) {
        size_t w = tbl_type_width(tb->cols[c].type.id);
        bool is_str = tb->cols[c].type.id == ENG_TYPE_VARCHAR;
        for (uint64_t r = first; r < first + count; r++) {
            const tbl_segment *s = tbl_segment_at(tb, r / TBL_SEG_ROWS);
            bb_put_u8(b, s->nulls[c][r % TBL_SEG_ROWS]);
        }
        for (uint64_t r = first; r < first + count; r++) {
            const tbl_segment *s = tbl_segment_at(tb, r / TBL_SEG_ROWS);
            uint32_t i = (uint32_t)(r % TBL_SEG_ROWS);
            if (s->nulls[c][i])
                continue;
            const char *d = (const char *)s->data[c] + i * w;
            if (is_str) {
                const eng_str *str = (const eng_str *)d;
                bb_put_str(b, str->ptr, str->len);
            } else {
                bb_put(b, d, w);
            }
        }
    }
}

int logrec_encode(const txn *t, bytebuf *b, eng_error *err)
{
    bb_put_u32(b, t->nops);
    for (uint32_t i = 0; i < t->nops; i++) {
        const txn_op *op = &t->ops[i];
        switch (op->kind) {
        case TXOP_CREATE:
            logrec_encode_create(op->table, b);
            break;
        case TXOP_DROP:
            bb_put_u8(b, LOG_DROP);
            bb_put_u64(b, op->table->id);
            break;
        case TXOP_INSERT:
            logrec_encode_insert(op->table, op->first, op->count, b);
            break;
        }
    }
    if (b->oom)
        return err_set(err, ENG_E_NOMEM, "out of memory writing the log record of a commit");
    return 0;
}

static int logrec_corrupt(eng_error *err, const char *what)
{
    return err_set(err, ENG_E_CORRUPT, "log record is malformed (%s); the log is damaged", what);
}

static int logrec_apply_create(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err)
{
    uint64_t id = br_u64(r);
    uint32_t nlen;
    const char *name = br_str(r, &nlen);
    uint32_t ncols = br_u32(r);
    if (r->bad || ncols == 0 || ncols > r->left)
        return logrec_corrupt(err, "table definition");
    tbl_column *cols = calloc(ncols, sizeof *cols);
    char *tname = name ? strndup(name, nlen) : NULL;
    int rc = 0;
    if (!cols || !tname) {
        rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
        goto out;
    }
    for (uint32_t c = 0; c < ncols && rc == 0; c++) {
        uint32_t len;
        const char *cname = br_str(r, &len);
        cols[c].type.id = (eng_type_id)br_u8(r);
        cols[c].type.width = br_u32(r);
        cols[c].not_null = br_u8(r) != 0;
        if (r->bad || cols[c].type.id < ENG_TYPE_BOOLEAN || cols[c].type.id > ENG_TYPE_VARCHAR)
            rc = logrec_corrupt(err, "column definition");
        else if (!(cols[c].name = strndup(cname, len)))
            rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
    }
    if (rc == 0)
        rc = cat_restore_table(cat, id, tname, ncols, cols, ts, err);
out:
    for (uint32_t c = 0; cols && c < ncols; c++)
        free(cols[c].name);
    free(cols);
    free(tname);
    return rc;
}

static int logrec_apply_insert(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err)
{
    uint64_t id = br_u64(r);
    uint64_t count = br_u64(r);
    tbl_table *tb = cat_find_by_id(cat, id);
    if (r->bad || !tb || count > r->left)
        return logrec_corrupt(err, "insert into an unknown table");
    pthread_mutex_lock(&tb->append_lock);
    uint64_t first;
    int rc = tbl_append_reserve(tb, count, &first, err);
    for (uint32_t c = 0; c < tb->ncols && rc == 0; c++) {
        eng_type_id type = tb->cols[c].type.id;
        size_t w = tbl_type_width(type);
        const uint8_t *nulls = br_bytes(r, count);
        for (uint64_t i = 0; nulls && i < count && rc == 0; i++) {
            eng_value v = {.type = type, .is_null = nulls[i] != 0};
            if (!v.is_null) {
                if (type == ENG_TYPE_VARCHAR) {
                    uint32_t len;
                    const char *s = br_str(r, &len);
                    v.u.s.ptr = s ? tbl_heap_copy(tb, s, len) : NULL;
                    v.u.s.len = len;
                    if (s && !v.u.s.ptr)
                        rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
                } else {
                    const void *d = br_bytes(r, w);
                    if (d && type == ENG_TYPE_BOOLEAN)
                        v.u.b = *(const uint8_t *)d;
                    else if (d && type == ENG_TYPE_INTEGER)
                        v.u.i = (int32_t)bb_get32(d);
                    else if (d && type == ENG_TYPE_BIGINT)
                        v.u.i = (int64_t)bb_get64(d);
                    else if (d)
                        memcpy(&v.u.d, d, sizeof v.u.d);
                }
            }
            if (r->bad)
                break;
            tbl_store(tb, first + i, c, &v);
        }
        if (r->bad && rc == 0)
            rc = logrec_corrupt(err, "row data");
    }
    if (rc == 0) {
        for (uint64_t i = 0; i < count; i++)
            tbl_set_ins(tb, first + i, ts);
        tbl_append_publish(tb, first + count);
    }
    pthread_mutex_unlock(&tb->append_lock);
    return rc;
}

int logrec_apply(cat_catalog *cat, uint64_t ts, const unsigned char *payload, size_t len,
                 eng_error *err)
{
    bytereader r = {payload, len, false};
    uint32_t nops = br_u32(&r);
    for (uint32_t i = 0; i < nops; i++) {
        uint8_t kind = br_u8(&r);
        int rc;
        if (kind == LOG_CREATE) {
            rc = logrec_apply_create(cat, ts, &r, err);
        } else if (kind == LOG_DROP) {
            tbl_table *tb = cat_find_by_id(cat, br_u64(&r));
            if (!tb)
                return logrec_corrupt(err, "drop of an unknown table");
            __atomic_store_n(&tb->dropped, ts, __ATOMIC_RELEASE);
            rc = 0;
        } else if (kind == LOG_INSERT) {
            rc = logrec_apply_insert(cat, ts, &r, err);
        } else {
            return logrec_corrupt(err, "unknown operation");
        }
        if (rc != 0)
            return rc;
    }
    if (r.bad || r.left != 0)
        return logrec_corrupt(err, "length");
    return 0;
}
