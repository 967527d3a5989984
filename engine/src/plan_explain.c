/*
 * EXPLAIN: the plan as indented text, one line per node, root first, with each node's
 * expressions written back in SQL-like form (columns by name) and its estimated rows.
 */
#include "plan.h"

#include "value.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct xbuf {
    arena *a;
    char *s;
    size_t len, cap;
    bool failed;
} xbuf;

static void xb_printf(xbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void xb_printf(xbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1024) + (size_t)n;
        char *s = arena_alloc(b->a, cap);
        if (!s) {
            b->failed = true;
            return;
        }
        if (b->len)
            memcpy(s, b->s, b->len);
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

typedef struct xctx {
    xbuf *b;
    const pl_attr *attrs;
    const uint32_t *layout; /* of the input the expression reads */
} xctx;

static const char *const x_fn_names[] = {
    [FN_COALESCE] = "COALESCE",
    [FN_NULLIF] = "NULLIF",
    [FN_ABS] = "ABS",
    [FN_ROUND] = "ROUND",
    [FN_FLOOR] = "FLOOR",
    [FN_CEIL] = "CEIL",
    [FN_MOD] = "MOD",
    [FN_POWER] = "POWER",
    [FN_SQRT] = "SQRT",
    [FN_SIGN] = "SIGN",
    [FN_EXP] = "EXP",
    [FN_LN] = "LN",
    [FN_LOG10] = "LOG10",
    [FN_TRUNC] = "TRUNC",
    [FN_LENGTH] = "LENGTH",
    [FN_OCTET_LENGTH] = "OCTET_LENGTH",
    [FN_LOWER] = "LOWER",
    [FN_UPPER] = "UPPER",
    [FN_SUBSTRING] = "SUBSTRING",
    [FN_TRIM] = "TRIM",
    [FN_LTRIM] = "LTRIM",
    [FN_RTRIM] = "RTRIM",
    [FN_POSITION] = "POSITION",
    [FN_CONCAT] = "CONCAT",
    [FN_REPLACE] = "REPLACE",
    [FN_LEFT] = "LEFT",
    [FN_RIGHT] = "RIGHT",
    [FN_REPEAT] = "REPEAT",
    [FN_REVERSE] = "REVERSE",
    [FN_LPAD] = "LPAD",
    [FN_RPAD] = "RPAD",
    [FN_GREATEST] = "GREATEST",
    [FN_LEAST] = "LEAST",
    [FN_EXTRACT] = "EXTRACT",
    [FN_DATE_TRUNC] = "DATE_TRUNC",
    [FN_DATE_DIFF] = "DATEDIFF",
    [FN_CURRENT_DATE] = "CURRENT_DATE",
    [FN_CURRENT_TIMESTAMP] = "CURRENT_TIMESTAMP",
    [FN_CURRENT_TIME] = "CURRENT_TIME",
    [FN_MAKE_INTERVAL] = "INTERVAL",
    [FN_ASCII] = "ASCII",
    [FN_CHR] = "CHR",
    [FN_SPACE] = "SPACE",
    [FN_RANDOM] = "RANDOM",
    [FN_OVERLAY] = "OVERLAY",
    [FN_CURRENT_USER] = "CURRENT_USER",
    [FN_CURRENT_CATALOG] = "CURRENT_CATALOG",
};

static void x_expr(const xctx *x, const bexpr *e);

static void x_list(const xctx *x, bexpr *const *l, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            xb_printf(x->b, ", ");
        x_expr(x, l[i]);
    }
}

static void x_value(xbuf *b, const eng_value *v)
{
    char buf[64];
    if (v->is_null || v->type == ENG_TYPE_NULL) {
        xb_printf(b, "NULL");
        return;
    }
    switch (v->type) {
    case ENG_TYPE_VARCHAR:
        xb_printf(b, "'%.*s'", (int)(v->u.s.len > 40 ? 40 : v->u.s.len), v->u.s.ptr);
        return;
    case ENG_TYPE_BOOLEAN:
        xb_printf(b, "%s", v->u.b ? "TRUE" : "FALSE");
        return;
    case ENG_TYPE_DOUBLE:
        val_format_double(v->u.d, buf, sizeof buf);
        xb_printf(b, "%s", buf);
        return;
    default:
        xb_printf(b, "%" PRId64, v->u.i);
        return;
    }
}

