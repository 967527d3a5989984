/*
 * Binder: resolves names against the catalog as the transaction sees it, types every
 * expression, and makes implicit conversions explicit:
 *  - numbers widen INTEGER -> BIGINT -> DOUBLE to the wider operand;
 *  - a string literal or NULL next to a typed operand takes that operand's type (so
 *    `id = '5'` compares integers, and `id = 'x'` fails with 22018 at once);
 *  - a parameter takes the type of what it is compared with, added to, or inserted into;
 *    elsewhere it is VARCHAR;
 *  - || casts both sides to VARCHAR.
 * Anything else that does not fit is 22018 with both types named.
 *
 * This file holds the statements (INSERT, UPDATE, DELETE, SELECT) and the coercion
 * helpers; expressions, functions, queries and FROM clauses have files of their own.
 */
#include "bind_int.h"

#include "errors.h"
#include "eval.h"
#include "value.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

tbl_table *bind_find_table(cat_catalog *cat, const char *name, const txn *t)
{
    /* Names starting with '$' are the engine's own (the accounts table): not for SQL. */
    return name[0] == '$' ? NULL : cat_find(cat, name, t);
}

int bind_nomem(binder *b)
{
    return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
}

bexpr *bind_new(binder *b, bx_kind kind, eng_type type, uint32_t pos)
{
    bexpr *e = arena_alloc(b->a, sizeof *e);
    if (!e) {
        bind_nomem(b);
        return NULL;
    }
    e->kind = kind;
    e->type = type;
    e->pos = pos;
    e->nullable = true;
    return e;
}

eng_type bind_type(eng_type_id id)
{
    eng_type t = {id, id == ENG_TYPE_VARCHAR || id == ENG_TYPE_BLOB ? ENG_VARCHAR_MAX : 0};
    if (id == ENG_TYPE_DECIMAL)
        t.width = ENG_DECIMAL_WIDTH(18, 3);
    return t;
}

eng_type bind_decimal(uint32_t precision, uint32_t scale)
{
    if (precision > ENG_DECIMAL_MAX_PRECISION)
        precision = ENG_DECIMAL_MAX_PRECISION;
    if (scale > precision)
        scale = precision;
    eng_type t = {ENG_TYPE_DECIMAL, ENG_DECIMAL_WIDTH(precision ? precision : 1, scale)};
    return t;
}

eng_type bind_as_decimal(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_SMALLINT:
        return bind_decimal(5, 0);
    case ENG_TYPE_INTEGER:
        return bind_decimal(10, 0);
    case ENG_TYPE_BIGINT:
        return bind_decimal(19, 0);
    default:
        return t;
    }
}

/* The smallest DECIMAL holding both: as many integer digits and as many decimals as the
 * larger of each. */
eng_type bind_decimal_common(eng_type a, eng_type b)
{
    a = bind_as_decimal(a);
    b = bind_as_decimal(b);
    uint32_t ia = ENG_DECIMAL_PRECISION(a) - ENG_DECIMAL_SCALE(a);
    uint32_t ib = ENG_DECIMAL_PRECISION(b) - ENG_DECIMAL_SCALE(b);
    uint32_t sa = ENG_DECIMAL_SCALE(a), sb = ENG_DECIMAL_SCALE(b);
    uint32_t scale = sa > sb ? sa : sb, idig = ia > ib ? ia : ib;
    return bind_decimal(idig + scale, scale);
}

/* The DECIMAL that holds a DOUBLE constant exactly, from its text as written. */
static bool bind_literal_decimal(const bexpr *e, eng_type *out)
{
    if (e->kind != BX_CONST || e->type.id != ENG_TYPE_DOUBLE || e->u.constant.is_null)
        return false;
    char buf[64];
    if (e->text && strlen(e->text) < sizeof buf)
        snprintf(buf, sizeof buf, "%s", e->text);
    else
        val_format_double(e->u.constant.u.d, buf, sizeof buf);
    if (strchr(buf, 'e') || strchr(buf, 'E') || strchr(buf, 'n') || strchr(buf, 'N'))
        return false;
    const char *dot = strchr(buf, '.');
    uint32_t frac = dot ? (uint32_t)strlen(dot + 1) : 0;
    uint32_t digits = 0;
    for (const char *c = buf; *c; c++)
        digits += *c >= '0' && *c <= '9';
    if (digits > ENG_DECIMAL_MAX_PRECISION)
        return false;
    *out = bind_decimal(digits > frac ? digits : frac + 1, frac);
    return true;
}

