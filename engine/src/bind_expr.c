/*
 * Binding expressions: columns through the scope chain (a name the current query cannot
 * resolve is looked up in the enclosing one and becomes an outer reference), operators
 * with their implicit conversions, CASE, IN, BETWEEN, LIKE, subqueries.
 *
 * Above an aggregation (select list, HAVING and ORDER BY of a grouped query) a
 * subexpression must either equal a GROUP BY expression, be an aggregate, or be built
 * from such parts; bind_expr checks that by binding aggregate-free subtrees plainly and
 * comparing them with the groups.
 */
#include "bind_int.h"

#include "errors.h"
#include "value.h"

#include <string.h>
#include <strings.h>

static bool bind_is_agg_call(const ast_expr *ae)
{
    return ae->kind == AST_FUNC && !ae->u.func.over && bind_is_aggregate_name(ae->u.func.name);
}

static bool bind_ast_any(const ast_expr *ae, bool (*pred)(const ast_expr *));

static bool bind_list_any(const ptr_list *l, bool (*pred)(const ast_expr *))
{
    for (uint32_t i = 0; i < l->n; i++)
        if (bind_ast_any(l->items[i], pred))
            return true;
    return false;
}

/* Does pred hold for ae or any subexpression (not looking into subqueries, whose
 * aggregates and windows are their own)? */
static bool bind_ast_any(const ast_expr *ae, bool (*pred)(const ast_expr *))
{
    if (!ae)
        return false;
    if (pred(ae))
        return true;
    switch (ae->kind) {
    case AST_UNARY:
        return bind_ast_any(ae->u.unary.arg, pred);
    case AST_BINARY:
        return bind_ast_any(ae->u.binary.left, pred) || bind_ast_any(ae->u.binary.right, pred);
    case AST_IS_NULL:
        return bind_ast_any(ae->u.is_null.arg, pred);
    case AST_CAST:
        return bind_ast_any(ae->u.cast.arg, pred);
    case AST_FUNC:
        if (bind_list_any(&ae->u.func.args, pred))
            return true;
        if (ae->u.func.over) {
            if (bind_list_any(&ae->u.func.over->partition, pred))
                return true;
            for (uint32_t i = 0; i < ae->u.func.over->order.n; i++)
                if (bind_ast_any(((ast_order_item *)ae->u.func.over->order.items[i])->expr, pred))
                    return true;
        }
        return false;
    case AST_CASE:
        if (bind_ast_any(ae->u.case_.operand, pred) || bind_ast_any(ae->u.case_.else_, pred))
            return true;
        for (uint32_t i = 0; i < ae->u.case_.whens.n; i++) {
            const ast_when *w = ae->u.case_.whens.items[i];
            if (bind_ast_any(w->when, pred) || bind_ast_any(w->then, pred))
                return true;
        }
        return false;
    case AST_IN:
        return bind_ast_any(ae->u.in.arg, pred) || bind_list_any(&ae->u.in.list, pred);
    case AST_BETWEEN:
        return bind_ast_any(ae->u.between.arg, pred) || bind_ast_any(ae->u.between.low, pred) ||
               bind_ast_any(ae->u.between.high, pred);
    case AST_LIKE:
        return bind_ast_any(ae->u.like.arg, pred) || bind_ast_any(ae->u.like.pattern, pred) ||
               bind_ast_any(ae->u.like.escape, pred);
    default:
        return false;
    }
}

static bool bind_is_window_call(const ast_expr *ae)
{
    return ae->kind == AST_FUNC && ae->u.func.over;
}

bool bind_ast_has_agg(const ast_expr *ae)
{
    return bind_ast_any(ae, bind_is_agg_call);
}

bool bind_ast_has_window(const ast_expr *ae)
{
    return bind_ast_any(ae, bind_is_window_call);
}

