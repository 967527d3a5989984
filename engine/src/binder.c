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
 */
#include "plan.h"

#include "errors.h"
#include "value.h"

#include <string.h>
#include <strings.h>

typedef struct binder {
    arena *a;
    eng_error *err;
    const char *sql;
    tbl_table *table; /* the FROM table, or NULL */
    const char *table_alias;
    eng_type *param_types; /* ENG_TYPE_NULL until inferred */
    uint32_t nparams;
} binder;

tbl_table *bind_find_table(cat_catalog *cat, const char *name, const txn *t)
{
    /* Names starting with '$' are the engine's own (the accounts table): not for SQL. */
    return name[0] == '$' ? NULL : cat_find(cat, name, t);
}

static bexpr *bind_new(binder *b, bx_kind kind, eng_type type, uint32_t pos)
{
    bexpr *e = arena_alloc(b->a, sizeof *e);
    if (!e) {
        err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
        return NULL;
    }
    e->kind = kind;
    e->type = type;
    e->pos = pos;
    e->nullable = true;
    return e;
}

static eng_type bind_type(eng_type_id id)
{
    eng_type t = {id, id == ENG_TYPE_VARCHAR ? ENG_VARCHAR_MAX : 0};
    return t;
}

/* The widest text a value of type t can turn into, for VARCHAR results of casts. */
static uint32_t bind_text_width(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return 5;
    case ENG_TYPE_INTEGER:
        return 11;
    case ENG_TYPE_BIGINT:
        return 20;
    case ENG_TYPE_DOUBLE:
        return 24;
    case ENG_TYPE_VARCHAR:
        return t.width ? t.width : ENG_VARCHAR_MAX;
    default:
        return ENG_VARCHAR_MAX;
    }
}

static bool bind_is_numeric(eng_type_id id)
{
    return id == ENG_TYPE_INTEGER || id == ENG_TYPE_BIGINT || id == ENG_TYPE_DOUBLE;
}

static bool bind_is_untyped_param(const binder *b, const bexpr *e)
{
    return e->kind == BX_PARAM && b->param_types[e->u.param].id == ENG_TYPE_NULL;
}

static bool bind_is_string_literal(const bexpr *e)
{
    return e->kind == BX_CONST && e->type.id == ENG_TYPE_VARCHAR;
}

static bool bind_is_null_literal(const bexpr *e)
{
    return e->kind == BX_CONST && e->type.id == ENG_TYPE_NULL;
}

/* Converts e to type `to`: folds constants (reporting a bad literal now), types an
 * untyped parameter, and wraps anything else in a CAST node. */
static bexpr *bind_coerce(binder *b, bexpr *e, eng_type to)
{
    if (e->type.id == to.id && e->kind != BX_PARAM)
        return e;
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
        if (val_cast(&e->u.constant, to, b->a, &v, b->err) != 0)
            return NULL;
        e->u.constant = v;
        e->type = to;
        return e;
    }
    if (e->type.id == to.id)
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

static int bind_column_index(binder *b, const ast_expr *ae)
{
    const char *name = ae->u.column.name;
    const char *qual = ae->u.column.table;
    if (!b->table)
        return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                       "column \"%s\" does not exist: the query has no FROM clause (position %u)",
                       name, ae->pos + 1);
    if (qual && strcasecmp(qual, b->table_alias) != 0)
        return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                       "column \"%s.%s\" not found: no table \"%s\" in the FROM clause "
                       "(position %u)",
                       qual, name, qual, ae->pos + 1);
    for (uint32_t i = 0; i < b->table->ncols; i++)
        if (strcasecmp(b->table->cols[i].name, name) == 0)
            return (int)i;
    return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                   "column \"%s\" not found in table \"%s\" (position %u)", name, b->table->name,
                   ae->pos + 1);
}

static bexpr *bind_expr(binder *b, const ast_expr *ae);