uint32_t bind_new_attr(binder *b, eng_type type, bool nullable, const char *name, const char *table)
{
    if (b->nattrs == b->attrs_cap) {
        uint32_t cap = b->attrs_cap ? b->attrs_cap * 2 : 32;
        pl_attr *attrs = arena_alloc(b->a, cap * sizeof *attrs);
        if (!attrs) {
            bind_nomem(b);
            return UINT32_MAX;
        }
        if (b->nattrs)
            memcpy(attrs, b->attrs, b->nattrs * sizeof *attrs);
        b->attrs = attrs;
        b->attrs_cap = cap;
    }
    b->attrs[b->nattrs] = (pl_attr){type, nullable, name ? name : "?", table ? table : ""};
    return b->nattrs++;
}

int bind_keep_table(binder *b, tbl_table *tb)
{
    if (b->ntables == b->tables_cap) {
        uint32_t cap = b->tables_cap ? b->tables_cap * 2 : 8;
        tbl_table **tables = arena_alloc(b->a, cap * sizeof *tables);
        if (!tables) {
            tbl_unref(tb);
            return bind_nomem(b);
        }
        if (b->ntables)
            memcpy(tables, b->tables, b->ntables * sizeof *tables);
        b->tables = tables;
        b->tables_cap = cap;
    }
    b->tables[b->ntables++] = tb;
    return 0;
}

/* The widest text a value of type t can turn into, for VARCHAR results of casts. */
uint32_t bind_text_width(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return 5;
    case ENG_TYPE_SMALLINT:
        return 6;
    case ENG_TYPE_INTEGER:
        return 11;
    case ENG_TYPE_BIGINT:
        return 20;
    case ENG_TYPE_DOUBLE:
        return 24;
    case ENG_TYPE_DECIMAL:
        return ENG_DECIMAL_PRECISION(t) + 2;
    case ENG_TYPE_DATE:
        return 10;
    case ENG_TYPE_TIME:
        return 15;
    case ENG_TYPE_TIMESTAMP:
        return 26;
    case ENG_TYPE_INTERVAL:
        return 64;
    case ENG_TYPE_VARCHAR:
        return t.width ? t.width : ENG_VARCHAR_MAX;
    case ENG_TYPE_BLOB:
        return t.width && t.width < ENG_VARCHAR_MAX / 2 ? 2 * t.width + 2 : ENG_VARCHAR_MAX;
    default:
        return ENG_VARCHAR_MAX;
    }
}

bool bind_is_numeric(eng_type_id id)
{
    return val_is_numeric(id);
}

/* Widening order of the numeric types. */
static int bind_num_rank(eng_type_id id)
{
    switch (id) {
    case ENG_TYPE_SMALLINT:
        return 1;
    case ENG_TYPE_INTEGER:
        return 2;
    case ENG_TYPE_BIGINT:
        return 3;
    case ENG_TYPE_DECIMAL:
        return 4;
    default:
        return 5;
    }
}

/* The numeric type two numeric operands meet at. */
static eng_type bind_num_common(const bexpr *L, const bexpr *R)
{
    eng_type_id lt = L->type.id, rt = R->type.id;
    if (lt == ENG_TYPE_DECIMAL || rt == ENG_TYPE_DECIMAL) {
        /* A DOUBLE constant next to a DECIMAL stays exact when it can. */
        eng_type lit;
        if (lt == ENG_TYPE_DOUBLE && bind_literal_decimal(L, &lit))
            return bind_decimal_common(lit, R->type);
        if (rt == ENG_TYPE_DOUBLE && bind_literal_decimal(R, &lit))
            return bind_decimal_common(L->type, lit);
        if (lt == ENG_TYPE_DOUBLE || rt == ENG_TYPE_DOUBLE)
            return bind_type(ENG_TYPE_DOUBLE);
        return bind_decimal_common(L->type, R->type);
    }
    return bind_type(bind_num_rank(lt) >= bind_num_rank(rt) ? lt : rt);
}

bool bind_is_untyped_param(const binder *b, const bexpr *e)
{
    return e->kind == BX_PARAM && b->param_types[e->u.param].id == ENG_TYPE_NULL;
}

bool bind_is_string_literal(const bexpr *e)
{
    return e->kind == BX_CONST && e->type.id == ENG_TYPE_VARCHAR;
}

bool bind_is_null_literal(const bexpr *e)
{
    return e->kind == BX_CONST && e->type.id == ENG_TYPE_NULL;
}