static bexpr *bind_column_ref(binder *b, uint32_t attr, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_COLUMN, b->attrs[attr].type, pos);
    if (e) {
        e->u.column = attr;
        e->nullable = b->attrs[attr].nullable;
    }
    return e;
}

bexpr *bind_attr_ref(binder *b, uint32_t attr, uint32_t pos, const char *name)
{
    bexpr *e = bind_column_ref(b, attr, pos);
    if (!e || !b->agg_mode)
        return e;
    for (uint32_t g = 0; g < b->agg->ngroups; g++)
        if (bx_equal(e, b->agg->groups[g]))
            return bind_column_ref(b, b->agg->group_attrs[g], pos);
    err_set(b->err, ENG_E_SYNTAX,
            "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate "
            "function (position %u)",
            name, pos + 1);
    return NULL;
}

/* Records an outer reference of the current subquery; returns its index. */
static int bind_outer_index(binder *b, uint32_t attr)
{
    bind_corr *c = b->scope->corr;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->attrs[i] == attr)
            return (int)i;
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 4;
        uint32_t *attrs = arena_alloc(b->a, cap * sizeof *attrs);
        if (!attrs)
            return bind_nomem(b);
        if (c->n)
            memcpy(attrs, c->attrs, c->n * sizeof *attrs);
        c->attrs = attrs;
        c->cap = cap;
    }
    c->attrs[c->n] = attr;
    return (int)c->n++;
}

/* Does scope s have a range variable named qual? */
static bool bind_scope_has_table(const bind_scope *s, const char *qual)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->cols[i].table && strcasecmp(s->cols[i].table, qual) == 0)
            return true;
    return false;
}

static bexpr *bind_column(binder *b, const ast_expr *ae)
{
    const char *qual = ae->u.column.table, *name = ae->u.column.name;
    uint32_t depth = 0;
    for (const bind_scope *s = b->scope; s; s = s->parent, depth++) {
        int found = -1;
        for (uint32_t i = 0; i < s->n; i++) {
            const bind_col *c = &s->cols[i];
            bool table_ok = qual ? c->table && strcasecmp(c->table, qual) == 0 : !c->hidden;
            if (!table_ok || strcasecmp(c->name, name) != 0)
                continue;
            if (found >= 0 && s->cols[found].attr != c->attr) {
                err_set(b->err, ENG_E_SYNTAX,
                        "column reference \"%s\" is ambiguous (position %u): qualify it with "
                        "a table name",
                        name, ae->pos + 1);
                return NULL;
            }
            found = (int)i;
        }
        if (found < 0) {
            if (qual && bind_scope_has_table(s, qual))
                break; /* the table is here but has no such column */
            continue;
        }
        uint32_t attr = s->cols[found].attr;
        if (depth == 0)
            return bind_attr_ref(b, attr, ae->pos, name);
        if (depth > 1 || !b->scope->corr) {
            err_set(b->err, ENG_E_FEATURE,
                    "column \"%s\" (position %u) refers to a query two or more levels out; "
                    "only the directly enclosing query can be referenced",
                    name, ae->pos + 1);
            return NULL;
        }
        int idx = bind_outer_index(b, attr);
        if (idx < 0)
            return NULL;
        bexpr *e = bind_new(b, BX_OUTER, b->attrs[attr].type, ae->pos);
        if (e) {
            e->u.outer = (uint32_t)idx;
            e->nullable = b->attrs[attr].nullable;
        }
        return e;
    }
    const bind_scope *s = b->scope;
    if (!s || (s->n == 0 && !s->parent))
        err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                "column \"%s\" does not exist: the query has no FROM clause (position %u)", name,
                ae->pos + 1);
    else if (qual && !bind_scope_has_table(s, qual))
        err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                "column \"%s.%s\" not found: no table \"%s\" in the FROM clause (position %u)",
                qual, name, qual, ae->pos + 1);
    else if (qual)
        err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                "column \"%s\" not found in table \"%s\" (position %u)", name, qual, ae->pos + 1);
    else if (s->n && s->cols[0].table && bind_scope_has_table(s, s->cols[0].table) &&
             s->cols[s->n - 1].table && strcasecmp(s->cols[0].table, s->cols[s->n - 1].table) == 0)
        err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                "column \"%s\" not found in table \"%s\" (position %u)", name, s->cols[0].table,
                ae->pos + 1);
    else
        err_set(b->err, ENG_E_COLUMN_NOT_FOUND, "column \"%s\" not found (position %u)", name,
                ae->pos + 1);
    return NULL;
}

