/*
 * Questions about bound expressions: structural equality (GROUP BY matching, duplicate
 * aggregates), whether an expression reads columns, and whether it holds a subquery.
 */
#include "bind_int.h"

#include <string.h>

static bool bx_value_equal(const eng_value *a, const eng_value *b)
{
    if (a->type != b->type || a->is_null != b->is_null)
        return false;
    if (a->is_null)
        return true;
    switch (a->type) {
    case ENG_TYPE_VARCHAR:
        return a->u.s.len == b->u.s.len &&
               (a->u.s.len == 0 || !memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len));
    case ENG_TYPE_DOUBLE:
        return a->u.d == b->u.d;
    case ENG_TYPE_BOOLEAN:
        return a->u.b == b->u.b;
    default:
        return a->u.i == b->u.i;
    }
}

static bool bx_list_equal(bexpr *const *a, bexpr *const *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!bx_equal(a[i], b[i]))
            return false;
    return true;
}

bool bx_equal(const bexpr *a, const bexpr *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || a->type.id != b->type.id ||
        a->type.width != b->type.width)
        return false;
    switch (a->kind) {
    case BX_CONST:
        return bx_value_equal(&a->u.constant, &b->u.constant);
    case BX_COLUMN:
        return a->u.column == b->u.column;
    case BX_PARAM:
        return a->u.param == b->u.param;
    case BX_OUTER:
        return a->u.outer == b->u.outer;
    case BX_UNARY:
        return a->u.unary.op == b->u.unary.op && bx_equal(a->u.unary.arg, b->u.unary.arg);
    case BX_BINARY:
        return a->u.binary.op == b->u.binary.op && bx_equal(a->u.binary.left, b->u.binary.left) &&
               bx_equal(a->u.binary.right, b->u.binary.right);
    case BX_IS_NULL:
        return a->u.is_null.negated == b->u.is_null.negated &&
               bx_equal(a->u.is_null.arg, b->u.is_null.arg);
    case BX_CAST:
        return bx_equal(a->u.cast_arg, b->u.cast_arg);
    case BX_FUNC:
        return a->u.func.fn == b->u.func.fn && a->u.func.nargs == b->u.func.nargs &&
               bx_list_equal(a->u.func.args, b->u.func.args, a->u.func.nargs);
    case BX_CASE:
        return a->u.case_.n == b->u.case_.n &&
               bx_list_equal(a->u.case_.when, b->u.case_.when, a->u.case_.n) &&
               bx_list_equal(a->u.case_.then, b->u.case_.then, a->u.case_.n) &&
               bx_equal(a->u.case_.else_, b->u.case_.else_);
    case BX_IN_LIST:
        return a->u.in.negated == b->u.in.negated && a->u.in.n == b->u.in.n &&
               bx_equal(a->u.in.arg, b->u.in.arg) &&
               bx_list_equal(a->u.in.list, b->u.in.list, a->u.in.n);
    case BX_LIKE:
        return a->u.like.negated == b->u.like.negated && a->u.like.ilike == b->u.like.ilike &&
               a->u.like.escape == b->u.like.escape && bx_equal(a->u.like.arg, b->u.like.arg) &&
               bx_equal(a->u.like.pattern, b->u.like.pattern);
    case BX_SUBQUERY:
        return false; /* two subqueries are two computations */
    }
    return false;
}

static bool bx_any(const bexpr *e, bool (*leaf)(const bexpr *));

static bool bx_list_any(bexpr *const *l, uint32_t n, bool (*leaf)(const bexpr *))
{
    for (uint32_t i = 0; i < n; i++)
        if (bx_any(l[i], leaf))
            return true;
    return false;
}

static bool bx_any(const bexpr *e, bool (*leaf)(const bexpr *))
{
    if (!e)
        return false;
    if (leaf(e))
        return true;
    switch (e->kind) {
    case BX_UNARY:
        return bx_any(e->u.unary.arg, leaf);
    case BX_BINARY:
        return bx_any(e->u.binary.left, leaf) || bx_any(e->u.binary.right, leaf);
    case BX_IS_NULL:
        return bx_any(e->u.is_null.arg, leaf);
    case BX_CAST:
        return bx_any(e->u.cast_arg, leaf);
    case BX_FUNC:
        return bx_list_any(e->u.func.args, e->u.func.nargs, leaf);
    case BX_CASE:
        return bx_list_any(e->u.case_.when, e->u.case_.n, leaf) ||
               bx_list_any(e->u.case_.then, e->u.case_.n, leaf) || bx_any(e->u.case_.else_, leaf);
    case BX_IN_LIST:
        return bx_any(e->u.in.arg, leaf) || bx_list_any(e->u.in.list, e->u.in.n, leaf);
    case BX_LIKE:
        return bx_any(e->u.like.arg, leaf) || bx_any(e->u.like.pattern, leaf);
    case BX_SUBQUERY:
        return bx_any(e->u.sub.arg, leaf);
    default:
        return false;
    }
}

static bool bx_is_column(const bexpr *e)
{
    return e->kind == BX_COLUMN || (e->kind == BX_SUBQUERY && e->u.sub.nouter > 0);
}

static bool bx_is_subquery(const bexpr *e)
{
    return e->kind == BX_SUBQUERY;
}

bool bx_has_columns(const bexpr *e)
{
    return bx_any(e, bx_is_column);
}

bool bx_has_subquery(const bexpr *e)
{
    return bx_any(e, bx_is_subquery);
}

static bool bx_is_volatile(const bexpr *e)
{
    return e->kind == BX_SUBQUERY || (e->kind == BX_FUNC && e->u.func.fn == FN_RANDOM);
}

bool bx_has_volatile(const bexpr *e)
{
    return bx_any(e, bx_is_volatile);
}