/* Brings two operands to one type for comparison or arithmetic. */
static bool bind_unify(binder *b, bexpr **l, bexpr **r, const char *what, uint32_t pos)
{
    bexpr *L = *l, *R = *r;
    eng_type_id lt = L->type.id, rt = R->type.id;
    bool l_flex = bind_is_untyped_param(b, L) || bind_is_null_literal(L);
    bool r_flex = bind_is_untyped_param(b, R) || bind_is_null_literal(R);
    eng_type target;
    if (l_flex && r_flex) {
        target = bind_type(ENG_TYPE_VARCHAR);
    } else if (l_flex) {
        target = R->type;
    } else if (r_flex) {
        target = L->type;
    } else if (lt == rt) {
        target = L->type;
    } else if (bind_is_numeric(lt) && bind_is_numeric(rt)) {
        target = bind_type(lt > rt ? lt : rt);
    } else if (bind_is_string_literal(L) && rt != ENG_TYPE_VARCHAR) {
        target = R->type;
    } else if (bind_is_string_literal(R) && lt != ENG_TYPE_VARCHAR) {
        target = L->type;
    } else {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot %s %s and %s (position %u)", what,
                eng_type_name(lt), eng_type_name(rt), pos + 1);
        return false;
    }
    if (target.id == ENG_TYPE_VARCHAR)
        target = bind_type(ENG_TYPE_VARCHAR);
    return (*l = bind_coerce(b, L, target)) && (*r = bind_coerce(b, R, target));
}

static bexpr *bind_boolean_operand(binder *b, bexpr *e, const char *op)
{
    if (e->type.id == ENG_TYPE_BOOLEAN)
        return e;
    if (bind_is_untyped_param(b, e) || bind_is_null_literal(e) || bind_is_string_literal(e))
        return bind_coerce(b, e, bind_type(ENG_TYPE_BOOLEAN));
    err_set(b->err, ENG_E_TYPE_MISMATCH, "argument of %s must be BOOLEAN, not %s (position %u)", op,
            eng_type_name(e->type.id), e->pos + 1);
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
        if (bind_is_null_literal(l) && bind_is_null_literal(r))
            l->type = r->type = bind_type(ENG_TYPE_INTEGER);
        if (!bind_unify(b, &l, &r, "apply arithmetic to", ae->pos))
            return NULL;
        if (!bind_is_numeric(l->type.id)) {
            err_set(b->err, ENG_E_TYPE_MISMATCH,
                    "operator %s cannot be applied to %s (position %u)", ast_op_text(op),
                    eng_type_name(l->type.id), ae->pos + 1);
            return NULL;
        }
        type = l->type;
        break;
    }
    bexpr *e = bind_new(b, BX_BINARY, type, ae->pos);
    if (!e)
        return NULL;
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    e->nullable = l->nullable || r->nullable;
    return e;
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
        if (!bind_is_numeric(arg->type.id)) {
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
    return e;
}

static bexpr *bind_expr(binder *b, const ast_expr *ae)
{
    bexpr *e;
    switch (ae->kind) {
    case AST_LITERAL:
        e = bind_new(b, BX_CONST, bind_type(ae->u.literal.type), ae->pos);
        if (e) {
            e->u.constant = ae->u.literal;
            e->nullable = ae->u.literal.is_null;
            if (e->type.id == ENG_TYPE_VARCHAR) {
                uint32_t chars = val_utf8_chars(ae->u.literal.u.s.ptr, ae->u.literal.u.s.len);
                e->type.width = chars ? chars : 1;
            }
        }
        return e;
    case AST_COLUMN: {
        int col = bind_column_index(b, ae);
        if (col < 0)
            return NULL;
        const tbl_column *c = &b->table->cols[col];
        e = bind_new(b, BX_COLUMN, c->type, ae->pos);
        if (e) {
            e->u.column = (uint32_t)col;
            e->nullable = !c->not_null;
        }
        return e;
    }
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
    case AST_CAST: {
        bexpr *arg = bind_expr(b, ae->u.cast.arg);
        if (!arg)
            return NULL;
        eng_type to = ae->u.cast.type;
        if (arg->type.id == to.id && arg->kind != BX_PARAM)
            return arg;
        if (bind_is_untyped_param(b, arg))
            return bind_coerce(b, arg, to);
        if (arg->kind == BX_CONST)
            return bind_coerce(b, arg, to);
        if (!val_castable(arg->type.id, to.id)) {
            err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot cast %s to %s (position %u)",
                    eng_type_name(arg->type.id), eng_type_name(to.id), ae->pos + 1);
            return NULL;
        }
        e = bind_new(b, BX_CAST, to, ae->pos);
        if (e) {
            e->u.cast_arg = arg;
            e->nullable = arg->nullable;
        }
        return e;
    }
    case AST_STAR:
        err_set(b->err, ENG_E_SYNTAX, "* is only allowed in a select list (position %u)",
                ae->pos + 1);
        return NULL;
    }
    err_set(b->err, ENG_E_GENERAL, "unknown expression kind %d", (int)ae->kind);
    return NULL;
}

