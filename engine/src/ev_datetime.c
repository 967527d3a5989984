/*
 * Dates and times in expressions: arithmetic with intervals and day counts, differences,
 * EXTRACT, DATE_TRUNC, DATEDIFF and the statement's clock (CURRENT_DATE and friends, the
 * same value for every row of a statement). Results outside the calendar's range are
 * 22008.
 */
#include "errors.h"
#include "ev_int.h"
#include "exec_int.h"
#include "value.h"

#include <math.h>
#include <string.h>
#include <time.h>

static int ev_dt_overflow(const bexpr *e, eng_error *err)
{
    return err_set(err, ENG_E_DATETIME_OVERFLOW, "%s out of range (position %u)",
                   eng_type_name(e->type.id), e->pos + 1);
}

/* Reads row i as microseconds (TIMESTAMP, TIME, or a DATE at midnight). */
static int64_t ev_micros(const ev_vec *v, uint32_t i)
{
    if (v->type.id == ENG_TYPE_DATE)
        return (int64_t)((const int32_t *)v->data)[i] * DT_DAY_MICROS;
    return ((const int64_t *)v->data)[i];
}

static eng_interval ev_iv(const ev_vec *v, uint32_t i)
{
    eng_interval iv;
    memcpy(&iv, (const char *)v->data + (size_t)i * sizeof iv, sizeof iv);
    return iv;
}

/* interval * factor, spilling fractions of months into days (30 a month) and of days into
 * microseconds, as PostgreSQL does. */
static bool ev_iv_scale(eng_interval iv, double f, eng_interval *out)
{
    double months = iv.months * f, days = iv.days * f + (months - trunc(months)) * 30;
    double us = (double)iv.micros * f + (days - trunc(days)) * (double)DT_DAY_MICROS;
    if (fabs(months) > INT32_MAX || fabs(days) > INT32_MAX || fabs(us) > 9.2e18 || isnan(us))
        return false;
    out->months = (int32_t)trunc(months);
    out->days = (int32_t)trunc(days);
    out->micros = (int64_t)llround(us);
    return true;
}

static int ev_temporal_row(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t i,
                           ev_vec *out, eng_error *err)
{
    ast_op op = e->u.binary.op;
    eng_type_id lt = l->type.id, rt = r->type.id, res = e->type.id;
    int sign = op == OP_SUB ? -1 : 1;
    eng_value v = {.type = res};
    if (res == ENG_TYPE_DATE) { /* date +- days */
        int64_t days =
            lt == ENG_TYPE_DATE ? ((const int32_t *)l->data)[i] : ((const int32_t *)r->data)[i];
        int64_t n =
            lt == ENG_TYPE_DATE ? ((const int64_t *)r->data)[i] : ((const int64_t *)l->data)[i];
        if (__builtin_mul_overflow(n, sign, &n) || __builtin_add_overflow(days, n, &days) ||
            days < -106751991 || days > 106751991)
            return ev_dt_overflow(e, err);
        v.u.i = days;
    } else if (res == ENG_TYPE_INTEGER) { /* date - date */
        v.u.i = (int64_t)((const int32_t *)l->data)[i] - ((const int32_t *)r->data)[i];
    } else if (res == ENG_TYPE_TIMESTAMP || res == ENG_TYPE_TIME) {
        if (lt == ENG_TYPE_DATE && rt == ENG_TYPE_TIME) {
            v.u.i = ev_micros(l, i) + ((const int64_t *)r->data)[i];
        } else if (lt == ENG_TYPE_TIME && rt == ENG_TYPE_DATE) {
            v.u.i = ev_micros(r, i) + ((const int64_t *)l->data)[i];
        } else {
            bool iv_left = lt == ENG_TYPE_INTERVAL;
            eng_interval iv = ev_iv(iv_left ? l : r, i);
            int64_t ts = ev_micros(iv_left ? r : l, i);
            if (res == ENG_TYPE_TIME) { /* only the clock part moves, wrapping at midnight */
                int64_t t = ts + sign * iv.micros;
                v.u.i = t - dt_floor_div(t, DT_DAY_MICROS) * DT_DAY_MICROS;
            } else if (dt_ts_add(ts, &iv, sign, &v.u.i) != 0) {
                return ev_dt_overflow(e, err);
            }
        }
    } else { /* INTERVAL results */
        if (lt == ENG_TYPE_INTERVAL && rt == ENG_TYPE_INTERVAL) {
            eng_interval a = ev_iv(l, i), b = ev_iv(r, i);
            v.u.iv.months = a.months + sign * b.months;
            v.u.iv.days = a.days + sign * b.days;
            v.u.iv.micros = a.micros + sign * b.micros;
        } else if (op == OP_MUL || op == OP_DIV) {
            bool iv_left = lt == ENG_TYPE_INTERVAL;
            double f = ((const double *)(iv_left ? r : l)->data)[i];
            if (op == OP_DIV) {
                if (f == 0)
                    return err_set(err, ENG_E_DIVISION_BY_ZERO, "division by zero (position %u)",
                                   e->pos + 1);
                f = 1 / f;
            }
            if (!ev_iv_scale(ev_iv(iv_left ? l : r, i), f, &v.u.iv))
                return ev_dt_overflow(e, err);
        } else { /* timestamp - timestamp: days and time of day */
            int64_t d = ev_micros(l, i) - ev_micros(r, i);
            if (lt == ENG_TYPE_TIME) {
                v.u.iv.micros = d;
            } else {
                v.u.iv.days = (int32_t)(d / DT_DAY_MICROS);
                v.u.iv.micros = d % DT_DAY_MICROS;
            }
        }
    }
    ev_put(out, i, &v);
    return 0;
}

