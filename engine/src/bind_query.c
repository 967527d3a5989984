/*
 * Binding queries. A SELECT block becomes, bottom up:
 *   FROM tree -> FILTER (WHERE) -> AGG (GROUP BY, aggregates) -> FILTER (HAVING)
 *   -> WINDOW -> PROJECT (select list, then hidden ORDER BY keys) -> AGG (DISTINCT)
 *   -> SORT -> LIMIT
 * and the result columns are the first attributes of the top node. Set operations bind
 * both sides, convert them to common column types and put a SETOP node over them. WITH
 * queries are bound afresh wherever they are referenced.
 */
#include "bind_int.h"

#include "errors.h"
#include "value.h"

#include <string.h>
#include <strings.h>

pl_node *bind_node(binder *b, pl_kind kind, pl_node *child, uint32_t pos)
{
    pl_node *n = arena_alloc(b->a, sizeof *n);
    if (!n) {
        bind_nomem(b);
        return NULL;
    }
    n->kind = kind;
    n->child = child;
    n->pos = pos;
    n->rows = child ? child->rows : 1;
    if (child) {
        n->nattrs = child->nattrs;
        n->attrs = child->attrs;
    }
    return n;
}

/* A growing list of output columns while a select list is bound. */
typedef struct bind_out {
    uint32_t n, cap;
    bexpr **exprs;
    const char **names;
} bind_out;

static int bind_out_add(binder *b, bind_out *o, bexpr *e, const char *name)
{
    if (o->n == o->cap) {
        uint32_t cap = o->cap ? o->cap * 2 : 8;
        bexpr **exprs = arena_alloc(b->a, cap * sizeof *exprs);
        const char **names = arena_alloc(b->a, cap * sizeof *names);
        if (!exprs || !names)
            return bind_nomem(b);
        if (o->n) {
            memcpy(exprs, o->exprs, o->n * sizeof *exprs);
            memcpy(names, o->names, o->n * sizeof *names);
        }
        o->exprs = exprs;
        o->names = names;
        o->cap = cap;
    }
    o->exprs[o->n] = e;
    o->names[o->n++] = name;
    return 0;
}

static const char *bind_output_name(binder *b, const ast_select_item *item)
{
    if (item->alias)
        return item->alias;
    if (item->expr->kind == AST_COLUMN)
        return item->expr->u.column.name;
    if (item->expr->kind == AST_FUNC && item->text_end > item->text_start)
        return arena_strndup(b->a, b->sql + item->text_start, item->text_end - item->text_start);
    return arena_strndup(b->a, b->sql + item->text_start, item->text_end - item->text_start);
}

static int bind_star(binder *b, const ast_expr *ae, bind_out *o)
{
    const bind_scope *s = b->scope;
    const char *qual = ae->u.star_table;
    uint32_t found = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        const bind_col *c = &s->cols[i];
        if (qual ? !c->table || strcasecmp(c->table, qual) != 0 : c->hidden)
            continue;
        bexpr *e = bind_attr_ref(b, c->attr, ae->pos, c->name);
        if (!e || bind_out_add(b, o, e, c->name) != 0)
            return -1;
        found++;
    }
    if (qual && !found)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND,
                       "no table \"%s\" in the FROM clause (position %u)", qual, ae->pos + 1);
    if (!found)
        return err_set(b->err, ENG_E_SYNTAX, "SELECT * needs a FROM clause (position %u)",
                       ae->pos + 1);
    return 0;
}

/* A non-negative integer constant (LIMIT, OFFSET). */
static bexpr *bind_limit(binder *b, const ast_expr *ae)
{
    bind_scope empty = {0}, *saved = b->scope;
    b->scope = &empty;
    bexpr *e = bind_expr(b, ae);
    b->scope = saved;
    if (e && !bind_is_numeric(e->type.id) && e->kind != BX_PARAM && e->kind != BX_CONST) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "LIMIT and OFFSET take an integer (position %u)",
                ae->pos + 1);
        return NULL;
    }
    return e ? bind_coerce(b, e, bind_type(ENG_TYPE_BIGINT)) : NULL;
}

