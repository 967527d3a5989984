/*
 * Hash tables of distinct keys, for GROUP BY, DISTINCT, joins, set operations and IN
 * (subquery). Keys are stored once each in a column buffer; their ids are dense (0, 1,
 * ...), so aggregate states are plain arrays indexed by id. Slots are open-addressed
 * (linear probing) and hold id + 1; each id's full hash is kept, so most mismatches are
 * rejected without comparing keys, and growing rehashes without touching them.
 *
 * Packed keys: when the key columns are small (integers, dates, short strings), a row's
 * key values are laid out in 16 bytes (NULL flags, fixed-width values, then each string
 * as a length byte and its bytes), hashed and compared as two machine words. Whether a
 * row's key fits depends only on its values, so equal keys always take the same path,
 * and rows whose strings are too long use the general one.
 */
#include "exec_int.h"

#include "errors.h"
#include "ev_int.h"

#include <string.h>

/* Decides the packed layout: NULL flags in the first byte, then fixed-width values, then
 * strings sharing what is left (at least 3 bytes each: a length and 2 bytes). */
static void ht_plan_packing(ht_table *ht, const eng_type *types)
{
    if (ht->nkeys == 0 || ht->nkeys > 8)
        return;
    uint32_t at = 1, nstr = 0;
    for (uint32_t k = 0; k < ht->nkeys; k++) {
        switch (types[k].id) {
        case ENG_TYPE_BOOLEAN:
        case ENG_TYPE_SMALLINT:
        case ENG_TYPE_INTEGER:
        case ENG_TYPE_DATE:
        case ENG_TYPE_BIGINT:
        case ENG_TYPE_TIME:
        case ENG_TYPE_TIMESTAMP:
        case ENG_TYPE_DOUBLE:
            ht->pack_off[k] = (uint8_t)at;
            ht->pack_len[k] = (uint8_t)ev_width(types[k].id);
            at += ht->pack_len[k];
            break;
        case ENG_TYPE_VARCHAR:
        case ENG_TYPE_BLOB:
            nstr++;
            break;
        default:
            return;
        }
    }
    if (at > 16 || (nstr && (16 - at) / nstr < 3))
        return;
    uint32_t share = nstr ? (16 - at) / nstr : 0;
    for (uint32_t k = 0; k < ht->nkeys; k++) {
        if (types[k].id != ENG_TYPE_VARCHAR && types[k].id != ENG_TYPE_BLOB)
            continue;
        ht->pack_off[k] = (uint8_t)at;
        ht->pack_len[k] = (uint8_t)(share - 1);
        at += share;
    }
    ht->pack = true;
}

int ht_init(ht_table *ht, uint32_t nkeys, const eng_type *types, qmem *mem, arena *a,
            eng_error *err)
{
    memset(ht, 0, sizeof *ht);
    ht->nkeys = nkeys;
    ht->mem = mem;
    if (cb_init(&ht->keys, nkeys, types, mem, a, err) != 0)
        return -1;
    ht->hbuf = arena_alloc_raw(a, ENG_VECTOR_SIZE * sizeof *ht->hbuf);
    if (!ht->hbuf)
        return err_set(err, ENG_E_NOMEM, "out of memory building a hash table");
    ht_plan_packing(ht, types);
    if (ht->pack) {
        ht->pbuf = arena_alloc_raw(a, ENG_VECTOR_SIZE * sizeof *ht->pbuf);
        ht->pbuf_ok = arena_alloc_raw(a, ENG_VECTOR_SIZE);
        ht->gbuf = arena_alloc_raw(a, ENG_VECTOR_SIZE * sizeof *ht->gbuf);
        if (!ht->pbuf || !ht->pbuf_ok || !ht->gbuf)
            return err_set(err, ENG_E_NOMEM, "out of memory building a hash table");
    }
    return 0;
}

static uint64_t ht_mix(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    return x ^ (x >> 32);
}

/* Copies a short string's bytes: a call to memcpy for one or two bytes costs more than
 * the copy. */
static inline void ht_copy_short(uint8_t *restrict to, const char *restrict from, uint32_t len)
{
    switch (len) {
    case 0:
        break;
    case 1:
        to[0] = (uint8_t)from[0];
        break;
    case 2:
        to[0] = (uint8_t)from[0];
        to[1] = (uint8_t)from[1];
        break;
    default:
        memcpy(to, from, len);
        break;
    }
}

