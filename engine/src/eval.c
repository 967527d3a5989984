/*
 * Vectorised evaluation of bound expressions: one typed loop per operator and type over
 * dense vectors, NULLs carried in a byte per row. Integer arithmetic is checked (22003 on
 * overflow), division and modulo by zero raise 22012, AND/OR follow three-valued logic.
 * CASE, COALESCE and AND/OR evaluate a branch only for the rows that reach it, by handing
 * the branch a narrower selection of the input rows.
 */
#include "eval.h"

#include "errors.h"
#include "ev_int.h"
#include "table.h"
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t ev_width(eng_type_id id)
{
    return tbl_type_width(id);
}

int ev_alloc(arena *a, eng_type type, uint32_t n, ev_vec *out, eng_error *err)
{
    /* The data is left as it is: every operator writes each row it does not mark NULL. */
    out->type = type;
    out->data = arena_alloc_raw(a, (n ? n : 1) * ev_width(type.id));
    out->nulls = arena_alloc(a, n ? n : 1);
    if (!out->data || !out->nulls)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating an expression");
    return 0;
}

void ev_get(const ev_vec *v, uint32_t i, eng_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = v->type.id;
    if (ev_null(v, i)) {
        out->is_null = true;
        return;
    }
    const void *d = v->data;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        out->u.b = ((const uint8_t *)d)[i];
        break;
    case ENG_TYPE_SMALLINT:
        out->u.i = ((const int16_t *)d)[i];
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        out->u.i = ((const int32_t *)d)[i];
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        out->u.i = ((const int64_t *)d)[i];
        break;
    case ENG_TYPE_DOUBLE:
        out->u.d = ((const double *)d)[i];
        break;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        out->u.s = ((const eng_str *)d)[i];
        break;
    case ENG_TYPE_DECIMAL:
        memcpy(&out->u.dec, (const char *)d + (size_t)i * sizeof(eng_int128), sizeof out->u.dec);
        out->scale = (uint8_t)ENG_DECIMAL_SCALE(v->type);
        break;
    case ENG_TYPE_INTERVAL:
        memcpy(&out->u.iv, (const char *)d + (size_t)i * sizeof(eng_interval), sizeof out->u.iv);
        break;
    case ENG_TYPE_NULL:
        out->is_null = true;
        break;
    }
}

void ev_put(ev_vec *v, uint32_t i, const eng_value *val)
{
    if (val->is_null || val->type == ENG_TYPE_NULL) {
        v->nulls[i] = 1;
        return;
    }
    v->nulls[i] = 0;
    void *d = v->data;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        ((uint8_t *)d)[i] = val->u.b;
        break;
    case ENG_TYPE_SMALLINT:
        ((int16_t *)d)[i] = (int16_t)val->u.i;
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        ((int32_t *)d)[i] = (int32_t)val->u.i;
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        ((int64_t *)d)[i] = val->u.i;
        break;
    case ENG_TYPE_DOUBLE:
        ((double *)d)[i] = val->u.d;
        break;
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        ((eng_str *)d)[i] = val->u.s;
        break;
    case ENG_TYPE_DECIMAL:
        memcpy((char *)d + (size_t)i * sizeof(eng_int128), &val->u.dec, sizeof val->u.dec);
        break;
    case ENG_TYPE_INTERVAL:
        memcpy((char *)d + (size_t)i * sizeof(eng_interval), &val->u.iv, sizeof val->u.iv);
        break;
    case ENG_TYPE_NULL:
        break;
    }
}

