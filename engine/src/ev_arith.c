/*
 * Arithmetic over number vectors: checked integer operations (22003 on overflow, 22012
 * for a zero divisor), doubles in plain loops, DECIMAL in 128 bits with its result
 * scale (products rounded back when the scale was capped, quotients rounded half away
 * from zero) and a precision check. Operations with dates and times go to ev_datetime.c.
 */
#include "errors.h"
#include "ev_int.h"
#include "value.h"

#include <math.h>
#include <string.h>

static int ev_overflow(const bexpr *e, eng_error *err)
{
    if (e->type.id == ENG_TYPE_DECIMAL)
        return err_set(err, ENG_E_OUT_OF_RANGE,
                       "DECIMAL(%u,%u) out of range in operator %s (position %u)",
                       ENG_DECIMAL_PRECISION(e->type), ENG_DECIMAL_SCALE(e->type),
                       ast_op_text(e->u.binary.op), e->pos + 1);
    return err_set(err, ENG_E_OUT_OF_RANGE, "%s out of range in operator %s (position %u)",
                   eng_type_name(e->type.id), ast_op_text(e->u.binary.op), e->pos + 1);
}

static int ev_div_zero(const bexpr *e, eng_error *err)
{
    return err_set(err, ENG_E_DIVISION_BY_ZERO, "division by zero (position %u)", e->pos + 1);
}

/* One checked integer operation; returns false on overflow or division by zero (*zero
 * tells which). */
static bool ev_int_op(ast_op op, int64_t x, int64_t y, int64_t *r, bool *zero)
{
    *zero = false;
    switch (op) {
    case OP_ADD:
        return !__builtin_add_overflow(x, y, r);
    case OP_SUB:
        return !__builtin_sub_overflow(x, y, r);
    case OP_MUL:
        return !__builtin_mul_overflow(x, y, r);
    case OP_DIV:
    case OP_MOD:
        if (y == 0) {
            *zero = true;
            return false;
        }
        if (y == -1) { /* INT64_MIN / -1 overflows; x % -1 is 0 */
            *r = 0;
            return op == OP_MOD || !__builtin_sub_overflow((int64_t)0, x, r);
        }
        *r = op == OP_DIV ? x / y : x % y;
        return true;
    default:
        return false;
    }
}

/* The NULL flags of a binary operation's result: either input's. */
static void ev_merge_nulls(const ev_vec *l, const ev_vec *r, uint32_t n, uint8_t *restrict out)
{
    const uint8_t *restrict a = l->nulls, *restrict b = r->nulls;
    if (a && b)
        for (uint32_t i = 0; i < n; i++)
            out[i] = a[i] | b[i];
    else if (a || b)
        memcpy(out, a ? a : b, n);
    else
        memset(out, 0, n);
}

/* A double's exponent bits: all ones for infinities (and NaN). Integer compares, so the
 * overflow check below vectorises. */
#define EV_EXP_MAX 0x7ff0000000000000ull
static inline uint64_t ev_exponent(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits & EV_EXP_MAX;
}

/* Doubles: plain loops over all rows (NULL rows compute garbage that is never read), then
 * one pass for the checks. */
static int ev_arith_double(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n,
                           ev_vec *out, eng_error *err)
{
    ast_op op = e->u.binary.op;
    const double *restrict x = l->data, *restrict y = r->data;
    double *restrict d = out->data;
    uint8_t *nulls = out->nulls;
    ev_merge_nulls(l, r, n, nulls);
    switch (op) {
    case OP_ADD:
        for (uint32_t i = 0; i < n; i++)
            d[i] = x[i] + y[i];
        break;
    case OP_SUB:
        for (uint32_t i = 0; i < n; i++)
            d[i] = x[i] - y[i];
        break;
    case OP_MUL:
        for (uint32_t i = 0; i < n; i++)
            d[i] = x[i] * y[i];
        break;
    case OP_DIV:
    case OP_MOD:
        for (uint32_t i = 0; i < n; i++) {
            if (nulls[i])
                continue;
            if (y[i] == 0.0)
                return ev_div_zero(e, err);
            d[i] = op == OP_DIV ? x[i] / y[i] : fmod(x[i], y[i]);
        }
        break;
    default:
        return err_set(err, ENG_E_GENERAL, "arithmetic operator %s", ast_op_text(op));
    }
    /* An infinite result of finite operands is an overflow: look for one without branches,
     * then make sure it is a row that is not NULL. */
    uint64_t suspect = 0;
    for (uint32_t i = 0; i < n; i++)
        suspect |= (uint64_t)(ev_exponent(d[i]) == EV_EXP_MAX) &
                   (uint64_t)(ev_exponent(x[i]) != EV_EXP_MAX) &
                   (uint64_t)(ev_exponent(y[i]) != EV_EXP_MAX);
    if (suspect)
        for (uint32_t i = 0; i < n; i++)
            if (!nulls[i] && isinf(d[i]) && !isinf(x[i]) && !isinf(y[i]))
                return ev_overflow(e, err);
    return 0;
}

