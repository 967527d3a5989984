/*
 * Predicates as selections: which of n input rows a condition is TRUE for, as a list of
 * row numbers. AND narrows the list one side at a time; a comparison of a column with a
 * constant (or parameter) runs a typed loop over the column's vector and the incoming
 * selection, writing every row number and advancing the output only where the condition
 * holds, so the loop has no branch to mispredict; IS [NOT] NULL of a column likewise.
 * Anything else is evaluated to a BOOLEAN vector (eval.c) and the TRUE rows picked.
 */
#include "errors.h"
#include "ev_int.h"
#include "value.h"

#include <string.h>

static const uint8_t es_no_nulls[ENG_VECTOR_SIZE];

static bool es_constant(const bexpr *e, const ev_input *in, eng_value *out)
{
    if (e->kind == BX_CONST) {
        *out = e->u.constant;
        return true;
    }
    if (e->kind == BX_PARAM && in->params) {
        *out = in->params[e->u.param];
        return true;
    }
    return false;
}

static ast_op es_flip(ast_op op)
{
    switch (op) {
    case OP_LT:
        return OP_GT;
    case OP_LE:
        return OP_GE;
    case OP_GT:
        return OP_LT;
    case OP_GE:
        return OP_LE;
    default:
        return op;
    }
}

/* One loop per operator for a type: keep row r when it is not NULL and x OP c. */
#define ES_LOOPS(T, LOAD, C)                                                                       \
    do {                                                                                           \
        const T c_ = (C);                                                                          \
        switch (op) {                                                                              \
        case OP_EQ:                                                                                \
            ES_LOOP(LOAD == c_);                                                                   \
            break;                                                                                 \
        case OP_NE:                                                                                \
            ES_LOOP(LOAD != c_);                                                                   \
            break;                                                                                 \
        case OP_LT:                                                                                \
            ES_LOOP(LOAD < c_);                                                                    \
            break;                                                                                 \
        case OP_LE:                                                                                \
            ES_LOOP(LOAD <= c_);                                                                   \
            break;                                                                                 \
        case OP_GT:                                                                                \
            ES_LOOP(LOAD > c_);                                                                    \
            break;                                                                                 \
        default:                                                                                   \
            ES_LOOP(LOAD >= c_);                                                                   \
            break;                                                                                 \
        }                                                                                          \
    } while (0)

