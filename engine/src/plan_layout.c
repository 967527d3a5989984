/*
 * Physical layouts. Each node's batches carry some attributes in some order (its layout):
 * a scan hands out all of its table's columns in place, a filter or sort passes its
 * child's layout through, a projection or aggregation makes exactly its own attributes,
 * a join keeps of both inputs only what the nodes above need. Walking down from the root
 * with the set of attributes required above, this pass fixes every layout and rewrites
 * every expression from attribute ids to positions in its input, so execution never
 * looks an attribute up.
 */
#include "bind_int.h"

#include "errors.h"

#include <string.h>

typedef struct lay {
    arena *a;
    eng_error *err;
    uint32_t nattrs;
} lay;

static int lay_nomem(lay *l)
{
    return err_set(l->err, ENG_E_NOMEM, "out of memory while planning");
}

void plan_expr_attrs(const bexpr *e, uint8_t *used)
{
    if (!e)
        return;
    switch (e->kind) {
    case BX_COLUMN:
        used[e->u.column] = 1;
        return;
    case BX_UNARY:
        plan_expr_attrs(e->u.unary.arg, used);
        return;
    case BX_BINARY:
        plan_expr_attrs(e->u.binary.left, used);
        plan_expr_attrs(e->u.binary.right, used);
        return;
    case BX_IS_NULL:
        plan_expr_attrs(e->u.is_null.arg, used);
        return;
    case BX_CAST:
        plan_expr_attrs(e->u.cast_arg, used);
        return;
    case BX_FUNC:
        for (uint32_t i = 0; i < e->u.func.nargs; i++)
            plan_expr_attrs(e->u.func.args[i], used);
        return;
    case BX_CASE:
        for (uint32_t i = 0; i < e->u.case_.n; i++) {
            plan_expr_attrs(e->u.case_.when[i], used);
            plan_expr_attrs(e->u.case_.then[i], used);
        }
        plan_expr_attrs(e->u.case_.else_, used);
        return;
    case BX_IN_LIST:
        plan_expr_attrs(e->u.in.arg, used);
        for (uint32_t i = 0; i < e->u.in.n; i++)
            plan_expr_attrs(e->u.in.list[i], used);
        return;
    case BX_LIKE:
        plan_expr_attrs(e->u.like.arg, used);
        plan_expr_attrs(e->u.like.pattern, used);
        return;
    case BX_SUBQUERY:
        plan_expr_attrs(e->u.sub.arg, used);
        for (uint32_t i = 0; i < e->u.sub.nouter; i++)
            used[e->u.sub.outer[i]] = 1;
        return;
    default:
        return;
    }
}

static int lay_node(lay *l, pl_node *n, const uint8_t *req);

/* attribute -> position in a layout, -1 when absent */
static int32_t *lay_index(lay *l, const uint32_t *layout, uint32_t n)
{
    int32_t *pos = arena_alloc(l->a, (l->nattrs ? l->nattrs : 1) * sizeof *pos);
    if (!pos)
        return NULL;
    for (uint32_t i = 0; i < l->nattrs; i++)
        pos[i] = -1;
    for (uint32_t i = 0; i < n; i++)
        pos[layout[i]] = (int32_t)i;
    return pos;
}

static int lay_subplan(lay *l, bexpr *sub)
{
    if (plan_optimize(&sub->u.sub.plan, l->nattrs, l->a, l->err) != 0)
        return -1;
    return lay_node(l, sub->u.sub.plan, NULL);
}

static bexpr *lay_expr(lay *l, const bexpr *e, const int32_t *pos);

static bexpr **lay_list(lay *l, bexpr *const *list, uint32_t n, const int32_t *pos)
{
    bexpr **out = arena_alloc(l->a, (n ? n : 1) * sizeof *out);
    if (!out) {
        lay_nomem(l);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!(out[i] = lay_expr(l, list[i], pos)))
            return NULL;
    return out;
}

