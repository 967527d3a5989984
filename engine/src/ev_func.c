/*
 * Scalar functions over vectors. COALESCE evaluates each argument only for the rows still
 * NULL after the ones before it; GREATEST and LEAST ignore NULL arguments (NULL only when
 * all are), as PostgreSQL does.
 */
#include "errors.h"
#include "ev_int.h"

#include <string.h>

static int ev_coalesce(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                       eng_error *err)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    uint32_t *rest = arena_alloc_raw(a, (n ? n : 1) * sizeof *rest);
    if (!rest)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating COALESCE");
    for (uint32_t i = 0; i < n; i++)
        rest[i] = i;
    uint32_t m = n;
    memset(out->nulls, 1, n);
    for (uint32_t k = 0; k < e->u.func.nargs && m; k++) {
        ev_input sub;
        ev_vec v;
        if (ev_sub_input(in, rest, m, a, &sub, err) != 0 ||
            ev_eval(e->u.func.args[k], &sub, m, a, &v, err) != 0)
            return -1;
        ev_scatter(out, rest, m, &v);
        uint32_t left = 0;
        for (uint32_t j = 0; j < m; j++)
            if (ev_null(&v, j))
                rest[left++] = rest[j];
        m = left;
    }
    return 0;
}

static int ev_nullif(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err)
{
    ev_vec x, y;
    if (ev_eval(e->u.func.args[0], in, n, a, &x, err) != 0 ||
        ev_eval(e->u.func.args[1], in, n, a, &y, err) != 0 ||
        ev_gather(&x, NULL, n, a, out, err) != 0) /* a copy: x may be shared */
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (!ev_null(out, i) && !ev_null(&y, i) && ev_compare_rows(out, i, &y, i) == 0)
            out->nulls[i] = 1;
    return 0;
}

static int ev_extreme(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                      eng_error *err, int sign)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    memset(out->nulls, 1, n);
    size_t w = ev_width(e->type.id);
    for (uint32_t k = 0; k < e->u.func.nargs; k++) {
        ev_vec v;
        if (ev_eval(e->u.func.args[k], in, n, a, &v, err) != 0)
            return -1;
        for (uint32_t i = 0; i < n; i++) {
            if (ev_null(&v, i))
                continue;
            if (out->nulls[i] || ev_compare_rows(&v, i, out, i) * sign > 0) {
                memcpy((char *)out->data + i * w, (const char *)v.data + i * w, w);
                out->nulls[i] = 0;
            }
        }
    }
    return 0;
}

/* CURRENT_USER and CURRENT_CATALOG: the session's account and the database's path. */
static int ev_session_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                           eng_error *err)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    const char *text = ex_ctx_session_text(in->ctx, e->u.func.fn == FN_CURRENT_USER);
    eng_value v = {.type = ENG_TYPE_VARCHAR, .is_null = !text};
    if (text)
        v.u.s = (eng_str){text, (uint32_t)strlen(text)};
    for (uint32_t i = 0; i < n; i++)
        ev_put(out, i, &v);
    return 0;
}

int ev_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err)
{
    switch (e->u.func.fn) {
    case FN_COALESCE:
        return ev_coalesce(e, in, n, a, out, err);
    case FN_NULLIF:
        return ev_nullif(e, in, n, a, out, err);
    case FN_GREATEST:
        return ev_extreme(e, in, n, a, out, err, 1);
    case FN_LEAST:
        return ev_extreme(e, in, n, a, out, err, -1);
    case FN_EXTRACT:
    case FN_DATE_TRUNC:
    case FN_DATE_DIFF:
    case FN_CURRENT_DATE:
    case FN_CURRENT_TIMESTAMP:
    case FN_CURRENT_TIME:
        return ev_datetime_func(e, in, n, a, out, err);
    case FN_LENGTH:
    case FN_OCTET_LENGTH:
    case FN_LOWER:
    case FN_UPPER:
    case FN_SUBSTRING:
    case FN_TRIM:
    case FN_LTRIM:
    case FN_RTRIM:
    case FN_POSITION:
    case FN_CONCAT:
    case FN_REPLACE:
    case FN_LEFT:
    case FN_RIGHT:
    case FN_REPEAT:
    case FN_REVERSE:
    case FN_LPAD:
    case FN_RPAD:
    case FN_ASCII:
    case FN_CHR:
    case FN_SPACE:
    case FN_OVERLAY:
        return ev_string_func(e, in, n, a, out, err);
    case FN_CURRENT_USER:
    case FN_CURRENT_CATALOG:
        return ev_session_func(e, in, n, a, out, err);
    case FN_ABS:
    case FN_SIGN:
    case FN_ROUND:
    case FN_TRUNC:
    case FN_FLOOR:
    case FN_CEIL:
    case FN_POWER:
    case FN_SQRT:
    case FN_EXP:
    case FN_LN:
    case FN_LOG10:
    case FN_RANDOM:
        return ev_math_func(e, in, n, a, out, err);
    default:
        return err_set(err, ENG_E_FEATURE, "function %d cannot be evaluated", (int)e->u.func.fn);
    }
}
