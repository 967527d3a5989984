/*
 * Columnar table storage: segment directory, row appends, string heap and reference
 * counting. Stamps are read and written with __atomic builtins because readers scan them
 * without a lock while writers restamp at commit.
 */
#include "table.h"

#include "errors.h"
#include "txn.h"
#include "value.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TBL_HEAP_BLOCK (256 * 1024)

struct tbl_heap_block {
    tbl_heap_block *next;
    size_t size, used;
    char data[];
};

size_t tbl_type_width(eng_type_id id)
{
    switch (id) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return 2;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        return 4;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_DOUBLE:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        return 8;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        return sizeof(eng_str);
    case ENG_TYPE_DECIMAL:
        return sizeof(eng_int128);
    case ENG_TYPE_INTERVAL:
        return sizeof(eng_interval);
    case ENG_TYPE_NULL:
        break;
    }
    return 8;
}

tbl_table *tbl_create(uint64_t id, const char *name, uint32_t ncols, const tbl_column *cols,
                      uint32_t nkeys, const tbl_key *keys)
{
    tbl_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->id = id;
    t->ncols = ncols;
    t->refs = 1;
    t->created = STAMP_NONE;
    t->dropped = STAMP_NONE;
    pthread_mutex_init(&t->append_lock, NULL);
    pthread_mutex_init(&t->gc_lock, NULL);
    t->name = strdup(name);
    t->cols = calloc(ncols ? ncols : 1, sizeof *t->cols);
    if (!t->name || !t->cols) {
        tbl_unref(t);
        return NULL;
    }
    for (uint32_t i = 0; i < ncols; i++) {
        t->cols[i] = cols[i];
        t->cols[i].name = strdup(cols[i].name);
        if (!t->cols[i].name) {
            tbl_unref(t);
            return NULL;
        }
        eng_value *d = &t->cols[i].default_value;
        if (t->cols[i].has_default && !d->is_null &&
            (d->type == ENG_TYPE_VARCHAR || d->type == ENG_TYPE_BLOB) &&
            !(d->u.s.ptr = tbl_heap_copy(t, d->u.s.ptr, d->u.s.len))) {
            tbl_unref(t);
            return NULL;
        }
    }
    t->keys = calloc(nkeys ? nkeys : 1, sizeof *t->keys);
    if (!t->keys) {
        tbl_unref(t);
        return NULL;
    }
    for (uint32_t k = 0; k < nkeys; k++) {
        tbl_key *key = &t->keys[t->nkeys];
        *key = keys[k];
        key->cols = malloc(keys[k].ncols * sizeof *key->cols);
        key->index = idx_create(keys[k].ncols, keys[k].cols);
        t->nkeys++;
        if (!key->cols || !key->index) {
            tbl_unref(t);
            return NULL;
        }
        memcpy(key->cols, keys[k].cols, keys[k].ncols * sizeof *key->cols);
    }
    return t;
}

const tbl_key *tbl_primary_key(const tbl_table *t)
{
    for (uint32_t k = 0; k < t->nkeys; k++)
        if (t->keys[k].primary)
            return &t->keys[k];
    return NULL;
}

static void tbl_free(tbl_table *t)
{
    /* Reclaimed segments leave NULL holes in the directory: visit every slot. */
    for (uint32_t b = 0; b < TBL_DIR_FANOUT && t->dir[b]; b++) {
        for (uint32_t i = 0; i < TBL_DIR_FANOUT; i++)
            free(t->dir[b][i]);
        free(t->dir[b]);
    }
    for (tbl_limbo *l = t->limbo, *next; l; l = next) {
        next = l->next;
        free(l->seg);
        free(l);
    }
    free(t->spare);
    free(t->garbage);
    pthread_mutex_destroy(&t->gc_lock);
    for (tbl_heap_block *h = t->heap, *next; h; h = next) {
        next = h->next;
        free(h);
    }
    for (uint32_t k = 0; t->keys && k < t->nkeys; k++) {
        free(t->keys[k].cols);
        idx_free(t->keys[k].index);
    }
    free(t->keys);
    if (t->cols)
        for (uint32_t i = 0; i < t->ncols; i++)
            free(t->cols[i].name);
    free(t->cols);
    free(t->name);
    pthread_mutex_destroy(&t->append_lock);
    free(t);
}