static bexpr *lay_missing(lay *l, const bexpr *e)
{
    err_set(l->err, ENG_E_SYNTAX,
            "an expression at position %u uses a column that is not available there (is it "
            "grouped?)",
            e->pos + 1);
    return NULL;
}

/* A copy of e reading input positions instead of attributes. */
static bexpr *lay_expr(lay *l, const bexpr *e, const int32_t *pos)
{
    bexpr *c = arena_alloc(l->a, sizeof *c);
    if (!c) {
        lay_nomem(l);
        return NULL;
    }
    *c = *e;
    switch (e->kind) {
    case BX_COLUMN:
        if (pos[e->u.column] < 0)
            return lay_missing(l, e);
        c->u.column = (uint32_t)pos[e->u.column];
        return c;
    case BX_CONST:
    case BX_PARAM:
    case BX_OUTER:
        return c;
    case BX_UNARY:
        return (c->u.unary.arg = lay_expr(l, e->u.unary.arg, pos)) ? c : NULL;
    case BX_BINARY:
        if (!(c->u.binary.left = lay_expr(l, e->u.binary.left, pos)) ||
            !(c->u.binary.right = lay_expr(l, e->u.binary.right, pos)))
            return NULL;
        return c;
    case BX_IS_NULL:
        return (c->u.is_null.arg = lay_expr(l, e->u.is_null.arg, pos)) ? c : NULL;
    case BX_CAST:
        return (c->u.cast_arg = lay_expr(l, e->u.cast_arg, pos)) ? c : NULL;
    case BX_FUNC:
        return (c->u.func.args = lay_list(l, e->u.func.args, e->u.func.nargs, pos)) ? c : NULL;
    case BX_CASE:
        if (!(c->u.case_.when = lay_list(l, e->u.case_.when, e->u.case_.n, pos)) ||
            !(c->u.case_.then = lay_list(l, e->u.case_.then, e->u.case_.n, pos)))
            return NULL;
        if (e->u.case_.else_ && !(c->u.case_.else_ = lay_expr(l, e->u.case_.else_, pos)))
            return NULL;
        return c;
    case BX_IN_LIST:
        if (!(c->u.in.arg = lay_expr(l, e->u.in.arg, pos)) ||
            !(c->u.in.list = lay_list(l, e->u.in.list, e->u.in.n, pos)))
            return NULL;
        return c;
    case BX_LIKE:
        if (!(c->u.like.arg = lay_expr(l, e->u.like.arg, pos)) ||
            !(c->u.like.pattern = lay_expr(l, e->u.like.pattern, pos)))
            return NULL;
        return c;
    case BX_SUBQUERY:
        if (e->u.sub.arg && !(c->u.sub.arg = lay_expr(l, e->u.sub.arg, pos)))
            return NULL;
        if (e->u.sub.nouter) {
            c->u.sub.outer = arena_alloc(l->a, e->u.sub.nouter * sizeof *c->u.sub.outer);
            if (!c->u.sub.outer) {
                lay_nomem(l);
                return NULL;
            }
            for (uint32_t i = 0; i < e->u.sub.nouter; i++) {
                if (pos[e->u.sub.outer[i]] < 0)
                    return lay_missing(l, e);
                c->u.sub.outer[i] = (uint32_t)pos[e->u.sub.outer[i]];
            }
        }
        return lay_subplan(l, c) == 0 ? c : NULL;
    }
    return c;
}

/* Common subexpressions of aggregate arguments (TPC-H Q1 sums price * (1 - discount)
 * alone and times (1 + tax)): a later occurrence is replaced by the earlier node, which is
 * marked shared so that it is computed once per batch. Only arithmetic and casts are
 * shared: they are deterministic and free of subqueries. */
#define LAY_SHARE_MAX 64
typedef struct lay_pool {
    bexpr *node[LAY_SHARE_MAX];
    uint32_t n;
} lay_pool;