/* The select-list position an ORDER BY / GROUP BY item names by ordinal (1-based) or by
 * output name; -1 when it names none, -2 on error. */
static int bind_item_ref(binder *b, const ast_expr *ae, const char *const *names, uint32_t n,
                         const char *what)
{
    if (ae->kind == AST_LITERAL && ae->u.literal.type == ENG_TYPE_INTEGER) {
        int64_t k = ae->u.literal.u.i;
        if (k < 1 || k > (int64_t)n) {
            err_set(b->err, ENG_E_SYNTAX, "%s position %lld is not in the select list (1..%u)",
                    what, (long long)k, n);
            return -2;
        }
        return (int)(k - 1);
    }
    if (ae->kind == AST_COLUMN && !ae->u.column.table) {
        int found = -1;
        for (uint32_t i = 0; i < n; i++) {
            if (names[i] && strcasecmp(names[i], ae->u.column.name) == 0) {
                if (found >= 0) {
                    err_set(b->err, ENG_E_SYNTAX, "%s \"%s\" is ambiguous (position %u)", what,
                            ae->u.column.name, ae->pos + 1);
                    return -2;
                }
                found = (int)i;
            }
        }
        return found;
    }
    return -1;
}

/* Does an unqualified name resolve in the FROM scope (input columns win over aliases in
 * GROUP BY, as in PostgreSQL)? */
static bool bind_scope_resolves(const bind_scope *s, const ast_expr *ae)
{
    if (ae->kind != AST_COLUMN || ae->u.column.table)
        return ae->kind == AST_COLUMN;
    for (uint32_t i = 0; i < s->n; i++)
        if (!s->cols[i].hidden && strcasecmp(s->cols[i].name, ae->u.column.name) == 0)
            return true;
    return false;
}

static int bind_group_by(binder *b, const ast_select *s, bind_agg *agg)
{
    uint32_t n = s->group_by.n;
    agg->groups = arena_alloc(b->a, (n ? n : 1) * sizeof *agg->groups);
    agg->group_attrs = arena_alloc(b->a, (n ? n : 1) * sizeof *agg->group_attrs);
    const char **names = arena_alloc(b->a, (s->items.n ? s->items.n : 1) * sizeof *names);
    if (!agg->groups || !agg->group_attrs || !names)
        return bind_nomem(b);
    for (uint32_t i = 0; i < s->items.n; i++) {
        const ast_select_item *item = s->items.items[i];
        names[i] = item->expr->kind == AST_STAR ? NULL : item->alias;
    }
    b->clause = "GROUP BY";
    for (uint32_t i = 0; i < n; i++) {
        const ast_expr *ae = s->group_by.items[i];
        if (!bind_scope_resolves(b->scope, ae)) {
            int k = bind_item_ref(b, ae, names, s->items.n, "GROUP BY");
            if (k == -2)
                return -1;
            if (k >= 0) {
                const ast_select_item *item = s->items.items[k];
                if (item->expr->kind == AST_STAR)
                    return err_set(b->err, ENG_E_SYNTAX, "GROUP BY cannot refer to * (position %u)",
                                   ae->pos + 1);
                ae = item->expr;
            }
        }
        bexpr *e = bind_settle(b, bind_expr(b, ae));
        if (!e)
            return -1;
        uint32_t g = 0;
        while (g < agg->ngroups && !bx_equal(agg->groups[g], e))
            g++;
        if (g < agg->ngroups)
            continue; /* the same group twice */
        uint32_t attr = bind_new_attr(b, e->type, e->nullable, "group",
                                      e->kind == BX_COLUMN ? b->attrs[e->u.column].table : "");
        if (attr == UINT32_MAX)
            return -1;
        agg->groups[agg->ngroups] = e;
        agg->group_attrs[agg->ngroups++] = attr;
    }
    return 0;
}

static bool bind_query_has_agg(const ast_query *q)
{
    const ast_select *s = q->select;
    if (s->group_by.n || s->having)
        return true;
    for (uint32_t i = 0; i < s->items.n; i++)
        if (bind_ast_has_agg(((ast_select_item *)s->items.items[i])->expr))
            return true;
    for (uint32_t i = 0; i < q->order_by.n; i++)
        if (bind_ast_has_agg(((ast_order_item *)q->order_by.items[i])->expr))
            return true;
    return false;
}