static int64_t ev_int_at(const ev_vec *v, uint32_t i)
{
    switch (v->type.id) {
    case ENG_TYPE_SMALLINT:
        return ((const int16_t *)v->data)[i];
    case ENG_TYPE_INTEGER:
        return ((const int32_t *)v->data)[i];
    default:
        return ((const int64_t *)v->data)[i];
    }
}

static int ev_arith_int(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
                        eng_error *err)
{
    ast_op op = e->u.binary.op;
    eng_type_id t = e->type.id;
    int64_t lo = t == ENG_TYPE_SMALLINT ? INT16_MIN : t == ENG_TYPE_INTEGER ? INT32_MIN : INT64_MIN;
    int64_t hi = t == ENG_TYPE_SMALLINT ? INT16_MAX : t == ENG_TYPE_INTEGER ? INT32_MAX : INT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        bool zero;
        int64_t v;
        if (!ev_int_op(op, ev_int_at(l, i), ev_int_at(r, i), &v, &zero))
            return zero ? ev_div_zero(e, err) : ev_overflow(e, err);
        if (v < lo || v > hi)
            return ev_overflow(e, err);
        if (t == ENG_TYPE_SMALLINT)
            ((int16_t *)out->data)[i] = (int16_t)v;
        else if (t == ENG_TYPE_INTEGER)
            ((int32_t *)out->data)[i] = (int32_t)v;
        else
            ((int64_t *)out->data)[i] = v;
    }
    return 0;
}

/* Divides rounding half away from zero. */
static dec128 ev_div_round(dec128 a, dec128 b)
{
    dec128 q = a / b, r = a % b;
    dec128 ar = r < 0 ? -r : r, ab = b < 0 ? -b : b;
    if (ar * 2 >= ab)
        q += (a < 0) != (b < 0) ? -1 : 1;
    return q;
}

/* Is there no NULL among the first n values? */
static bool ev_no_nulls(const ev_vec *v, uint32_t n)
{
    if (!v->nulls)
        return true;
    uint64_t any = 0;
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, v->nulls + i, 8);
        any |= w;
    }
    for (; i < n; i++)
        any |= v->nulls[i];
    return any == 0;
}

/* + - * of DECIMALs whose result type holds every possible result (the usual case: the
 * binder sized it, unless 38 digits capped it), over vectors without NULLs: no checks. */
static bool ev_decimal_fast(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n,
                            ev_vec *out)
{
    ast_op op = e->u.binary.op;
    uint32_t ls = ENG_DECIMAL_SCALE(l->type), rs = ENG_DECIMAL_SCALE(r->type);
    uint32_t lp = ENG_DECIMAL_PRECISION(l->type), rp = ENG_DECIMAL_PRECISION(r->type);
    uint32_t p = ENG_DECIMAL_PRECISION(e->type), s = ENG_DECIMAL_SCALE(e->type);
    bool fits;
    if (op == OP_MUL)
        fits = lp + rp <= p && ls + rs == s;
    else if (op == OP_ADD || op == OP_SUB)
        fits = ls == s && rs == s && (lp > rp ? lp : rp) + 1 <= p;
    else
        return false;
    if (!fits || !ev_no_nulls(l, n) || !ev_no_nulls(r, n))
        return false;
    const char *x = l->data, *y = r->data;
    char *o = out->data;
    switch (op) {
    case OP_MUL:
        if (lp <= 18 && rp <= 18) /* both fit 64 bits: one widening multiply */
            for (uint32_t i = 0; i < n; i++)
                dec_store(o + (size_t)i * 16, (dec128)(int64_t)dec_load(x + (size_t)i * 16) *
                                                  (int64_t)dec_load(y + (size_t)i * 16));
        else if (rp <= 18)
            for (uint32_t i = 0; i < n; i++)
                dec_store(o + (size_t)i * 16,
                          dec_load(x + (size_t)i * 16) * (int64_t)dec_load(y + (size_t)i * 16));
        else
            for (uint32_t i = 0; i < n; i++)
                dec_store(o + (size_t)i * 16,
                          dec_load(x + (size_t)i * 16) * dec_load(y + (size_t)i * 16));
        break;
    case OP_ADD:
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16,
                      dec_load(x + (size_t)i * 16) + dec_load(y + (size_t)i * 16));
        break;
    default:
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16,
                      dec_load(x + (size_t)i * 16) - dec_load(y + (size_t)i * 16));
        break;
    }
    if (out->nulls)
        memset(out->nulls, 0, n);
    return true;
}