static bexpr *lay_share(bexpr *e, lay_pool *pool)
{
    if ((e->kind != BX_BINARY && e->kind != BX_UNARY && e->kind != BX_CAST) || bx_has_volatile(e))
        return e;
    for (uint32_t i = 0; i < pool->n; i++)
        if (bx_equal(pool->node[i], e)) {
            pool->node[i]->shared = true;
            return pool->node[i];
        }
    if (e->kind == BX_BINARY) {
        e->u.binary.left = lay_share(e->u.binary.left, pool);
        e->u.binary.right = lay_share(e->u.binary.right, pool);
    } else if (e->kind == BX_UNARY) {
        e->u.unary.arg = lay_share(e->u.unary.arg, pool);
    } else {
        e->u.cast_arg = lay_share(e->u.cast_arg, pool);
    }
    if (pool->n < LAY_SHARE_MAX)
        pool->node[pool->n++] = e;
    return e;
}

/* Shares subexpressions among an aggregation's arguments, and lets a SUM or AVG read the
 * sum and count of an earlier SUM or AVG of the same argument (both keep exactly those). */
static void lay_share_aggs(pl_node *n)
{
    lay_pool pool = {.n = 0};
    pl_agg *aggs = n->u.agg.aggs;
    for (uint32_t i = 0; i < n->u.agg.naggs; i++) {
        aggs[i].same_sum = 0;
        bool sum = (aggs[i].fn == AGG_SUM || aggs[i].fn == AGG_AVG) && !aggs[i].distinct &&
                   !bx_has_volatile(aggs[i].arg);
        for (uint32_t j = 0; sum && j < i && !aggs[i].same_sum; j++)
            if ((aggs[j].fn == AGG_SUM || aggs[j].fn == AGG_AVG) && !aggs[j].distinct &&
                !aggs[j].same_sum && bx_equal(aggs[j].arg, aggs[i].arg))
                aggs[i].same_sum = j + 1;
        if (aggs[i].arg && !aggs[i].same_sum)
            aggs[i].arg = lay_share(aggs[i].arg, &pool);
    }
}

static uint8_t *lay_req(lay *l, const uint8_t *req)
{
    uint8_t *r = arena_alloc(l->a, l->nattrs ? l->nattrs : 1);
    if (!r)
        return NULL;
    if (req)
        memcpy(r, req, l->nattrs);
    else
        memset(r, 1, l->nattrs);
    return r;
}

static int lay_keys(lay *l, pl_sort_key *keys, uint32_t n, const int32_t *pos)
{
    for (uint32_t i = 0; i < n; i++)
        if (!(keys[i].expr = lay_expr(l, keys[i].expr, pos)))
            return -1;
    return 0;
}

static void lay_keys_attrs(const pl_sort_key *keys, uint32_t n, uint8_t *used)
{
    for (uint32_t i = 0; i < n; i++)
        plan_expr_attrs(keys[i].expr, used);
}

static int lay_copy_layout(lay *l, pl_node *n, const uint32_t *layout, uint32_t count)
{
    n->nlayout = count;
    n->layout = arena_alloc(l->a, (count ? count : 1) * sizeof *n->layout);
    if (!n->layout)
        return lay_nomem(l);
    if (count)
        memcpy(n->layout, layout, count * sizeof *layout);
    return 0;
}

/* Constant expressions (LIMIT values, table function arguments): no columns to read. */
static bexpr *lay_const(lay *l, const bexpr *e)
{
    int32_t *none = lay_index(l, NULL, 0);
    if (!none) {
        lay_nomem(l);
        return NULL;
    }
    return lay_expr(l, e, none);
}