/* A PROJECT computing exprs into fresh attributes. */
static pl_node *bind_project(binder *b, pl_node *child, bexpr **exprs, const char **names,
                             uint32_t n, uint32_t pos)
{
    pl_node *p = bind_node(b, PL_PROJECT, child, pos);
    uint32_t *attrs = arena_alloc(b->a, (n ? n : 1) * sizeof *attrs);
    if (!p || !attrs)
        return bind_nomem(b), NULL;
    for (uint32_t i = 0; i < n; i++) {
        const bexpr *e = exprs[i];
        const char *table = e->kind == BX_COLUMN ? b->attrs[e->u.column].table : "";
        if ((attrs[i] = bind_new_attr(b, e->type, e->nullable, names[i] ? names[i] : "?", table)) ==
            UINT32_MAX)
            return NULL;
    }
    p->nattrs = n;
    p->attrs = attrs;
    p->u.project.exprs = exprs;
    return p;
}

static pl_node *bind_agg_node(binder *b, pl_node *child, const bind_agg *agg, uint32_t pos)
{
    pl_node *n = bind_node(b, PL_AGG, child, pos);
    uint32_t total = agg->ngroups + agg->naggs;
    uint32_t *attrs = arena_alloc(b->a, (total ? total : 1) * sizeof *attrs);
    if (!n || !attrs)
        return bind_nomem(b), NULL;
    memcpy(attrs, agg->group_attrs, agg->ngroups * sizeof *attrs);
    if (agg->naggs)
        memcpy(attrs + agg->ngroups, agg->agg_attrs, agg->naggs * sizeof *attrs);
    n->nattrs = total;
    n->attrs = attrs;
    n->u.agg.ngroups = agg->ngroups;
    n->u.agg.groups = agg->groups;
    n->u.agg.naggs = agg->naggs;
    n->u.agg.aggs = agg->aggs;
    n->rows = agg->ngroups ? child->rows / 10 + 1 : 1;
    return n;
}

static pl_node *bind_window_node(binder *b, pl_node *child, const bind_win *win, uint32_t pos)
{
    pl_node *n = bind_node(b, PL_WINDOW, child, pos);
    uint32_t *attrs = arena_alloc(b->a, (child->nattrs + win->n) * sizeof *attrs);
    if (!n || !attrs)
        return bind_nomem(b), NULL;
    memcpy(attrs, child->attrs, child->nattrs * sizeof *attrs);
    memcpy(attrs + child->nattrs, win->attrs, win->n * sizeof *attrs);
    n->nattrs = child->nattrs + win->n;
    n->attrs = attrs;
    n->u.window.nfuncs = win->n;
    n->u.window.funcs = win->funcs;
    return n;
}

/* DISTINCT over the first n attributes of child. */
static pl_node *bind_distinct(binder *b, pl_node *child, uint32_t n, uint32_t pos)
{
    bind_agg agg = {0};
    agg.ngroups = n;
    agg.groups = arena_alloc(b->a, (n ? n : 1) * sizeof *agg.groups);
    agg.group_attrs = arena_alloc(b->a, (n ? n : 1) * sizeof *agg.group_attrs);
    if (!agg.groups || !agg.group_attrs)
        return bind_nomem(b), NULL;
    for (uint32_t i = 0; i < n; i++) {
        const pl_attr *at = &b->attrs[child->attrs[i]];
        bexpr *e = bind_new(b, BX_COLUMN, at->type, pos);
        if (!e)
            return NULL;
        e->u.column = child->attrs[i];
        e->nullable = at->nullable;
        agg.groups[i] = e;
        if ((agg.group_attrs[i] = bind_new_attr(b, at->type, at->nullable, at->name, at->table)) ==
            UINT32_MAX)
            return NULL;
    }
    pl_node *d = bind_agg_node(b, child, &agg, pos);
    if (d)
        d->rows = child->rows / 2 + 1;
    return d;
}