static bexpr *bind_binary(binder *b, const ast_expr *ae)
{
    ast_op op = ae->u.binary.op;
    bexpr *l = bind_expr(b, ae->u.binary.left);
    bexpr *r = l ? bind_expr(b, ae->u.binary.right) : NULL;
    if (!r)
        return NULL;
    eng_type type;
    switch (op) {
    case OP_AND:
    case OP_OR:
        if (!(l = bind_boolean_operand(b, l, ast_op_text(op))) ||
            !(r = bind_boolean_operand(b, r, ast_op_text(op))))
            return NULL;
        type = bind_type(ENG_TYPE_BOOLEAN);
        break;
    case OP_CONCAT:
        if (!(l = bind_coerce(b, l, bind_type(ENG_TYPE_VARCHAR))) ||
            !(r = bind_coerce(b, r, bind_type(ENG_TYPE_VARCHAR))))
            return NULL;
        type = bind_type(ENG_TYPE_VARCHAR);
        if ((uint64_t)l->type.width + r->type.width < ENG_VARCHAR_MAX)
            type.width = l->type.width + r->type.width;
        break;
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        if (!bind_unify(b, &l, &r, "compare", ae->pos))
            return NULL;
        type = bind_type(ENG_TYPE_BOOLEAN);
        break;
    default:
        return bind_arith(b, op, l, r, ae->pos);
    }
    bexpr *e = bind_new(b, BX_BINARY, type, ae->pos);
    if (!e)
        return NULL;
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    e->nullable = l->nullable || r->nullable;
    return bind_fold(b, e);
}

static bexpr *bind_unary(binder *b, const ast_expr *ae)
{
    bexpr *arg = bind_expr(b, ae->u.unary.arg);
    if (!arg)
        return NULL;
    bexpr *e;
    if (ae->u.unary.op == OP_NOT) {
        if (!(arg = bind_boolean_operand(b, arg, "NOT")))
            return NULL;
        e = bind_new(b, BX_UNARY, bind_type(ENG_TYPE_BOOLEAN), ae->pos);
    } else {
        if (bind_is_untyped_param(b, arg) || bind_is_null_literal(arg))
            arg = bind_coerce(b, arg, bind_type(ENG_TYPE_DOUBLE));
        if (!arg)
            return NULL;
        if (!bind_is_numeric(arg->type.id) && arg->type.id != ENG_TYPE_INTERVAL) {
            err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot negate %s (position %u)",
                    eng_type_name(arg->type.id), ae->pos + 1);
            return NULL;
        }
        e = bind_new(b, BX_UNARY, arg->type, ae->pos);
    }
    if (!e)
        return NULL;
    e->u.unary.op = ae->u.unary.op;
    e->u.unary.arg = arg;
    e->nullable = arg->nullable;
    return bind_fold(b, e);
}

static bexpr *bind_cast(binder *b, const ast_expr *ae)
{
    bexpr *arg = bind_expr(b, ae->u.cast.arg);
    if (!arg)
        return NULL;
    eng_type to = ae->u.cast.type;
    if (to.id == ENG_TYPE_VARCHAR && to.width == 0)
        to.width = ENG_VARCHAR_MAX;
    if (arg->type.id == to.id && arg->type.width == to.width && arg->kind != BX_PARAM)
        return arg;
    if (bind_is_untyped_param(b, arg) || arg->kind == BX_CONST)
        return bind_coerce(b, arg, to);
    if (!val_castable(arg->type.id, to.id)) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot cast %s to %s (position %u)",
                eng_type_name(arg->type.id), eng_type_name(to.id), ae->pos + 1);
        return NULL;
    }
    bexpr *e = bind_new(b, BX_CAST, to, ae->pos);
    if (e) {
        e->u.cast_arg = arg;
        e->nullable = arg->nullable;
    }
    return bind_fold(b, e);
}

