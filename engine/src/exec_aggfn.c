/*
 * Aggregate functions: per-group states in plain arrays indexed by group id, updated a
 * vector at a time. Integer SUM and AVG accumulate in 128 bits (so no input overflows
 * them) and SUM checks at the end that its result fits a BIGINT (22003 otherwise).
 * DISTINCT keeps a hash set of (group, value) pairs and feeds only first sightings.
 */
#include "exec_int.h"

#include "errors.h"
#include "ev_int.h"
#include "value.h"

#include <string.h>

static bool agg_int_input(const agg_state *s)
{
    return s->agg->arg && s->agg->arg->type.id != ENG_TYPE_DOUBLE;
}

int agg_init(agg_state *s, const pl_agg *agg, qmem *mem, arena *a, eng_error *err)
{
    memset(s, 0, sizeof *s);
    s->agg = agg;
    s->mem = mem;
    switch (agg->fn) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        s->width = 0;
        break;
    case AGG_SUM:
    case AGG_AVG:
        s->width = agg_int_input(s) ? sizeof(__int128) : sizeof(double);
        break;
    case AGG_MIN:
    case AGG_MAX:
        s->width = ev_width(agg->arg->type.id);
        break;
    }
    arena_init_counted(&s->strings, 16 * 1024, mem);
    if (agg->distinct) {
        s->seen = arena_alloc(a, sizeof *s->seen);
        eng_type types[2] = {{ENG_TYPE_BIGINT, 0}, agg->arg->type};
        if (!s->seen)
            return err_set(err, ENG_E_NOMEM, "out of memory for DISTINCT");
        if (ht_init(s->seen, 2, types, mem, a, err) != 0)
            return -1;
    }
    return 0;
}

static int agg_nomem(const agg_state *s, eng_error *err)
{
    if (qmem_exceeded(s->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached");
    return err_set(err, ENG_E_NOMEM, "out of memory computing an aggregate");
}

int agg_grow(agg_state *s, uint64_t ngroups, eng_error *err)
{
    if (ngroups > s->ngroups)
        s->ngroups = ngroups;
    if (ngroups <= s->cap)
        return 0;
    uint64_t cap = s->cap ? s->cap : 64;
    while (cap < ngroups)
        cap *= 2;
    int64_t *cnt = qmem_realloc(s->mem, s->cnt, s->cap * sizeof *cnt, cap * sizeof *cnt);
    if (!cnt)
        return agg_nomem(s, err);
    memset(cnt + s->cap, 0, (cap - s->cap) * sizeof *cnt);
    s->cnt = cnt;
    if (s->width) {
        char *vals = qmem_realloc(s->mem, s->vals, s->cap * s->width, cap * s->width);
        if (!vals)
            return agg_nomem(s, err);
        memset(vals + s->cap * s->width, 0, (cap - s->cap) * s->width);
        s->vals = vals;
    }
    s->cap = cap;
    return 0;
}

/* DISTINCT: keeps (compacted in place) the rows whose (group, value) pair was never seen
 * before, each pair once; *kept says how many. NULL values are never counted. */
static int agg_distinct(agg_state *s, uint32_t *ids, ev_vec *arg, uint32_t n, arena *scratch,
                        uint32_t *kept, eng_error *err)
{
    ev_vec keys[2];
    keys[0].type = (eng_type){ENG_TYPE_BIGINT, 0};
    keys[0].data = arena_alloc_raw(scratch, (n ? n : 1) * sizeof(int64_t));
    keys[0].nulls = NULL;
    uint32_t *pair = arena_alloc_raw(scratch, (n ? n : 1) * sizeof *pair);
    if (!keys[0].data || !pair)
        return err_set(err, ENG_E_NOMEM, "out of memory for DISTINCT");
    for (uint32_t i = 0; i < n; i++)
        ((int64_t *)keys[0].data)[i] = ids[i];
    keys[1] = *arg;
    uint32_t before = s->seen->count, added;
    if (ht_insert(s->seen, keys, n, pair, &added, err) != 0)
        return -1;
    /* Pairs numbered from `before` on are new; the first row holding one counts. */
    uint8_t *taken = arena_alloc(scratch, added ? added : 1);
    if (!taken)
        return err_set(err, ENG_E_NOMEM, "out of memory for DISTINCT");
    size_t w = ev_width(arg->type.id);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(arg, i) || pair[i] < before || taken[pair[i] - before])
            continue;
        taken[pair[i] - before] = 1;
        ids[m] = ids[i];
        memmove((char *)arg->data + m * w, (char *)arg->data + i * w, w);
        if (arg->nulls)
            arg->nulls[m] = 0;
        m++;
    }
    *kept = m;
    return 0;
}

