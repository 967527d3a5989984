/*
 * Log record payload encoding (docs/file-format.md, "Log records"):
 *   u32 op count, then per op a u8 kind:
 *   1 CREATE  u64 table id, str name, u32 columns, per column: str name, u8 type,
 *             u32 width, u8 not-null, u8 has-default [, value]; then u32 keys, per key:
 *             u8 primary, u32 columns, u32 column index each
 *   2 DROP    u64 table id
 *   3 INSERT  u64 table id, u64 first position, u64 rows, then per column: one null byte
 *             per row, then the values of the non-NULL rows (fixed-width little-endian,
 *             strings as u32 length + bytes)
 *   4 DELETE  u64 table id, u64 rows, u64 position each
 * Positions are physical (row numbers in the table), so replay puts every row where it
 * was: later records can refer to them, and rows of transactions that rolled back leave
 * gaps that stay dead.
 * Strings (str) are u32 length + bytes. Any inconsistency found on replay is corruption:
 * the record passed its checksum, so it was written wrong, not torn.
 */
#include "logrec.h"

#include "errors.h"

#include <stdlib.h>
#include <string.h>

enum { LOG_CREATE = 1, LOG_DROP = 2, LOG_INSERT = 3, LOG_DELETE = 4 };

void logrec_put_value(bytebuf *b, eng_type_id type, const eng_value *v)
{
    switch (type) {
    case ENG_TYPE_BOOLEAN:
        bb_put_u8(b, v->u.b);
        break;
    case ENG_TYPE_SMALLINT:
        bb_put_u8(b, (uint8_t)((uint16_t)v->u.i & 0xFF));
        bb_put_u8(b, (uint8_t)((uint16_t)v->u.i >> 8));
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        bb_put_u32(b, (uint32_t)(int32_t)v->u.i);
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        bb_put_u64(b, (uint64_t)v->u.i);
        break;
    case ENG_TYPE_DECIMAL:
        bb_put_u64(b, v->u.dec.lo);
        bb_put_u64(b, (uint64_t)v->u.dec.hi);
        break;
    case ENG_TYPE_INTERVAL:
        bb_put_u32(b, (uint32_t)v->u.iv.months);
        bb_put_u32(b, (uint32_t)v->u.iv.days);
        bb_put_u64(b, (uint64_t)v->u.iv.micros);
        break;
    case ENG_TYPE_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &v->u.d, sizeof bits);
        bb_put_u64(b, bits);
        break;
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        bb_put_str(b, v->u.s.ptr, v->u.s.len);
        break;
    case ENG_TYPE_NULL:
        break;
    }
}