int ev_compare_rows(const ev_vec *x, uint32_t i, const ev_vec *y, uint32_t j)
{
    switch (x->type.id) {
    case ENG_TYPE_BOOLEAN: {
        uint8_t a = ((const uint8_t *)x->data)[i], b = ((const uint8_t *)y->data)[j];
        return (a > b) - (a < b);
    }
    case ENG_TYPE_SMALLINT: {
        int16_t a = ((const int16_t *)x->data)[i], b = ((const int16_t *)y->data)[j];
        return (a > b) - (a < b);
    }
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE: {
        int32_t a = ((const int32_t *)x->data)[i], b = ((const int32_t *)y->data)[j];
        return (a > b) - (a < b);
    }
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP: {
        int64_t a = ((const int64_t *)x->data)[i], b = ((const int64_t *)y->data)[j];
        return (a > b) - (a < b);
    }
    case ENG_TYPE_DOUBLE: {
        double a = ((const double *)x->data)[i], b = ((const double *)y->data)[j];
        return (a > b) - (a < b);
    }
    case ENG_TYPE_DECIMAL: {
        dec128 a = dec_load((const char *)x->data + (size_t)i * 16);
        dec128 b = dec_load((const char *)y->data + (size_t)j * 16);
        return (a > b) - (a < b);
    }
    case ENG_TYPE_INTERVAL: {
        eng_interval a, b;
        memcpy(&a, (const char *)x->data + (size_t)i * sizeof a, sizeof a);
        memcpy(&b, (const char *)y->data + (size_t)j * sizeof b, sizeof b);
        int64_t ka = dt_interval_key(&a), kb = dt_interval_key(&b);
        return (ka > kb) - (ka < kb);
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        return ev_str_cmp(((const eng_str *)x->data)[i], ((const eng_str *)y->data)[j]);
    case ENG_TYPE_NULL:
        break;
    }
    return 0;
}

static uint64_t ev_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

uint64_t ev_hash_bytes(const char *p, uint32_t len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ len;
    uint32_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, len - i);
    return ev_mix(h ^ tail);
}

