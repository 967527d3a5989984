/*
 * Numeric functions over vectors: ABS, SIGN, ROUND and TRUNC (to a number of decimals),
 * FLOOR, CEIL, POWER, SQRT, EXP, LN, LOG10, RANDOM. Integers stay integers and DECIMALs
 * stay exact; the others compute in doubles. An argument outside a function's domain
 * (the square root of a negative number, the logarithm of zero) is 22023.
 */
#include "errors.h"
#include "ev_int.h"
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int em_domain(const bexpr *e, const char *what, eng_error *err)
{
    return err_set(err, ENG_E_INVALID_ARGUMENT, "%s (position %u)", what, e->pos + 1);
}

static int em_range(const bexpr *e, eng_error *err)
{
    return err_set(err, ENG_E_OUT_OF_RANGE, "%s out of range in a function (position %u)",
                   eng_type_name(e->type.id), e->pos + 1);
}

static int64_t em_int(const ev_vec *v, uint32_t i)
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

/* Rounds (or truncates) x to `digits` decimals, half away from zero. */
static double em_round_double(double x, int64_t digits, bool trunc_only)
{
    if (digits > 300 || !isfinite(x))
        return x;
    double f = pow(10.0, (double)(digits < -300 ? -300 : digits));
    double y = x * f;
    y = trunc_only ? trunc(y) : round(y);
    return y / f;
}

static dec128 em_round_dec(dec128 v, uint32_t scale, int64_t digits, bool trunc_only, int mode)
{
    /* mode: 0 round/trunc to digits, 1 floor, -1 ceil (to 0 decimals) */
    if (mode) {
        dec128 d = dec_pow10(scale), q = v / d, r = v % d;
        if (mode > 0 && r < 0)
            q--;
        if (mode < 0 && r > 0)
            q++;
        return q * d;
    }
    if (digits >= (int64_t)scale)
        return v;
    int64_t drop = (int64_t)scale - digits;
    if (drop > ENG_DECIMAL_MAX_PRECISION)
        return 0;
    dec128 d = dec_pow10((uint32_t)drop), q = v / d, r = v % d;
    if (!trunc_only && (r < 0 ? -r : r) * 2 >= d)
        q += v < 0 ? -1 : 1;
    return q * d;
}

static int em_row(const bexpr *e, const ev_vec *args, uint32_t i, ev_vec *out, eng_error *err)
{
    bx_fn fn = e->u.func.fn;
    const ev_vec *x = &args[0];
    eng_type_id t = e->type.id;
    eng_value v = {.type = t};
    int64_t digits = e->u.func.nargs > 1 ? em_int(&args[1], i) : 0;
    if (t == ENG_TYPE_DECIMAL) {
        dec128 a = dec_load((const char *)x->data + (size_t)i * 16), r;
        uint32_t xs = ENG_DECIMAL_SCALE(x->type), rs = ENG_DECIMAL_SCALE(e->type);
        switch (fn) {
        case FN_ABS:
            r = a < 0 ? -a : a;
            break;
        case FN_SIGN:
            r = (dec128)((a > 0) - (a < 0)) * dec_pow10(xs);
            break;
        case FN_ROUND:
        case FN_TRUNC:
            r = em_round_dec(a, xs, digits, fn == FN_TRUNC, 0);
            break;
        case FN_FLOOR:
            r = em_round_dec(a, xs, 0, false, 1);
            break;
        default: /* FN_CEIL */
            r = em_round_dec(a, xs, 0, false, -1);
            break;
        }
        if (!dec_rescale(r, xs, rs, &r) || !dec_fits(r, ENG_DECIMAL_PRECISION(e->type)))
            return em_range(e, err);
        memcpy(&v.u.dec, &r, sizeof r);
        v.scale = (uint8_t)rs;
        ev_put(out, i, &v);
        return 0;
    }
    if (t != ENG_TYPE_DOUBLE) { /* integers */
        int64_t a = em_int(x, i), r = a;
        switch (fn) {
        case FN_ABS:
            if (a == INT64_MIN || (t == ENG_TYPE_INTEGER && a == INT32_MIN) ||
                (t == ENG_TYPE_SMALLINT && a == INT16_MIN))
                return em_range(e, err);
            r = a < 0 ? -a : a;
            break;
        case FN_SIGN:
            r = (a > 0) - (a < 0);
            break;
        case FN_ROUND:
        case FN_TRUNC:
            if (digits < 0) {
                if (digits < -18) {
                    r = 0;
                    break;
                }
                int64_t d = (int64_t)dec_pow10((uint32_t)-digits), q = a / d, m = a % d;
                if (fn == FN_ROUND && (m < 0 ? -m : m) * 2 >= d)
                    q += a < 0 ? -1 : 1;
                if (__builtin_mul_overflow(q, d, &r))
                    return em_range(e, err);
            }
            break;
        default: /* FLOOR, CEIL of an integer: itself */
            break;
        }
        v.u.i = r;
        ev_put(out, i, &v);
        return 0;
    }
    double a = x->type.id == ENG_TYPE_DOUBLE ? ((const double *)x->data)[i] : (double)em_int(x, i);
    double r;
    switch (fn) {
    case FN_ABS:
        r = fabs(a);
        break;
    case FN_SIGN:
        r = (a > 0) - (a < 0);
        break;
    case FN_ROUND:
    case FN_TRUNC:
        r = em_round_double(a, digits, fn == FN_TRUNC);
        break;
    case FN_FLOOR:
        r = floor(a);
        break;
    case FN_CEIL:
        r = ceil(a);
        break;
    case FN_POWER: {
        double b = ((const double *)args[1].data)[i];
        if (a == 0 && b < 0)
            return em_domain(e, "zero raised to a negative power is undefined", err);
        if (a < 0 && b != floor(b))
            return em_domain(e, "a negative number raised to a non-integer power", err);
        r = pow(a, b);
        break;
    }
    case FN_SQRT:
        if (a < 0)
            return em_domain(e, "cannot take the square root of a negative number", err);
        r = sqrt(a);
        break;
    case FN_EXP:
        r = exp(a);
        break;
    case FN_LN:
    case FN_LOG10:
        if (a <= 0)
            return em_domain(e, "cannot take the logarithm of zero or a negative number", err);
        r = fn == FN_LN ? log(a) : log10(a);
        break;
    default:
        return err_set(err, ENG_E_GENERAL, "numeric function %d", (int)fn);
    }
    if (isinf(r) && !isinf(a))
        return em_range(e, err);
    v.u.d = r;
    ev_put(out, i, &v);
    return 0;
}

int ev_math_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                 eng_error *err)
{
    uint32_t nargs = e->u.func.nargs;
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    if (e->u.func.fn == FN_RANDOM) {
        for (uint32_t i = 0; i < n; i++)
            ((double *)out->data)[i] = (double)(random() & 0x7fffffff) / 2147483648.0;
        return 0;
    }
    ev_vec *args = arena_alloc_raw(a, (nargs ? nargs : 1) * sizeof *args);
    if (!args)
        return err_set(err, ENG_E_NOMEM, "out of memory in a function");
    for (uint32_t k = 0; k < nargs; k++)
        if (ev_eval(e->u.func.args[k], in, n, a, &args[k], err) != 0)
            return -1;
    for (uint32_t i = 0; i < n; i++) {
        bool null = false;
        for (uint32_t k = 0; k < nargs; k++)
            null |= ev_null(&args[k], i);
        if (null) {
            out->nulls[i] = 1;
            continue;
        }
        if (em_row(e, args, i, out, err) != 0)
            return -1;
    }
    return 0;
}