/* Same representation: nothing to convert (DECIMALs must also share the scale, and a
 * narrower precision is a check a CAST makes). */
static bool bind_same_type(eng_type a, eng_type b)
{
    if (a.id != b.id)
        return false;
    if (a.id != ENG_TYPE_DECIMAL)
        return true;
    return ENG_DECIMAL_SCALE(a) == ENG_DECIMAL_SCALE(b) &&
           ENG_DECIMAL_PRECISION(a) <= ENG_DECIMAL_PRECISION(b);
}

bexpr *bind_coerce(binder *b, bexpr *e, eng_type to)
{
    if (bind_same_type(e->type, to) && e->kind != BX_PARAM) {
        if (e->type.id == ENG_TYPE_DECIMAL && e->type.width != to.width) {
            if (e->kind == BX_CONST) { /* the value is the same: a constant stays one, so a
                                          comparison with a column keeps its typed loop */
                e->type = to;
                return e;
            }
            bexpr *c = bind_new(b, BX_CAST, to, e->pos); /* a wider precision: relabel */
            if (!c)
                return NULL;
            c->u.cast_arg = e;
            c->nullable = e->nullable;
            return c;
        }
        return e;
    }
    if (to.id == ENG_TYPE_VARCHAR && to.width == ENG_VARCHAR_MAX && e->kind != BX_PARAM &&
        e->type.id != ENG_TYPE_NULL)
        to.width = bind_text_width(e->type);
    if (bind_is_untyped_param(b, e)) {
        b->param_types[e->u.param] = to;
        e->type = to;
        return e;
    }
    if (e->kind == BX_CONST) {
        eng_value v;
        /* A numeric literal converts from its text: 0.1 stays exactly 0.1 as a DECIMAL, and
         * is the nearest double as a DOUBLE. */
        eng_value text = {.type = ENG_TYPE_VARCHAR};
        const eng_value *from = &e->u.constant;
        if (e->text && (to.id == ENG_TYPE_DECIMAL || to.id == ENG_TYPE_DOUBLE)) {
            text.u.s = (eng_str){e->text, (uint32_t)strlen(e->text)};
            from = &text;
        }
        if (val_cast(from, to, b->a, &v, b->err) != 0) {
            return NULL;
        }
        e->u.constant = v;
        e->type = to;
        return e;
    }
    if (bind_same_type(e->type, to) && to.id != ENG_TYPE_DECIMAL)
        return e;
    if (!val_castable(e->type.id, to.id)) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot convert %s to %s (position %u)",
                eng_type_name(e->type.id), eng_type_name(to.id), e->pos + 1);
        return NULL;
    }
    bexpr *c = bind_new(b, BX_CAST, to, e->pos);
    if (!c)
        return NULL;
    c->u.cast_arg = e;
    c->nullable = e->nullable;
    return c;
}

/* Is `e` flexible: a NULL or untyped parameter that takes its partner's type? */
static bool bind_is_flex(const binder *b, const bexpr *e)
{
    return bind_is_untyped_param(b, e) || bind_is_null_literal(e);
}

/* A TIMESTAMP constant at midnight: it converts to a DATE without loss. */
static bool bind_is_midnight(const bexpr *e)
{
    return e->kind == BX_CONST && e->type.id == ENG_TYPE_TIMESTAMP && !e->u.constant.is_null &&
           e->u.constant.u.i % DT_DAY_MICROS == 0;
}

static bool bind_foldable(const bexpr *e)
{
    switch (e->kind) {
    case BX_CONST:
        return true;
    case BX_UNARY:
        return bind_foldable(e->u.unary.arg);
    case BX_BINARY:
        return bind_foldable(e->u.binary.left) && bind_foldable(e->u.binary.right);
    case BX_CAST:
        return bind_foldable(e->u.cast_arg);
    case BX_IS_NULL:
        return bind_foldable(e->u.is_null.arg);
    case BX_FUNC:
        if (e->u.func.fn == FN_CURRENT_DATE || e->u.func.fn == FN_CURRENT_TIMESTAMP ||
            e->u.func.fn == FN_CURRENT_TIME || e->u.func.fn == FN_RANDOM)
            return false; /* the statement's time, taken when it runs */
        for (uint32_t i = 0; i < e->u.func.nargs; i++)
            if (!bind_foldable(e->u.func.args[i]))
                return false;
        return true;
    default:
        return false;
    }
}

