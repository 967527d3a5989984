/*
 * Vectorised evaluation of bound expressions: one typed loop per operator and type over
 * dense vectors, NULLs carried in a byte per row. Integer arithmetic is checked (22003 on
 * overflow), division and modulo by zero raise 22012, AND/OR follow three-valued logic.
 */
#include "eval.h"

#include "errors.h"
#include "table.h"
#include "value.h"

#include <math.h>
#include <string.h>

static int ev_alloc(arena *a, eng_type type, uint32_t n, ev_vec *out, eng_error *err)
{
    out->type = type;
    out->data = arena_alloc(a, (n ? n : 1) * tbl_type_width(type.id));
    out->nulls = arena_alloc(a, n ? n : 1);
    if (!out->data || !out->nulls)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating an expression");
    return 0;
}

static bool ev_null(const ev_vec *v, uint32_t i)
{
    return v->nulls && v->nulls[i];
}

void ev_get(const ev_vec *v, uint32_t i, eng_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = v->type.id;
    if (ev_null(v, i)) {
        out->is_null = true;
        return;
    }
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        out->u.b = ((const uint8_t *)v->data)[i];
        break;
    case ENG_TYPE_INTEGER:
        out->u.i = ((const int32_t *)v->data)[i];
        break;
    case ENG_TYPE_BIGINT:
        out->u.i = ((const int64_t *)v->data)[i];
        break;
    case ENG_TYPE_DOUBLE:
        out->u.d = ((const double *)v->data)[i];
        break;
    case ENG_TYPE_VARCHAR:
        out->u.s = ((const eng_str *)v->data)[i];
        break;
    case ENG_TYPE_NULL:
        out->is_null = true;
        break;
    }
}

static void ev_put(ev_vec *v, uint32_t i, const eng_value *val)
{
    if (val->is_null || val->type == ENG_TYPE_NULL) {
        v->nulls[i] = 1;
        return;
    }
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        ((uint8_t *)v->data)[i] = val->u.b;
        break;
    case ENG_TYPE_INTEGER:
        ((int32_t *)v->data)[i] = (int32_t)val->u.i;
        break;
    case ENG_TYPE_BIGINT:
        ((int64_t *)v->data)[i] = val->u.i;
        break;
    case ENG_TYPE_DOUBLE:
        ((double *)v->data)[i] = val->u.d;
        break;
    case ENG_TYPE_VARCHAR:
        ((eng_str *)v->data)[i] = val->u.s;
        break;
    case ENG_TYPE_NULL:
        break;
    }
}

static int ev_constant(const eng_value *val, eng_type type, uint32_t n, arena *a, ev_vec *out,
                       eng_error *err)
{
    if (ev_alloc(a, type, n, out, err) != 0)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        ev_put(out, i, val);
    return 0;
}

static int ev_column(const ev_vec *src, const uint32_t *sel, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err)
{
    if (ev_alloc(a, src->type, n, out, err) != 0)
        return -1;
    size_t w = tbl_type_width(src->type.id);
    const char *from = src->data;
    char *to = out->data;
    if (!sel) {
        memcpy(to, from, n * w);
        if (src->nulls)
            memcpy(out->nulls, src->nulls, n);
        return 0;
    }
    switch (w) {
    case 1:
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)to)[i] = ((const uint8_t *)from)[sel[i]];
        break;
    case 4:
        for (uint32_t i = 0; i < n; i++)
            ((int32_t *)to)[i] = ((const int32_t *)from)[sel[i]];
        break;
    case 8:
        for (uint32_t i = 0; i < n; i++)
            ((int64_t *)to)[i] = ((const int64_t *)from)[sel[i]];
        break;
    default:
        for (uint32_t i = 0; i < n; i++)
            memcpy(to + i * w, from + sel[i] * w, w);
        break;
    }
    if (src->nulls)
        for (uint32_t i = 0; i < n; i++)
            out->nulls[i] = src->nulls[sel[i]];
    return 0;
}

static int ev_cast(const bexpr *e, const ev_vec *arg, uint32_t n, arena *a, ev_vec *out,
                   eng_error *err)
{
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    eng_type_id from = arg->type.id, to = e->type.id;
    if (from == ENG_TYPE_INTEGER && (to == ENG_TYPE_BIGINT || to == ENG_TYPE_DOUBLE)) {
        const int32_t *s = arg->data;
        for (uint32_t i = 0; i < n; i++) {
            out->nulls[i] = ev_null(arg, i);
            if (to == ENG_TYPE_BIGINT)
                ((int64_t *)out->data)[i] = s[i];
            else
                ((double *)out->data)[i] = s[i];
        }
        return 0;
    }
    if (from == ENG_TYPE_BIGINT && to == ENG_TYPE_DOUBLE) {
        const int64_t *s = arg->data;
        for (uint32_t i = 0; i < n; i++) {
            out->nulls[i] = ev_null(arg, i);
            ((double *)out->data)[i] = (double)s[i];
        }
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        eng_value in, v;
        ev_get(arg, i, &in);
        if (val_cast(&in, e->type, a, &v, err) != 0)
            return -1;
        ev_put(out, i, &v);
    }
    return 0;
}