/* SUM and AVG of integers and DECIMALs: 128-bit sums (a DECIMAL's sum keeps its scale). */
#define AGG_STRIPES    4
#define AGG_FEW_GROUPS 16

/* The first try of agg_sum_decimal_few: most sums add values far below 2^52 (prices,
 * quantities, their products), and a batch of at most 2,048 of those cannot overflow 64
 * bits, whose additions are cheaper than 128-bit ones. One pass adds the low halves and
 * notes any value outside that range: 0 (nothing changed) when there was one, 1 when
 * done, -1 when a sum left DECIMAL(38)'s 128 bits. */
#define AGG_NARROW_BITS 52
static int agg_sum_decimal_narrow(agg_state *s, const uint32_t *ids, const ev_vec *arg,
                                  const uint32_t *vidx, uint32_t n, eng_error *err)
{
    _Static_assert(ENG_VECTOR_SIZE <= (1u << (63 - AGG_NARROW_BITS)), "a batch fits 64 bits");
    uint64_t acc[AGG_STRIPES][AGG_FEW_GROUPS]; /* wraps (no UB) in a batch that turns out wide */
    int64_t cnt[AGG_STRIPES][AGG_FEW_GROUPS];
    memset(acc, 0, sizeof acc);
    memset(cnt, 0, sizeof cnt);
    const char *d = arg->data;
    uint64_t wide = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = vidx ? vidx[i] : i, k = i % AGG_STRIPES, g = ids[i];
        if (ev_null(arg, r))
            continue;
        int64_t lo, hi;
        memcpy(&lo, d + (size_t)r * 16, 8); /* little-endian halves of the 128-bit value */
        memcpy(&hi, d + (size_t)r * 16 + 8, 8);
        wide |= ((uint64_t)lo + (1ull << AGG_NARROW_BITS)) >> (AGG_NARROW_BITS + 1);
        wide |= (uint64_t)(hi ^ (lo >> 63));
        acc[k][g] += (uint64_t)lo;
        cnt[k][g]++;
    }
    if (wide)
        return 0;
    bool overflow = false;
    for (uint64_t g = 0; g < s->ngroups; g++) {
        char *slot = s->vals + g * 16;
        dec128 v = dec_load(slot);
        for (int k = 0; k < AGG_STRIPES; k++) {
            overflow |= __builtin_add_overflow(v, (dec128)(int64_t)acc[k][g], &v);
            s->cnt[g] += cnt[k][g];
        }
        dec_store(slot, v);
    }
    if (overflow)
        return err_set(err, ENG_E_OUT_OF_RANGE, "SUM is out of range for DECIMAL(38)");
    return 1;
}

/* SUM of DECIMALs into few groups (Q1's four, or one without GROUP BY): consecutive rows
 * add to the same few sums, each addition waiting for the previous one; four sets of
 * partial sums, taken in turn, let them overlap. */
static int agg_sum_decimal_few(agg_state *s, const uint32_t *ids, const ev_vec *arg,
                               const uint32_t *vidx, uint32_t n, eng_error *err)
{
    int narrow = agg_sum_decimal_narrow(s, ids, arg, vidx, n, err);
    if (narrow != 0)
        return narrow < 0 ? -1 : 0;
    dec128 acc[AGG_STRIPES][AGG_FEW_GROUPS];
    int64_t cnt[AGG_STRIPES][AGG_FEW_GROUPS];
    memset(acc, 0, sizeof acc);
    memset(cnt, 0, sizeof cnt);
    const char *d = arg->data;
    bool overflow = false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = vidx ? vidx[i] : i, k = i % AGG_STRIPES, g = ids[i];
        if (ev_null(arg, r))
            continue;
        overflow |= __builtin_add_overflow(acc[k][g], dec_load(d + (size_t)r * 16), &acc[k][g]);
        cnt[k][g]++;
    }
    for (uint64_t g = 0; g < s->ngroups; g++) {
        char *slot = s->vals + g * 16;
        dec128 v = dec_load(slot);
        for (int k = 0; k < AGG_STRIPES; k++) {
            overflow |= __builtin_add_overflow(v, acc[k][g], &v);
            s->cnt[g] += cnt[k][g];
        }
        dec_store(slot, v);
    }
    if (overflow)
        return err_set(err, ENG_E_OUT_OF_RANGE, "SUM is out of range for DECIMAL(38)");
    return 0;
}