bexpr *bind_fold(binder *b, bexpr *e)
{
    if (!e || e->kind == BX_CONST || !bind_foldable(e))
        return e;
    eng_error err;
    eng_value v;
    if (ev_eval_scalar(e, NULL, b->a, &v, &err) != 0)
        return e;
    bexpr *c = bind_new(b, BX_CONST, e->type, e->pos);
    if (!c)
        return NULL;
    c->u.constant = v;
    c->nullable = v.is_null;
    return c;
}

/* The type two operands meet at, or ENG_TYPE_NULL when they do not. */
static bool bind_meet(const binder *b, const bexpr *L, const bexpr *R, eng_type *target)
{
    eng_type_id lt = L->type.id, rt = R->type.id;
    bool l_flex = bind_is_flex(b, L), r_flex = bind_is_flex(b, R);
    if (l_flex && r_flex)
        *target = bind_type(ENG_TYPE_VARCHAR);
    else if (l_flex)
        *target = R->type;
    else if (r_flex)
        *target = L->type;
    else if (lt == rt && lt == ENG_TYPE_DECIMAL)
        *target = bind_decimal_common(L->type, R->type);
    else if (lt == rt)
        *target = L->type.width >= R->type.width ? L->type : R->type;
    else if (bind_is_numeric(lt) && bind_is_numeric(rt))
        *target = bind_num_common(L, R);
    else if (lt == ENG_TYPE_DATE && rt == ENG_TYPE_TIMESTAMP && bind_is_midnight(R))
        *target = L->type; /* date <= TIMESTAMP '... 00:00:00' compares dates */
    else if (rt == ENG_TYPE_DATE && lt == ENG_TYPE_TIMESTAMP && bind_is_midnight(L))
        *target = R->type;
    else if ((lt == ENG_TYPE_DATE && rt == ENG_TYPE_TIMESTAMP) ||
             (lt == ENG_TYPE_TIMESTAMP && rt == ENG_TYPE_DATE))
        *target = bind_type(ENG_TYPE_TIMESTAMP);
    else if (bind_is_string_literal(L) && rt != ENG_TYPE_VARCHAR)
        *target = R->type;
    else if (bind_is_string_literal(R) && lt != ENG_TYPE_VARCHAR)
        *target = L->type;
    else
        return false;
    return true;
}

bool bind_unify(binder *b, bexpr **l, bexpr **r, const char *what, uint32_t pos)
{
    bexpr *L = *l, *R = *r;
    eng_type target;
    if (!bind_meet(b, L, R, &target)) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot %s %s and %s (position %u)", what,
                eng_type_name(L->type.id), eng_type_name(R->type.id), pos + 1);
        return false;
    }
    if (target.id == ENG_TYPE_VARCHAR)
        target = bind_type(ENG_TYPE_VARCHAR);
    return (*l = bind_coerce(b, L, target)) && (*r = bind_coerce(b, R, target));
}

bool bind_unify_list(binder *b, bexpr **list, uint32_t n, const char *what, uint32_t pos)
{
    /* Fold the type over the list with bind_meet, then coerce every member to it. */
    const bexpr *acc = NULL;
    bexpr probe;
    for (uint32_t i = 0; i < n; i++) {
        if (!acc) {
            acc = list[i];
            continue;
        }
        eng_type target;
        if (!bind_meet(b, acc, list[i], &target)) {
            err_set(b->err, ENG_E_TYPE_MISMATCH, "%s: cannot mix %s and %s (position %u)", what,
                    eng_type_name(acc->type.id), eng_type_name(list[i]->type.id), pos + 1);
            return false;
        }
        /* A stand-in carrying the type met so far; flexible only when both were. */
        bool flex = bind_is_flex(b, acc) && bind_is_flex(b, list[i]);
        probe = (bexpr){.kind = flex ? BX_CONST : BX_COLUMN, .type = target};
        if (flex)
            probe.type.id = ENG_TYPE_NULL;
        acc = &probe;
    }
    if (!acc)
        return true;
    eng_type target = acc->type;
    if (target.id == ENG_TYPE_NULL)
        target = bind_type(ENG_TYPE_VARCHAR);
    if (target.id == ENG_TYPE_VARCHAR) {
        uint32_t w = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t wi = list[i]->type.id == ENG_TYPE_VARCHAR ? list[i]->type.width
                          : bind_is_flex(b, list[i])           ? 0
                                                               : bind_text_width(list[i]->type);
            w = wi > w ? wi : w;
        }
        target.width = w ? w : ENG_VARCHAR_MAX;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!(list[i] = bind_coerce(b, list[i], target)))
            return false;
    return true;
}

