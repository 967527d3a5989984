/*
 * Function calls: aggregates (COUNT, SUM, AVG, MIN, MAX, with DISTINCT), window functions
 * (ROW_NUMBER, RANK, DENSE_RANK and aggregates OVER a window), and scalar functions from
 * a table of names, argument counts and result-type rules.
 */
#include "bind_int.h"

#include "errors.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    pl_agg_fn fn;
} bind_aggs[] = {
    {"count", AGG_COUNT}, {"sum", AGG_SUM}, {"avg", AGG_AVG}, {"min", AGG_MIN}, {"max", AGG_MAX},
};

bool bind_is_aggregate_name(const char *name)
{
    for (size_t i = 0; i < sizeof bind_aggs / sizeof *bind_aggs; i++)
        if (strcmp(name, bind_aggs[i].name) == 0)
            return true;
    return false;
}

static pl_agg_fn bind_agg_fn(const char *name)
{
    for (size_t i = 0; i < sizeof bind_aggs / sizeof *bind_aggs; i++)
        if (strcmp(name, bind_aggs[i].name) == 0)
            return bind_aggs[i].fn;
    return AGG_COUNT;
}

static const char *bind_agg_name(pl_agg_fn fn)
{
    static const char *const names[] = {"COUNT", "COUNT", "SUM", "AVG", "MIN", "MAX"};
    return names[fn];
}

int bind_agg_result(binder *b, pl_agg_fn fn, bexpr *arg, pl_agg *out, uint32_t pos)
{
    out->fn = fn;
    out->arg = arg;
    switch (fn) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        out->type = bind_type(ENG_TYPE_BIGINT);
        return 0;
    case AGG_SUM:
    case AGG_AVG:
        if (bind_is_untyped_param(b, arg) || bind_is_null_literal(arg))
            if (!(out->arg = arg = bind_coerce(b, arg, bind_type(ENG_TYPE_DOUBLE))))
                return -1;
        if (!bind_is_numeric(arg->type.id))
            return err_set(b->err, ENG_E_TYPE_MISMATCH, "%s needs a number, not %s (position %u)",
                           bind_agg_name(fn), eng_type_name(arg->type.id), pos + 1);
        if (arg->type.id == ENG_TYPE_DECIMAL) {
            uint32_t s = ENG_DECIMAL_SCALE(arg->type);
            out->type = bind_decimal(ENG_DECIMAL_MAX_PRECISION, fn == AGG_SUM || s >= 6 ? s : 6);
        } else if (fn == AGG_AVG || arg->type.id == ENG_TYPE_DOUBLE) {
            out->type = bind_type(ENG_TYPE_DOUBLE);
        } else {
            out->type = bind_type(ENG_TYPE_BIGINT);
        }
        return 0;
    case AGG_MIN:
    case AGG_MAX:
        if (!(out->arg = arg = bind_settle(b, arg)))
            return -1;
        out->type = arg->type;
        return 0;
    }
    return 0;
}

/* The aggregate's argument, bound below the aggregation (against the FROM scope). */
static bexpr *bind_agg_arg(binder *b, const ast_expr *ae)
{
    if (ae->u.func.star || ae->u.func.args.n == 0)
        return NULL;
    bool mode = b->agg_mode, in_arg = b->in_agg_arg;
    bind_win *win = b->win;
    b->agg_mode = false;
    b->in_agg_arg = true;
    b->win = NULL;
    bexpr *e = bind_expr(b, ae->u.func.args.items[0]);
    b->agg_mode = mode;
    b->in_agg_arg = in_arg;
    b->win = win;
    return e;
}

static int bind_agg_check(binder *b, const ast_expr *ae, pl_agg_fn *fn)
{
    const char *name = ae->u.func.name;
    *fn = bind_agg_fn(name);
    if (ae->u.func.star) {
        if (*fn != AGG_COUNT)
            return err_set(b->err, ENG_E_SYNTAX,
                           "%s(*) is not allowed; only COUNT(*) (position %u)", bind_agg_name(*fn),
                           ae->pos + 1);
        if (ae->u.func.distinct)
            return err_set(b->err, ENG_E_SYNTAX, "COUNT(DISTINCT *) is not allowed (position %u)",
                           ae->pos + 1);
        *fn = AGG_COUNT_STAR;
        return 0;
    }
    if (ae->u.func.args.n != 1)
        return err_set(b->err, ENG_E_SYNTAX, "%s takes one argument, not %u (position %u)",
                       bind_agg_name(*fn), ae->u.func.args.n, ae->pos + 1);
    return 0;
}

