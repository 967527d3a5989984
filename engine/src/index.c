/*
 * Sharded hash multimap from key to row positions (see index.h). Each shard is an open-
 * addressing table of (hash, position) slots with linear probing and tombstones, guarded
 * by its own mutex and resized on its own.
 */
#include "index.h"

#include "errors.h"
#include "table.h"
#include "txn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define IDX_SHARDS 256
#define IDX_EMPTY  UINT64_MAX       /* slot never used */
#define IDX_TOMB   (UINT64_MAX - 1) /* slot freed; probing continues past it */

typedef struct idx_slot {
    uint64_t hash;
    uint64_t row; /* IDX_EMPTY or IDX_TOMB when unused */
} idx_slot;

typedef struct idx_shard {
    pthread_mutex_t lock;
    idx_slot *slots;
    uint32_t cap;  /* a power of two, or 0 */
    uint32_t used; /* live entries */
    uint32_t tombs;
} idx_shard;

struct idx_index {
    uint32_t ncols;
    uint32_t *cols;
    idx_shard shards[IDX_SHARDS];
};

idx_index *idx_create(uint32_t ncols, const uint32_t *cols)
{
    idx_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->cols = malloc(ncols * sizeof *ix->cols);
    if (!ix->cols) {
        free(ix);
        return NULL;
    }
    memcpy(ix->cols, cols, ncols * sizeof *cols);
    ix->ncols = ncols;
    for (int i = 0; i < IDX_SHARDS; i++)
        pthread_mutex_init(&ix->shards[i].lock, NULL);
    return ix;
}

void idx_free(idx_index *ix)
{
    if (!ix)
        return;
    for (int i = 0; i < IDX_SHARDS; i++) {
        free(ix->shards[i].slots);
        pthread_mutex_destroy(&ix->shards[i].lock);
    }
    free(ix->cols);
    free(ix);
}

static uint64_t idx_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