uint64_t ev_hash_row(const ev_vec *v, uint32_t i)
{
    if (ev_null(v, i))
        return 0x9e3779b97f4a7c15ull;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        return ev_mix(((const uint8_t *)v->data)[i] + 1);
    case ENG_TYPE_SMALLINT:
        return ev_mix((uint64_t)(int64_t)((const int16_t *)v->data)[i]);
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        return ev_mix((uint64_t)(int64_t)((const int32_t *)v->data)[i]);
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        return ev_mix((uint64_t)((const int64_t *)v->data)[i]);
    case ENG_TYPE_DECIMAL: {
        eng_int128 d;
        memcpy(&d, (const char *)v->data + (size_t)i * 16, 16);
        return ev_mix(d.lo ^ ev_mix((uint64_t)d.hi));
    }
    case ENG_TYPE_INTERVAL: {
        eng_interval iv;
        memcpy(&iv, (const char *)v->data + (size_t)i * sizeof iv, sizeof iv);
        return ev_mix((uint64_t)dt_interval_key(&iv));
    }
    case ENG_TYPE_DOUBLE: {
        double d = ((const double *)v->data)[i];
        if (d == 0)
            d = 0.0; /* -0.0 equals 0.0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return ev_mix(bits);
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB: {
        eng_str s = ((const eng_str *)v->data)[i];
        return ev_hash_bytes(s.ptr, s.len);
    }
    case ENG_TYPE_NULL:
        break;
    }
    return 0;
}

static int ev_constant(const eng_value *val, eng_type type, uint32_t n, arena *a, ev_vec *out,
                       eng_error *err)
{
    if (ev_alloc(a, type, n, out, err) != 0)
        return -1;
    if (val->is_null || val->type == ENG_TYPE_NULL) {
        memset(out->nulls, 1, n);
        return 0;
    }
    switch (ev_width(type.id)) {
    case 1:
        memset(out->data, val->u.b, n);
        return 0;
    case 4:
        for (uint32_t i = 0; i < n; i++)
            ((int32_t *)out->data)[i] = (int32_t)val->u.i;
        return 0;
    case 8:
        if (type.id == ENG_TYPE_DOUBLE)
            for (uint32_t i = 0; i < n; i++)
                ((double *)out->data)[i] = val->u.d;
        else
            for (uint32_t i = 0; i < n; i++)
                ((int64_t *)out->data)[i] = val->u.i;
        return 0;
    case 16:
        if (type.id == ENG_TYPE_DECIMAL || type.id == ENG_TYPE_INTERVAL) {
            const void *v =
                type.id == ENG_TYPE_DECIMAL ? (const void *)&val->u.dec : (const void *)&val->u.iv;
            for (uint32_t i = 0; i < n; i++)
                memcpy((char *)out->data + (size_t)i * 16, v, 16);
            return 0;
        }
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n; i++)
        ev_put(out, i, val);
    return 0;
}

int ev_gather(const ev_vec *src, const uint32_t *sel, uint32_t n, arena *a, ev_vec *out,
              eng_error *err)
{
    out->type = src->type;
    size_t w = ev_width(src->type.id);
    out->data = arena_alloc_raw(a, (n ? n : 1) * w);
    out->nulls = arena_alloc_raw(a, n ? n : 1);
    if (!out->data || !out->nulls)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating an expression");
    const char *from = src->data;
    char *to = out->data;
    if (!sel) {
        memcpy(to, from, n * w);
        if (src->nulls)
            memcpy(out->nulls, src->nulls, n);
        else
            memset(out->nulls, 0, n);
        return 0;
    }
    switch (w) {
    case 1:
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)to)[i] = ((const uint8_t *)from)[sel[i]];
        break;
    case 2:
        for (uint32_t i = 0; i < n; i++)
            ((int16_t *)to)[i] = ((const int16_t *)from)[sel[i]];
        break;
    case 4:
        for (uint32_t i = 0; i < n; i++)
            ((int32_t *)to)[i] = ((const int32_t *)from)[sel[i]];
        break;
    case 8:
        for (uint32_t i = 0; i < n; i++)
            ((int64_t *)to)[i] = ((const int64_t *)from)[sel[i]];
        break;
    case 16:
        for (uint32_t i = 0; i < n; i++)
            memcpy(to + (size_t)i * 16, from + (size_t)sel[i] * 16, 16);
        break;
    default:
        for (uint32_t i = 0; i < n; i++)
            memcpy(to + (size_t)i * w, from + (size_t)sel[i] * w, w);
        break;
    }
    if (src->nulls)
        for (uint32_t i = 0; i < n; i++)
            out->nulls[i] = src->nulls[sel[i]];
    else
        memset(out->nulls, 0, n);
    return 0;
}

void ev_scatter(ev_vec *out, const uint32_t *idx, uint32_t m, const ev_vec *src)
{
    size_t w = ev_width(out->type.id);
    for (uint32_t k = 0; k < m; k++) {
        uint32_t i = idx[k];
        out->nulls[i] = ev_null(src, k);
        if (!out->nulls[i])
            memcpy((char *)out->data + (size_t)i * w, (const char *)src->data + (size_t)k * w, w);
    }
}

int ev_sub_input(const ev_input *in, const uint32_t *idx, uint32_t m, arena *a, ev_input *sub,
                 eng_error *err)
{
    uint32_t *sel = arena_alloc_raw(a, (m ? m : 1) * sizeof *sel);
    if (!sel)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating an expression");
    for (uint32_t k = 0; k < m; k++)
        sel[k] = in->sel ? in->sel[idx[k]] : idx[k];
    *sub = *in;
    sub->sel = sel;
    sub->cache = NULL; /* other rows */
    sub->exprs = NULL;
    return 0;
}

/* Integer vectors of any width read as int64. */
static int64_t ev_int_at(const ev_vec *v, uint32_t i)
{
    switch (v->type.id) {
    case ENG_TYPE_SMALLINT:
        return ((const int16_t *)v->data)[i];
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        return ((const int32_t *)v->data)[i];
    default:
        return ((const int64_t *)v->data)[i];
    }
}

/* Casts with a loop of their own: widening numbers, DATE to TIMESTAMP, DECIMAL to another
 * DECIMAL scale or to DOUBLE. Returns 1 when done, 0 when the general path must do it. */
static int ev_cast_fast(const bexpr *e, const ev_vec *arg, uint32_t n, ev_vec *out, eng_error *err)
{
    eng_type_id from = arg->type.id, to = e->type.id;
    for (uint32_t i = 0; i < n; i++)
        out->nulls[i] = ev_null(arg, i);
    if (val_is_integer(from) && (to == ENG_TYPE_BIGINT || to == ENG_TYPE_DOUBLE ||
                                 (to == ENG_TYPE_INTEGER && from == ENG_TYPE_SMALLINT))) {
        for (uint32_t i = 0; i < n; i++) {
            int64_t v = ev_int_at(arg, i);
            if (to == ENG_TYPE_BIGINT)
                ((int64_t *)out->data)[i] = v;
            else if (to == ENG_TYPE_INTEGER)
                ((int32_t *)out->data)[i] = (int32_t)v;
            else
                ((double *)out->data)[i] = (double)v;
        }
        return 1;
    }
    if (from == ENG_TYPE_DATE && to == ENG_TYPE_TIMESTAMP) {
        for (uint32_t i = 0; i < n; i++)
            ((int64_t *)out->data)[i] = (int64_t)((const int32_t *)arg->data)[i] * DT_DAY_MICROS;
        return 1;
    }
    if (to == ENG_TYPE_DECIMAL && (from == ENG_TYPE_DECIMAL || val_is_integer(from))) {
        uint32_t fs = from == ENG_TYPE_DECIMAL ? ENG_DECIMAL_SCALE(arg->type) : 0;
        uint32_t ts = ENG_DECIMAL_SCALE(e->type), p = ENG_DECIMAL_PRECISION(e->type);
        for (uint32_t i = 0; i < n; i++) {
            if (out->nulls[i])
                continue;
            dec128 v = from == ENG_TYPE_DECIMAL ? dec_load((const char *)arg->data + (size_t)i * 16)
                                                : ev_int_at(arg, i);
            if (!dec_rescale(v, fs, ts, &v) || !dec_fits(v, p))
                return err_set(err, ENG_E_OUT_OF_RANGE,
                               "value out of range for type DECIMAL(%u,%u) (position %u)", p, ts,
                               e->pos + 1);
            dec_store((char *)out->data + (size_t)i * 16, v);
        }
        return 1;
    }
    if (from == ENG_TYPE_DECIMAL && to == ENG_TYPE_DOUBLE) {
        uint32_t fs = ENG_DECIMAL_SCALE(arg->type);
        for (uint32_t i = 0; i < n; i++)
            if (!out->nulls[i])
                ((double *)out->data)[i] =
                    dec_to_double(dec_load((const char *)arg->data + (size_t)i * 16), fs);
        return 1;
    }
    return 0;
}

static int ev_cast(const bexpr *e, const ev_vec *arg, uint32_t n, arena *a, ev_vec *out,
                   eng_error *err)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    int fast = ev_cast_fast(e, arg, n, out, err);
    if (fast != 0)
        return fast < 0 ? -1 : 0;
    for (uint32_t i = 0; i < n; i++) {
        eng_value in, v;
        ev_get(arg, i, &in);
        if (val_cast(&in, e->type, a, &v, err) != 0) {
            if (err && e->pos)
                snprintf(err->message + strlen(err->message),
                         sizeof err->message - strlen(err->message), " (position %u)", e->pos + 1);
            return -1;
        }
        ev_put(out, i, &v);
    }
    return 0;
}