bexpr *bind_boolean_operand(binder *b, bexpr *e, const char *op)
{
    if (e->type.id == ENG_TYPE_BOOLEAN)
        return e;
    if (bind_is_untyped_param(b, e) || bind_is_null_literal(e) || bind_is_string_literal(e))
        return bind_coerce(b, e, bind_type(ENG_TYPE_BOOLEAN));
    err_set(b->err, ENG_E_TYPE_MISMATCH, "argument of %s must be BOOLEAN, not %s (position %u)", op,
            eng_type_name(e->type.id), e->pos + 1);
    return NULL;
}

bexpr *bind_settle(binder *b, bexpr *e)
{
    if (e && (bind_is_null_literal(e) || bind_is_untyped_param(b, e)))
        return bind_coerce(b, e, bind_type(ENG_TYPE_VARCHAR));
    return e;
}

/* A scope holding one table's columns as attributes 0..ncols-1, so expressions bound in
 * it address the table's columns by position (UPDATE and DELETE scan in place). */
static int bind_table_scope(binder *b, tbl_table *tb, bind_scope *scope)
{
    memset(scope, 0, sizeof *scope);
    for (uint32_t i = 0; i < tb->ncols; i++) {
        uint32_t attr =
            bind_new_attr(b, tb->cols[i].type, !tb->cols[i].not_null, tb->cols[i].name, tb->name);
        if (attr == UINT32_MAX || attr != i ||
            bind_scope_add(b, scope, tb->name, tb->cols[i].name, attr, false) != 0)
            return -1;
    }
    b->scope = scope;
    return 0;
}

/* Resolves the table of an UPDATE or DELETE and binds its WHERE. */
static int bind_target(binder *b, const char *name, const ast_expr *where, bind_scope *scope,
                       tbl_table **table, bexpr **w, plan_lookup *lookup)
{
    *table = bind_find_table(b->cat, name, b->t);
    if (!*table)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", name);
    if (bind_table_scope(b, *table, scope) != 0)
        return -1;
    b->clause = "WHERE";
    if (where) {
        bexpr *e = bind_expr(b, where);
        if (!e || !(*w = bind_boolean_operand(b, e, "WHERE")))
            return -1;
    }
    return plan_choose_lookup(*table, *w, b->a, lookup, b->err);
}

static int bind_update(binder *b, const ast_update *up, plan_update *pu)
{
    bind_scope scope;
    if (bind_target(b, up->table, up->where, &scope, &pu->table, &pu->where, &pu->lookup) != 0)
        return -1;
    tbl_table *tb = pu->table;
    pu->values = arena_alloc(b->a, tb->ncols * sizeof *pu->values);
    if (!pu->values)
        return bind_nomem(b);
    b->clause = "UPDATE ... SET";
    for (uint32_t i = 0; i < up->set.n; i++) {
        const ast_assignment *as = up->set.items[i];
        uint32_t c = 0;
        while (c < tb->ncols && strcasecmp(tb->cols[c].name, as->column) != 0)
            c++;
        if (c == tb->ncols)
            return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                           "column \"%s\" not found in table \"%s\" (position %u)", as->column,
                           tb->name, as->pos + 1);
        if (pu->values[c])
            return err_set(b->err, ENG_E_SYNTAX, "column \"%s\" is assigned twice (position %u)",
                           as->column, as->pos + 1);
        bexpr *e = bind_expr(b, as->value);
        if (!e || !(e = bind_coerce(b, e, tb->cols[c].type)))
            return -1;
        pu->values[c] = e;
    }
    return 0;
}

static int bind_delete(binder *b, const ast_delete *del, plan_delete *pd)
{
    bind_scope scope;
    return bind_target(b, del->table, del->where, &scope, &pd->table, &pd->where, &pd->lookup);
}

/* UPDATE and DELETE: subqueries get their plans finished; their tables go to the plan. */
static int bind_finish_write(binder *b, bexpr *where, bexpr **values, uint32_t nvalues,
                             uint32_t *nsubqueries, tbl_table ***tables, uint32_t *ntables,
                             const pl_attr **attrs)
{
    *attrs = b->attrs;
    *tables = b->tables;
    *ntables = b->ntables;
    *nsubqueries = b->nsubqueries;
    if (where && plan_layout_subqueries(where, b->nattrs, b->a, b->err) != 0)
        return -1;
    for (uint32_t i = 0; i < nvalues; i++)
        if (values[i] && plan_layout_subqueries(values[i], b->nattrs, b->a, b->err) != 0)
            return -1;
    return 0;
}