static bexpr *bind_compare(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos)
{
    if (!l || !r || !bind_unify(b, &l, &r, "compare", pos))
        return NULL;
    bexpr *e = bind_new(b, BX_BINARY, bind_type(ENG_TYPE_BOOLEAN), pos);
    if (!e)
        return NULL;
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    e->nullable = l->nullable || r->nullable;
    return e;
}

static bexpr *bind_logic(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos)
{
    bexpr *e = bind_new(b, op == OP_NOT ? BX_UNARY : BX_BINARY, bind_type(ENG_TYPE_BOOLEAN), pos);
    if (!e)
        return NULL;
    if (op == OP_NOT) {
        e->u.unary.op = OP_NOT;
        e->u.unary.arg = l;
        e->nullable = l->nullable;
    } else {
        e->u.binary.op = op;
        e->u.binary.left = l;
        e->u.binary.right = r;
        e->nullable = l->nullable || r->nullable;
    }
    return e;
}

/* x BETWEEN a AND b is x >= a AND x <= b (x bound twice so each side converts alone). */
static bexpr *bind_between(binder *b, const ast_expr *ae)
{
    uint32_t pos = ae->pos;
    bexpr *lo = bind_compare(b, OP_GE, bind_expr(b, ae->u.between.arg),
                             bind_expr(b, ae->u.between.low), pos);
    bexpr *hi = lo ? bind_compare(b, OP_LE, bind_expr(b, ae->u.between.arg),
                                  bind_expr(b, ae->u.between.high), pos)
                   : NULL;
    bexpr *e = hi ? bind_logic(b, OP_AND, lo, hi, pos) : NULL;
    if (e && ae->u.between.negated)
        e = bind_logic(b, OP_NOT, e, NULL, pos);
    return e;
}

static bexpr *bind_case(binder *b, const ast_expr *ae)
{
    uint32_t n = ae->u.case_.whens.n;
    bexpr *e = bind_new(b, BX_CASE, bind_type(ENG_TYPE_NULL), ae->pos);
    bexpr **results = arena_alloc(b->a, (n + 1) * sizeof *results);
    if (!e || !results || !(e->u.case_.when = arena_alloc(b->a, n * sizeof(bexpr *))))
        return bind_nomem(b), NULL;
    e->u.case_.n = n;
    for (uint32_t i = 0; i < n; i++) {
        const ast_when *w = ae->u.case_.whens.items[i];
        bexpr *cond;
        if (ae->u.case_.operand)
            cond = bind_compare(b, OP_EQ, bind_expr(b, ae->u.case_.operand), bind_expr(b, w->when),
                                w->when->pos);
        else
            cond = bind_expr(b, w->when);
        if (!cond || !(cond = bind_boolean_operand(b, cond, "CASE WHEN")) ||
            !(results[i] = bind_expr(b, w->then)))
            return NULL;
        e->u.case_.when[i] = cond;
    }
    uint32_t nres = n;
    if (ae->u.case_.else_) {
        if (!(results[n] = bind_expr(b, ae->u.case_.else_)))
            return NULL;
        nres++;
    }
    if (!bind_unify_list(b, results, nres, "CASE", ae->pos))
        return NULL;
    e->u.case_.then = results;
    e->u.case_.else_ = ae->u.case_.else_ ? results[n] : NULL;
    e->type = results[0]->type;
    e->nullable = !ae->u.case_.else_;
    for (uint32_t i = 0; i < nres; i++)
        e->nullable |= results[i]->nullable;
    return e;
}