static void ev_compare(ast_op op, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out)
{
    uint8_t *res = out->data;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        int c = ev_compare_rows(l, i, r, i);
        switch (op) {
        case OP_EQ:
            res[i] = c == 0;
            break;
        case OP_NE:
            res[i] = c != 0;
            break;
        case OP_LT:
            res[i] = c < 0;
            break;
        case OP_LE:
            res[i] = c <= 0;
            break;
        case OP_GT:
            res[i] = c > 0;
            break;
        default:
            res[i] = c >= 0;
            break;
        }
    }
}

static int ev_concat(const ev_vec *l, const ev_vec *r, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        eng_str x = ((eng_str *)l->data)[i], y = ((eng_str *)r->data)[i];
        if ((uint64_t)x.len + y.len > UINT32_MAX)
            return err_set(err, ENG_E_OUT_OF_RANGE, "string too long in ||");
        char *p = arena_alloc_raw(a, (size_t)x.len + y.len + 1);
        if (!p)
            return err_set(err, ENG_E_NOMEM, "out of memory in ||");
        if (x.len)
            memcpy(p, x.ptr, x.len);
        if (y.len)
            memcpy(p + x.len, y.ptr, y.len);
        ((eng_str *)out->data)[i] = (eng_str){p, x.len + y.len};
    }
    return 0;
}

/* AND / OR: the right side runs only on rows the left side leaves undecided (AND: not
 * FALSE; OR: not TRUE), then the results are combined in three-valued logic. */