/* Finishes a bound query into a plan_select: result columns, optimization, layouts. */
static int bind_finish_select(binder *b, const bind_result *r, plan_select *ps)
{
    ps->ncols = r->ncols;
    ps->cols = arena_alloc(b->a, (r->ncols ? r->ncols : 1) * sizeof *ps->cols);
    if (!ps->cols)
        return bind_nomem(b);
    for (uint32_t i = 0; i < r->ncols; i++) {
        const pl_attr *at = &b->attrs[r->root->attrs[i]];
        ps->cols[i] = (eng_column){r->names[i], at->table, at->type, at->nullable};
    }
    ps->root = r->root;
    if (plan_optimize(&ps->root, b->nattrs, b->a, b->err) != 0 ||
        plan_layout(ps->root, b->nattrs, b->a, b->err) != 0)
        return -1;
    ps->out_pos = arena_alloc(b->a, (r->ncols ? r->ncols : 1) * sizeof *ps->out_pos);
    if (!ps->out_pos)
        return bind_nomem(b);
    for (uint32_t i = 0; i < r->ncols; i++) {
        uint32_t p = 0;
        while (p < ps->root->nlayout && ps->root->layout[p] != ps->root->attrs[i])
            p++;
        if (p == ps->root->nlayout)
            return err_set(b->err, ENG_E_GENERAL, "result column %u is missing from the plan",
                           i + 1);
        ps->out_pos[i] = p;
    }
    ps->attrs = b->attrs;
    ps->nattrs = b->nattrs;
    ps->nsubqueries = b->nsubqueries;
    return 0;
}

static int bind_select_stmt(binder *b, const ast_query *q, bool explain, plan_select *ps)
{
    bind_result r;
    int rc = bind_query(b, q, &r);
    /* The tables go to the plan even on failure, so plan_release unrefs them. */
    ps->tables = b->tables;
    ps->ntables = b->ntables;
    if (rc != 0 || bind_finish_select(b, &r, ps) != 0)
        return -1;
    if (explain) {
        if (!(ps->explain = plan_explain(ps->root, b->attrs, b->a)))
            return bind_nomem(b);
        ps->ncols = 1;
        ps->cols = arena_alloc(b->a, sizeof *ps->cols);
        if (!ps->cols)
            return bind_nomem(b);
        ps->cols[0] = (eng_column){"plan", "", {ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, false};
    }
    return 0;
}

/* target[k] = table column receiving the k-th value of each row. */
static int bind_insert_targets(binder *b, const ast_insert *ins, const tbl_table *tb,
                               uint32_t **target_out, uint32_t *nvals_out)
{
    uint32_t nvals = ins->columns.n ? ins->columns.n : tb->ncols;
    uint32_t *target = arena_alloc(b->a, (nvals ? nvals : 1) * sizeof *target);
    if (!target)
        return bind_nomem(b);
    for (uint32_t k = 0; k < nvals; k++) {
        if (!ins->columns.n) {
            target[k] = k;
            continue;
        }
        const char *name = ins->columns.items[k];
        uint32_t c = 0;
        while (c < tb->ncols && strcasecmp(tb->cols[c].name, name) != 0)
            c++;
        if (c == tb->ncols)
            return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                           "column \"%s\" not found in table \"%s\"", name, tb->name);
        for (uint32_t j = 0; j < k; j++)
            if (target[j] == c)
                return err_set(b->err, ENG_E_SYNTAX, "column \"%s\" is listed twice", name);
        target[k] = c;
    }
    *target_out = target;
    *nvals_out = nvals;
    return 0;
}

/* A column left out of an INSERT gets its DEFAULT, or NULL. */
static bexpr *bind_default(binder *b, const tbl_table *tb, uint32_t c, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_CONST, tb->cols[c].type, pos);
    if (!e)
        return NULL;
    if (tb->cols[c].has_default)
        e->u.constant = tb->cols[c].default_value;
    else
        e->u.constant = (eng_value){.type = tb->cols[c].type.id, .is_null = true};
    e->nullable = e->u.constant.is_null;
    return e;
}