static int lay_join(lay *l, pl_node *n, const uint8_t *req)
{
    uint8_t *creq = lay_req(l, req);
    if (!creq)
        return lay_nomem(l);
    plan_expr_attrs(n->u.join.residual, creq);
    for (uint32_t i = 0; i < n->u.join.nkeys; i++) {
        plan_expr_attrs(n->u.join.lkeys[i], creq);
        plan_expr_attrs(n->u.join.rkeys[i], creq);
    }
    if (lay_node(l, n->child, creq) != 0 || lay_node(l, n->right, creq) != 0)
        return -1;
    const pl_node *L = n->child, *R = n->right;
    uint32_t total = L->nlayout + R->nlayout;
    uint32_t *both = arena_alloc(l->a, (total ? total : 1) * sizeof *both);
    n->u.join.out = arena_alloc(l->a, (total ? total : 1) * sizeof *n->u.join.out);
    n->layout = arena_alloc(l->a, (total ? total : 1) * sizeof *n->layout);
    if (!both || !n->u.join.out || !n->layout)
        return lay_nomem(l);
    memcpy(both, L->layout, L->nlayout * sizeof *both);
    memcpy(both + L->nlayout, R->layout, R->nlayout * sizeof *both);
    bool semi = n->u.join.kind == PJ_SEMI || n->u.join.kind == PJ_ANTI;
    uint32_t keep = semi ? L->nlayout : total;
    n->nlayout = 0;
    n->u.join.nout = 0;
    for (uint32_t i = 0; i < keep; i++) {
        if (req && !req[both[i]])
            continue;
        n->u.join.out[n->u.join.nout++] = i;
        n->layout[n->nlayout++] = both[i];
    }
    int32_t *lpos = lay_index(l, L->layout, L->nlayout);
    int32_t *rpos = lay_index(l, R->layout, R->nlayout);
    int32_t *bpos = lay_index(l, both, total);
    if (!lpos || !rpos || !bpos)
        return lay_nomem(l);
    for (uint32_t i = 0; i < n->u.join.nkeys; i++)
        if (!(n->u.join.lkeys[i] = lay_expr(l, n->u.join.lkeys[i], lpos)) ||
            !(n->u.join.rkeys[i] = lay_expr(l, n->u.join.rkeys[i], rpos)))
            return -1;
    if (n->u.join.residual && !(n->u.join.residual = lay_expr(l, n->u.join.residual, bpos)))
        return -1;
    return 0;
}

static int lay_setop(lay *l, pl_node *n)
{
    if (lay_node(l, n->child, NULL) != 0 || lay_node(l, n->right, NULL) != 0)
        return -1;
    n->u.setop.lpos = arena_alloc(l->a, (n->nattrs ? n->nattrs : 1) * sizeof(uint32_t));
    n->u.setop.rpos = arena_alloc(l->a, (n->nattrs ? n->nattrs : 1) * sizeof(uint32_t));
    int32_t *lp = lay_index(l, n->child->layout, n->child->nlayout);
    int32_t *rp = lay_index(l, n->right->layout, n->right->nlayout);
    if (!n->u.setop.lpos || !n->u.setop.rpos || !lp || !rp)
        return lay_nomem(l);
    for (uint32_t i = 0; i < n->nattrs; i++) {
        int32_t a = lp[n->child->attrs[i]], b = rp[n->right->attrs[i]];
        if (a < 0 || b < 0)
            return err_set(l->err, ENG_E_GENERAL, "set operation column %u is missing", i + 1);
        n->u.setop.lpos[i] = (uint32_t)a;
        n->u.setop.rpos[i] = (uint32_t)b;
    }
    return lay_copy_layout(l, n, n->attrs, n->nattrs);
}