bexpr *bind_aggregate(binder *b, const ast_expr *ae)
{
    pl_agg_fn fn;
    if (bind_agg_check(b, ae, &fn) != 0)
        return NULL;
    if (b->in_agg_arg) {
        err_set(b->err, ENG_E_SYNTAX, "aggregate calls cannot be nested (position %u)",
                ae->pos + 1);
        return NULL;
    }
    if (!b->agg) {
        err_set(b->err, ENG_E_SYNTAX, "aggregate functions are not allowed in %s (position %u)",
                b->clause ? b->clause : "this place", ae->pos + 1);
        return NULL;
    }
    bexpr *arg = bind_agg_arg(b, ae);
    if (!arg && fn != AGG_COUNT_STAR)
        return NULL;
    pl_agg agg;
    if (bind_agg_result(b, fn, arg, &agg, ae->pos) != 0)
        return NULL;
    agg.distinct = ae->u.func.distinct && fn != AGG_MIN && fn != AGG_MAX;
    bind_agg *ba = b->agg;
    uint32_t attr = UINT32_MAX;
    for (uint32_t i = 0; i < ba->naggs && attr == UINT32_MAX; i++) {
        const pl_agg *o = &ba->aggs[i];
        if (o->fn == agg.fn && o->distinct == agg.distinct &&
            (o->arg ? agg.arg && bx_equal(o->arg, agg.arg) : !agg.arg))
            attr = ba->agg_attrs[i];
    }
    if (attr == UINT32_MAX) {
        if (ba->naggs == ba->cap) {
            uint32_t cap = ba->cap ? ba->cap * 2 : 8;
            pl_agg *aggs = arena_alloc(b->a, cap * sizeof *aggs);
            uint32_t *attrs = arena_alloc(b->a, cap * sizeof *attrs);
            if (!aggs || !attrs)
                return bind_nomem(b), NULL;
            if (ba->naggs) {
                memcpy(aggs, ba->aggs, ba->naggs * sizeof *aggs);
                memcpy(attrs, ba->agg_attrs, ba->naggs * sizeof *attrs);
            }
            ba->aggs = aggs;
            ba->agg_attrs = attrs;
            ba->cap = cap;
        }
        bool nullable = fn != AGG_COUNT && fn != AGG_COUNT_STAR;
        attr = bind_new_attr(b, agg.type, nullable, bind_agg_name(fn), "");
        if (attr == UINT32_MAX)
            return NULL;
        ba->aggs[ba->naggs] = agg;
        ba->agg_attrs[ba->naggs++] = attr;
    }
    bexpr *e = bind_new(b, BX_COLUMN, b->attrs[attr].type, ae->pos);
    if (e) {
        e->u.column = attr;
        e->nullable = b->attrs[attr].nullable;
    }
    return e;
}

/* ORDER BY keys of an OVER clause. */
static int bind_window_order(binder *b, const ast_window *w, pl_window *pw)
{
    pw->norder = w->order.n;
    pw->order = arena_alloc(b->a, (w->order.n ? w->order.n : 1) * sizeof *pw->order);
    if (!pw->order)
        return bind_nomem(b);
    for (uint32_t i = 0; i < w->order.n; i++) {
        const ast_order_item *o = w->order.items[i];
        pl_sort_key *k = &pw->order[i];
        if (!(k->expr = bind_settle(b, bind_expr(b, o->expr))))
            return -1;
        k->desc = o->desc;
        k->nulls_first = o->nulls == AST_NULLS_DEFAULT ? o->desc : o->nulls == AST_NULLS_FIRST;
    }
    return 0;
}