static pl_node *bind_sort_node(binder *b, pl_node *child, pl_sort_key *keys, uint32_t n,
                               uint32_t pos)
{
    pl_node *s = bind_node(b, PL_SORT, child, pos);
    if (s) {
        s->u.sort.nkeys = n;
        s->u.sort.keys = keys;
    }
    return s;
}

/* LIMIT / OFFSET over root; a SORT right below keeps only offset + limit rows. */
static int bind_limits(binder *b, const ast_query *q, pl_node **root)
{
    if (!q->limit && !q->offset)
        return 0;
    pl_node *l = bind_node(b, PL_LIMIT, *root, q->pos);
    if (!l)
        return -1;
    if (q->limit && !(l->u.limit.limit = bind_limit(b, q->limit)))
        return -1;
    if (q->offset && !(l->u.limit.offset = bind_limit(b, q->offset)))
        return -1;
    if ((*root)->kind == PL_SORT && l->u.limit.limit) {
        (*root)->u.sort.limit = l->u.limit.limit;
        (*root)->u.sort.offset = l->u.limit.offset;
    }
    *root = l;
    return 0;
}

static pl_sort_key bind_key(bexpr *e, const ast_order_item *o)
{
    pl_sort_key k = {e, o->desc, false};
    /* NULLs sort as the largest value unless said otherwise (PostgreSQL's default). */
    k.nulls_first = o->nulls == AST_NULLS_DEFAULT ? o->desc : o->nulls == AST_NULLS_FIRST;
    return k;
}

static bexpr *bind_col_of(binder *b, uint32_t attr, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_COLUMN, b->attrs[attr].type, pos);
    if (e) {
        e->u.column = attr;
        e->nullable = b->attrs[attr].nullable;
    }
    return e;
}