int ev_temporal_arith(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
                      eng_error *err)
{
    /* The commonest case gets a loop of its own: a date column plus or minus days. */
    if (e->type.id == ENG_TYPE_DATE && l->type.id == ENG_TYPE_DATE) {
        const int32_t *d = l->data;
        const int64_t *k = r->data;
        int64_t sign = e->u.binary.op == OP_SUB ? -1 : 1;
        for (uint32_t i = 0; i < n; i++) {
            out->nulls[i] = ev_null(l, i) | ev_null(r, i);
            int64_t v = d[i] + sign * k[i];
            if (!out->nulls[i] &&
                (v < -106751991 || v > 106751991 || k[i] > INT32_MAX || k[i] < -INT32_MAX))
                return ev_dt_overflow(e, err);
            ((int32_t *)out->data)[i] = (int32_t)v;
        }
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        if (ev_temporal_row(e, l, r, i, out, err) != 0)
            return -1;
    }
    return 0;
}

/* The statement's clock as local wall-clock microseconds. */
static int64_t ev_now(const ev_input *in)
{
    if (in->ctx)
        return in->ctx->now_us;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    time_t t = ts.tv_sec;
    localtime_r(&t, &tm);
    return ((int64_t)ts.tv_sec + tm.tm_gmtoff) * 1000000 + ts.tv_nsec / 1000;
}

static int ev_extract_row(const bexpr *e, int field, const ev_vec *x, uint32_t i, ev_vec *out,
                          eng_error *err)
{
    double d;
    eng_type_id t = x->type.id;
    bool ok;
    if (t == ENG_TYPE_INTERVAL) {
        eng_interval iv = ev_iv(x, i);
        int64_t us = iv.micros;
        ok = true;
        switch (field) {
        case DT_YEAR:
            d = iv.months / 12;
            break;
        case DT_MONTH:
            d = iv.months % 12;
            break;
        case DT_DAY:
            d = iv.days;
            break;
        case DT_HOUR:
            d = (double)(us / 3600000000LL);
            break;
        case DT_MINUTE:
            d = (double)(us / 60000000LL % 60);
            break;
        case DT_SECOND:
            d = (double)(us % 60000000LL) / 1e6;
            break;
        case DT_EPOCH:
            d = (double)dt_interval_key(&iv) / 1e6;
            break;
        default:
            ok = false;
            break;
        }
    } else {
        int64_t v =
            t == ENG_TYPE_DATE ? ((const int32_t *)x->data)[i] : ((const int64_t *)x->data)[i];
        ok = dt_extract(field, t, v, &d);
    }
    if (!ok)
        return err_set(err, ENG_E_FEATURE, "EXTRACT: %s has no such field (position %u)",
                       eng_type_name(t), e->pos + 1);
    if (e->type.id == ENG_TYPE_DOUBLE)
        ((double *)out->data)[i] = d;
    else
        ((int64_t *)out->data)[i] = (int64_t)d;
    return 0;
}