bexpr *bind_window(binder *b, const ast_expr *ae)
{
    const char *name = ae->u.func.name;
    const ast_window *w = ae->u.func.over;
    if (!b->win) {
        err_set(b->err, ENG_E_SYNTAX, "window functions are not allowed in %s (position %u)",
                b->clause ? b->clause : "this place", ae->pos + 1);
        return NULL;
    }
    bind_win *bw = b->win;
    pl_window pw = {0};
    pw.frame = w->frame;
    b->win = NULL; /* no window calls inside a window call */
    int rc = 0;
    if (strcmp(name, "row_number") == 0 || strcmp(name, "rank") == 0 ||
        strcmp(name, "dense_rank") == 0) {
        pw.fn = name[0] == 'r' ? (name[1] == 'o' ? WIN_ROW_NUMBER : WIN_RANK) : WIN_DENSE_RANK;
        if (ae->u.func.args.n || ae->u.func.star)
            rc = err_set(b->err, ENG_E_SYNTAX, "%s() takes no arguments (position %u)", name,
                         ae->pos + 1);
    } else if (bind_is_aggregate_name(name)) {
        pl_agg_fn fn;
        pw.fn = WIN_AGG;
        rc = bind_agg_check(b, ae, &fn);
        bexpr *arg = NULL;
        if (rc == 0 && fn != AGG_COUNT_STAR && !(arg = bind_expr(b, ae->u.func.args.items[0])))
            rc = -1;
        if (rc == 0)
            rc = bind_agg_result(b, fn, arg, &pw.agg, ae->pos);
        if (rc == 0 && ae->u.func.distinct)
            rc = err_set(b->err, ENG_E_FEATURE,
                         "DISTINCT in a window aggregate is not supported (position %u)",
                         ae->pos + 1);
    } else {
        rc = err_set(b->err, ENG_E_FEATURE, "window function %s is not supported (position %u)",
                     name, ae->pos + 1);
    }
    if (rc == 0) {
        pw.npartition = w->partition.n;
        pw.partition = arena_alloc(b->a, (w->partition.n ? w->partition.n : 1) * sizeof(bexpr *));
        if (!pw.partition)
            rc = bind_nomem(b);
        for (uint32_t i = 0; rc == 0 && i < w->partition.n; i++)
            if (!(pw.partition[i] = bind_settle(b, bind_expr(b, w->partition.items[i]))))
                rc = -1;
    }
    if (rc == 0)
        rc = bind_window_order(b, w, &pw);
    b->win = bw;
    if (rc != 0)
        return NULL;
    if (bw->n == bw->cap) {
        uint32_t cap = bw->cap ? bw->cap * 2 : 4;
        pl_window *funcs = arena_alloc(b->a, cap * sizeof *funcs);
        uint32_t *attrs = arena_alloc(b->a, cap * sizeof *attrs);
        if (!funcs || !attrs)
            return bind_nomem(b), NULL;
        if (bw->n) {
            memcpy(funcs, bw->funcs, bw->n * sizeof *funcs);
            memcpy(attrs, bw->attrs, bw->n * sizeof *attrs);
        }
        bw->funcs = funcs;
        bw->attrs = attrs;
        bw->cap = cap;
    }
    eng_type type = pw.fn == WIN_AGG ? pw.agg.type : bind_type(ENG_TYPE_BIGINT);
    bool nullable = pw.fn == WIN_AGG && pw.agg.fn != AGG_COUNT && pw.agg.fn != AGG_COUNT_STAR;
    uint32_t attr = bind_new_attr(b, type, nullable, name, "");
    if (attr == UINT32_MAX)
        return NULL;
    bw->funcs[bw->n] = pw;
    bw->attrs[bw->n++] = attr;
    bexpr *e = bind_new(b, BX_COLUMN, type, ae->pos);
    if (e) {
        e->u.column = attr;
        e->nullable = nullable;
    }
    return e;
}

static bexpr *bind_func_node(binder *b, bx_fn fn, eng_type type, bexpr **args, uint32_t n,
                             uint32_t pos)
{
    bexpr *e = bind_new(b, BX_FUNC, type, pos);
    if (!e)
        return NULL;
    e->u.func.fn = fn;
    e->u.func.args = args;
    e->u.func.nargs = n;
    e->nullable = false;
    for (uint32_t i = 0; i < n; i++)
        e->nullable |= args[i]->nullable;
    return e;
}