/* Two loops, so the one over a dense batch (no selection) has no indirection. */
#define ES_LOOP(COND)                                                                              \
    do {                                                                                           \
        if (sel) {                                                                                 \
            for (uint32_t i = 0; i < n; i++) {                                                     \
                uint32_t r = sel[i];                                                               \
                out[m] = r;                                                                        \
                m += !nulls[r] & (COND);                                                           \
            }                                                                                      \
        } else {                                                                                   \
            for (uint32_t r = 0; r < n; r++) {                                                     \
                out[m] = r;                                                                        \
                m += !nulls[r] & (COND);                                                           \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* Rows of col (picked by sel) where col OP c; c is of the column's type, not NULL. */
static uint32_t es_compare(const ev_vec *col, const uint32_t *restrict sel, uint32_t n, ast_op op,
                           const eng_value *c, uint32_t *restrict out)
{
    const uint8_t *restrict nulls = col->nulls ? col->nulls : es_no_nulls;
    const void *restrict d = col->data;
    uint32_t m = 0;
    switch (col->type.id) {
    case ENG_TYPE_BOOLEAN:
        ES_LOOPS(uint8_t, ((const uint8_t *)d)[r], (uint8_t)c->u.b);
        break;
    case ENG_TYPE_SMALLINT:
        ES_LOOPS(int16_t, ((const int16_t *)d)[r], (int16_t)c->u.i);
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        ES_LOOPS(int32_t, ((const int32_t *)d)[r], (int32_t)c->u.i);
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        ES_LOOPS(int64_t, ((const int64_t *)d)[r], c->u.i);
        break;
    case ENG_TYPE_DOUBLE:
        ES_LOOPS(double, ((const double *)d)[r], c->u.d);
        break;
    case ENG_TYPE_DECIMAL: {
        dec128 v;
        memcpy(&v, &c->u.dec, sizeof v);
        ES_LOOPS(dec128, dec_load((const char *)d + (size_t)r * 16), v);
        break;
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        if (op == OP_EQ || op == OP_NE) { /* lengths and first bytes settle most rows */
            eng_str k = c->u.s;
            bool want = op == OP_EQ;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t r = sel ? sel[i] : i;
                eng_str x = ((const eng_str *)d)[r];
                /* a NULL row's string is never read: it may be garbage */
                bool keep =
                    !nulls[r] &&
                    (x.len == k.len &&
                     (k.len == 0 || (x.ptr[0] == k.ptr[0] &&
                                     (k.len == 1 || memcmp(x.ptr, k.ptr, k.len) == 0)))) == want;
                out[m] = r;
                m += keep;
            }
            break;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = sel ? sel[i] : i;
            int k = ev_str_cmp(((const eng_str *)d)[r], c->u.s);
            bool keep = op == OP_EQ   ? k == 0
                        : op == OP_NE ? k != 0
                        : op == OP_LT ? k < 0
                        : op == OP_LE ? k <= 0
                        : op == OP_GT ? k > 0
                                      : k >= 0;
            out[m] = r;
            m += !nulls[r] & keep;
        }
        break;
    default:
        return UINT32_MAX; /* not handled here */
    }
    return m;
}

/* The generic way: evaluate to BOOLEAN, keep the TRUE rows. */
static int es_generic(const bexpr *pred, const ev_input *in, uint32_t n, uint32_t *out,
                      uint32_t *nout, arena *a, eng_error *err)
{
    ev_vec v;
    if (ev_eval(pred, in, n, a, &v, err) != 0)
        return -1;
    const uint8_t *pv = v.data;
    const uint8_t *nulls = v.nulls ? v.nulls : es_no_nulls;
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        out[m] = in->sel ? in->sel[i] : i;
        m += pv[i] & !nulls[i];
    }
    *nout = m;
    return 0;
}

int ev_select(const bexpr *pred, const ev_input *in, uint32_t n, uint32_t *out, uint32_t *nout,
              arena *a, eng_error *err)
{
    if (pred->kind == BX_BINARY && pred->u.binary.op == OP_AND) {
        uint32_t *mid = arena_alloc_raw(a, (n ? n : 1) * sizeof *mid), m;
        if (!mid)
            return err_set(err, ENG_E_NOMEM, "out of memory filtering rows");
        if (ev_select(pred->u.binary.left, in, n, mid, &m, a, err) != 0)
            return -1;
        ev_input sub = *in;
        sub.sel = mid;
        sub.cache = NULL; /* other rows */
        sub.exprs = NULL;
        return ev_select(pred->u.binary.right, &sub, m, out, nout, a, err);
    }
    if (pred->kind == BX_BINARY && pred->u.binary.op >= OP_EQ && pred->u.binary.op <= OP_GE) {
        const bexpr *l = pred->u.binary.left, *r = pred->u.binary.right;
        ast_op op = pred->u.binary.op;
        eng_value c;
        const bexpr *col = NULL;
        if (l->kind == BX_COLUMN && es_constant(r, in, &c)) {
            col = l;
        } else if (r->kind == BX_COLUMN && es_constant(l, in, &c)) {
            col = r;
            op = es_flip(op);
        }
        if (col && c.is_null) {
            *nout = 0; /* compared with NULL: never TRUE */
            return 0;
        }
        if (col && in->cols[col->u.column].type.id == col->type.id &&
            (col->type.id != ENG_TYPE_DECIMAL || c.scale == ENG_DECIMAL_SCALE(col->type))) {
            uint32_t m = es_compare(&in->cols[col->u.column], in->sel, n, op, &c, out);
            if (m != UINT32_MAX) {
                *nout = m;
                return 0;
            }
        }
    }
    if (pred->kind == BX_IS_NULL && pred->u.is_null.arg->kind == BX_COLUMN) {
        const ev_vec *v = &in->cols[pred->u.is_null.arg->u.column];
        const uint8_t *nulls = v->nulls ? v->nulls : es_no_nulls;
        uint8_t want = !pred->u.is_null.negated;
        uint32_t m = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = in->sel ? in->sel[i] : i;
            out[m] = r;
            m += nulls[r] == want;
        }
        *nout = m;
        return 0;
    }
    return es_generic(pred, in, n, out, nout, a, err);
}