/* The same for DOUBLE sums. The order of additions changes, as any parallel sum's does. */
static void agg_sum_double_few(agg_state *s, const uint32_t *ids, const ev_vec *arg,
                               const uint32_t *vidx, uint32_t n)
{
    double acc[AGG_STRIPES][AGG_FEW_GROUPS];
    int64_t cnt[AGG_STRIPES][AGG_FEW_GROUPS];
    memset(acc, 0, sizeof acc);
    memset(cnt, 0, sizeof cnt);
    const double *d = arg->data;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = vidx ? vidx[i] : i, k = i % AGG_STRIPES, g = ids[i];
        if (ev_null(arg, r))
            continue;
        acc[k][g] += d[r];
        cnt[k][g]++;
    }
    double *sum = (double *)s->vals;
    for (uint64_t g = 0; g < s->ngroups; g++)
        for (int k = 0; k < AGG_STRIPES; k++) {
            sum[g] += acc[k][g];
            s->cnt[g] += cnt[k][g];
        }
}

static int agg_sum_exact(agg_state *s, const uint32_t *ids, const ev_vec *arg, const uint32_t *vidx,
                         uint32_t n, eng_error *err)
{
    char *sums = s->vals;
    int64_t *cnt = s->cnt;
    switch (arg->type.id) {
    case ENG_TYPE_DECIMAL: {
        if (s->ngroups <= AGG_FEW_GROUPS && n >= 64)
            return agg_sum_decimal_few(s, ids, arg, vidx, n, err);
        const char *d = arg->data;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = vidx ? vidx[i] : i;
            if (ev_null(arg, r))
                continue;
            char *slot = sums + (size_t)ids[i] * 16;
            dec128 v;
            if (__builtin_add_overflow(dec_load(slot), dec_load(d + (size_t)r * 16), &v))
                return err_set(err, ENG_E_OUT_OF_RANGE, "SUM is out of range for DECIMAL(38)");
            dec_store(slot, v);
            cnt[ids[i]]++;
        }
        return 0;
    }
    case ENG_TYPE_SMALLINT:
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = vidx ? vidx[i] : i;
            if (ev_null(arg, r))
                continue;
            int64_t v = arg->type.id == ENG_TYPE_INTEGER    ? ((const int32_t *)arg->data)[r]
                        : arg->type.id == ENG_TYPE_SMALLINT ? ((const int16_t *)arg->data)[r]
                                                            : ((const int64_t *)arg->data)[r];
            char *slot = sums + (size_t)ids[i] * 16;
            dec_store(slot, dec_load(slot) + v);
            cnt[ids[i]]++;
        }
        return 0;
    default:
        return err_set(err, ENG_E_GENERAL, "SUM of %s", eng_type_name(arg->type.id));
    }
}

static int agg_minmax(agg_state *s, const uint32_t *ids, const ev_vec *arg, uint32_t n,
                      eng_error *err)
{
    int sign = s->agg->fn == AGG_MIN ? -1 : 1;
    ev_vec cur = {arg->type, s->vals, NULL};
    size_t w = s->width;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(arg, i))
            continue;
        uint32_t g = ids[i];
        if (s->cnt[g] && ev_compare_rows(arg, i, &cur, g) * sign <= 0) {
            s->cnt[g]++;
            continue;
        }
        memcpy(s->vals + (size_t)g * w, (const char *)arg->data + (size_t)i * w, w);
        if (val_is_string(arg->type.id)) {
            eng_str *v = (eng_str *)(s->vals + (size_t)g * w);
            if (v->len) {
                char *p = arena_alloc_raw(&s->strings, v->len);
                if (!p)
                    return agg_nomem(s, err);
                memcpy(p, v->ptr, v->len);
                v->ptr = p;
            }
        }
        s->cnt[g]++;
    }
    return 0;
}