static void x_expr(const xctx *x, const bexpr *e)
{
    xbuf *b = x->b;
    switch (e->kind) {
    case BX_CONST:
        x_value(b, &e->u.constant);
        return;
    case BX_COLUMN:
        if (x->layout)
            xb_printf(b, "%s", x->attrs[x->layout[e->u.column]].name);
        else
            xb_printf(b, "#%u", e->u.column);
        return;
    case BX_PARAM:
        xb_printf(b, "?%u", e->u.param + 1);
        return;
    case BX_OUTER:
        xb_printf(b, "outer#%u", e->u.outer + 1);
        return;
    case BX_UNARY:
        xb_printf(b, "%s(", e->u.unary.op == OP_NOT ? "NOT " : "-");
        x_expr(x, e->u.unary.arg);
        xb_printf(b, ")");
        return;
    case BX_BINARY:
        xb_printf(b, "(");
        x_expr(x, e->u.binary.left);
        xb_printf(b, " %s ", ast_op_text(e->u.binary.op));
        x_expr(x, e->u.binary.right);
        xb_printf(b, ")");
        return;
    case BX_IS_NULL:
        x_expr(x, e->u.is_null.arg);
        xb_printf(b, e->u.is_null.negated ? " IS NOT NULL" : " IS NULL");
        return;
    case BX_CAST:
        xb_printf(b, "CAST(");
        x_expr(x, e->u.cast_arg);
        xb_printf(b, " AS %s)", eng_type_name(e->type.id));
        return;
    case BX_FUNC:
        xb_printf(b, "%s(", x_fn_names[e->u.func.fn] ? x_fn_names[e->u.func.fn] : "?");
        x_list(x, e->u.func.args, e->u.func.nargs);
        xb_printf(b, ")");
        return;
    case BX_CASE:
        xb_printf(b, "CASE");
        for (uint32_t i = 0; i < e->u.case_.n; i++) {
            xb_printf(b, " WHEN ");
            x_expr(x, e->u.case_.when[i]);
            xb_printf(b, " THEN ");
            x_expr(x, e->u.case_.then[i]);
        }
        if (e->u.case_.else_) {
            xb_printf(b, " ELSE ");
            x_expr(x, e->u.case_.else_);
        }
        xb_printf(b, " END");
        return;
    case BX_IN_LIST:
        x_expr(x, e->u.in.arg);
        xb_printf(b, e->u.in.negated ? " NOT IN (" : " IN (");
        x_list(x, e->u.in.list, e->u.in.n);
        xb_printf(b, ")");
        return;
    case BX_LIKE:
        x_expr(x, e->u.like.arg);
        xb_printf(b, "%s%s ", e->u.like.negated ? " NOT" : "",
                  e->u.like.ilike ? " ILIKE" : " LIKE");
        x_expr(x, e->u.like.pattern);
        return;
    case BX_SUBQUERY:
        if (e->u.sub.arg && (e->u.sub.kind == BX_SUB_ANY || e->u.sub.kind == BX_SUB_ALL)) {
            x_expr(x, e->u.sub.arg);
            xb_printf(b, " %s %s ", ast_op_text((ast_op)e->u.sub.op),
                      e->u.sub.kind == BX_SUB_ANY ? "ANY" : "ALL");
        } else if (e->u.sub.arg) {
            x_expr(x, e->u.sub.arg);
            xb_printf(b, e->u.sub.negated ? " NOT IN " : " IN ");
        } else if (e->u.sub.kind == BX_SUB_EXISTS) {
            xb_printf(b, e->u.sub.negated ? "NOT EXISTS " : "EXISTS ");
        }
        xb_printf(b, "(subquery %u%s)", e->u.sub.id + 1, e->u.sub.nouter ? ", correlated" : "");
        return;
    }
}