/* Packs the keys of n rows (row sel[i], or i without sel) into ht->pbuf, with pbuf_ok[i]
 * = 0 where they do not fit, and hashes the packed ones into h. */
static void ht_pack(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint64_t *h)
{
    uint8_t(*buf)[16] = (uint8_t(*)[16])ht->pbuf;
    uint8_t *ok = ht->pbuf_ok;
    memset(buf, 0, (size_t)n * 16);
    memset(ok, 1, n);
    for (uint32_t k = 0; k < ht->nkeys; k++) {
        const ev_vec *v = &keys[k];
        uint32_t off = ht->pack_off[k], len = ht->pack_len[k];
        uint8_t bit = (uint8_t)(1u << k);
        const uint8_t *nulls = v->nulls;
        eng_type_id t = v->type.id;
        if (t == ENG_TYPE_VARCHAR || t == ENG_TYPE_BLOB) {
            const eng_str *s = v->data;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t r = sel ? sel[i] : i;
                if (nulls && nulls[r]) {
                    buf[i][0] |= bit;
                } else if (s[r].len > len) {
                    ok[i] = 0;
                } else {
                    buf[i][off] = (uint8_t)s[r].len;
                    ht_copy_short(&buf[i][off + 1], s[r].ptr, s[r].len);
                }
            }
        } else if (t == ENG_TYPE_DOUBLE) {
            const double *d = v->data;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t r = sel ? sel[i] : i;
                if (nulls && nulls[r]) {
                    buf[i][0] |= bit;
                    continue;
                }
                double x = d[r] == 0 ? 0.0 : d[r] != d[r] ? __builtin_nan("") : d[r];
                memcpy(&buf[i][off], &x, 8);
            }
        } else if (sel) { /* rows picked: one copy each, of the value's fixed width */
            const char *d = v->data;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t r = sel[i];
                if (nulls && nulls[r])
                    buf[i][0] |= bit;
                else if (len == 4)
                    memcpy(&buf[i][off], d + (size_t)r * 4, 4);
                else if (len == 8)
                    memcpy(&buf[i][off], d + (size_t)r * 8, 8);
                else
                    memcpy(&buf[i][off], d + (size_t)r * len, len);
            }
        } else {
            /* fixed sizes, so each copy is a move (a variable one is a slow rep movs) */
            const char *d = v->data;
            switch (len) {
            case 1:
                for (uint32_t i = 0; i < n; i++)
                    buf[i][off] = (uint8_t)d[i];
                break;
            case 2:
                for (uint32_t i = 0; i < n; i++)
                    memcpy(&buf[i][off], d + (size_t)i * 2, 2);
                break;
            case 4:
                for (uint32_t i = 0; i < n; i++)
                    memcpy(&buf[i][off], d + (size_t)i * 4, 4);
                break;
            case 8:
                for (uint32_t i = 0; i < n; i++)
                    memcpy(&buf[i][off], d + (size_t)i * 8, 8);
                break;
            default:
                for (uint32_t i = 0; i < n; i++)
                    memcpy(&buf[i][off], d + (size_t)i * len, len);
                break;
            }
            if (nulls) /* a NULL's bytes are garbage: zero them and flag the key */
                for (uint32_t i = 0; i < n; i++)
                    if (nulls[i]) {
                        memset(&buf[i][off], 0, len);
                        buf[i][0] |= bit;
                    }
        }
    }
    for (uint32_t i = 0; i < n; i++)
        h[i] = ht_mix(ht->pbuf[i][0] ^ ht_mix(ht->pbuf[i][1] + 0x9e3779b97f4a7c15ull));
}

static void ht_hash_general(const ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n,
                            uint64_t *h)
{
    for (uint32_t i = 0; i < n; i++)
        h[i] = 0x51ed270b27a8d1c5ull;
    for (uint32_t k = 0; k < ht->nkeys; k++) {
        const ev_vec *v = &keys[k];
        for (uint32_t i = 0; i < n; i++) {
            uint64_t x = ev_hash_row(v, sel ? sel[i] : i);
            h[i] = (h[i] ^ x) * 0x9e3779b97f4a7c15ull;
            h[i] ^= h[i] >> 32;
        }
    }
}