int agg_update(agg_state *s, const uint32_t *ids_in, const ev_vec *arg_in, const uint32_t *vidx,
               uint32_t n, arena *scratch, eng_error *err)
{
    const uint32_t *ids = ids_in;
    const ev_vec *arg = arg_in;
    ev_vec copy, picked;
    if (arg && vidx && (s->seen || s->agg->fn == AGG_MIN || s->agg->fn == AGG_MAX)) {
        /* the plain loops below read through vidx; the others get the values picked out */
        if (ev_gather(arg, vidx, n, scratch, &picked, err) != 0)
            return -1;
        arg = arg_in = &picked;
        vidx = NULL;
    }
    if (s->seen) {
        /* DISTINCT rewrites ids and values in place: work on copies. */
        uint32_t *idc = arena_alloc_raw(scratch, (n ? n : 1) * sizeof *idc);
        if (!idc || ev_gather(arg_in, NULL, n, scratch, &copy, err) != 0)
            return idc ? -1 : err_set(err, ENG_E_NOMEM, "out of memory for DISTINCT");
        memcpy(idc, ids_in, n * sizeof *idc);
        if (agg_distinct(s, idc, &copy, n, scratch, &n, err) != 0)
            return -1;
        ids = idc;
        arg = &copy;
    }
    int64_t *cnt = s->cnt;
    switch (s->agg->fn) {
    case AGG_COUNT_STAR:
        if (s->ngroups == 1) { /* one group: no chain of increments of one counter */
            cnt[0] += n;
            return 0;
        }
        for (uint32_t i = 0; i < n; i++)
            cnt[ids[i]]++;
        return 0;
    case AGG_COUNT:
        if (s->ngroups == 1) {
            int64_t c = 0;
            for (uint32_t i = 0; i < n; i++)
                c += !ev_null(arg, vidx ? vidx[i] : i);
            cnt[0] += c;
            return 0;
        }
        for (uint32_t i = 0; i < n; i++)
            cnt[ids[i]] += !ev_null(arg, vidx ? vidx[i] : i);
        return 0;
    case AGG_SUM:
    case AGG_AVG:
        if (!agg_int_input(s)) {
            double *sum = (double *)s->vals;
            const double *v = arg->data;
            if (s->ngroups <= AGG_FEW_GROUPS && n >= 64) {
                agg_sum_double_few(s, ids, arg, vidx, n);
                return 0;
            }
            for (uint32_t i = 0; i < n; i++) {
                uint32_t r = vidx ? vidx[i] : i;
                if (ev_null(arg, r))
                    continue;
                sum[ids[i]] += v[r];
                cnt[ids[i]]++;
            }
            return 0;
        }
        return agg_sum_exact(s, ids, arg, vidx, n, err);
    case AGG_MIN:
    case AGG_MAX:
        return agg_minmax(s, ids, arg, n, err);
    }
    return 0;
}

int agg_merge(agg_state *s, uint64_t d, const agg_state *src, uint64_t g, eng_error *err)
{
    int64_t c = src->cnt[g];
    if (s->agg->fn == AGG_COUNT || s->agg->fn == AGG_COUNT_STAR || !c) {
        s->cnt[d] += c;
        return 0;
    }
    if (s->agg->fn == AGG_MIN || s->agg->fn == AGG_MAX) {
        ev_vec v = {src->agg->arg->type, src->vals, NULL};
        uint32_t one = (uint32_t)d;
        /* one row: the other state's value, fed through the usual MIN/MAX update */
        ev_vec row;
        arena tmp;
        arena_init(&tmp, 256);
        int rc = ev_gather(&v, (const uint32_t[]){(uint32_t)g}, 1, &tmp, &row, err) == 0
                     ? agg_minmax(s, &one, &row, 1, err)
                     : -1;
        arena_free(&tmp);
        s->cnt[d] += c - 1; /* agg_minmax counted one */
        return rc;
    }
    if (agg_int_input(s)) {
        char *slot = s->vals + d * 16;
        dec128 v;
        if (__builtin_add_overflow(dec_load(slot), dec_load(src->vals + g * 16), &v))
            return err_set(err, ENG_E_OUT_OF_RANGE, "SUM is out of range");
        dec_store(slot, v);
    } else {
        ((double *)s->vals)[d] += ((const double *)src->vals)[g];
    }
    s->cnt[d] += c;
    return 0;
}