static int ev_logic(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                    eng_error *err)
{
    bool is_and = e->u.binary.op == OP_AND;
    ev_vec l;
    if (ev_eval(e->u.binary.left, in, n, a, &l, err) != 0)
        return -1;
    uint32_t *idx = arena_alloc_raw(a, (n ? n : 1) * sizeof *idx);
    if (!idx)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating %s", is_and ? "AND" : "OR");
    uint32_t m = 0;
    const uint8_t *lv = l.data;
    uint8_t *res = out->data;
    for (uint32_t i = 0; i < n; i++) {
        bool lnull = ev_null(&l, i);
        out->nulls[i] = lnull;
        res[i] = lv[i];
        if (lnull || (is_and ? lv[i] : !lv[i]))
            idx[m++] = i;
    }
    if (m == 0)
        return 0;
    ev_input sub;
    ev_vec r;
    if (ev_sub_input(in, idx, m, a, &sub, err) != 0 ||
        ev_eval(e->u.binary.right, &sub, m, a, &r, err) != 0)
        return -1;
    const uint8_t *rv = r.data;
    for (uint32_t k = 0; k < m; k++) {
        uint32_t i = idx[k];
        bool lnull = ev_null(&l, i), rnull = ev_null(&r, k);
        if (is_and) { /* left is TRUE or NULL here */
            if (!rnull && !rv[k]) {
                out->nulls[i] = 0;
                res[i] = 0;
            } else {
                out->nulls[i] = lnull || rnull;
                res[i] = 1;
            }
        } else { /* left is FALSE or NULL here */
            if (!rnull && rv[k]) {
                out->nulls[i] = 0;
                res[i] = 1;
            } else {
                out->nulls[i] = lnull || rnull;
                res[i] = 0;
            }
        }
    }
    return 0;
}

/* Searched CASE: each WHEN sees only the rows no earlier WHEN took. */
static int ev_case(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                   eng_error *err)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    uint32_t *rest = arena_alloc_raw(a, (n ? n : 1) * sizeof *rest);
    uint32_t *hit = arena_alloc_raw(a, (n ? n : 1) * sizeof *hit);
    uint32_t *miss = arena_alloc_raw(a, (n ? n : 1) * sizeof *miss);
    if (!rest || !hit || !miss)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating CASE");
    for (uint32_t i = 0; i < n; i++)
        rest[i] = i;
    uint32_t m = n;
    for (uint32_t k = 0; k < e->u.case_.n && m; k++) {
        ev_input sub;
        ev_vec cond;
        if (ev_sub_input(in, rest, m, a, &sub, err) != 0 ||
            ev_eval(e->u.case_.when[k], &sub, m, a, &cond, err) != 0)
            return -1;
        uint32_t nh = 0, nm = 0;
        for (uint32_t j = 0; j < m; j++) {
            if (!ev_null(&cond, j) && ((const uint8_t *)cond.data)[j])
                hit[nh++] = rest[j];
            else
                miss[nm++] = rest[j];
        }
        if (nh) {
            ev_vec v;
            if (ev_sub_input(in, hit, nh, a, &sub, err) != 0 ||
                ev_eval(e->u.case_.then[k], &sub, nh, a, &v, err) != 0)
                return -1;
            ev_scatter(out, hit, nh, &v);
        }
        memcpy(rest, miss, nm * sizeof *rest);
        m = nm;
    }
    if (!m)
        return 0;
    if (!e->u.case_.else_) {
        for (uint32_t j = 0; j < m; j++)
            out->nulls[rest[j]] = 1;
        return 0;
    }
    ev_input sub;
    ev_vec v;
    if (ev_sub_input(in, rest, m, a, &sub, err) != 0 ||
        ev_eval(e->u.case_.else_, &sub, m, a, &v, err) != 0)
        return -1;
    ev_scatter(out, rest, m, &v);
    return 0;
}

/* x IN (a, b, ...): TRUE on a match; else NULL when x or an item is NULL; else FALSE. */
static int ev_in_list(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                      eng_error *err)
{
    ev_vec x;
    if (ev_eval(e->u.in.arg, in, n, a, &x, err) != 0 || ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    uint8_t *res = out->data;
    memset(res, 0, n);
    for (uint32_t i = 0; i < n; i++)
        out->nulls[i] = ev_null(&x, i);
    for (uint32_t k = 0; k < e->u.in.n; k++) {
        ev_vec v;
        if (ev_eval(e->u.in.list[k], in, n, a, &v, err) != 0)
            return -1;
        for (uint32_t i = 0; i < n; i++) {
            if (res[i] || ev_null(&x, i))
                continue;
            if (ev_null(&v, i))
                out->nulls[i] = 1;
            else if (ev_compare_rows(&x, i, &v, i) == 0)
                res[i] = 1, out->nulls[i] = 0;
        }
    }
    if (e->u.in.negated)
        for (uint32_t i = 0; i < n; i++)
            res[i] = !res[i];
    return 0;
}

static int ev_outer(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                    eng_error *err)
{
    const eng_value *outer = ex_ctx_outer(in->ctx);
    if (!outer)
        return err_set(err, ENG_E_GENERAL, "a correlated column has no enclosing row");
    return ev_constant(&outer[e->u.outer], e->type, n, a, out, err);
}

static int ev_eval_node(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                        eng_error *err);

int ev_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err)
{
    ev_expr_cache *c = in->exprs;
    if (!e->shared || !c)
        return ev_eval_node(e, in, n, a, out, err);
    for (uint32_t i = 0; i < c->n; i++)
        if (c->e[i] == e) { /* read-only from here on, like a cached column */
            *out = c->v[i];
            return 0;
        }
    if (ev_eval_node(e, in, n, a, out, err) != 0)
        return -1;
    if (c->n < EV_EXPR_SLOTS) {
        c->e[c->n] = e;
        c->v[c->n++] = *out;
    }
    return 0;
}