static int lay_window(lay *l, pl_node *n, const uint8_t *req)
{
    uint8_t *creq = lay_req(l, req);
    if (!creq)
        return lay_nomem(l);
    for (uint32_t i = 0; i < n->u.window.nfuncs; i++) {
        const pl_window *w = &n->u.window.funcs[i];
        plan_expr_attrs(w->agg.arg, creq);
        for (uint32_t k = 0; k < w->npartition; k++)
            plan_expr_attrs(w->partition[k], creq);
        lay_keys_attrs(w->order, w->norder, creq);
    }
    if (lay_node(l, n->child, creq) != 0)
        return -1;
    const pl_node *c = n->child;
    uint32_t nf = n->u.window.nfuncs;
    n->nlayout = c->nlayout + nf;
    n->layout = arena_alloc(l->a, n->nlayout * sizeof *n->layout);
    int32_t *pos = lay_index(l, c->layout, c->nlayout);
    if (!n->layout || !pos)
        return lay_nomem(l);
    memcpy(n->layout, c->layout, c->nlayout * sizeof *n->layout);
    memcpy(n->layout + c->nlayout, n->attrs + (n->nattrs - nf), nf * sizeof *n->layout);
    for (uint32_t i = 0; i < nf; i++) {
        pl_window *w = &n->u.window.funcs[i];
        if (w->agg.arg && !(w->agg.arg = lay_expr(l, w->agg.arg, pos)))
            return -1;
        if (w->npartition && !(w->partition = lay_list(l, w->partition, w->npartition, pos)))
            return -1;
        if (lay_keys(l, w->order, w->norder, pos) != 0)
            return -1;
    }
    return 0;
}

static int lay_node(lay *l, pl_node *n, const uint8_t *req)
{
    if (n->laid)
        return 0;
    n->laid = true;
    uint8_t *creq;
    int32_t *pos;
    switch (n->kind) {
    case PL_SCAN:
        if (lay_copy_layout(l, n, n->attrs, n->nattrs) != 0 ||
            !(pos = lay_index(l, n->layout, n->nlayout)))
            return lay_nomem(l);
        if (n->u.scan.filter && !(n->u.scan.filter = lay_expr(l, n->u.scan.filter, pos)))
            return -1;
        return plan_choose_lookup(n->u.scan.table, n->u.scan.filter, l->a, &n->u.scan.lookup,
                                  l->err);
    case PL_ONE_ROW:
        return lay_copy_layout(l, n, NULL, 0);
    case PL_ROWS:
        for (uint32_t i = 0; i < n->u.rows.nargs; i++)
            if (!(n->u.rows.args[i] = lay_const(l, n->u.rows.args[i])))
                return -1;
        return lay_copy_layout(l, n, n->attrs, n->nattrs);
    case PL_FILTER:
        if (!(creq = lay_req(l, req)))
            return lay_nomem(l);
        plan_expr_attrs(n->u.filter.pred, creq);
        if (lay_node(l, n->child, creq) != 0 ||
            lay_copy_layout(l, n, n->child->layout, n->child->nlayout) != 0 ||
            !(pos = lay_index(l, n->child->layout, n->child->nlayout)))
            return -1;
        return (n->u.filter.pred = lay_expr(l, n->u.filter.pred, pos)) ? 0 : -1;
    case PL_PROJECT:
        if (!(creq = lay_req(l, NULL)))
            return lay_nomem(l);
        memset(creq, 0, l->nattrs);
        for (uint32_t i = 0; i < n->nattrs; i++)
            plan_expr_attrs(n->u.project.exprs[i], creq);
        if (lay_node(l, n->child, creq) != 0 ||
            !(pos = lay_index(l, n->child->layout, n->child->nlayout)))
            return -1;
        if (!(n->u.project.exprs = lay_list(l, n->u.project.exprs, n->nattrs, pos)))
            return -1;
        return lay_copy_layout(l, n, n->attrs, n->nattrs);
    case PL_AGG:
        if (!(creq = lay_req(l, NULL)))
            return lay_nomem(l);
        memset(creq, 0, l->nattrs);
        for (uint32_t i = 0; i < n->u.agg.ngroups; i++)
            plan_expr_attrs(n->u.agg.groups[i], creq);
        for (uint32_t i = 0; i < n->u.agg.naggs; i++)
            plan_expr_attrs(n->u.agg.aggs[i].arg, creq);
        if (lay_node(l, n->child, creq) != 0 ||
            !(pos = lay_index(l, n->child->layout, n->child->nlayout)))
            return -1;
        if (n->u.agg.ngroups &&
            !(n->u.agg.groups = lay_list(l, n->u.agg.groups, n->u.agg.ngroups, pos)))
            return -1;
        for (uint32_t i = 0; i < n->u.agg.naggs; i++) {
            pl_agg *g = &n->u.agg.aggs[i];
            if (g->arg && !(g->arg = lay_expr(l, g->arg, pos)))
                return -1;
        }
        lay_share_aggs(n);
        return lay_copy_layout(l, n, n->attrs, n->nattrs);
    case PL_SORT:
        if (!(creq = lay_req(l, req)))
            return lay_nomem(l);
        lay_keys_attrs(n->u.sort.keys, n->u.sort.nkeys, creq);
        if (lay_node(l, n->child, creq) != 0 ||
            lay_copy_layout(l, n, n->child->layout, n->child->nlayout) != 0 ||
            !(pos = lay_index(l, n->layout, n->nlayout)))
            return -1;
        if (n->u.sort.limit && !(n->u.sort.limit = lay_const(l, n->u.sort.limit)))
            return -1;
        if (n->u.sort.offset && !(n->u.sort.offset = lay_const(l, n->u.sort.offset)))
            return -1;
        return lay_keys(l, n->u.sort.keys, n->u.sort.nkeys, pos);
    case PL_LIMIT:
        if (lay_node(l, n->child, req) != 0 ||
            lay_copy_layout(l, n, n->child->layout, n->child->nlayout) != 0)
            return -1;
        if (n->u.limit.limit && !(n->u.limit.limit = lay_const(l, n->u.limit.limit)))
            return -1;
        if (n->u.limit.offset && !(n->u.limit.offset = lay_const(l, n->u.limit.offset)))
            return -1;
        return 0;
    case PL_JOIN:
        return lay_join(l, n, req);
    case PL_SETOP:
        return lay_setop(l, n);
    case PL_WINDOW:
        return lay_window(l, n, req);
    }
    return err_set(l->err, ENG_E_GENERAL, "unknown plan node %d", (int)n->kind);
}