/* A bare NULL or untyped parameter left in an output position becomes VARCHAR so every
 * result column has a real type. */
static bexpr *bind_settle(binder *b, bexpr *e)
{
    if (e && (bind_is_null_literal(e) || bind_is_untyped_param(b, e)))
        return bind_coerce(b, e, bind_type(ENG_TYPE_VARCHAR));
    return e;
}

static int bind_add_output(binder *b, plan_select *ps, uint32_t *cap, bexpr *e, const char *name,
                           const char *table)
{
    if (ps->ncols == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        bexpr **exprs = arena_alloc(b->a, ncap * sizeof *exprs);
        eng_column *cols = arena_alloc(b->a, ncap * sizeof *cols);
        if (!exprs || !cols)
            return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
        if (ps->ncols) {
            memcpy(exprs, ps->exprs, ps->ncols * sizeof *exprs);
            memcpy(cols, ps->cols, ps->ncols * sizeof *cols);
        }
        ps->exprs = exprs;
        ps->cols = cols;
        *cap = ncap;
    }
    ps->exprs[ps->ncols] = e;
    ps->cols[ps->ncols] = (eng_column){name, table, e->type, e->nullable};
    ps->ncols++;
    return 0;
}

static int bind_star(binder *b, plan_select *ps, uint32_t *cap, const ast_expr *ae)
{
    if (!b->table)
        return err_set(b->err, ENG_E_SYNTAX, "SELECT * needs a FROM clause (position %u)",
                       ae->pos + 1);
    if (ae->u.star_table && strcasecmp(ae->u.star_table, b->table_alias) != 0)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND,
                       "no table \"%s\" in the FROM clause (position %u)", ae->u.star_table,
                       ae->pos + 1);
    for (uint32_t i = 0; i < b->table->ncols; i++) {
        bexpr *e = bind_new(b, BX_COLUMN, b->table->cols[i].type, ae->pos);
        if (!e)
            return -1;
        e->u.column = i;
        e->nullable = !b->table->cols[i].not_null;
        if (bind_add_output(b, ps, cap, e, b->table->cols[i].name, b->table->name) != 0)
            return -1;
    }
    return 0;
}

static const char *bind_output_name(binder *b, const ast_select_item *item)
{
    if (item->alias)
        return item->alias;
    if (item->expr->kind == AST_COLUMN)
        return item->expr->u.column.name;
    return arena_strndup(b->a, b->sql + item->text_start, item->text_end - item->text_start);
}

static bexpr *bind_limit(binder *b, const ast_expr *ae)
{
    bexpr *e = bind_expr(b, ae);
    if (e && !bind_is_numeric(e->type.id) && e->kind != BX_PARAM && e->kind != BX_CONST) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "LIMIT and OFFSET take an integer (position %u)",
                ae->pos + 1);
        return NULL;
    }
    return e ? bind_coerce(b, e, bind_type(ENG_TYPE_BIGINT)) : NULL;
}

static bool bind_has_columns(const bexpr *e)
{
    switch (e->kind) {
    case BX_COLUMN:
        return true;
    case BX_UNARY:
        return bind_has_columns(e->u.unary.arg);
    case BX_BINARY:
        return bind_has_columns(e->u.binary.left) || bind_has_columns(e->u.binary.right);
    case BX_IS_NULL:
        return bind_has_columns(e->u.is_null.arg);
    case BX_CAST:
        return bind_has_columns(e->u.cast_arg);
    default:
        return false;
    }
}

/* Finds `column = value` among the AND-ed conjuncts of a WHERE. */
static bexpr *bind_pinned_value(const bexpr *w, uint32_t column)
{
    if (w->kind != BX_BINARY)
        return NULL;
    if (w->u.binary.op == OP_AND) {
        bexpr *v = bind_pinned_value(w->u.binary.left, column);
        return v ? v : bind_pinned_value(w->u.binary.right, column);
    }
    if (w->u.binary.op != OP_EQ)
        return NULL;
    const bexpr *l = w->u.binary.left, *r = w->u.binary.right;
    if (l->kind == BX_COLUMN && l->u.column == column && !bind_has_columns(r))
        return (bexpr *)r;
    if (r->kind == BX_COLUMN && r->u.column == column && !bind_has_columns(l))
        return (bexpr *)l;
    return NULL;
}