void tbl_ref(tbl_table *t)
{
    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void tbl_unref(tbl_table *t)
{
    if (t && __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0)
        tbl_free(t);
}

uint64_t tbl_row_count(const tbl_table *t)
{
    return __atomic_load_n(&t->nrows, __ATOMIC_ACQUIRE);
}

tbl_segment *tbl_segment_at(const tbl_table *t, uint64_t seg_index)
{
    tbl_segment **block = __atomic_load_n(&t->dir[seg_index / TBL_DIR_FANOUT], __ATOMIC_ACQUIRE);
    assert(block);
    return __atomic_load_n(&block[seg_index % TBL_DIR_FANOUT], __ATOMIC_SEQ_CST);
}

tbl_segment *tbl_unlink_segment(tbl_table *t, uint64_t seg_index)
{
    tbl_segment **block = t->dir[seg_index / TBL_DIR_FANOUT];
    return __atomic_exchange_n(&block[seg_index % TBL_DIR_FANOUT], NULL, __ATOMIC_SEQ_CST);
}

size_t tbl_segment_bytes(const tbl_table *t)
{
    size_t size = sizeof(tbl_segment) + t->ncols * 2 * sizeof(void *);
    for (uint32_t i = 0; i < t->ncols; i++)
        size += tbl_type_width(t->cols[i].type.id) * TBL_SEG_ROWS + TBL_SEG_ROWS;
    return size;
}

/* A freed segment is kept as the table's spare (the one before it goes): under steady
 * updates segments are reclaimed about as fast as new versions fill new ones, and a reused
 * segment costs a memset instead of fresh pages. (Profiled on the tools/bench update
 * workload, 8 threads: allocating segments, mostly page faults, took 2.4% of the samples;
 * with the spare it no longer shows.) */
void tbl_free_segment(tbl_table *t, tbl_segment *s)
{
    free(__atomic_exchange_n(&t->spare, s, __ATOMIC_ACQ_REL));
    __atomic_sub_fetch(&t->segments_live, 1, __ATOMIC_RELAXED);
}

/* One allocation holds the segment, its column pointers, the vectors and the bitmaps. */
static tbl_segment *tbl_segment_new(tbl_table *t)
{
    size_t bytes = tbl_segment_bytes(t);
    tbl_segment *s = __atomic_exchange_n(&t->spare, NULL, __ATOMIC_ACQ_REL);
    if (s)
        memset(s, 0, bytes);
    else if (!(s = calloc(1, bytes)))
        return NULL;
    __atomic_add_fetch(&t->segments_live, 1, __ATOMIC_RELAXED);
    char *p = (char *)(s + 1);
    s->data = (void **)p;
    p += t->ncols * sizeof(void *);
    s->nulls = (uint8_t **)p;
    p += t->ncols * sizeof(void *);
    for (uint32_t i = 0; i < t->ncols; i++) {
        s->data[i] = p;
        p += tbl_type_width(t->cols[i].type.id) * TBL_SEG_ROWS;
        s->nulls[i] = (uint8_t *)p;
        p += TBL_SEG_ROWS;
    }
    for (uint32_t r = 0; r < TBL_SEG_ROWS; r++) {
        s->ins[r] = STAMP_NONE;
        s->del[r] = STAMP_NONE;
    }
    return s;
}

int tbl_append_reserve(tbl_table *t, uint64_t n, uint64_t *first, eng_error *err)
{
    uint64_t start = t->nrows;
    if (n > TBL_MAX_ROWS - start)
        return err_set(err, ENG_E_GENERAL, "table \"%s\" is full (%llu rows)", t->name,
                       (unsigned long long)TBL_MAX_ROWS);
    uint64_t end = start + n;
    uint64_t have = (start + TBL_SEG_ROWS - 1) / TBL_SEG_ROWS;
    uint64_t need = (end + TBL_SEG_ROWS - 1) / TBL_SEG_ROWS;
    for (uint64_t seg = have; seg < need; seg++) {
        uint64_t b = seg / TBL_DIR_FANOUT;
        if (t->dir[b] && t->dir[b][seg % TBL_DIR_FANOUT])
            continue; /* left over from an append that failed before publishing */
        if (!t->dir[b]) {
            tbl_segment **block = calloc(TBL_DIR_FANOUT, sizeof *block);
            if (!block)
                return err_set(err, ENG_E_NOMEM, "out of memory growing table \"%s\"", t->name);
            __atomic_store_n(&t->dir[b], block, __ATOMIC_RELEASE);
        }
        tbl_segment *s = tbl_segment_new(t);
        if (!s)
            return err_set(err, ENG_E_NOMEM, "out of memory growing table \"%s\"", t->name);
        __atomic_store_n(&t->dir[b][seg % TBL_DIR_FANOUT], s, __ATOMIC_RELEASE);
    }
    *first = start;
    return 0;
}

void tbl_append_publish(tbl_table *t, uint64_t end)
{
    assert(end >= t->nrows);
    uint64_t row = t->nrows;
    while (row < end) {
        tbl_segment *s = tbl_segment_at(t, row / TBL_SEG_ROWS);
        uint64_t seg_end = (row / TBL_SEG_ROWS + 1) * TBL_SEG_ROWS;
        uint64_t stop = end < seg_end ? end : seg_end;
        __atomic_store_n(&s->count, (uint32_t)(stop - row / TBL_SEG_ROWS * TBL_SEG_ROWS),
                         __ATOMIC_RELEASE);
        row = stop;
    }
    __atomic_store_n(&t->nrows, end, __ATOMIC_RELEASE);
}

/* Every one-byte string, shared by all tables: flags and codes (TPC-H's l_returnflag)
 * then point at one of 256 bytes that stay in cache instead of a byte of their own spread
 * through the heap between the row's other strings, and take no heap space. */
static const unsigned char tbl_bytes[256] = {
#define TBL_B16(x)                                                                                 \
    x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7, x + 8, x + 9, x + 10, x + 11, x + 12,      \
        x + 13, x + 14, x + 15
    TBL_B16(0),   TBL_B16(16),  TBL_B16(32),  TBL_B16(48),  TBL_B16(64),  TBL_B16(80),
    TBL_B16(96),  TBL_B16(112), TBL_B16(128), TBL_B16(144), TBL_B16(160), TBL_B16(176),
    TBL_B16(192), TBL_B16(208), TBL_B16(224), TBL_B16(240),
#undef TBL_B16
};

const char *tbl_heap_copy(tbl_table *t, const char *s, uint32_t len)
{
    if (len == 1)
        return (const char *)&tbl_bytes[(uint8_t)s[0]];
    tbl_heap_block *h = t->heap;
    if (!h || h->size - h->used < len) {
        size_t size = len > TBL_HEAP_BLOCK / 4 ? len : TBL_HEAP_BLOCK;
        tbl_heap_block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        if (size == len && h) {
            /* A large string gets its own block behind the current one, which stays open. */
            nb->next = h->next;
            h->next = nb;
        } else {
            nb->next = h;
            t->heap = nb;
        }
        h = nb;
    }
    char *p = h->data + h->used;
    memcpy(p, s, len);
    h->used += len;
    return p;
}

void tbl_store(tbl_table *t, uint64_t row, uint32_t col, const eng_value *v)
{
    tbl_segment *s = tbl_segment_at(t, row / TBL_SEG_ROWS);
    uint32_t r = (uint32_t)(row % TBL_SEG_ROWS);
    s->nulls[col][r] = v->is_null;
    if (v->is_null)
        return;
    void *d = s->data[col];
    switch (t->cols[col].type.id) {
    case ENG_TYPE_BOOLEAN:
        ((uint8_t *)d)[r] = v->u.b;
        break;
    case ENG_TYPE_SMALLINT:
        ((int16_t *)d)[r] = (int16_t)v->u.i;
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        ((int32_t *)d)[r] = (int32_t)v->u.i;
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        ((int64_t *)d)[r] = v->u.i;
        break;
    case ENG_TYPE_DOUBLE:
        ((double *)d)[r] = v->u.d;
        break;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        ((eng_str *)d)[r] = v->u.s;
        break;
    case ENG_TYPE_DECIMAL:
        memcpy((eng_int128 *)d + r, &v->u.dec, sizeof v->u.dec);
        break;
    case ENG_TYPE_INTERVAL:
        memcpy((eng_interval *)d + r, &v->u.iv, sizeof v->u.iv);
        break;
    case ENG_TYPE_NULL:
        break;
    }
}

static bool tbl_is_commit_stamp(uint64_t stamp)
{
    return stamp < TXN_ID_BASE;
}

/* A flag of the summary: set once, never cleared. Setting it before the stamp it covers
 * is published (and a transaction publishes its stamps before it commits) means a
 * snapshot that can see the stamp also sees the flag. */
static void tbl_flag(uint8_t *flag)
{
    if (!__atomic_load_n(flag, __ATOMIC_RELAXED))
        __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
}

/* Stores rows [r, r + n) of s's ins stamps and brings the summary up to date. */
static void tbl_seg_set_ins(tbl_segment *s, uint32_t r, uint32_t n, uint64_t stamp)
{
    uint32_t settled = 0;
    bool unsettled = false;
    for (uint32_t i = r; i < r + n; i++) {
        uint64_t old = __atomic_exchange_n(&s->ins[i], stamp, __ATOMIC_RELEASE);
        bool was = tbl_is_commit_stamp(old), is = tbl_is_commit_stamp(stamp);
        settled += !was && is;
        unsettled |= was && !is;
    }
    if (unsettled)
        tbl_flag(&s->unsettled);
    if (!tbl_is_commit_stamp(stamp))
        return;
    uint64_t cur = __atomic_load_n(&s->ins_max, __ATOMIC_RELAXED);
    while (cur < stamp && !__atomic_compare_exchange_n(&s->ins_max, &cur, stamp, true,
                                                       __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        ;
    if (settled) /* after ins_max, so a reader counting these rows sees their stamp there */
        __atomic_add_fetch(&s->settled, settled, __ATOMIC_RELEASE);
}

void tbl_set_ins(tbl_table *t, uint64_t row, uint64_t stamp)
{
    tbl_seg_set_ins(tbl_segment_at(t, row / TBL_SEG_ROWS), row % TBL_SEG_ROWS, 1, stamp);
}

void tbl_set_ins_range(tbl_table *t, uint64_t first, uint64_t n, uint64_t stamp)
{
    uint64_t row = first, end = first + n;
    while (row < end) {
        uint64_t seg_end = (row / TBL_SEG_ROWS + 1) * TBL_SEG_ROWS;
        uint64_t stop = end < seg_end ? end : seg_end;
        tbl_seg_set_ins(tbl_segment_at(t, row / TBL_SEG_ROWS), row % TBL_SEG_ROWS,
                        (uint32_t)(stop - row), stamp);
        row = stop;
    }
}

void tbl_set_del(tbl_table *t, uint64_t row, uint64_t stamp)
{
    tbl_segment *s = tbl_segment_at(t, row / TBL_SEG_ROWS);
    if (stamp != STAMP_NONE)
        tbl_flag(&s->has_del);
    __atomic_store_n(&s->del[row % TBL_SEG_ROWS], stamp, __ATOMIC_RELEASE);
}

bool tbl_claim(tbl_table *t, uint64_t row, uint64_t id, uint64_t *holder)
{
    tbl_segment *s = tbl_segment_at(t, row / TBL_SEG_ROWS);
    uint64_t expected = STAMP_NONE;
    tbl_flag(&s->has_del); /* before the claim: a failed one only costs the fast scan */
    if (__atomic_compare_exchange_n(&s->del[row % TBL_SEG_ROWS], &expected, id, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return true;
    *holder = expected;
    return false;
}

void tbl_get(const tbl_table *t, uint64_t row, uint32_t col, eng_value *out)
{
    const tbl_segment *s = tbl_segment_at(t, row / TBL_SEG_ROWS);
    uint32_t r = (uint32_t)(row % TBL_SEG_ROWS);
    eng_type_id type = t->cols[col].type.id;
    memset(out, 0, sizeof *out);
    out->type = type;
    if (s->nulls[col][r]) {
        out->is_null = true;
        return;
    }
    const void *d = s->data[col];
    switch (type) {
    case ENG_TYPE_BOOLEAN:
        out->u.b = ((const uint8_t *)d)[r];
        break;
    case ENG_TYPE_SMALLINT:
        out->u.i = ((const int16_t *)d)[r];
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        out->u.i = ((const int32_t *)d)[r];
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        out->u.i = ((const int64_t *)d)[r];
        break;
    case ENG_TYPE_DOUBLE:
        out->u.d = ((const double *)d)[r];
        break;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        out->u.s = ((const eng_str *)d)[r];
        break;
    case ENG_TYPE_DECIMAL:
        memcpy(&out->u.dec, (const eng_int128 *)d + r, sizeof out->u.dec);
        out->scale = (uint8_t)ENG_DECIMAL_SCALE(t->cols[col].type);
        break;
    case ENG_TYPE_INTERVAL:
        memcpy(&out->u.iv, (const eng_interval *)d + r, sizeof out->u.iv);
        break;
    case ENG_TYPE_NULL:
        out->is_null = true;
        break;
    }
}

void tbl_describe_key(const tbl_table *t, uint64_t row, uint32_t ncols, const uint32_t *cols,
                      char *buf, size_t size)
{
    size_t n = 0;
    for (uint32_t pass = 0; pass < 2; pass++) {
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, pass ? ")=(" : "(");
        for (uint32_t i = 0; i < ncols && n < size; i++) {
            const char *sep = i ? ", " : "";
            if (pass == 0) {
                n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, t->cols[cols[i]].name);
                continue;
            }
            eng_value v;
            tbl_get(t, row, cols[i], &v);
            char text[64];
            if (v.is_null)
                n += (size_t)snprintf(buf + n, size - n, "%sNULL", sep);
            else if (val_key_text(&v, text, sizeof text))
                n += (size_t)snprintf(buf + n, size - n, "%s'%s'", sep, text);
            else if (v.type == ENG_TYPE_VARCHAR)
                n += (size_t)snprintf(buf + n, size - n, "%s'%.*s'", sep,
                                      (int)(v.u.s.len > 40 ? 40 : v.u.s.len), v.u.s.ptr);
            else if (v.type == ENG_TYPE_DOUBLE)
                n += (size_t)snprintf(buf + n, size - n, "%s%g", sep, v.u.d);
            else if (v.type == ENG_TYPE_BOOLEAN)
                n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, v.u.b ? "true" : "false");
            else
                n += (size_t)snprintf(buf + n, size - n, "%s%lld", sep, (long long)v.u.i);
        }
    }
    if (n < size)
        snprintf(buf + n, size - n, ")");
}