/* Does stored key id equal row i of keys? NULL equals NULL here. */
static bool ht_same(const ht_table *ht, uint32_t id, const ev_vec *keys, uint32_t i)
{
    for (uint32_t k = 0; k < ht->nkeys; k++) {
        ev_vec stored;
        cb_view(&ht->keys, k, id, &stored);
        bool a = stored.nulls[0], b = ev_null(&keys[k], i);
        if (a != b)
            return false;
        if (!a && ev_compare_rows(&stored, 0, &keys[k], i) != 0)
            return false;
    }
    return true;
}

/* Hashes n rows: packed keys where they fit, the general hash for the others. */
static void ht_hash(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint64_t *h)
{
    if (!ht->pack) {
        ht_hash_general(ht, keys, sel, n, h);
        return;
    }
    ht_pack(ht, keys, sel, n, h);
    if (memchr(ht->pbuf_ok, 0, n) == NULL)
        return;
    /* Some keys did not fit: those rows get the general hash (a few wasted for the rest). */
    uint64_t *g = ht->gbuf;
    ht_hash_general(ht, keys, sel, n, g);
    for (uint32_t i = 0; i < n; i++)
        if (!ht->pbuf_ok[i])
            h[i] = g[i];
}

/* Is stored id equal to the i-th row hashed, row r of keys (packed or not)? */
static bool ht_equal(const ht_table *ht, uint32_t id, const ev_vec *keys, uint32_t i, uint32_t r)
{
    if (ht->pack && ht->pbuf_ok[i])
        return ht->pk_ok[id] && ht->pk[id][0] == ht->pbuf[i][0] && ht->pk[id][1] == ht->pbuf[i][1];
    return !(ht->pack && ht->pk_ok[id]) && ht_same(ht, id, keys, r);
}

/* How many rows ahead a probe prefetches its slot: far enough for a miss to main memory
 * to overlap the probes in between. */
#define HT_AHEAD 16

/* Does row i have the same packed key as row i - 1? Rows come in table order, where
 * equal keys often follow each other (an order's line items, a flag's runs); such a row
 * takes the previous row's id without a probe of the table, which is a cache miss when
 * the table is big. */
static inline bool ht_same_as_previous(const ht_table *ht, uint32_t i)
{
    return i && ht->pack && ht->pbuf_ok[i] && ht->pbuf_ok[i - 1] &&
           ht->pbuf[i][0] == ht->pbuf[i - 1][0] && ht->pbuf[i][1] == ht->pbuf[i - 1][1];
}

/* A slot: the hash's top half beside id + 1, so a probe rejects most other keys without
 * reading their stored hash or key (one cache miss less). Never 0. */
static inline uint64_t ht_slot(uint64_t h, uint32_t id)
{
    return (h & 0xffffffff00000000ull) | (id + 1);
}

static inline bool ht_tag_matches(uint64_t slot, uint64_t h)
{
    return ((slot ^ h) >> 32) == 0;
}

static int ht_grow(ht_table *ht, eng_error *err)
{
    uint64_t nslots = ht->nslots ? ht->nslots * 2 : 1024;
    uint64_t *slots = qmem_alloc(ht->mem, nslots * sizeof *slots);
    if (!slots)
        return qmem_exceeded(ht->mem)
                   ? err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached")
                   : err_set(err, ENG_E_NOMEM, "out of memory growing a hash table");
    memset(slots, 0, nslots * sizeof *slots);
    uint64_t mask = nslots - 1;
    for (uint32_t id = 0; id < ht->count; id++) {
        uint64_t s = ht->hashes[id] & mask;
        while (slots[s])
            s = (s + 1) & mask;
        slots[s] = ht_slot(ht->hashes[id], id);
    }
    qmem_free(ht->mem, ht->slots, ht->nslots * sizeof *ht->slots);
    ht->slots = slots;
    ht->nslots = nslots;
    return 0;
}