static bexpr *bind_in(binder *b, const ast_expr *ae)
{
    bexpr *arg = bind_expr(b, ae->u.in.arg);
    if (!arg)
        return NULL;
    if (ae->u.in.query) {
        int q = ae->u.in.quantifier;
        ast_op op = ae->u.in.op;
        if (q == AST_QUANT_NONE || (q == AST_QUANT_ANY && op == OP_EQ) ||
            (q == AST_QUANT_ALL && op == OP_NE)) /* IN, = ANY, <> ALL (NOT IN) */
            return bind_subquery(b, ae->u.in.query, BX_SUB_IN, arg,
                                 ae->u.in.negated || q == AST_QUANT_ALL, ae->pos);
        bexpr *e = bind_subquery(b, ae->u.in.query, q == AST_QUANT_ANY ? BX_SUB_ANY : BX_SUB_ALL,
                                 arg, false, ae->pos);
        if (e)
            e->u.sub.op = (int)op;
        return e;
    }
    uint32_t n = ae->u.in.list.n;
    bexpr **all = arena_alloc(b->a, (n + 1) * sizeof *all);
    if (!all)
        return bind_nomem(b), NULL;
    all[0] = arg;
    for (uint32_t i = 0; i < n; i++)
        if (!(all[i + 1] = bind_expr(b, ae->u.in.list.items[i])))
            return NULL;
    if (!bind_unify_list(b, all, n + 1, "IN", ae->pos))
        return NULL;
    bexpr *e = bind_new(b, BX_IN_LIST, bind_type(ENG_TYPE_BOOLEAN), ae->pos);
    if (!e)
        return NULL;
    e->u.in.arg = all[0];
    e->u.in.n = n;
    e->u.in.list = all + 1;
    e->u.in.negated = ae->u.in.negated;
    e->nullable = false;
    for (uint32_t i = 0; i <= n; i++)
        e->nullable |= all[i]->nullable;
    return e;
}

static bexpr *bind_like(binder *b, const ast_expr *ae)
{
    eng_type text = bind_type(ENG_TYPE_VARCHAR);
    bexpr *arg = bind_expr(b, ae->u.like.arg);
    bexpr *pat = arg ? bind_expr(b, ae->u.like.pattern) : NULL;
    if (!pat || !(arg = bind_coerce(b, arg, text)) || !(pat = bind_coerce(b, pat, text)))
        return NULL;
    bexpr *e = bind_new(b, BX_LIKE, bind_type(ENG_TYPE_BOOLEAN), ae->pos);
    if (!e)
        return NULL;
    e->u.like.arg = arg;
    e->u.like.pattern = pat;
    e->u.like.negated = ae->u.like.negated;
    e->u.like.ilike = ae->u.like.ilike;
    e->nullable = arg->nullable || pat->nullable;
    if (ae->u.like.escape) {
        const ast_expr *x = ae->u.like.escape;
        if (x->kind != AST_LITERAL || x->u.literal.type != ENG_TYPE_VARCHAR ||
            x->u.literal.u.s.len != 1) {
            err_set(b->err, ENG_E_SYNTAX,
                    "ESCAPE takes a string literal of one character (position %u)", x->pos + 1);
            return NULL;
        }
        e->u.like.escape = (unsigned char)x->u.literal.u.s.ptr[0];
    }
    return e;
}

static bexpr *bind_literal(binder *b, const ast_expr *ae)
{
    bexpr *e = bind_new(b, BX_CONST, bind_type(ae->u.literal.type), ae->pos);
    if (e) {
        e->u.constant = ae->u.literal;
        e->nullable = ae->u.literal.is_null;
        e->text = ae->text;
        if (e->type.id == ENG_TYPE_DECIMAL) {
            uint32_t digits = 0, scale = ae->u.literal.scale;
            for (const char *c = ae->text; *c; c++)
                digits += *c >= '0' && *c <= '9';
            e->type = bind_decimal(digits > scale ? digits : scale + 1, scale);
        }
        if (e->type.id == ENG_TYPE_VARCHAR) {
            uint32_t chars = val_utf8_chars(ae->u.literal.u.s.ptr, ae->u.literal.u.s.len);
            e->type.width = chars ? chars : 1;
        }
    }
    return e;
}