static const char *const x_agg_names[] = {"COUNT(*)", "COUNT", "SUM", "AVG", "MIN", "MAX"};

static void x_aggs(const xctx *x, const pl_agg *aggs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        xb_printf(x->b, "%s%s", i ? ", " : "", x_agg_names[aggs[i].fn]);
        if (aggs[i].arg) {
            xb_printf(x->b, "(%s", aggs[i].distinct ? "DISTINCT " : "");
            x_expr(x, aggs[i].arg);
            xb_printf(x->b, ")");
        }
    }
}

static void x_keys(const xctx *x, const pl_sort_key *keys, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            xb_printf(x->b, ", ");
        x_expr(x, keys[i].expr);
        xb_printf(x->b, "%s%s", keys[i].desc ? " DESC" : "",
                  keys[i].nulls_first != keys[i].desc
                      ? (keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST")
                      : "");
    }
}

static void x_subplans(xbuf *b, const pl_attr *attrs, const bexpr *e, int depth);

static void x_node(xbuf *b, const pl_attr *attrs, const pl_node *n, int depth)
{
    xb_printf(b, "%*s", depth * 2, "");
    const uint32_t *in = n->child ? n->child->layout : NULL;
    xctx x = {b, attrs, in};
    static const char *const join_names[] = {"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI"};
    switch (n->kind) {
    case PL_SCAN:
        x.layout = n->layout;
        xb_printf(b, "SCAN %s", n->u.scan.table->name);
        if (n->u.scan.alias && strcmp(n->u.scan.alias, n->u.scan.table->name) != 0)
            xb_printf(b, " AS %s", n->u.scan.alias);
        if (n->u.scan.lookup.key) {
            xb_printf(b, " USING %s KEY (", n->u.scan.lookup.key->primary ? "PRIMARY" : "UNIQUE");
            for (uint32_t i = 0; i < n->u.scan.lookup.key->ncols; i++)
                xb_printf(b, "%s%s", i ? ", " : "",
                          n->u.scan.table->cols[n->u.scan.lookup.key->cols[i]].name);
            xb_printf(b, ")");
        }
        if (n->u.scan.filter) {
            xb_printf(b, " WHERE ");
            x_expr(&x, n->u.scan.filter);
        }
        break;
    case PL_ONE_ROW:
        xb_printf(b, "ONE ROW");
        break;
    case PL_ROWS:
        xb_printf(b, "ROWS %s",
                  n->u.rows.kind == ROWS_TABLES    ? "information_schema.tables"
                  : n->u.rows.kind == ROWS_COLUMNS ? "information_schema.columns"
                                                   : "table function");
        break;
    case PL_FILTER:
        xb_printf(b, "FILTER ");
        x_expr(&x, n->u.filter.pred);
        break;
    case PL_PROJECT:
        xb_printf(b, "PROJECT ");
        x_list(&x, n->u.project.exprs, n->nattrs);
        break;
    case PL_AGG:
        xb_printf(b, "HASH AGGREGATE");
        if (n->u.agg.ngroups) {
            xb_printf(b, " GROUP BY ");
            x_list(&x, n->u.agg.groups, n->u.agg.ngroups);
        }
        if (n->u.agg.naggs) {
            xb_printf(b, " COMPUTE ");
            x_aggs(&x, n->u.agg.aggs, n->u.agg.naggs);
        }
        break;
    case PL_SORT:
        xb_printf(b, n->u.sort.limit ? "TOP-N SORT BY " : "SORT BY ");
        x_keys(&x, n->u.sort.keys, n->u.sort.nkeys);
        break;
    case PL_LIMIT:
        xb_printf(b, "LIMIT");
        if (n->u.limit.limit) {
            xb_printf(b, " ");
            x_expr(&x, n->u.limit.limit);
        }
        if (n->u.limit.offset) {
            xb_printf(b, " OFFSET ");
            x_expr(&x, n->u.limit.offset);
        }
        break;
    case PL_JOIN:
        xb_printf(b, "%s %s JOIN", n->u.join.nkeys ? "HASH" : "NESTED LOOP",
                  join_names[n->u.join.kind]);
        if (n->u.join.nkeys) {
            xb_printf(b, " ON ");
            for (uint32_t i = 0; i < n->u.join.nkeys; i++) {
                xctx l = {b, attrs, n->child->layout}, r = {b, attrs, n->right->layout};
                xb_printf(b, "%s", i ? " AND " : "");
                x_expr(&l, n->u.join.lkeys[i]);
                xb_printf(b, " = ");
                x_expr(&r, n->u.join.rkeys[i]);
            }
            xb_printf(b, " (build %s)", n->u.join.build_left ? "left" : "right");
        }
        if (n->u.join.residual) {
            xb_printf(b, n->u.join.nkeys ? " FILTER " : " ON ");
            xb_printf(b, "<condition>");
        }
        break;
    case PL_SETOP:
        xb_printf(b, "%s%s",
                  n->u.setop.op == SETOP_UNION       ? "UNION"
                  : n->u.setop.op == SETOP_INTERSECT ? "INTERSECT"
                                                     : "EXCEPT",
                  n->u.setop.all ? " ALL" : "");
        break;
    case PL_WINDOW:
        xb_printf(b, "WINDOW %u function(s)", n->u.window.nfuncs);
        break;
    }
    xb_printf(b, "  (~%.0f rows)\n", n->rows);
    if (n->kind == PL_FILTER)
        x_subplans(b, attrs, n->u.filter.pred, depth + 1);
    if (n->kind == PL_SCAN && n->u.scan.filter)
        x_subplans(b, attrs, n->u.scan.filter, depth + 1);
    if (n->kind == PL_PROJECT)
        for (uint32_t i = 0; i < n->nattrs; i++)
            x_subplans(b, attrs, n->u.project.exprs[i], depth + 1);
    if (n->child)
        x_node(b, attrs, n->child, depth + 1);
    if (n->right)
        x_node(b, attrs, n->right, depth + 1);
}