/* One SELECT block with its ORDER BY and LIMIT. */
static int bind_block(binder *b, const ast_query *q, bind_result *out)
{
    const ast_select *s = q->select;
    bind_scope scope = {0};
    scope.parent = b->outer;
    scope.corr = b->corr;
    b->agg = NULL;
    b->agg_mode = false;
    b->in_agg_arg = false;
    b->win = NULL;
    pl_node *root;
    if (s->from) {
        if (bind_from(b, s->from, &scope, &root) != 0)
            return -1;
    } else if (!(root = bind_node(b, PL_ONE_ROW, NULL, s->pos))) {
        return -1;
    }
    b->scope = &scope;
    b->agg = NULL;
    b->agg_mode = false;
    b->win = NULL;
    if (s->where) {
        b->clause = "WHERE";
        bexpr *w = bind_expr(b, s->where);
        pl_node *f = w ? bind_node(b, PL_FILTER, root, s->where->pos) : NULL;
        if (!f || !(f->u.filter.pred = bind_boolean_operand(b, w, "WHERE")))
            return -1;
        f->rows = root->rows / 3 + 1;
        root = f;
    }
    bind_agg agg = {0};
    bool aggregated = bind_query_has_agg(q);
    if (aggregated && bind_group_by(b, s, &agg) != 0)
        return -1;
    bind_win win = {0};
    b->agg = aggregated ? &agg : NULL;
    b->agg_mode = aggregated;
    b->win = &win;
    b->clause = "the select list";
    bind_out o = {0};
    for (uint32_t i = 0; i < s->items.n; i++) {
        const ast_select_item *item = s->items.items[i];
        if (item->expr->kind == AST_STAR) {
            if (bind_star(b, item->expr, &o) != 0)
                return -1;
            continue;
        }
        bexpr *e = bind_settle(b, bind_expr(b, item->expr));
        const char *name = e ? bind_output_name(b, item) : NULL;
        if (!e || !name || bind_out_add(b, &o, e, name) != 0)
            return -1;
    }
    uint32_t nvisible = o.n;
    bexpr *having = NULL;
    if (s->having) {
        b->win = NULL;
        b->clause = "HAVING";
        if (!(having = bind_expr(b, s->having)) ||
            !(having = bind_boolean_operand(b, having, "HAVING")))
            return -1;
        b->win = &win;
    }
    /* ORDER BY: an ordinal or output name picks a result column; any other expression is
     * computed as a hidden column (not allowed with DISTINCT). */
    uint32_t nkeys = q->order_by.n;
    pl_sort_key *keys = arena_alloc(b->a, (nkeys ? nkeys : 1) * sizeof *keys);
    int32_t *key_col = arena_alloc(b->a, (nkeys ? nkeys : 1) * sizeof *key_col);
    if (!keys || !key_col)
        return bind_nomem(b);
    b->clause = "ORDER BY";
    for (uint32_t i = 0; i < nkeys; i++) {
        const ast_order_item *oi = q->order_by.items[i];
        int k = bind_item_ref(b, oi->expr, o.names, nvisible, "ORDER BY");
        if (k == -2)
            return -1;
        if (k < 0) {
            bexpr *e = bind_settle(b, bind_expr(b, oi->expr));
            if (!e)
                return -1;
            for (uint32_t j = 0; j < o.n && k < 0; j++)
                if (bx_equal(o.exprs[j], e))
                    k = (int)j;
            if (k < 0 || (uint32_t)k >= nvisible) {
                if (s->distinct)
                    return err_set(b->err, ENG_E_SYNTAX,
                                   "with SELECT DISTINCT, ORDER BY expressions must appear in "
                                   "the select list (position %u)",
                                   oi->expr->pos + 1);
                if (k < 0) {
                    k = (int)o.n;
                    if (bind_out_add(b, &o, e, NULL) != 0)
                        return -1;
                }
            }
        }
        key_col[i] = k;
        keys[i] = bind_key(NULL, oi);
    }
    if (aggregated && !(root = bind_agg_node(b, root, &agg, s->pos)))
        return -1;
    if (having) {
        pl_node *f = bind_node(b, PL_FILTER, root, s->having->pos);
        if (!f)
            return -1;
        f->u.filter.pred = having;
        root = f;
    }
    if (win.n && !(root = bind_window_node(b, root, &win, s->pos)))
        return -1;
    if (!(root = bind_project(b, root, o.exprs, o.names, o.n, s->pos)))
        return -1;
    if (s->distinct && !(root = bind_distinct(b, root, nvisible, s->pos)))
        return -1;
    for (uint32_t i = 0; i < nkeys; i++)
        if (!(keys[i].expr = bind_col_of(b, root->attrs[key_col[i]], s->pos)))
            return -1;
    if (nkeys && !(root = bind_sort_node(b, root, keys, nkeys, q->pos)))
        return -1;
    b->agg = NULL;
    b->agg_mode = false;
    b->win = NULL;
    if (bind_limits(b, q, &root) != 0)
        return -1;
    out->root = root;
    out->ncols = nvisible;
    out->names = o.names;
    return 0;
}

/* A PROJECT that converts the first n attributes of r to `types` where they differ. */
static int bind_convert(binder *b, bind_result *r, const eng_type *types, uint32_t pos)
{
    bool same = true;
    for (uint32_t i = 0; i < r->ncols; i++) {
        eng_type t = b->attrs[r->root->attrs[i]].type;
        same &= t.id == types[i].id && t.width == types[i].width;
    }
    if (same)
        return 0;
    bexpr **exprs = arena_alloc(b->a, r->ncols * sizeof *exprs);
    if (!exprs)
        return bind_nomem(b);
    for (uint32_t i = 0; i < r->ncols; i++) {
        bexpr *e = bind_col_of(b, r->root->attrs[i], pos);
        if (!e || !(exprs[i] = bind_coerce(b, e, types[i])))
            return -1;
    }
    pl_node *p = bind_project(b, r->root, exprs, r->names, r->ncols, pos);
    if (!p)
        return -1;
    r->root = p;
    return 0;
}

static const char *bind_setop_name(ast_setop op)
{
    return op == SETOP_UNION ? "UNION" : op == SETOP_INTERSECT ? "INTERSECT" : "EXCEPT";
}