/* Chooses an index for WHERE: the primary key if it is pinned, else the first pinned
 * unique key. */
static int bind_lookup(binder *b, const tbl_table *tb, const bexpr *where, plan_lookup *out)
{
    out->key = NULL;
    if (!where)
        return 0;
    for (int pass = 0; pass < 2 && !out->key; pass++) {
        for (uint32_t k = 0; k < tb->nkeys && !out->key; k++) {
            const tbl_key *key = &tb->keys[k];
            if (key->primary != (pass == 0))
                continue;
            bexpr **values = arena_alloc(b->a, key->ncols * sizeof *values);
            if (!values)
                return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
            uint32_t i = 0;
            while (i < key->ncols && (values[i] = bind_pinned_value(where, key->cols[i])))
                i++;
            if (i == key->ncols) {
                out->key = key;
                out->values = values;
            }
        }
    }
    return 0;
}

/* Resolves the table of an UPDATE or DELETE and binds its WHERE. */
static int bind_target(binder *b, const char *name, const ast_expr *where, cat_catalog *cat,
                       const txn *t, tbl_table **table, bexpr **w, plan_lookup *lookup)
{
    *table = bind_find_table(cat, name, t);
    if (!*table)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", name);
    b->table = *table;
    b->table_alias = (*table)->name;
    if (where) {
        bexpr *e = bind_expr(b, where);
        if (!e || !(*w = bind_boolean_operand(b, e, "WHERE")))
            return -1;
    }
    return bind_lookup(b, *table, *w, lookup);
}

static int bind_update(binder *b, const ast_update *up, cat_catalog *cat, const txn *t,
                       plan_update *pu)
{
    if (bind_target(b, up->table, up->where, cat, t, &pu->table, &pu->where, &pu->lookup) != 0)
        return -1;
    tbl_table *tb = pu->table;
    pu->values = arena_alloc(b->a, tb->ncols * sizeof *pu->values);
    if (!pu->values)
        return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
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

static int bind_delete(binder *b, const ast_delete *del, cat_catalog *cat, const txn *t,
                       plan_delete *pd)
{
    return bind_target(b, del->table, del->where, cat, t, &pd->table, &pd->where, &pd->lookup);
}

static int bind_select(binder *b, const ast_select *s, cat_catalog *cat, const txn *t,
                       plan_select *ps)
{
    if (s->from_table) {
        ps->table = bind_find_table(cat, s->from_table, t);
        if (!ps->table)
            return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist",
                           s->from_table);
        b->table = ps->table;
        b->table_alias = s->from_alias ? s->from_alias : ps->table->name;
    }
    if (s->where) {
        bexpr *w = bind_expr(b, s->where);
        if (!w || !(ps->where = bind_boolean_operand(b, w, "WHERE")))
            return -1;
    }
    if (ps->table && bind_lookup(b, ps->table, ps->where, &ps->lookup) != 0)
        return -1;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < s->items.n; i++) {
        const ast_select_item *item = s->items.items[i];
        if (item->expr->kind == AST_STAR) {
            if (bind_star(b, ps, &cap, item->expr) != 0)
                return -1;
            continue;
        }
        bexpr *e = bind_settle(b, bind_expr(b, item->expr));
        const char *name = e ? bind_output_name(b, item) : NULL;
        if (!e || !name)
            return -1;
        const char *table = e->kind == BX_COLUMN ? b->table->name : "";
        if (bind_add_output(b, ps, &cap, e, name, table) != 0)
            return -1;
    }
    if (s->limit && !(ps->limit = bind_limit(b, s->limit)))
        return -1;
    if (s->offset && !(ps->offset = bind_limit(b, s->offset)))
        return -1;
    return 0;
}