static uint64_t idx_hash_value(uint64_t h, const eng_value *v)
{
    switch (v->type) {
    case ENG_TYPE_DECIMAL:
        return idx_mix(idx_mix(h, v->u.dec.lo), (uint64_t)v->u.dec.hi);
    case ENG_TYPE_INTERVAL:
        return idx_mix(
            idx_mix(h, ((uint64_t)(uint32_t)v->u.iv.months << 32) | (uint32_t)v->u.iv.days),
            (uint64_t)v->u.iv.micros);
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB: {
        uint64_t x = 0xcbf29ce484222325ull; /* FNV-1a over the bytes */
        for (uint32_t i = 0; i < v->u.s.len; i++)
            x = (x ^ (unsigned char)v->u.s.ptr[i]) * 0x100000001b3ull;
        return idx_mix(h, x);
    }
    case ENG_TYPE_DOUBLE: {
        double d = v->u.d == 0 ? 0.0 : v->u.d; /* -0.0 equals 0.0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return idx_mix(h, bits);
    }
    case ENG_TYPE_BOOLEAN:
        return idx_mix(h, v->u.b);
    default:
        return idx_mix(h, (uint64_t)v->u.i);
    }
}

/* Reads the key of a stored row; false when a key column is NULL. */
static bool idx_row_key(const idx_index *ix, const tbl_table *tb, uint64_t row, eng_value *key)
{
    for (uint32_t i = 0; i < ix->ncols; i++) {
        tbl_get(tb, row, ix->cols[i], &key[i]);
        if (key[i].is_null)
            return false;
    }
    return true;
}

static uint64_t idx_hash_key(const idx_index *ix, const eng_value *key)
{
    uint64_t h = 0x51ed270b27a8d1c5ull;
    for (uint32_t i = 0; i < ix->ncols; i++)
        h = idx_hash_value(h, &key[i]);
    return h < IDX_TOMB ? h : h - 2; /* never collide with the markers */
}

static bool idx_value_equal(const eng_value *a, const eng_value *b)
{
    switch (a->type) {
    case ENG_TYPE_DECIMAL:
        return a->u.dec.lo == b->u.dec.lo && a->u.dec.hi == b->u.dec.hi;
    case ENG_TYPE_INTERVAL:
        return a->u.iv.months == b->u.iv.months && a->u.iv.days == b->u.iv.days &&
               a->u.iv.micros == b->u.iv.micros;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        return a->u.s.len == b->u.s.len &&
               (a->u.s.len == 0 || memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0);
    case ENG_TYPE_DOUBLE:
        return a->u.d == b->u.d;
    case ENG_TYPE_BOOLEAN:
        return a->u.b == b->u.b;
    default:
        return a->u.i == b->u.i;
    }
}

static bool idx_row_matches(const idx_index *ix, const tbl_table *tb, uint64_t row,
                            const eng_value *key)
{
    for (uint32_t i = 0; i < ix->ncols; i++) {
        eng_value v;
        tbl_get(tb, row, ix->cols[i], &v);
        if (v.is_null || !idx_value_equal(&v, &key[i]))
            return false;
    }
    return true;
}

static idx_shard *idx_shard_of(idx_index *ix, uint64_t hash)
{
    return &ix->shards[hash >> 56];
}

static int idx_grow(idx_shard *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    if (s->used * 4 < s->cap) /* mostly tombstones: rehash at the same size */
        cap = s->cap;
    idx_slot *slots = malloc((size_t)cap * sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t i = 0; i < cap; i++)
        slots[i].row = IDX_EMPTY;
    for (uint32_t i = 0; i < s->cap; i++) {
        if (s->slots[i].row >= IDX_TOMB)
            continue;
        uint32_t j = (uint32_t)s->slots[i].hash & (cap - 1);
        while (slots[j].row != IDX_EMPTY)
            j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    s->tombs = 0;
    return 0;
}

static int idx_insert_locked(idx_shard *s, uint64_t hash, uint64_t row)
{
    if ((s->used + s->tombs + 1) * 10 > s->cap * 7 && idx_grow(s) != 0)
        return -1;
    uint32_t j = (uint32_t)hash & (s->cap - 1);
    while (s->slots[j].row < IDX_TOMB)
        j = (j + 1) & (s->cap - 1);
    if (s->slots[j].row == IDX_TOMB)
        s->tombs--;
    s->slots[j] = (idx_slot){hash, row};
    s->used++;
    return 0;
}

/* Why an existing version with the same key stops t from adding one; 0 if it does not. */
static int idx_conflict(const idx_index *ix, const tbl_table *tb, uint64_t row, const txn *t,
                        eng_error *err)
{
    const tbl_segment *seg = tbl_segment_at(tb, row / TBL_SEG_ROWS);
    uint64_t del = __atomic_load_n(&seg->del[row % TBL_SEG_ROWS], __ATOMIC_ACQUIRE);
    uint64_t ins = __atomic_load_n(&seg->ins[row % TBL_SEG_ROWS], __ATOMIC_ACQUIRE);
    if (ins == STAMP_NONE || (del != STAMP_NONE && del < TXN_ID_BASE) || del == t->id)
        return 0; /* rolled back, deleted for good, or deleted by t itself */
    if (del != STAMP_NONE || (ins >= TXN_ID_BASE && ins != t->id))
        return err_set(err, ENG_E_CONFLICT,
                       "Transaction conflict: a row with the same key in table \"%s\" is being "
                       "written by a concurrent transaction; roll back and retry",
                       tb->name);
    char key[256];
    tbl_describe_key(tb, row, ix->ncols, ix->cols, key, sizeof key);
    return err_set(err, ENG_E_CONSTRAINT, "duplicate key in table \"%s\": %s already exists",
                   tb->name, key);
}

int idx_add(idx_index *ix, tbl_table *tb, uint64_t row, const txn *t, bool unique, eng_error *err)
{
    eng_value key[ix->ncols];
    if (!idx_row_key(ix, tb, row, key))
        return 0;
    uint64_t hash = idx_hash_key(ix, key);
    idx_shard *s = idx_shard_of(ix, hash);
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    if (unique && s->cap) {
        for (uint32_t j = (uint32_t)hash & (s->cap - 1); s->slots[j].row != IDX_EMPTY;
             j = (j + 1) & (s->cap - 1)) {
            const idx_slot *sl = &s->slots[j];
            if (sl->row == IDX_TOMB || sl->hash != hash || sl->row == row ||
                !idx_row_matches(ix, tb, sl->row, key))
                continue;
            if ((rc = idx_conflict(ix, tb, sl->row, t, err)) != 0)
                break;
        }
    }
    if (rc == 0 && idx_insert_locked(s, hash, row) != 0)
        rc = err_set(err, ENG_E_NOMEM, "out of memory growing an index of table \"%s\"", tb->name);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int idx_add_unchecked(idx_index *ix, tbl_table *tb, uint64_t row)
{
    eng_value key[ix->ncols];
    if (!idx_row_key(ix, tb, row, key))
        return 0;
    uint64_t hash = idx_hash_key(ix, key);
    idx_shard *s = idx_shard_of(ix, hash);
    pthread_mutex_lock(&s->lock);
    int rc = idx_insert_locked(s, hash, row);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

uint32_t idx_lookup(idx_index *ix, const tbl_table *tb, const eng_value *key, uint64_t *out,
                    uint32_t cap)
{
    for (uint32_t i = 0; i < ix->ncols; i++)
        if (key[i].is_null)
            return 0;
    uint64_t hash = idx_hash_key(ix, key);
    idx_shard *s = idx_shard_of(ix, hash);
    uint32_t n = 0;
    pthread_mutex_lock(&s->lock);
    if (s->cap) {
        for (uint32_t j = (uint32_t)hash & (s->cap - 1); s->slots[j].row != IDX_EMPTY;
             j = (j + 1) & (s->cap - 1)) {
            const idx_slot *sl = &s->slots[j];
            if (sl->row == IDX_TOMB || sl->hash != hash || !idx_row_matches(ix, tb, sl->row, key))
                continue;
            if (n < cap)
                out[n] = sl->row;
            n++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

void idx_remove(idx_index *ix, const tbl_table *tb, uint64_t row)
{
    eng_value key[ix->ncols];
    if (!idx_row_key(ix, tb, row, key))
        return;
    uint64_t hash = idx_hash_key(ix, key);
    idx_shard *s = idx_shard_of(ix, hash);
    pthread_mutex_lock(&s->lock);
    for (uint32_t j = s->cap ? (uint32_t)hash & (s->cap - 1) : 0;
         s->cap && s->slots[j].row != IDX_EMPTY; j = (j + 1) & (s->cap - 1)) {
        if (s->slots[j].row == row) {
            s->slots[j].row = IDX_TOMB;
            s->used--;
            s->tombs++;
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

uint64_t idx_entry_count(idx_index *ix)
{
    uint64_t n = 0;
    for (int i = 0; i < IDX_SHARDS; i++) {
        pthread_mutex_lock(&ix->shards[i].lock);
        n += ix->shards[i].used;
        pthread_mutex_unlock(&ix->shards[i].lock);
    }
    return n;
}
