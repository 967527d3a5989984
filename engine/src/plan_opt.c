/*
 * Optimizer passes over a bound query. Conditions are split at AND and pushed down as far
 * as they stay correct: through projections and groups (by substituting the expressions
 * they name), into both sides of inner joins, into the preserved side of outer joins, and
 * finally into table scans, where an equality on a key becomes an index lookup. An
 * equality between the two sides of a join becomes a hash key. Row counts are estimated
 * bottom up, and every hash join builds on its smaller input.
 */
#include "bind_int.h"

#include "errors.h"

#include <string.h>

typedef struct opt {
    arena *a;
    eng_error *err;
    uint32_t nattrs;
    bool failed;
} opt;

typedef struct conj_list {
    bexpr **items;
    uint32_t n, cap;
} conj_list;

static void opt_nomem(opt *o)
{
    if (!o->failed)
        err_set(o->err, ENG_E_NOMEM, "out of memory while planning");
    o->failed = true;
}

static void opt_add(opt *o, conj_list *l, bexpr *e)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        bexpr **items = arena_alloc(o->a, cap * sizeof *items);
        if (!items)
            return opt_nomem(o);
        if (l->n)
            memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = e;
}

static void opt_split(opt *o, bexpr *e, conj_list *out)
{
    if (e->kind == BX_BINARY && e->u.binary.op == OP_AND) {
        opt_split(o, e->u.binary.left, out);
        opt_split(o, e->u.binary.right, out);
        return;
    }
    opt_add(o, out, e);
}

static bexpr *opt_and_all(opt *o, const conj_list *l)
{
    bexpr *acc = NULL;
    for (uint32_t i = 0; i < l->n; i++) {
        if (!acc) {
            acc = l->items[i];
            continue;
        }
        bexpr *e = arena_alloc(o->a, sizeof *e);
        if (!e) {
            opt_nomem(o);
            return NULL;
        }
        e->kind = BX_BINARY;
        e->type = (eng_type){ENG_TYPE_BOOLEAN, 0};
        e->pos = acc->pos;
        e->u.binary.op = OP_AND;
        e->u.binary.left = acc;
        e->u.binary.right = l->items[i];
        e->nullable = acc->nullable || l->items[i]->nullable;
        acc = e;
    }
    return acc;
}