/* INSERT ... SELECT: the query, then a projection to the table's columns and types. */
static int bind_insert_query(binder *b, const ast_insert *ins, tbl_table *tb,
                             const uint32_t *target, uint32_t nvals, plan_insert *pi)
{
    bind_result r;
    int rc = bind_query(b, ins->query, &r);
    pi->source.tables = b->tables;
    pi->source.ntables = b->ntables;
    if (rc != 0)
        return -1;
    if (r.ncols != nvals)
        return err_set(b->err, ENG_E_INSERT_ARITY,
                       "the query returns %u columns but %u columns are being inserted", r.ncols,
                       nvals);
    pl_node *p = bind_node(b, PL_PROJECT, r.root, ins->query->pos);
    bexpr **exprs = arena_alloc(b->a, tb->ncols * sizeof *exprs);
    uint32_t *attrs = arena_alloc(b->a, tb->ncols * sizeof *attrs);
    const char **names = arena_alloc(b->a, tb->ncols * sizeof *names);
    if (!p || !exprs || !attrs || !names)
        return bind_nomem(b);
    for (uint32_t c = 0; c < tb->ncols; c++)
        if (!(exprs[c] = bind_default(b, tb, c, ins->table_pos)))
            return -1;
    for (uint32_t k = 0; k < nvals; k++) {
        uint32_t attr = r.root->attrs[k];
        bexpr *e = bind_new(b, BX_COLUMN, b->attrs[attr].type, ins->query->pos);
        if (!e)
            return -1;
        e->u.column = attr;
        e->nullable = b->attrs[attr].nullable;
        if (!(e = bind_coerce(b, e, tb->cols[target[k]].type)))
            return -1;
        exprs[target[k]] = e;
    }
    for (uint32_t c = 0; c < tb->ncols; c++) {
        names[c] = tb->cols[c].name;
        attrs[c] = bind_new_attr(b, tb->cols[c].type, exprs[c]->nullable, names[c], tb->name);
        if (attrs[c] == UINT32_MAX)
            return -1;
    }
    p->nattrs = tb->ncols;
    p->attrs = attrs;
    p->u.project.exprs = exprs;
    bind_result out = {p, tb->ncols, names};
    return bind_finish_select(b, &out, &pi->source);
}

static int bind_insert(binder *b, const ast_insert *ins, plan_insert *pi)
{
    tbl_table *tb = pi->table = bind_find_table(b->cat, ins->table, b->t);
    if (!tb)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", ins->table);
    uint32_t *target = NULL, nvals = 0;
    if (bind_insert_targets(b, ins, tb, &target, &nvals) != 0)
        return -1;
    if (ins->query)
        return bind_insert_query(b, ins, tb, target, nvals, pi);
    pi->nrows = ins->rows.n;
    pi->values = arena_alloc(b->a, (size_t)pi->nrows * tb->ncols * sizeof *pi->values);
    if (!pi->values)
        return bind_nomem(b);
    bind_scope empty = {0};
    b->scope = &empty;
    b->clause = "VALUES";
    for (uint32_t r = 0; r < pi->nrows; r++) {
        const ptr_list *row = ins->rows.items[r];
        if (row->n != nvals)
            return err_set(b->err, ENG_E_INSERT_ARITY,
                           "row %u of VALUES has %u values but %u columns are being inserted",
                           r + 1, row->n, nvals);
        bexpr **out = pi->values + (size_t)r * tb->ncols;
        for (uint32_t c = 0; c < tb->ncols; c++)
            if (!(out[c] = bind_default(b, tb, c, ins->table_pos)))
                return -1;
        for (uint32_t k = 0; k < nvals; k++) {
            bexpr *e = bind_expr(b, row->items[k]);
            if (!e || !(e = bind_coerce(b, e, tb->cols[target[k]].type)))
                return -1;
            if (bx_has_subquery(e))
                return err_set(b->err, ENG_E_FEATURE,
                               "subqueries in VALUES are not supported; use INSERT ... SELECT "
                               "(position %u)",
                               e->pos + 1);
            out[target[k]] = e;
        }
    }
    return 0;
}

static void bind_init(binder *b, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                      eng_error *err)
{
    memset(b, 0, sizeof *b);
    b->a = a;
    b->err = err;
    b->sql = sql;
    b->cat = cat;
    b->t = t;
}