int ht_insert_sel(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint32_t *ids,
                  uint32_t *added, eng_error *err)
{
    uint64_t *h = ht->hbuf;
    ht_hash(ht, keys, sel, n, h);
    *added = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ht->slots && i + HT_AHEAD < n)
            __builtin_prefetch(&ht->slots[h[i + HT_AHEAD] & (ht->nslots - 1)]);
        if (ht_same_as_previous(ht, i)) {
            ids[i] = ids[i - 1];
            continue;
        }
        if ((uint64_t)(ht->count + 1) * 2 > ht->nslots && ht_grow(ht, err) != 0)
            return -1;
        uint64_t mask = ht->nslots - 1, s = h[i] & mask, slot;
        while ((slot = ht->slots[s]) != 0) {
            if (ht_tag_matches(slot, h[i]) &&
                ht_equal(ht, (uint32_t)slot - 1, keys, i, sel ? sel[i] : i))
                break;
            s = (s + 1) & mask;
        }
        if (slot) {
            ids[i] = (uint32_t)slot - 1;
            continue;
        }
        uint32_t id = ht->count;
        if (id == ht->hcap) {
            uint64_t cap = ht->hcap ? ht->hcap * 2 : 1024;
            uint64_t *hs =
                qmem_realloc(ht->mem, ht->hashes, ht->hcap * sizeof *hs, cap * sizeof *hs);
            if (!hs)
                return qmem_exceeded(ht->mem)
                           ? err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached")
                           : err_set(err, ENG_E_NOMEM, "out of memory growing a hash table");
            ht->hashes = hs;
            ht->hcap = cap;
        }
        if (ht->pack && id == ht->pk_cap) {
            uint64_t cap = ht->pk_cap ? ht->pk_cap * 2 : 1024;
            uint64_t(*pk)[2] =
                qmem_realloc(ht->mem, ht->pk, ht->pk_cap * sizeof *pk, cap * sizeof *pk);
            uint8_t *ok = pk ? qmem_realloc(ht->mem, ht->pk_ok, ht->pk_cap, cap) : NULL;
            if (pk)
                ht->pk = pk;
            if (!ok) /* pk has grown, pk_ok not: keep pk_cap for both at the smaller size */
                return qmem_exceeded(ht->mem)
                           ? err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached")
                           : err_set(err, ENG_E_NOMEM, "out of memory growing a hash table");
            ht->pk_ok = ok;
            ht->pk_cap = cap;
        }
        if (cb_append_row(&ht->keys, keys, sel ? sel[i] : i, err) != 0)
            return -1;
        ht->hashes[id] = h[i];
        if (ht->pack) {
            ht->pk_ok[id] = ht->pbuf_ok[i];
            ht->pk[id][0] = ht->pbuf[i][0];
            ht->pk[id][1] = ht->pbuf[i][1];
        }
        ht->slots[s] = ht_slot(h[i], id);
        ht->count++;
        ids[i] = id;
        (*added)++;
    }
    return 0;
}

int ht_insert(ht_table *ht, const ev_vec *keys, uint32_t n, uint32_t *ids, uint32_t *added,
              eng_error *err)
{
    return ht_insert_sel(ht, keys, NULL, n, ids, added, err);
}

void ht_find(ht_table *ht, const ev_vec *keys, uint32_t n, uint32_t *ids)
{
    ht_find_sel(ht, keys, NULL, n, ids);
}

void ht_find_sel(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint32_t *ids)
{
    if (!ht->count) {
        for (uint32_t i = 0; i < n; i++)
            ids[i] = UINT32_MAX;
        return;
    }
    uint64_t *h = ht->hbuf;
    ht_hash(ht, keys, sel, n, h);
    uint64_t mask = ht->nslots - 1;
    for (uint32_t i = 0; i < n; i++) {
        if (i + HT_AHEAD < n) /* the slot a few rows ahead: its cache miss overlaps this probe */
            __builtin_prefetch(&ht->slots[h[i + HT_AHEAD] & mask]);
        if (ht_same_as_previous(ht, i)) {
            ids[i] = ids[i - 1];
            continue;
        }
        uint64_t s = h[i] & mask, slot;
        ids[i] = UINT32_MAX;
        while ((slot = ht->slots[s]) != 0) {
            if (ht_tag_matches(slot, h[i]) &&
                ht_equal(ht, (uint32_t)slot - 1, keys, i, sel ? sel[i] : i)) {
                ids[i] = (uint32_t)slot - 1;
                break;
            }
            s = (s + 1) & mask;
        }
    }
}

void ht_free(ht_table *ht)
{
    cb_free(&ht->keys);
    qmem_free(ht->mem, ht->hashes, ht->hcap * sizeof *ht->hashes);
    qmem_free(ht->mem, ht->pk, ht->pk_cap * sizeof *ht->pk);
    qmem_free(ht->mem, ht->pk_ok, ht->pk_cap);
    ht->pk_cap = 0;
    ht->pk = NULL;
    ht->pk_ok = NULL;
    ht->hcap = 0;
    qmem_free(ht->mem, ht->slots, ht->nslots * sizeof *ht->slots);
    ht->hashes = NULL;
    ht->slots = NULL;
    ht->count = 0;
    ht->nslots = 0;
}