static int ev_eval_node(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                        eng_error *err)
{
    switch (e->kind) {
    case BX_CONST:
        return ev_constant(&e->u.constant, e->type, n, a, out, err);
    case BX_PARAM:
        return ev_constant(&in->params[e->u.param], e->type, n, a, out, err);
    case BX_OUTER:
        return ev_outer(e, in, n, a, out, err);
    case BX_COLUMN:
        if (!in->sel) { /* every row: the column itself, read-only like a cached one */
            *out = in->cols[e->u.column];
            return 0;
        }
        if (in->cache) {
            ev_vec *c = &in->cache[e->u.column];
            if (!c->data && ev_gather(&in->cols[e->u.column], in->sel, n, a, c, err) != 0)
                return -1;
            *out = *c;
            return 0;
        }
        return ev_gather(&in->cols[e->u.column], in->sel, n, a, out, err);
    case BX_CAST: {
        ev_vec arg;
        if (ev_eval(e->u.cast_arg, in, n, a, &arg, err) != 0)
            return -1;
        return ev_cast(e, &arg, n, a, out, err);
    }
    case BX_IS_NULL: {
        ev_vec arg;
        if (ev_eval(e->u.is_null.arg, in, n, a, &arg, err) != 0 ||
            ev_alloc(a, e->type, n, out, err) != 0)
            return -1;
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)out->data)[i] = ev_null(&arg, i) != e->u.is_null.negated;
        return 0;
    }
    case BX_UNARY:
        if (ev_alloc(a, e->type, n, out, err) != 0)
            return -1;
        return ev_unary(e, in, n, a, out, err);
    case BX_FUNC:
        return ev_func(e, in, n, a, out, err);
    case BX_CASE:
        return ev_case(e, in, n, a, out, err);
    case BX_IN_LIST:
        return ev_in_list(e, in, n, a, out, err);
    case BX_LIKE:
        return ev_like(e, in, n, a, out, err);
    case BX_SUBQUERY:
        return ex_subquery_eval(e, in, n, a, out, err);
    case BX_BINARY:
        break;
    }
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    ast_op op = e->u.binary.op;
    if (op == OP_AND || op == OP_OR)
        return ev_logic(e, in, n, a, out, err);
    ev_vec l, r;
    const bexpr *lx = e->u.binary.left, *rx = e->u.binary.right;
    if ((op == OP_ADD || op == OP_SUB || op == OP_MUL) && e->type.id == ENG_TYPE_DECIMAL &&
        (lx->kind == BX_CONST) != (rx->kind == BX_CONST)) {
        bool c_left = lx->kind == BX_CONST;
        if (ev_eval(c_left ? rx : lx, in, n, a, c_left ? &r : &l, err) != 0)
            return -1;
        if (ev_arith_const(e, c_left ? &r : &l, c_left ? lx : rx, c_left, n, out))
            return 0;
        if (ev_eval(c_left ? lx : rx, in, n, a, c_left ? &l : &r, err) != 0)
            return -1;
        return ev_arith(e, &l, &r, n, out, err);
    }
    if (ev_eval(lx, in, n, a, &l, err) != 0 || ev_eval(rx, in, n, a, &r, err) != 0)
        return -1;
    switch (op) {
    case OP_CONCAT:
        return ev_concat(&l, &r, n, a, out, err);
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        ev_compare(op, &l, &r, n, out);
        return 0;
    default:
        return ev_arith(e, &l, &r, n, out, err);
    }
}

int ev_eval_scalar(const bexpr *e, const eng_value *params, arena *a, eng_value *out,
                   eng_error *err)
{
    ev_input in = {NULL, NULL, params, NULL, NULL, NULL};
    ev_vec v;
    if (ev_eval(e, &in, 1, a, &v, err) != 0)
        return -1;
    ev_get(&v, 0, out);
    return 0;
}