static int ev_overflow(const bexpr *e, eng_error *err)
{
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

static int ev_arith(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
                    eng_error *err)
{
    ast_op op = e->u.binary.op;
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(l, i) || ev_null(r, i)) {
            out->nulls[i] = 1;
            continue;
        }
        bool zero;
        int64_t v;
        switch (e->type.id) {
        case ENG_TYPE_INTEGER:
            if (!ev_int_op(op, ((int32_t *)l->data)[i], ((int32_t *)r->data)[i], &v, &zero))
                return zero ? ev_div_zero(e, err) : ev_overflow(e, err);
            if (v < INT32_MIN || v > INT32_MAX)
                return ev_overflow(e, err);
            ((int32_t *)out->data)[i] = (int32_t)v;
            break;
        case ENG_TYPE_BIGINT:
            if (!ev_int_op(op, ((int64_t *)l->data)[i], ((int64_t *)r->data)[i], &v, &zero))
                return zero ? ev_div_zero(e, err) : ev_overflow(e, err);
            ((int64_t *)out->data)[i] = v;
            break;
        case ENG_TYPE_DOUBLE: {
            double x = ((double *)l->data)[i], y = ((double *)r->data)[i], d;
            if ((op == OP_DIV || op == OP_MOD) && y == 0.0)
                return ev_div_zero(e, err);
            d = op == OP_ADD   ? x + y
                : op == OP_SUB ? x - y
                : op == OP_MUL ? x * y
                : op == OP_DIV ? x / y
                               : fmod(x, y);
            if (isinf(d) && !isinf(x) && !isinf(y))
                return ev_overflow(e, err);
            ((double *)out->data)[i] = d;
            break;
        }
        default:
            return err_set(err, ENG_E_GENERAL, "arithmetic on %s", eng_type_name(e->type.id));
        }
    }
    return 0;
}

static int ev_compare_values(eng_type_id type, const ev_vec *l, const ev_vec *r, uint32_t i)
{
    switch (type) {
    case ENG_TYPE_BOOLEAN: {
        uint8_t x = ((uint8_t *)l->data)[i], y = ((uint8_t *)r->data)[i];
        return (x > y) - (x < y);
    }
    case ENG_TYPE_INTEGER: {
        int32_t x = ((int32_t *)l->data)[i], y = ((int32_t *)r->data)[i];
        return (x > y) - (x < y);
    }
    case ENG_TYPE_BIGINT: {
        int64_t x = ((int64_t *)l->data)[i], y = ((int64_t *)r->data)[i];
        return (x > y) - (x < y);
    }
    case ENG_TYPE_DOUBLE: {
        double x = ((double *)l->data)[i], y = ((double *)r->data)[i];
        return (x > y) - (x < y);
    }
    case ENG_TYPE_VARCHAR: {
        eng_str x = ((eng_str *)l->data)[i], y = ((eng_str *)r->data)[i];
        uint32_t m = x.len < y.len ? x.len : y.len;
        int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return (x.len > y.len) - (x.len < y.len);
    }
    case ENG_TYPE_NULL:
        break;
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
        int c = ev_compare_values(l->type.id, l, r, i);
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
        char *p = arena_alloc(a, (size_t)x.len + y.len + 1);
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
    uint32_t *idx = arena_alloc(a, (n ? n : 1) * sizeof *idx);
    uint32_t *sub_sel = arena_alloc(a, (n ? n : 1) * sizeof *sub_sel);
    if (!idx || !sub_sel)
        return err_set(err, ENG_E_NOMEM, "out of memory evaluating %s", is_and ? "AND" : "OR");
    uint32_t m = 0;
    const uint8_t *lv = l.data;
    for (uint32_t i = 0; i < n; i++) {
        bool decided = !ev_null(&l, i) && (is_and ? !lv[i] : lv[i]);
        if (!decided) {
            idx[m] = i;
            sub_sel[m] = in->sel ? in->sel[i] : i;
            m++;
        }
    }
    uint8_t *res = out->data;
    for (uint32_t i = 0; i < n; i++) {
        out->nulls[i] = ev_null(&l, i);
        res[i] = lv[i];
    }
    if (m == 0)
        return 0;
    ev_input sub = {in->cols, sub_sel, in->params};
    ev_vec r;
    if (ev_eval(e->u.binary.right, &sub, m, a, &r, err) != 0)
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

static int ev_unary(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                    eng_error *err)
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
        case ENG_TYPE_INTEGER: {
            int32_t x = ((int32_t *)v.data)[i];
            if (x == INT32_MIN)
                return err_set(err, ENG_E_OUT_OF_RANGE, "INTEGER out of range in negation");
            ((int32_t *)out->data)[i] = -x;
            break;
        }
        case ENG_TYPE_BIGINT: {
            int64_t x = ((int64_t *)v.data)[i];
            if (x == INT64_MIN)
                return err_set(err, ENG_E_OUT_OF_RANGE, "BIGINT out of range in negation");
            ((int64_t *)out->data)[i] = -x;
            break;
        }
        case ENG_TYPE_DOUBLE:
            ((double *)out->data)[i] = -((double *)v.data)[i];
            break;
        default:
            return err_set(err, ENG_E_GENERAL, "negation of %s", eng_type_name(e->type.id));
        }
    }
    return 0;
}

int ev_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err)
{
    switch (e->kind) {
    case BX_CONST:
        return ev_constant(&e->u.constant, e->type, n, a, out, err);
    case BX_PARAM:
        return ev_constant(&in->params[e->u.param], e->type, n, a, out, err);
    case BX_COLUMN:
        return ev_column(&in->cols[e->u.column], in->sel, n, a, out, err);
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
    case BX_BINARY:
        break;
    }
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    ast_op op = e->u.binary.op;
    if (op == OP_AND || op == OP_OR)
        return ev_logic(e, in, n, a, out, err);
    ev_vec l, r;
    if (ev_eval(e->u.binary.left, in, n, a, &l, err) != 0 ||
        ev_eval(e->u.binary.right, in, n, a, &r, err) != 0)
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
    ev_input in = {NULL, NULL, params};
    ev_vec v;
    if (ev_eval(e, &in, 1, a, &v, err) != 0)
        return -1;
    ev_get(&v, 0, out);
    return 0;
}