static int bind_setop(binder *b, const ast_query *q, bind_result *out)
{
    bind_result l, r;
    if (bind_query(b, q->left, &l) != 0 || bind_query(b, q->right, &r) != 0)
        return -1;
    if (l.ncols != r.ncols)
        return err_set(b->err, ENG_E_SYNTAX,
                       "each side of %s must have the same number of columns (%u and %u, "
                       "position %u)",
                       bind_setop_name(q->op), l.ncols, r.ncols, q->pos + 1);
    uint32_t n = l.ncols;
    eng_type *types = arena_alloc(b->a, n * sizeof *types);
    uint32_t *attrs = arena_alloc(b->a, n * sizeof *attrs);
    if (!types || !attrs)
        return bind_nomem(b);
    for (uint32_t i = 0; i < n; i++) {
        bexpr *pair[2] = {bind_col_of(b, l.root->attrs[i], q->pos),
                          bind_col_of(b, r.root->attrs[i], q->pos)};
        if (!pair[0] || !pair[1] || !bind_unify_list(b, pair, 2, bind_setop_name(q->op), q->pos))
            return -1;
        types[i] = pair[0]->type;
    }
    if (bind_convert(b, &l, types, q->pos) != 0 || bind_convert(b, &r, types, q->pos) != 0)
        return -1;
    pl_node *s = bind_node(b, PL_SETOP, l.root, q->pos);
    if (!s)
        return -1;
    s->right = r.root;
    s->u.setop.op = q->op;
    s->u.setop.all = q->all;
    s->rows = l.root->rows + r.root->rows;
    for (uint32_t i = 0; i < n; i++) {
        bool nullable = b->attrs[l.root->attrs[i]].nullable ||
                        (q->op == SETOP_UNION && b->attrs[r.root->attrs[i]].nullable);
        if ((attrs[i] = bind_new_attr(b, types[i], nullable, l.names[i], "")) == UINT32_MAX)
            return -1;
    }
    s->nattrs = n;
    s->attrs = attrs;
    out->root = s;
    out->ncols = n;
    out->names = l.names;
    return 0;
}

/* ORDER BY and LIMIT over a set operation or a parenthesized query: keys are result
 * columns by ordinal, by name, or expressions over them. */
static int bind_order_outer(binder *b, const ast_query *q, bind_result *r)
{
    if (q->order_by.n) {
        bind_scope scope = {0};
        for (uint32_t i = 0; i < r->ncols; i++)
            if (bind_scope_add(b, &scope, NULL, r->names[i], r->root->attrs[i], false) != 0)
                return -1;
        bind_scope *saved = b->scope;
        b->scope = &scope;
        b->agg = NULL;
        b->agg_mode = false;
        b->win = NULL;
        b->clause = "ORDER BY";
        uint32_t n = q->order_by.n;
        pl_sort_key *keys = arena_alloc(b->a, n * sizeof *keys);
        bexpr **extra = arena_alloc(b->a, (r->ncols + n) * sizeof *extra);
        const char **names = arena_alloc(b->a, (r->ncols + n) * sizeof *names);
        int32_t *key_col = arena_alloc(b->a, n * sizeof *key_col);
        if (!keys || !extra || !names || !key_col)
            return bind_nomem(b);
        uint32_t next = r->ncols;
        for (uint32_t i = 0; i < n; i++) {
            const ast_order_item *oi = q->order_by.items[i];
            int k = bind_item_ref(b, oi->expr, r->names, r->ncols, "ORDER BY");
            if (k == -2)
                return -1;
            if (k < 0) {
                bexpr *e = bind_settle(b, bind_expr(b, oi->expr));
                if (!e)
                    return -1;
                for (uint32_t j = 0; j < r->ncols && k < 0; j++)
                    if (e->kind == BX_COLUMN && e->u.column == r->root->attrs[j])
                        k = (int)j;
                if (k < 0) {
                    k = (int)next;
                    extra[next] = e;
                    names[next++] = NULL;
                }
            }
            key_col[i] = k;
            keys[i] = bind_key(NULL, oi);
        }
        b->scope = saved;
        pl_node *root = r->root;
        if (next > r->ncols) {
            for (uint32_t j = 0; j < r->ncols; j++) {
                if (!(extra[j] = bind_col_of(b, r->root->attrs[j], q->pos)))
                    return -1;
                names[j] = r->names[j];
            }
            if (!(root = bind_project(b, root, extra, names, next, q->pos)))
                return -1;
        }
        for (uint32_t i = 0; i < n; i++)
            if (!(keys[i].expr = bind_col_of(b, root->attrs[key_col[i]], q->pos)))
                return -1;
        if (!(root = bind_sort_node(b, root, keys, n, q->pos)))
            return -1;
        r->root = root;
    }
    return bind_limits(b, q, &r->root);
}