void agg_value(const agg_state *s, uint64_t g, eng_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = s->agg->type.id;
    int64_t cnt = s->cnt[g];
    switch (s->agg->fn) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        out->u.i = cnt;
        return;
    case AGG_SUM:
        if (!cnt) {
            out->is_null = true;
        } else if (s->agg->type.id == ENG_TYPE_DECIMAL) {
            dec128 v = dec_load(s->vals + g * 16);
            if (!dec_fits(v, ENG_DECIMAL_MAX_PRECISION))
                out->type = ENG_TYPE_NULL; /* reported by agg_result */
            memcpy(&out->u.dec, &v, sizeof v);
            out->scale = (uint8_t)ENG_DECIMAL_SCALE(s->agg->type);
        } else if (agg_int_input(s)) {
            dec128 v = dec_load(s->vals + g * 16);
            if (v > INT64_MAX || v < INT64_MIN)
                out->type = ENG_TYPE_NULL; /* reported by agg_result */
            else
                out->u.i = (int64_t)v;
        } else {
            out->u.d = ((const double *)s->vals)[g];
        }
        return;
    case AGG_AVG:
        if (!cnt) {
            out->is_null = true;
        } else if (s->agg->type.id == ENG_TYPE_DECIMAL) {
            /* sum / count, rounded half away from zero at the result's scale */
            uint32_t from = ENG_DECIMAL_SCALE(s->agg->arg->type),
                     to = ENG_DECIMAL_SCALE(s->agg->type);
            dec128 v = dec_load(s->vals + g * 16) * dec_pow10(to - from), c = cnt;
            dec128 q = v / c, r = v % c;
            if ((r < 0 ? -r : r) * 2 >= c)
                q += v < 0 ? -1 : 1;
            memcpy(&out->u.dec, &q, sizeof q);
            out->scale = (uint8_t)to;
        } else if (agg_int_input(s)) {
            out->u.d = (double)dec_load(s->vals + g * 16) / (double)cnt;
        } else {
            out->u.d = ((const double *)s->vals)[g] / (double)cnt;
        }
        return;
    case AGG_MIN:
    case AGG_MAX:
        if (!cnt) {
            out->is_null = true;
            return;
        }
        ev_vec v = {s->agg->type, s->vals, NULL};
        ev_get(&v, (uint32_t)g, out);
        return;
    }
}

int agg_result(const agg_state *s, uint64_t first, uint32_t n, arena *a, ev_vec *out,
               eng_error *err)
{
    if (ev_alloc(a, s->agg->type, n, out, err) != 0)
        return -1;
    const int64_t *cnt = s->cnt + first;
    switch (s->agg->fn) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        memcpy(out->data, cnt, n * sizeof *cnt);
        return 0;
    case AGG_MIN:
    case AGG_MAX:
        memcpy(out->data, s->vals + first * s->width, n * s->width);
        for (uint32_t i = 0; i < n; i++)
            out->nulls[i] = cnt[i] == 0;
        return 0;
    default:
        break;
    }
    for (uint32_t i = 0; i < n; i++) {
        eng_value v;
        agg_value(s, first + i, &v);
        if (v.type == ENG_TYPE_NULL)
            return err_set(err, ENG_E_OUT_OF_RANGE, "SUM is out of range for %s",
                           s->agg->type.id == ENG_TYPE_DECIMAL ? "DECIMAL(38)" : "BIGINT");
        ev_put(out, i, &v);
    }
    return 0;
}

void agg_free(agg_state *s)
{
    qmem_free(s->mem, s->cnt, s->cap * sizeof *s->cnt);
    if (s->width)
        qmem_free(s->mem, s->vals, s->cap * s->width);
    s->cnt = NULL;
    s->vals = NULL;
    s->cap = 0;
    arena_free(&s->strings);
    if (s->seen)
        ht_free(s->seen);
}