int bind_statement(const ast_stmt *st, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                   plan *out, eng_error *err)
{
    memset(out, 0, sizeof *out);
    out->ast = st;
    out->nparams = st->nparams;
    out->catalog_version = cat_version(cat);
    binder b;
    bind_init(&b, sql, cat, t, a, err);
    b.nparams = st->nparams;
    b.param_types = arena_alloc(a, (st->nparams ? st->nparams : 1) * sizeof *b.param_types);
    if (!b.param_types)
        return err_set(err, ENG_E_NOMEM, "out of memory while binding");
    out->param_types = b.param_types;
    int rc = 0;
    switch (st->kind) {
    case STMT_SELECT:
        rc = bind_select_stmt(&b, st->u.query, st->explain, &out->u.select);
        break;
    case STMT_INSERT:
        rc = bind_insert(&b, &st->u.insert, &out->u.insert);
        break;
    case STMT_UPDATE: {
        plan_update *pu = &out->u.update;
        rc = bind_update(&b, &st->u.update, pu);
        if (rc == 0 || b.ntables)
            rc |= bind_finish_write(&b, rc == 0 ? pu->where : NULL, pu->values,
                                    rc == 0 && pu->table ? pu->table->ncols : 0, &pu->nsubqueries,
                                    &pu->tables, &pu->ntables, &pu->attrs);
        break;
    }
    case STMT_DELETE: {
        plan_delete *pd = &out->u.delete_;
        rc = bind_delete(&b, &st->u.delete_, pd);
        if (rc == 0 || b.ntables)
            rc |= bind_finish_write(&b, rc == 0 ? pd->where : NULL, NULL, 0, &pd->nsubqueries,
                                    &pd->tables, &pd->ntables, &pd->attrs);
        break;
    }
    default:
        break; /* DDL and transaction control resolve names when they run */
    }
    for (uint32_t i = 0; i < st->nparams; i++)
        if (b.param_types[i].id == ENG_TYPE_NULL)
            b.param_types[i] = bind_type(ENG_TYPE_VARCHAR);
    if (rc != 0)
        plan_release(out);
    return rc;
}

int bind_query_plan(const ast_query *q, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                    plan_select *out, eng_error *err)
{
    memset(out, 0, sizeof *out);
    binder b;
    bind_init(&b, sql, cat, t, a, err);
    eng_type none = {ENG_TYPE_NULL, 0};
    b.param_types = &none;
    int rc = bind_select_stmt(&b, q, false, out);
    if (rc != 0)
        plan_select_release(out);
    return rc;
}

int bind_constant(const ast_expr *ae, eng_type type, arena *a, bexpr **out, eng_error *err)
{
    eng_type none = {ENG_TYPE_NULL, 0};
    binder b;
    bind_init(&b, "", NULL, NULL, a, err);
    b.param_types = &none;
    bind_scope empty = {0};
    b.scope = &empty;
    b.clause = "DEFAULT";
    if (ae->kind == AST_PARAM)
        return err_set(err, ENG_E_SYNTAX, "a DEFAULT cannot be a parameter (position %u)",
                       ae->pos + 1);
    bexpr *e = bind_expr(&b, ae);
    if (!e || !(e = bind_coerce(&b, e, type)))
        return -1;
    if (bx_has_subquery(e))
        return err_set(err, ENG_E_FEATURE, "a DEFAULT cannot contain a subquery");
    *out = e;
    return 0;
}

tbl_table *plan_table(const plan *p)
{
    if (!p->ast)
        return NULL;
    switch (p->ast->kind) {
    case STMT_SELECT:
        return p->u.select.ntables ? p->u.select.tables[0] : NULL;
    case STMT_INSERT:
        return p->u.insert.table;
    case STMT_UPDATE:
        return p->u.update.table;
    case STMT_DELETE:
        return p->u.delete_.table;
    default:
        return NULL;
    }
}

void plan_select_release(plan_select *ps)
{
    for (uint32_t i = 0; i < ps->ntables; i++)
        tbl_unref(ps->tables[i]);
    ps->ntables = 0;
}

void plan_release(plan *p)
{
    if (!p->ast)
        return;
    switch (p->ast->kind) {
    case STMT_SELECT:
        plan_select_release(&p->u.select);
        break;
    case STMT_INSERT:
        plan_select_release(&p->u.insert.source);
        tbl_unref(p->u.insert.table);
        p->u.insert.table = NULL;
        break;
    case STMT_UPDATE:
        tbl_unref(p->u.update.table);
        p->u.update.table = NULL;
        for (uint32_t i = 0; i < p->u.update.ntables; i++)
            tbl_unref(p->u.update.tables[i]);
        p->u.update.ntables = 0;
        break;
    case STMT_DELETE:
        tbl_unref(p->u.delete_.table);
        p->u.delete_.table = NULL;
        for (uint32_t i = 0; i < p->u.delete_.ntables; i++)
            tbl_unref(p->u.delete_.tables[i]);
        p->u.delete_.ntables = 0;
        break;
    default:
        break;
    }
}