/* Reads a non-NULL value of `type`; strings point into the record. */
void logrec_get_value(bytereader *r, eng_type_id type, eng_value *v)
{
    memset(v, 0, sizeof *v);
    v->type = type;
    switch (type) {
    case ENG_TYPE_BOOLEAN:
        v->u.b = br_u8(r) != 0;
        break;
    case ENG_TYPE_SMALLINT: {
        uint16_t lo = br_u8(r), hi = br_u8(r);
        v->u.i = (int16_t)(uint16_t)(lo | hi << 8);
        break;
    }
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        v->u.i = (int32_t)br_u32(r);
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        v->u.i = (int64_t)br_u64(r);
        break;
    case ENG_TYPE_DECIMAL:
        v->u.dec.lo = br_u64(r);
        v->u.dec.hi = (int64_t)br_u64(r);
        break;
    case ENG_TYPE_INTERVAL:
        v->u.iv.months = (int32_t)br_u32(r);
        v->u.iv.days = (int32_t)br_u32(r);
        v->u.iv.micros = (int64_t)br_u64(r);
        break;
    case ENG_TYPE_DOUBLE: {
        uint64_t bits = br_u64(r);
        memcpy(&v->u.d, &bits, sizeof bits);
        break;
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB: {
        uint32_t len;
        const char *p = br_str(r, &len);
        v->u.s.ptr = p;
        v->u.s.len = len;
        break;
    }
    case ENG_TYPE_NULL:
        v->is_null = true;
        break;
    }
}

static void logrec_encode_create(const tbl_table *tb, bytebuf *b)
{
    bb_put_u8(b, LOG_CREATE);
    logrec_put_table_def(tb, b);
}

void logrec_put_table_def(const tbl_table *tb, bytebuf *b)
{
    bb_put_u64(b, tb->id);
    bb_put_str(b, tb->name, (uint32_t)strlen(tb->name));
    bb_put_u32(b, tb->ncols);
    for (uint32_t c = 0; c < tb->ncols; c++) {
        bb_put_str(b, tb->cols[c].name, (uint32_t)strlen(tb->cols[c].name));
        bb_put_u8(b, (uint8_t)tb->cols[c].type.id);
        bb_put_u32(b, tb->cols[c].type.width);
        bb_put_u8(b, tb->cols[c].not_null);
        const tbl_column *col = &tb->cols[c];
        bool has = col->has_default && !col->default_value.is_null;
        bb_put_u8(b, col->has_default ? (has ? 2 : 1) : 0); /* 1: DEFAULT NULL */
        if (has)
            logrec_put_value(b, col->type.id, &col->default_value);
    }
    bb_put_u32(b, tb->nkeys);
    for (uint32_t k = 0; k < tb->nkeys; k++) {
        bb_put_u8(b, tb->keys[k].primary);
        bb_put_u32(b, tb->keys[k].ncols);
        for (uint32_t i = 0; i < tb->keys[k].ncols; i++)
            bb_put_u32(b, tb->keys[k].cols[i]);
    }
}

static void logrec_encode_insert(const tbl_table *tb, uint64_t first, uint64_t count, bytebuf *b)
{
    bb_put_u8(b, LOG_INSERT);
    bb_put_u64(b, tb->id);
    bb_put_u64(b, first);
    bb_put_u64(b, count);
    for (uint32_t c = 0; c < tb->ncols; c++) {
        for (uint64_t r = first; r < first + count; r++) {
            const tbl_segment *s = tbl_segment_at(tb, r / TBL_SEG_ROWS);
            bb_put_u8(b, s->nulls[c][r % TBL_SEG_ROWS]);
        }
        for (uint64_t r = first; r < first + count; r++) {
            const tbl_segment *s = tbl_segment_at(tb, r / TBL_SEG_ROWS);
            uint32_t i = (uint32_t)(r % TBL_SEG_ROWS);
            if (s->nulls[c][i])
                continue;
            eng_value v;
            tbl_get(tb, r, c, &v);
            logrec_put_value(b, tb->cols[c].type.id, &v);
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
        case TXOP_DELETE:
            bb_put_u8(b, LOG_DELETE);
            bb_put_u64(b, op->table->id);
            bb_put_u64(b, op->count);
            for (uint64_t r = 0; r < op->count; r++)
                bb_put_u64(b, op->rows[r]);
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

int logrec_restore_table_def(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err)
{
    uint64_t id = br_u64(r);
    uint32_t nlen;
    const char *name = br_str(r, &nlen);
    uint32_t ncols = br_u32(r);
    if (r->bad || ncols == 0 || ncols > r->left)
        return logrec_corrupt(err, "table definition");
    tbl_column *cols = calloc(ncols, sizeof *cols);
    tbl_key *keys = NULL;
    uint32_t nkeys = 0;
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
        uint8_t has_default = br_u8(r);
        cols[c].has_default = has_default != 0;
        cols[c].default_value = (eng_value){.type = cols[c].type.id, .is_null = true};
        if (has_default == 2)
            logrec_get_value(r, cols[c].type.id, &cols[c].default_value);
        if (cols[c].type.id == ENG_TYPE_DECIMAL)
            cols[c].default_value.scale = (uint8_t)ENG_DECIMAL_SCALE(cols[c].type);
        if (r->bad || cols[c].type.id < ENG_TYPE_BOOLEAN || cols[c].type.id > ENG_TYPE_BLOB)
            rc = logrec_corrupt(err, "column definition");
        else if (!(cols[c].name = strndup(cname, len)))
            rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
    }
    nkeys = rc == 0 ? br_u32(r) : 0;
    if (rc == 0 && (r->bad || nkeys > ncols + 1u))
        rc = logrec_corrupt(err, "key definition");
    if (rc == 0 && nkeys && !(keys = calloc(nkeys, sizeof *keys)))
        rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
    for (uint32_t k = 0; k < nkeys && rc == 0; k++) {
        keys[k].primary = br_u8(r) != 0;
        keys[k].ncols = br_u32(r);
        if (r->bad || keys[k].ncols == 0 || keys[k].ncols > ncols ||
            !(keys[k].cols = calloc(keys[k].ncols, sizeof *keys[k].cols))) {
            rc = logrec_corrupt(err, "key definition");
            break;
        }
        for (uint32_t i = 0; i < keys[k].ncols; i++)
            if ((keys[k].cols[i] = br_u32(r)) >= ncols)
                rc = logrec_corrupt(err, "key column");
    }
    if (rc == 0 && r->bad)
        rc = logrec_corrupt(err, "table definition");
    if (rc == 0)
        rc = cat_restore_table(cat, id, tname, ncols, cols, nkeys, keys, ts, err);
out:
    for (uint32_t c = 0; cols && c < ncols; c++)
        free(cols[c].name);
    for (uint32_t k = 0; keys && k < nkeys; k++)
        free(keys[k].cols);
    free(keys);
    free(cols);
    free(tname);
    return rc;
}

int logrec_extend(tbl_table *tb, uint64_t end, eng_error *err)
{
    uint64_t n = tbl_row_count(tb);
    if (end <= n)
        return 0;
    uint64_t first;
    if (tbl_append_reserve(tb, end - n, &first, err) != 0)
        return -1;
    tbl_append_publish(tb, end);
    return 0;
}

static int logrec_apply_insert(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err)
{
    uint64_t id = br_u64(r);
    uint64_t first = br_u64(r);
    uint64_t count = br_u64(r);
    tbl_table *tb = cat_find_by_id(cat, id);
    if (r->bad || !tb || count > r->left || first > TBL_MAX_ROWS - count)
        return logrec_corrupt(err, "insert into an unknown table");
    pthread_mutex_lock(&tb->append_lock);
    int rc = logrec_extend(tb, first + count, err);
    for (uint32_t c = 0; c < tb->ncols && rc == 0; c++) {
        eng_type_id type = tb->cols[c].type.id;
        const uint8_t *nulls = br_bytes(r, count);
        for (uint64_t i = 0; nulls && i < count && rc == 0; i++) {
            eng_value v = {.type = type, .is_null = nulls[i] != 0};
            if (!v.is_null) {
                logrec_get_value(r, type, &v);
                if ((type == ENG_TYPE_VARCHAR || type == ENG_TYPE_BLOB) && v.u.s.ptr &&
                    !(v.u.s.ptr = tbl_heap_copy(tb, v.u.s.ptr, v.u.s.len)))
                    rc = err_set(err, ENG_E_NOMEM, "out of memory replaying the log");
            }
            if (r->bad)
                break;
            tbl_store(tb, first + i, c, &v);
        }
        if (r->bad && rc == 0)
            rc = logrec_corrupt(err, "row data");
    }
    if (rc == 0)
        tbl_set_ins_range(tb, first, count, ts);
    pthread_mutex_unlock(&tb->append_lock);
    return rc;
}

static int logrec_apply_delete(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err)
{
    tbl_table *tb = cat_find_by_id(cat, br_u64(r));
    uint64_t count = br_u64(r);
    if (r->bad || !tb || count > r->left / 8)
        return logrec_corrupt(err, "delete in an unknown table");
    uint64_t n = tbl_row_count(tb);
    for (uint64_t i = 0; i < count; i++) {
        uint64_t row = br_u64(r);
        if (row >= n)
            return logrec_corrupt(err, "delete of a row that does not exist");
        tbl_set_del(tb, row, ts);
    }
    return 0;
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
            rc = logrec_restore_table_def(cat, ts, &r, err);
        } else if (kind == LOG_DROP) {
            tbl_table *tb = cat_find_by_id(cat, br_u64(&r));
            if (!tb)
                return logrec_corrupt(err, "drop of an unknown table");
            __atomic_store_n(&tb->dropped, ts, __ATOMIC_RELEASE);
            rc = 0;
        } else if (kind == LOG_INSERT) {
            rc = logrec_apply_insert(cat, ts, &r, err);
        } else if (kind == LOG_DELETE) {
            rc = logrec_apply_delete(cat, ts, &r, err);
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