static uint8_t *opt_set(opt *o, const uint32_t *attrs, uint32_t n)
{
    uint8_t *s = arena_alloc(o->a, o->nattrs ? o->nattrs : 1);
    if (!s) {
        opt_nomem(o);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        s[attrs[i]] = 1;
    return s;
}

/* Does e read only attributes in `set` (NULL set: only if it reads none)? */
static bool opt_within(opt *o, const bexpr *e, const uint8_t *set)
{
    uint8_t *used = arena_alloc(o->a, o->nattrs ? o->nattrs : 1);
    if (!used) {
        opt_nomem(o);
        return false;
    }
    plan_expr_attrs(e, used);
    for (uint32_t i = 0; i < o->nattrs; i++)
        if (used[i] && (!set || !set[i]))
            return false;
    return true;
}

static pl_node *opt_filter_over(opt *o, pl_node *n, const conj_list *l)
{
    if (l->n == 0)
        return n;
    pl_node *f = arena_alloc(o->a, sizeof *f);
    if (!f) {
        opt_nomem(o);
        return n;
    }
    f->kind = PL_FILTER;
    f->pos = n->pos;
    f->child = n;
    f->nattrs = n->nattrs;
    f->attrs = n->attrs;
    f->u.filter.pred = opt_and_all(o, l);
    f->rows = n->rows * 0.3 + 1;
    return f;
}

/* A copy of e with each column from[i] replaced by a copy of to[i]; NULL when e reads a
 * column that has no replacement. */
static bexpr *opt_subst(opt *o, const bexpr *e, const uint32_t *from, bexpr *const *to, uint32_t n);

static bexpr **opt_subst_list(opt *o, bexpr *const *l, uint32_t count, const uint32_t *from,
                              bexpr *const *to, uint32_t n)
{
    bexpr **out = arena_alloc(o->a, (count ? count : 1) * sizeof *out);
    if (!out) {
        opt_nomem(o);
        return NULL;
    }
    for (uint32_t i = 0; i < count; i++)
        if (!(out[i] = opt_subst(o, l[i], from, to, n)))
            return NULL;
    return out;
}

static bexpr *opt_subst(opt *o, const bexpr *e, const uint32_t *from, bexpr *const *to, uint32_t n)
{
    if (!e)
        return NULL;
    if (e->kind == BX_COLUMN) {
        for (uint32_t i = 0; i < n; i++)
            if (from[i] == e->u.column)
                return to[i];
        return NULL;
    }
    bexpr *c = arena_alloc(o->a, sizeof *c);
    if (!c) {
        opt_nomem(o);
        return NULL;
    }
    *c = *e;
    switch (e->kind) {
    case BX_CONST:
    case BX_PARAM:
    case BX_OUTER:
        return c;
    case BX_UNARY:
        return (c->u.unary.arg = opt_subst(o, e->u.unary.arg, from, to, n)) ? c : NULL;
    case BX_BINARY:
        c->u.binary.left = opt_subst(o, e->u.binary.left, from, to, n);
        c->u.binary.right = opt_subst(o, e->u.binary.right, from, to, n);
        return c->u.binary.left && c->u.binary.right ? c : NULL;
    case BX_IS_NULL:
        return (c->u.is_null.arg = opt_subst(o, e->u.is_null.arg, from, to, n)) ? c : NULL;
    case BX_CAST:
        return (c->u.cast_arg = opt_subst(o, e->u.cast_arg, from, to, n)) ? c : NULL;
    case BX_FUNC:
        return (c->u.func.args = opt_subst_list(o, e->u.func.args, e->u.func.nargs, from, to, n))
                   ? c
                   : NULL;
    case BX_CASE:
        c->u.case_.when = opt_subst_list(o, e->u.case_.when, e->u.case_.n, from, to, n);
        c->u.case_.then = opt_subst_list(o, e->u.case_.then, e->u.case_.n, from, to, n);
        if (e->u.case_.else_)
            c->u.case_.else_ = opt_subst(o, e->u.case_.else_, from, to, n);
        return c->u.case_.when && c->u.case_.then && (!e->u.case_.else_ || c->u.case_.else_) ? c
                                                                                             : NULL;
    case BX_IN_LIST:
        c->u.in.arg = opt_subst(o, e->u.in.arg, from, to, n);
        c->u.in.list = opt_subst_list(o, e->u.in.list, e->u.in.n, from, to, n);
        return c->u.in.arg && c->u.in.list ? c : NULL;
    case BX_LIKE:
        c->u.like.arg = opt_subst(o, e->u.like.arg, from, to, n);
        c->u.like.pattern = opt_subst(o, e->u.like.pattern, from, to, n);
        return c->u.like.arg && c->u.like.pattern ? c : NULL;
    default:
        return NULL; /* subqueries stay where they are */
    }
}

static pl_node *opt_push(opt *o, pl_node *n, conj_list *in);

/* Conditions over a node's outputs that can be rewritten through its expressions go below
 * it (projections: the expressions; aggregations: the group keys). */
static pl_node *opt_push_through(opt *o, pl_node *n, conj_list *in, const uint32_t *from,
                                 bexpr *const *to, uint32_t count)
{
    conj_list below = {0}, keep = {0};
    for (uint32_t i = 0; i < count; i++)
        if (bx_has_subquery(to[i]))
            count = 0; /* never duplicate a subquery */
    for (uint32_t i = 0; i < in->n; i++) {
        /* Below an aggregation only conditions on group keys: a constant condition must
         * still see the one row an aggregation without groups makes of no rows. */
        bool movable = count && (n->kind != PL_AGG || bx_has_columns(in->items[i]));
        bexpr *c = movable ? opt_subst(o, in->items[i], from, to, count) : NULL;
        if (c)
            opt_add(o, &below, c);
        else
            opt_add(o, &keep, in->items[i]);
    }
    n->child = opt_push(o, n->child, &below);
    return opt_filter_over(o, n, &keep);
}

/* A join condition `l = r` with one side over each input: a hash key. */
static bool opt_key(opt *o, const bexpr *c, const uint8_t *lset, const uint8_t *rset, bexpr **lk,
                    bexpr **rk)
{
    if (c->kind != BX_BINARY || c->u.binary.op != OP_EQ)
        return false;
    bexpr *x = c->u.binary.left, *y = c->u.binary.right;
    if (!bx_has_columns(x) || !bx_has_columns(y) || bx_has_subquery(x) || bx_has_subquery(y))
        return false;
    if (opt_within(o, x, lset) && opt_within(o, y, rset)) {
        *lk = x;
        *rk = y;
        return true;
    }
    if (opt_within(o, y, lset) && opt_within(o, x, rset)) {
        *lk = y;
        *rk = x;
        return true;
    }
    return false;
}

static pl_node *opt_push_join(opt *o, pl_node *j, conj_list *in)
{
    pl_join_kind kind = j->u.join.kind;
    conj_list on = {0}, to_left = {0}, to_right = {0}, cond = {0}, above = {0};
    if (j->u.join.residual)
        opt_split(o, j->u.join.residual, &on);
    uint8_t *lset = opt_set(o, j->child->attrs, j->child->nattrs);
    uint8_t *rset = opt_set(o, j->right->attrs, j->right->nattrs);
    if (o->failed)
        return j;
    for (uint32_t i = 0; i < in->n; i++) {
        bexpr *c = in->items[i];
        bool l = opt_within(o, c, lset), r = opt_within(o, c, rset);
        if (l && (kind == PJ_INNER || kind == PJ_LEFT || kind == PJ_SEMI || kind == PJ_ANTI))
            opt_add(o, &to_left, c);
        else if (r && (kind == PJ_INNER || kind == PJ_RIGHT))
            opt_add(o, &to_right, c);
        else if (kind == PJ_INNER)
            opt_add(o, &cond, c);
        else
            opt_add(o, &above, c);
    }
    for (uint32_t i = 0; i < on.n; i++) {
        bexpr *c = on.items[i];
        bool l = opt_within(o, c, lset), r = opt_within(o, c, rset);
        bool no_columns = l && r;
        if (l && !no_columns && (kind == PJ_INNER || kind == PJ_RIGHT))
            opt_add(o, &to_left, c);
        else if (r && !no_columns &&
                 (kind == PJ_INNER || kind == PJ_LEFT || kind == PJ_SEMI || kind == PJ_ANTI))
            opt_add(o, &to_right, c);
        else
            opt_add(o, &cond, c);
    }
    j->child = opt_push(o, j->child, &to_left);
    j->right = opt_push(o, j->right, &to_right);
    conj_list rest = {0};
    uint32_t nkeys = 0;
    bexpr **lkeys = arena_alloc(o->a, (cond.n ? cond.n : 1) * sizeof *lkeys);
    bexpr **rkeys = arena_alloc(o->a, (cond.n ? cond.n : 1) * sizeof *rkeys);
    if (!lkeys || !rkeys) {
        opt_nomem(o);
        return j;
    }
    for (uint32_t i = 0; i < cond.n; i++) {
        if (opt_key(o, cond.items[i], lset, rset, &lkeys[nkeys], &rkeys[nkeys]))
            nkeys++;
        else
            opt_add(o, &rest, cond.items[i]);
    }
    j->u.join.nkeys = nkeys;
    j->u.join.lkeys = lkeys;
    j->u.join.rkeys = rkeys;
    j->u.join.residual = opt_and_all(o, &rest);
    return opt_filter_over(o, j, &above);
}

static pl_node *opt_push(opt *o, pl_node *n, conj_list *in)
{
    if (o->failed)
        return n;
    conj_list none = {0};
    switch (n->kind) {
    case PL_FILTER:
        opt_split(o, n->u.filter.pred, in);
        return opt_push(o, n->child, in);
    case PL_SCAN:
        if (in->n) {
            conj_list all = {0};
            if (n->u.scan.filter)
                opt_split(o, n->u.scan.filter, &all);
            for (uint32_t i = 0; i < in->n; i++)
                opt_add(o, &all, in->items[i]);
            n->u.scan.filter = opt_and_all(o, &all);
        }
        return n;
    case PL_JOIN:
        return opt_push_join(o, n, in);
    case PL_PROJECT:
        return opt_push_through(o, n, in, n->attrs, n->u.project.exprs, n->nattrs);
    case PL_AGG:
        return opt_push_through(o, n, in, n->attrs, n->u.agg.groups, n->u.agg.ngroups);
    case PL_SORT:
        if (!n->u.sort.limit) {
            n->child = opt_push(o, n->child, in);
            return n;
        }
        break;
    default:
        break;
    }
    if (n->child)
        n->child = opt_push(o, n->child, &none);
    if (n->right) {
        conj_list none2 = {0};
        n->right = opt_push(o, n->right, &none2);
    }
    return opt_filter_over(o, n, in);
}

/* Estimated rows, bottom up; hash joins build on the smaller side. */
static double opt_estimate(pl_node *n)
{
    double l = n->child ? opt_estimate(n->child) : 1, r = n->right ? opt_estimate(n->right) : 1;
    switch (n->kind) {
    case PL_SCAN:
        n->rows = (double)tbl_row_count(n->u.scan.table);
        if (n->u.scan.filter)
            n->rows = n->rows * 0.25 + 1;
        break;
    case PL_ONE_ROW:
        n->rows = 1;
        break;
    case PL_FILTER:
        n->rows = l * 0.3 + 1;
        break;
    case PL_AGG:
        n->rows = n->u.agg.ngroups ? l / 10 + 1 : 1;
        break;
    case PL_JOIN:
        if (n->u.join.nkeys)
            n->rows = l > r ? l : r;
        else
            n->rows = l * r;
        if (n->u.join.residual)
            n->rows = n->rows * 0.5 + 1;
        n->u.join.build_left = l < r;
        if (n->u.join.kind == PJ_SEMI || n->u.join.kind == PJ_ANTI)
            n->u.join.build_left = false;
        break;
    case PL_SETOP:
        n->rows = l + r;
        break;
    default:
        n->rows = l;
        break;
    }
    return n->rows;
}

int plan_optimize(pl_node **root, uint32_t nattrs, arena *a, eng_error *err)
{
    opt o = {a, err, nattrs, false};
    conj_list none = {0};
    *root = opt_push(&o, *root, &none);
    if (o.failed)
        return -1;
    opt_estimate(*root);
    return 0;
}

/* Finds `column = value` among the AND-ed conjuncts of a scan filter (over the table's
 * column positions). */
static bexpr *plan_pinned_value(const bexpr *w, uint32_t column)
{
    if (w->kind != BX_BINARY)
        return NULL;
    if (w->u.binary.op == OP_AND) {
        bexpr *v = plan_pinned_value(w->u.binary.left, column);
        return v ? v : plan_pinned_value(w->u.binary.right, column);
    }
    if (w->u.binary.op != OP_EQ)
        return NULL;
    const bexpr *l = w->u.binary.left, *r = w->u.binary.right;
    if (l->kind == BX_COLUMN && l->u.column == column && !bx_has_columns(r) && !bx_has_subquery(r))
        return (bexpr *)r;
    if (r->kind == BX_COLUMN && r->u.column == column && !bx_has_columns(l) && !bx_has_subquery(l))
        return (bexpr *)l;
    return NULL;
}

/* Chooses an index: the primary key if every column of it is pinned, else the first
 * pinned unique key. */
int plan_choose_lookup(const tbl_table *tb, const bexpr *where, arena *a, plan_lookup *out,
                       eng_error *err)
{
    out->key = NULL;
    if (!where)
        return 0;
    for (int pass = 0; pass < 2 && !out->key; pass++) {
        for (uint32_t k = 0; k < tb->nkeys && !out->key; k++) {
            const tbl_key *key = &tb->keys[k];
            if (key->primary != (pass == 0))
                continue;
            bexpr **values = arena_alloc(a, key->ncols * sizeof *values);
            if (!values)
                return err_set(err, ENG_E_NOMEM, "out of memory while planning");
            uint32_t i = 0;
            while (i < key->ncols && (values[i] = plan_pinned_value(where, key->cols[i])))
                i++;
            if (i == key->ncols) {
                out->key = key;
                out->values = values;
            }
        }
    }
    return 0;
}