int bind_query(binder *b, const ast_query *q, bind_result *out)
{
    if (b->depth >= 64)
        return err_set(b->err, ENG_E_SYNTAX, "the query is nested too deeply (position %u)",
                       q->pos + 1);
    /* A query is bound on its own: the caller's expression state comes back afterwards. */
    binder saved = *b;
    b->depth++;
    for (uint32_t i = 0; i < q->ctes.n; i++) {
        bind_cte *c = arena_alloc(b->a, sizeof *c);
        if (!c)
            return bind_nomem(b);
        c->def = q->ctes.items[i];
        c->name = c->def->name;
        c->next = b->ctes;
        b->ctes = c;
    }
    int rc;
    if (q->op != SETOP_NONE) {
        rc = bind_setop(b, q, out);
        if (rc == 0)
            rc = bind_order_outer(b, q, out);
    } else if (!q->select) {
        rc = bind_query(b, q->left, out);
        if (rc == 0)
            rc = bind_order_outer(b, q, out);
    } else {
        rc = bind_block(b, q, out);
    }
    b->scope = saved.scope;
    b->outer = saved.outer;
    b->corr = saved.corr;
    b->ctes = saved.ctes;
    b->agg = saved.agg;
    b->agg_mode = saved.agg_mode;
    b->in_agg_arg = saved.in_agg_arg;
    b->win = saved.win;
    b->clause = saved.clause;
    b->depth = saved.depth;
    return rc;
}

bexpr *bind_subquery(binder *b, const ast_query *q, int kind, bexpr *arg, bool negated,
                     uint32_t pos)
{
    bind_corr *corr = arena_alloc(b->a, sizeof *corr);
    if (!corr)
        return bind_nomem(b), NULL;
    bind_scope *outer = b->outer;
    bind_corr *saved_corr = b->corr;
    bool in_arg = b->in_agg_arg;
    b->outer = b->scope;
    b->corr = corr;
    b->in_agg_arg = false;
    bind_result r;
    int rc = bind_query(b, q, &r);
    b->outer = outer;
    b->corr = saved_corr;
    b->in_agg_arg = in_arg;
    if (rc != 0)
        return NULL;
    if (kind != BX_SUB_EXISTS && r.ncols != 1) {
        err_set(b->err, ENG_E_SYNTAX, "the subquery must return one column, not %u (position %u)",
                r.ncols, pos + 1);
        return NULL;
    }
    eng_type type = bind_type(ENG_TYPE_BOOLEAN);
    bool nullable = false;
    if (kind == BX_SUB_SCALAR) {
        type = b->attrs[r.root->attrs[0]].type;
        nullable = true;
    } else if (kind == BX_SUB_IN || kind == BX_SUB_ANY || kind == BX_SUB_ALL) {
        bexpr *col = bind_col_of(b, r.root->attrs[0], pos);
        if (!col || !bind_unify(b, &arg, &col, "compare", pos))
            return NULL;
        if (col->kind != BX_COLUMN) { /* converted: the subquery computes it */
            const char *name = "in";
            pl_node *p = bind_project(b, r.root, &col, &name, 1, pos);
            if (!p)
                return NULL;
            r.root = p;
        }
        nullable = arg->nullable || b->attrs[r.root->attrs[0]].nullable;
    }
    bexpr *e = bind_new(b, BX_SUBQUERY, type, pos);
    if (!e)
        return NULL;
    e->nullable = nullable;
    e->u.sub.plan = r.root;
    e->u.sub.id = b->nsubqueries++;
    e->u.sub.kind = kind;
    e->u.sub.arg = arg;
    e->u.sub.negated = negated;
    e->u.sub.nouter = corr->n;
    e->u.sub.outer = corr->attrs;
    return e;
}