/* COALESCE, GREATEST, LEAST: every argument of one common type. */
static bexpr *bind_variadic(binder *b, const ast_expr *ae, bx_fn fn, bexpr **args, uint32_t n)
{
    if (!bind_unify_list(b, args, n, ae->u.func.name, ae->pos))
        return NULL;
    bexpr *e = bind_func_node(b, fn, args[0]->type, args, n, ae->pos);
    if (e && fn == FN_COALESCE) {
        e->nullable = true;
        for (uint32_t i = 0; i < n; i++)
            e->nullable &= args[i]->nullable;
    }
    return e;
}

/* A constant text argument (a field or unit name); NULL when it is not one. */
static const eng_str *bind_text_arg(const bexpr *e)
{
    if (e->kind != BX_CONST || e->type.id != ENG_TYPE_VARCHAR || e->u.constant.is_null)
        return NULL;
    return &e->u.constant.u.s;
}

/* A date or time argument: text and parameters become TIMESTAMP. */
static bexpr *bind_datetime_arg(binder *b, bexpr *e, const char *name, uint32_t pos)
{
    eng_type_id t = e->type.id;
    if (t == ENG_TYPE_DATE || t == ENG_TYPE_TIMESTAMP || t == ENG_TYPE_TIME ||
        t == ENG_TYPE_INTERVAL)
        return e;
    if (bind_is_untyped_param(b, e) || bind_is_null_literal(e) || t == ENG_TYPE_VARCHAR)
        return bind_coerce(b, e, bind_type(ENG_TYPE_TIMESTAMP));
    err_set(b->err, ENG_E_TYPE_MISMATCH,
            "%s needs a date, time, timestamp or interval, not %s "
            "(position %u)",
            name, eng_type_name(t), pos + 1);
    return NULL;
}

/* EXTRACT(field FROM x), DATE_PART('field', x), DATE_TRUNC('field', x). */
static bexpr *bind_datetime_func(binder *b, const ast_expr *ae, bx_fn fn, bexpr **args, uint32_t n)
{
    const char *name = ae->u.func.name;
    if (n != 2) {
        err_set(b->err, ENG_E_SYNTAX, "%s takes a field and a value (position %u)", name,
                ae->pos + 1);
        return NULL;
    }
    const eng_str *field = bind_text_arg(args[0]);
    int f = field ? dt_field(field->ptr, field->len) : -1;
    if (f < 0) {
        err_set(b->err, ENG_E_FEATURE, "%s: unknown field %s%.*s%s (position %u)", name,
                field ? "\"" : "", field ? (int)field->len : 0, field ? field->ptr : "",
                field ? "\"" : "(it must be a constant)", ae->pos + 1);
        return NULL;
    }
    if (!(args[1] = bind_datetime_arg(b, args[1], name, ae->pos)))
        return NULL;
    eng_type type;
    if (fn == FN_DATE_TRUNC) {
        if (args[1]->type.id == ENG_TYPE_TIME || args[1]->type.id == ENG_TYPE_INTERVAL ||
            f == DT_DOW || f == DT_ISODOW || f == DT_DOY || f == DT_EPOCH) {
            err_set(b->err, ENG_E_FEATURE,
                    "DATE_TRUNC cannot truncate %s to \"%.*s\" (position %u)",
                    eng_type_name(args[1]->type.id), (int)field->len, field->ptr, ae->pos + 1);
            return NULL;
        }
        type = args[1]->type;
    } else {
        bool fraction = f == DT_SECOND || f == DT_MILLISECOND || f == DT_EPOCH;
        type = bind_type(fraction ? ENG_TYPE_DOUBLE : ENG_TYPE_BIGINT);
    }
    /* The field travels as a number in the first argument. */
    bexpr *fe = bind_new(b, BX_CONST, bind_type(ENG_TYPE_INTEGER), ae->pos);
    if (!fe)
        return NULL;
    fe->u.constant = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = f};
    fe->nullable = false;
    args[0] = fe;
    bexpr *e = bind_func_node(b, fn, type, args, 2, ae->pos);
    return e ? bind_fold(b, e) : NULL;
}