static bexpr *bind_expr_plain(binder *b, const ast_expr *ae)
{
    bexpr *e;
    switch (ae->kind) {
    case AST_LITERAL:
        return bind_literal(b, ae);
    case AST_COLUMN:
        return bind_column(b, ae);
    case AST_PARAM:
        e = bind_new(b, BX_PARAM, b->param_types[ae->u.param], ae->pos);
        if (e)
            e->u.param = ae->u.param;
        return e;
    case AST_UNARY:
        return bind_unary(b, ae);
    case AST_BINARY:
        return bind_binary(b, ae);
    case AST_IS_NULL: {
        bexpr *arg = bind_expr(b, ae->u.is_null.arg);
        if (!arg)
            return NULL;
        if (bind_is_untyped_param(b, arg) &&
            !(arg = bind_coerce(b, arg, bind_type(ENG_TYPE_VARCHAR))))
            return NULL;
        e = bind_new(b, BX_IS_NULL, bind_type(ENG_TYPE_BOOLEAN), ae->pos);
        if (e) {
            e->u.is_null.arg = arg;
            e->u.is_null.negated = ae->u.is_null.negated;
            e->nullable = false;
        }
        return e;
    }
    case AST_CAST:
        return bind_cast(b, ae);
    case AST_FUNC:
        if (ae->u.func.over)
            return bind_window(b, ae);
        if (bind_is_aggregate_name(ae->u.func.name))
            return bind_aggregate(b, ae);
        return bind_func(b, ae);
    case AST_CASE:
        return bind_case(b, ae);
    case AST_IN:
        return bind_in(b, ae);
    case AST_BETWEEN:
        return bind_between(b, ae);
    case AST_LIKE:
        return bind_like(b, ae);
    case AST_EXISTS:
        return bind_subquery(b, ae->u.subquery.query, BX_SUB_EXISTS, NULL, ae->u.subquery.negated,
                             ae->pos);
    case AST_SUBQUERY:
        return bind_subquery(b, ae->u.subquery.query, BX_SUB_SCALAR, NULL, false, ae->pos);
    case AST_STAR:
        err_set(b->err, ENG_E_SYNTAX, "* is only allowed in a select list (position %u)",
                ae->pos + 1);
        return NULL;
    }
    err_set(b->err, ENG_E_GENERAL, "unknown expression kind %d", (int)ae->kind);
    return NULL;
}

bexpr *bind_expr(binder *b, const ast_expr *ae)
{
    if (b->agg_mode && !bind_ast_has_agg(ae) && !bind_ast_has_window(ae)) {
        /* Above the aggregation: is this aggregate-free subtree a GROUP BY expression? */
        b->agg_mode = false;
        bexpr *e = bind_expr_plain(b, ae);
        b->agg_mode = true;
        if (!e)
            return NULL;
        for (uint32_t g = 0; g < b->agg->ngroups; g++)
            if (bx_equal(e, b->agg->groups[g]))
                return bind_column_ref(b, b->agg->group_attrs[g], ae->pos);
        if (!bx_has_columns(e))
            return e;
        if (ae->kind == AST_COLUMN) {
            err_set(b->err, ENG_E_SYNTAX,
                    "column \"%s\" must appear in the GROUP BY clause or be used in an "
                    "aggregate function (position %u)",
                    ae->u.column.name, ae->pos + 1);
            return NULL;
        }
        /* Not a group as a whole: its parts must be (checked as they are bound below). */
    }
    return bind_expr_plain(b, ae);
}