/* The plans of subqueries inside an expression, under the node that evaluates them. */
static void x_subplans(xbuf *b, const pl_attr *attrs, const bexpr *e, int depth)
{
    if (!e)
        return;
    switch (e->kind) {
    case BX_SUBQUERY:
        xb_printf(b, "%*sSUBQUERY %u\n", depth * 2, "", e->u.sub.id + 1);
        x_node(b, attrs, e->u.sub.plan, depth + 1);
        return;
    case BX_UNARY:
        x_subplans(b, attrs, e->u.unary.arg, depth);
        return;
    case BX_BINARY:
        x_subplans(b, attrs, e->u.binary.left, depth);
        x_subplans(b, attrs, e->u.binary.right, depth);
        return;
    case BX_CAST:
        x_subplans(b, attrs, e->u.cast_arg, depth);
        return;
    case BX_IS_NULL:
        x_subplans(b, attrs, e->u.is_null.arg, depth);
        return;
    case BX_FUNC:
        for (uint32_t i = 0; i < e->u.func.nargs; i++)
            x_subplans(b, attrs, e->u.func.args[i], depth);
        return;
    case BX_CASE:
        for (uint32_t i = 0; i < e->u.case_.n; i++) {
            x_subplans(b, attrs, e->u.case_.when[i], depth);
            x_subplans(b, attrs, e->u.case_.then[i], depth);
        }
        x_subplans(b, attrs, e->u.case_.else_, depth);
        return;
    default:
        return;
    }
}

char *plan_explain(const pl_node *root, const pl_attr *attrs, arena *a)
{
    xbuf b = {a, NULL, 0, 0, false};
    x_node(&b, attrs, root, 0);
    return b.failed ? NULL : b.s;
}