/* DATEDIFF('unit', a, b): unit boundaries from a to b. */
static bexpr *bind_date_diff(binder *b, const ast_expr *ae, bexpr **args, uint32_t n)
{
    if (n != 3) {
        err_set(b->err, ENG_E_SYNTAX, "DATEDIFF takes a unit and two values (position %u)",
                ae->pos + 1);
        return NULL;
    }
    const eng_str *unit = bind_text_arg(args[0]);
    int f = unit ? dt_field(unit->ptr, unit->len) : -1;
    if (f != DT_YEAR && f != DT_QUARTER && f != DT_MONTH && f != DT_WEEK && f != DT_DAY &&
        f != DT_HOUR && f != DT_MINUTE && f != DT_SECOND && f != DT_MILLISECOND &&
        f != DT_MICROSECOND) {
        err_set(b->err, ENG_E_FEATURE, "DATEDIFF: unknown unit (position %u)", ae->pos + 1);
        return NULL;
    }
    for (int i = 1; i < 3; i++) {
        if (!(args[i] = bind_datetime_arg(b, args[i], "DATEDIFF", ae->pos)))
            return NULL;
        if (args[i]->type.id == ENG_TYPE_DATE &&
            !(args[i] = bind_coerce(b, args[i], bind_type(ENG_TYPE_TIMESTAMP))))
            return NULL;
        if (args[i]->type.id != ENG_TYPE_TIMESTAMP) {
            err_set(b->err, ENG_E_TYPE_MISMATCH, "DATEDIFF needs dates or timestamps (position %u)",
                    ae->pos + 1);
            return NULL;
        }
    }
    bexpr *fe = bind_new(b, BX_CONST, bind_type(ENG_TYPE_INTEGER), ae->pos);
    if (!fe)
        return NULL;
    fe->u.constant = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = f};
    fe->nullable = false;
    args[0] = fe;
    bexpr *e = bind_func_node(b, FN_DATE_DIFF, bind_type(ENG_TYPE_BIGINT), args, 3, ae->pos);
    return e ? bind_fold(b, e) : NULL;
}

/* INTERVAL 'text' [unit]: parsed now into a constant. */
static bexpr *bind_interval_literal(binder *b, const ast_expr *ae, bexpr **args, uint32_t n)
{
    const eng_str *text = n >= 1 ? bind_text_arg(args[0]) : NULL;
    const eng_str *unit = n >= 2 ? bind_text_arg(args[1]) : NULL;
    char ubuf[32] = "";
    if (unit)
        snprintf(ubuf, sizeof ubuf, "%.*s", (int)unit->len, unit->ptr);
    eng_value v = {.type = ENG_TYPE_INTERVAL};
    char *to = strstr(ubuf, " to ");
    if (to)
        *to = '\0', to += 4;
    if (!text || (to ? dt_parse_interval_range(text->ptr, text->len, ubuf, to, &v.u.iv)
                     : dt_parse_interval(text->ptr, text->len, ubuf, &v.u.iv)) != 0) {
        err_set(b->err, ENG_E_DATETIME_FORMAT,
                "invalid input for type INTERVAL: \"%.*s\" "
                "(position %u)",
                text ? (int)text->len : 0, text ? text->ptr : "", ae->pos + 1);
        return NULL;
    }
    bexpr *e = bind_new(b, BX_CONST, bind_type(ENG_TYPE_INTERVAL), ae->pos);
    if (e) {
        e->u.constant = v;
        e->nullable = false;
    }
    return e;
}