/* DATEDIFF: how many unit boundaries lie between a and b (both timestamps). */
static int64_t ev_date_diff(int field, int64_t a, int64_t b)
{
    int64_t ya, yb;
    int ma, mb, da, db;
    dt_civil_from_days(dt_floor_div(a, DT_DAY_MICROS), &ya, &ma, &da);
    dt_civil_from_days(dt_floor_div(b, DT_DAY_MICROS), &yb, &mb, &db);
    switch (field) {
    case DT_YEAR:
        return yb - ya;
    case DT_QUARTER:
        return (yb * 4 + (mb - 1) / 3) - (ya * 4 + (ma - 1) / 3);
    case DT_MONTH:
        return (yb * 12 + mb) - (ya * 12 + ma);
    case DT_WEEK:
        return dt_floor_div(dt_floor_div(b, DT_DAY_MICROS) + 3, 7) -
               dt_floor_div(dt_floor_div(a, DT_DAY_MICROS) + 3, 7);
    case DT_DAY:
        return dt_floor_div(b, DT_DAY_MICROS) - dt_floor_div(a, DT_DAY_MICROS);
    case DT_HOUR:
        return dt_floor_div(b, 3600000000LL) - dt_floor_div(a, 3600000000LL);
    case DT_MINUTE:
        return dt_floor_div(b, 60000000LL) - dt_floor_div(a, 60000000LL);
    case DT_SECOND:
        return dt_floor_div(b, 1000000) - dt_floor_div(a, 1000000);
    case DT_MILLISECOND:
        return dt_floor_div(b, 1000) - dt_floor_div(a, 1000);
    default:
        return b - a;
    }
}

int ev_datetime_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err)
{
    bx_fn fn = e->u.func.fn;
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    if (fn == FN_CURRENT_DATE || fn == FN_CURRENT_TIMESTAMP || fn == FN_CURRENT_TIME) {
        int64_t now = ev_now(in);
        eng_value v = {.type = e->type.id, .u.i = now};
        if (fn == FN_CURRENT_DATE)
            v.u.i = dt_floor_div(now, DT_DAY_MICROS);
        else if (fn == FN_CURRENT_TIME)
            v.u.i = now - dt_floor_div(now, DT_DAY_MICROS) * DT_DAY_MICROS;
        for (uint32_t i = 0; i < n; i++)
            ev_put(out, i, &v);
        return 0;
    }
    int field = (int)e->u.func.args[0]->u.constant.u.i;
    ev_vec x, y;
    if (ev_eval(e->u.func.args[1], in, n, a, &x, err) != 0)
        return -1;
    if (fn == FN_DATE_DIFF && ev_eval(e->u.func.args[2], in, n, a, &y, err) != 0)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(&x, i) || (fn == FN_DATE_DIFF && ev_null(&y, i))) {
            out->nulls[i] = 1;
            continue;
        }
        if (fn == FN_EXTRACT) {
            if (ev_extract_row(e, field, &x, i, out, err) != 0)
                return -1;
        } else if (fn == FN_DATE_DIFF) {
            ((int64_t *)out->data)[i] =
                ev_date_diff(field, ((const int64_t *)x.data)[i], ((const int64_t *)y.data)[i]);
        } else { /* DATE_TRUNC */
            int64_t ts = ev_micros(&x, i), t;
            if (!dt_trunc(field, ts, &t))
                return err_set(err, ENG_E_FEATURE, "DATE_TRUNC: unknown field (position %u)",
                               e->pos + 1);
            if (e->type.id == ENG_TYPE_DATE)
                ((int32_t *)out->data)[i] = (int32_t)dt_floor_div(t, DT_DAY_MICROS);
            else
                ((int64_t *)out->data)[i] = t;
        }
    }
    return 0;
}