static int bind_insert(binder *b, const ast_insert *ins, cat_catalog *cat, const txn *t,
                       plan_insert *pi)
{
    tbl_table *tb = pi->table = bind_find_table(cat, ins->table, t);
    if (!tb)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", ins->table);
    /* target[k] = table column receiving the k-th value */
    uint32_t nvals = ins->columns.n ? ins->columns.n : tb->ncols;
    uint32_t *target = arena_alloc(b->a, (nvals ? nvals : 1) * sizeof *target);
    if (!target)
        return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
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
    pi->nrows = ins->rows.n;
    pi->values = arena_alloc(b->a, (size_t)pi->nrows * tb->ncols * sizeof *pi->values);
    if (!pi->values)
        return err_set(b->err, ENG_E_NOMEM, "out of memory while binding");
    for (uint32_t r = 0; r < pi->nrows; r++) {
        const ptr_list *row = ins->rows.items[r];
        if (row->n != nvals)
            return err_set(b->err, ENG_E_INSERT_ARITY,
                           "row %u of VALUES has %u values but %u columns are being inserted",
                           r + 1, row->n, nvals);
        bexpr **out = pi->values + (size_t)r * tb->ncols;
        for (uint32_t c = 0; c < tb->ncols; c++) {
            /* A column left out gets its DEFAULT, or NULL. */
            out[c] = bind_new(b, BX_CONST, tb->cols[c].type, ins->table_pos);
            if (!out[c])
                return -1;
            if (tb->cols[c].has_default) {
                out[c]->u.constant = tb->cols[c].default_value;
            } else {
                out[c]->u.constant = (eng_value){.type = tb->cols[c].type.id, .is_null = true};
            }
            out[c]->nullable = out[c]->u.constant.is_null;
        }
        for (uint32_t k = 0; k < nvals; k++) {
            bexpr *e = bind_expr(b, row->items[k]);
            if (!e || !(e = bind_coerce(b, e, tb->cols[target[k]].type)))
                return -1;
            out[target[k]] = e;
        }
    }
    return 0;
}

int bind_statement(const ast_stmt *st, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                   plan *out, eng_error *err)
{
    memset(out, 0, sizeof *out);
    out->ast = st;
    out->nparams = st->nparams;
    out->catalog_version = cat_version(cat);
    binder b = {.a = a, .err = err, .sql = sql, .nparams = st->nparams};
    b.param_types = arena_alloc(a, (st->nparams ? st->nparams : 1) * sizeof *b.param_types);
    if (!b.param_types)
        return err_set(err, ENG_E_NOMEM, "out of memory while binding");
    out->param_types = b.param_types;
    int rc = 0;
    switch (st->kind) {
    case STMT_SELECT:
        rc = bind_select(&b, &st->u.select, cat, t, &out->u.select);
        break;
    case STMT_INSERT:
        rc = bind_insert(&b, &st->u.insert, cat, t, &out->u.insert);
        break;
    case STMT_UPDATE:
        rc = bind_update(&b, &st->u.update, cat, t, &out->u.update);
        break;
    case STMT_DELETE:
        rc = bind_delete(&b, &st->u.delete_, cat, t, &out->u.delete_);
        break;
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

int bind_constant(const ast_expr *ae, eng_type type, arena *a, bexpr **out, eng_error *err)
{
    eng_type none = {ENG_TYPE_NULL, 0};
    binder b = {.a = a, .err = err, .param_types = &none};
    if (ae->kind == AST_PARAM)
        return err_set(err, ENG_E_SYNTAX, "a DEFAULT cannot be a parameter (position %u)",
                       ae->pos + 1);
    bexpr *e = bind_expr(&b, ae);
    if (!e || !(e = bind_coerce(&b, e, type)))
        return -1;
    *out = e;
    return 0;
}

static tbl_table **plan_table_slot(plan *p)
{
    if (!p->ast)
        return NULL;
    switch (p->ast->kind) {
    case STMT_SELECT:
        return &p->u.select.table;
    case STMT_INSERT:
        return &p->u.insert.table;
    case STMT_UPDATE:
        return &p->u.update.table;
    case STMT_DELETE:
        return &p->u.delete_.table;
    default:
        return NULL;
    }
}

tbl_table *plan_table(const plan *p)
{
    tbl_table **slot = plan_table_slot((plan *)p);
    return slot ? *slot : NULL;
}

void plan_release(plan *p)
{
    tbl_table **slot = plan_table_slot(p);
    if (slot && *slot) {
        tbl_unref(*slot);
        *slot = NULL;
    }
}