int ev_arith_const(const bexpr *e, const ev_vec *v, const bexpr *c, bool c_left, uint32_t n,
                   ev_vec *out)
{
    ast_op op = e->u.binary.op;
    const eng_value *k = &c->u.constant;
    if (e->type.id != ENG_TYPE_DECIMAL || v->type.id != ENG_TYPE_DECIMAL ||
        c->type.id != ENG_TYPE_DECIMAL || k->is_null || k->type != ENG_TYPE_DECIMAL ||
        k->scale != ENG_DECIMAL_SCALE(c->type))
        return 0;
    uint32_t vs = ENG_DECIMAL_SCALE(v->type), cs = ENG_DECIMAL_SCALE(c->type);
    uint32_t vp = ENG_DECIMAL_PRECISION(v->type), cp = ENG_DECIMAL_PRECISION(c->type);
    uint32_t p = ENG_DECIMAL_PRECISION(e->type), s = ENG_DECIMAL_SCALE(e->type);
    bool fits; /* as in ev_decimal_fast: the result type holds every result */
    if (op == OP_MUL)
        fits = vp + cp <= p && vs + cs == s;
    else if (op == OP_ADD || op == OP_SUB)
        fits = vs == s && cs == s && (vp > cp ? vp : cp) + 1 <= p;
    else
        return 0;
    if (!fits)
        return 0;
    dec128 kv;
    memcpy(&kv, &k->u.dec, sizeof kv);
    bool negate = false;
    if (op == OP_SUB) { /* x - k is x + (-k); k - x is -(x + (-k)) */
        kv = -kv;
        negate = c_left;
        op = OP_ADD;
    }
    const char *x = v->data;
    char *o = out->data;
    /* A NULL row's value is garbage and its result is never read, but computing it must
     * not overflow a signed type: the 128-bit loops wrap as unsigned (the rows that are
     * not NULL cannot overflow, the result type holds them). */
    typedef unsigned __int128 u128;
    u128 ku = (u128)kv;
    if (op == OP_MUL && vp <= 18 && cp <= 18) { /* both fit 64 bits: one widening multiply */
        int64_t k64 = (int64_t)kv;
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16, (dec128)(int64_t)dec_load(x + (size_t)i * 16) * k64);
    } else if (op == OP_MUL) {
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16, (dec128)((u128)dec_load(x + (size_t)i * 16) * ku));
    } else if (negate) {
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16, (dec128)(-((u128)dec_load(x + (size_t)i * 16) + ku)));
    } else {
        for (uint32_t i = 0; i < n; i++)
            dec_store(o + (size_t)i * 16, (dec128)((u128)dec_load(x + (size_t)i * 16) + ku));
    }
    if (v->nulls) /* NULL rows hold garbage results that are never read */
        memcpy(out->nulls, v->nulls, n);
    else
        memset(out->nulls, 0, n);
    return 1;
}