int plan_layout(pl_node *root, uint32_t nattrs, arena *a, eng_error *err)
{
    lay l = {a, err, nattrs};
    return lay_node(&l, root, NULL);
}

static int lay_subqueries_in(lay *l, bexpr *e);

static int lay_subqueries_list(lay *l, bexpr **list, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (lay_subqueries_in(l, list[i]) != 0)
            return -1;
    return 0;
}

static int lay_subqueries_in(lay *l, bexpr *e)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case BX_UNARY:
        return lay_subqueries_in(l, e->u.unary.arg);
    case BX_BINARY:
        return lay_subqueries_in(l, e->u.binary.left) || lay_subqueries_in(l, e->u.binary.right)
                   ? -1
                   : 0;
    case BX_IS_NULL:
        return lay_subqueries_in(l, e->u.is_null.arg);
    case BX_CAST:
        return lay_subqueries_in(l, e->u.cast_arg);
    case BX_FUNC:
        return lay_subqueries_list(l, e->u.func.args, e->u.func.nargs);
    case BX_CASE:
        if (lay_subqueries_list(l, e->u.case_.when, e->u.case_.n) ||
            lay_subqueries_list(l, e->u.case_.then, e->u.case_.n))
            return -1;
        return lay_subqueries_in(l, e->u.case_.else_);
    case BX_IN_LIST:
        if (lay_subqueries_in(l, e->u.in.arg))
            return -1;
        return lay_subqueries_list(l, e->u.in.list, e->u.in.n);
    case BX_LIKE:
        return lay_subqueries_in(l, e->u.like.arg) || lay_subqueries_in(l, e->u.like.pattern) ? -1
                                                                                              : 0;
    case BX_SUBQUERY:
        if (lay_subqueries_in(l, e->u.sub.arg))
            return -1;
        return lay_subplan(l, e);
    default:
        return 0;
    }
}

int plan_layout_subqueries(bexpr *e, uint32_t nattrs, arena *a, eng_error *err)
{
    lay l = {a, err, nattrs};
    return lay_subqueries_in(&l, e);
}