bexpr *bind_func(binder *b, const ast_expr *ae)
{
    const char *name = ae->u.func.name;
    uint32_t n = ae->u.func.args.n;
    if (ae->u.func.star || ae->u.func.distinct) {
        err_set(b->err, ENG_E_SYNTAX,
                "%s is not an aggregate: * and DISTINCT are not allowed "
                "(position %u)",
                name, ae->pos + 1);
        return NULL;
    }
    bool handled;
    bexpr *special = bind_odbc_special(b, ae, &handled);
    if (handled)
        return special;
    bexpr **args = arena_alloc(b->a, (n ? n : 1) * sizeof *args);
    if (!args)
        return bind_nomem(b), NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!(args[i] = bind_expr(b, ae->u.func.args.items[i])))
            return NULL;
    if (strcmp(name, "ifnull") == 0 || strcmp(name, "nvl") == 0)
        name = "coalesce";
    if (strcmp(name, "curdate") == 0)
        name = "current_date";
    if (strcmp(name, "curtime") == 0)
        name = "current_time";
    bool found;
    bexpr *scalar = bind_scalar(b, ae, args, n, &found);
    if (found)
        return scalar;
    if (strcmp(name, "coalesce") == 0 || strcmp(name, "greatest") == 0 ||
        strcmp(name, "least") == 0) {
        if (n == 0) {
            err_set(b->err, ENG_E_SYNTAX, "%s needs at least one argument (position %u)", name,
                    ae->pos + 1);
            return NULL;
        }
        bx_fn fn = name[0] == 'c' ? FN_COALESCE : name[0] == 'g' ? FN_GREATEST : FN_LEAST;
        if (fn == FN_COALESCE && n != 2 && strcmp(ae->u.func.name, "coalesce") != 0) {
            err_set(b->err, ENG_E_SYNTAX, "%s takes two arguments (position %u)", ae->u.func.name,
                    ae->pos + 1);
            return NULL;
        }
        return bind_variadic(b, ae, fn, args, n);
    }
    if (strcmp(name, "nullif") == 0) {
        if (n != 2) {
            err_set(b->err, ENG_E_SYNTAX, "NULLIF takes two arguments (position %u)", ae->pos + 1);
            return NULL;
        }
        if (!bind_unify(b, &args[0], &args[1], "compare", ae->pos))
            return NULL;
        bexpr *e = bind_func_node(b, FN_NULLIF, args[0]->type, args, 2, ae->pos);
        if (e)
            e->nullable = true;
        return e;
    }
    if (strcmp(name, "extract") == 0 || strcmp(name, "date_part") == 0 ||
        strcmp(name, "datepart") == 0)
        return bind_datetime_func(b, ae, FN_EXTRACT, args, n);
    if (strcmp(name, "date_trunc") == 0 || strcmp(name, "datetrunc") == 0)
        return bind_datetime_func(b, ae, FN_DATE_TRUNC, args, n);
    if (strcmp(name, "datediff") == 0 || strcmp(name, "date_diff") == 0)
        return bind_date_diff(b, ae, args, n);
    if (strcmp(name, "$interval") == 0)
        return bind_interval_literal(b, ae, args, n);
    if (strcmp(name, "current_schema") == 0 && n == 0) {
        bexpr *e = bind_new(b, BX_CONST, bind_type(ENG_TYPE_VARCHAR), ae->pos);
        if (e) {
            e->u.constant = (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {"main", 4}};
            e->type.width = 4;
            e->nullable = false;
        }
        return e;
    }
    if (strcmp(name, "current_user") == 0 || strcmp(name, "session_user") == 0 ||
        strcmp(name, "user") == 0 || strcmp(name, "current_catalog") == 0) {
        if (n) {
            err_set(b->err, ENG_E_SYNTAX, "%s takes no arguments (position %u)", name, ae->pos + 1);
            return NULL;
        }
        bx_fn fn = strcmp(name, "current_catalog") == 0 ? FN_CURRENT_CATALOG : FN_CURRENT_USER;
        bexpr *e = bind_func_node(b, fn, bind_type(ENG_TYPE_VARCHAR), args, 0, ae->pos);
        if (e)
            e->nullable = fn == FN_CURRENT_USER;
        return e;
    }
    static const struct {
        const char *name;
        bx_fn fn;
        eng_type_id type;
    } clocks[] = {
        {"current_date", FN_CURRENT_DATE, ENG_TYPE_DATE},
        {"current_timestamp", FN_CURRENT_TIMESTAMP, ENG_TYPE_TIMESTAMP},
        {"localtimestamp", FN_CURRENT_TIMESTAMP, ENG_TYPE_TIMESTAMP},
        {"now", FN_CURRENT_TIMESTAMP, ENG_TYPE_TIMESTAMP},
        {"current_time", FN_CURRENT_TIME, ENG_TYPE_TIME},
        {"localtime", FN_CURRENT_TIME, ENG_TYPE_TIME},
    };
    for (size_t i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        if (strcmp(name, clocks[i].name) != 0)
            continue;
        if (n) {
            err_set(b->err, ENG_E_SYNTAX, "%s takes no arguments (position %u)", name, ae->pos + 1);
            return NULL;
        }
        return bind_func_node(b, clocks[i].fn, bind_type(clocks[i].type), args, 0, ae->pos);
    }
    err_set(b->err, ENG_E_FEATURE, "function %s() is not supported (position %u)", name,
            ae->pos + 1);
    return NULL;
}