static int ev_arith_decimal(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n,
                            ev_vec *out, eng_error *err)
{
    if (ev_decimal_fast(e, l, r, n, out))
        return 0;
    ast_op op = e->u.binary.op;
    uint32_t ls = ENG_DECIMAL_SCALE(l->type), rs = ENG_DECIMAL_SCALE(r->type);
    uint32_t p = ENG_DECIMAL_PRECISION(e->type), s = ENG_DECIMAL_SCALE(e->type);
    uint32_t lp = ENG_DECIMAL_PRECISION(l->type), rp = ENG_DECIMAL_PRECISION(r->type);
    /* Products of operands whose digits add up to 38 or fewer cannot overflow 128 bits. */
    bool mul_safe = lp + rp <= ENG_DECIMAL_MAX_PRECISION;
    dec128 div_scale = op == OP_DIV ? dec_pow10(s + rs - ls) : 1;
    const char *x = l->data, *y = r->data;
    char *o = out->data;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        dec128 a = dec_load(x + (size_t)i * 16), b = dec_load(y + (size_t)i * 16), v;
        switch (op) {
        case OP_ADD:
            if (__builtin_add_overflow(a, b, &v))
                return ev_overflow(e, err);
            break;
        case OP_SUB:
            if (__builtin_sub_overflow(a, b, &v))
                return ev_overflow(e, err);
            break;
        case OP_MUL:
            if (mul_safe)
                v = a * b;
            else if (__builtin_mul_overflow(a, b, &v))
                return ev_overflow(e, err);
            if (ls + rs > s)
                dec_rescale(v, ls + rs, s, &v);
            break;
        case OP_DIV:
            if (b == 0)
                return ev_div_zero(e, err);
            if (__builtin_mul_overflow(a, div_scale, &a))
                return ev_overflow(e, err);
            v = ev_div_round(a, b);
            break;
        case OP_MOD:
            if (b == 0)
                return ev_div_zero(e, err);
            v = a % b;
            break;
        default:
            return err_set(err, ENG_E_GENERAL, "arithmetic operator %s", ast_op_text(op));
        }
        if (!dec_fits(v, p))
            return ev_overflow(e, err);
        dec_store(o + (size_t)i * 16, v);
    }
    return 0;
}

int ev_arith(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
             eng_error *err)
{
    eng_type_id t = e->type.id;
    if (!val_is_numeric(l->type.id) || !val_is_numeric(r->type.id) || !val_is_numeric(t))
        return ev_temporal_arith(e, l, r, n, out, err);
    if (t == ENG_TYPE_DOUBLE)
        return ev_arith_double(e, l, r, n, out, err);
    if (t == ENG_TYPE_DECIMAL)
        return ev_arith_decimal(e, l, r, n, out, err);
    return ev_arith_int(e, l, r, n, out, err);
}

int ev_unary(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err)
{
    ev_vec v;
    if (ev_eval(e->u.unary.arg, in, n, a, &v, err) != 0)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(&v, i)) {
            out->nulls[i] = 1;
            continue;
        }
        switch (e->type.id) {
        case ENG_TYPE_BOOLEAN:
            ((uint8_t *)out->data)[i] = !((uint8_t *)v.data)[i];
            break;
        case ENG_TYPE_SMALLINT:
        case ENG_TYPE_INTEGER:
        case ENG_TYPE_BIGINT: {
            int64_t x = ev_int_at(&v, i);
            eng_type_id t = e->type.id;
            if ((t == ENG_TYPE_SMALLINT && x == INT16_MIN) ||
                (t == ENG_TYPE_INTEGER && x == INT32_MIN) || x == INT64_MIN)
                return err_set(err, ENG_E_OUT_OF_RANGE, "%s out of range in negation",
                               eng_type_name(t));
            eng_value val = {.type = t, .u.i = -x};
            ev_put(out, i, &val);
            break;
        }
        case ENG_TYPE_DOUBLE:
            ((double *)out->data)[i] = -((double *)v.data)[i];
            break;
        case ENG_TYPE_DECIMAL:
            dec_store((char *)out->data + (size_t)i * 16,
                      -dec_load((const char *)v.data + (size_t)i * 16));
            break;
        case ENG_TYPE_INTERVAL: {
            eng_interval *iv = (eng_interval *)out->data + i;
            const eng_interval *src = (const eng_interval *)v.data + i;
            iv->months = -src->months;
            iv->days = -src->days;
            iv->micros = -src->micros;
            break;
        }
        default:
            return err_set(err, ENG_E_GENERAL, "negation of %s", eng_type_name(e->type.id));
        }
    }
    return 0;
}
