/*
 * Binding FROM: tables (and WITH queries and views by name), subqueries, joins with ON,
 * USING or NATURAL, and cross joins. Each item adds its columns to the scope under its
 * range variable (the alias, or the table's name).
 */
#include "bind_int.h"

#include "errors.h"
#include "parser.h"
#include "tablefn.h"
#include "view.h"

#include <string.h>
#include <strings.h>

int bind_scope_add(binder *b, bind_scope *s, const char *table, const char *name, uint32_t attr,
                   bool hidden)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        bind_col *cols = arena_alloc(b->a, cap * sizeof *cols);
        if (!cols)
            return bind_nomem(b);
        if (s->n)
            memcpy(cols, s->cols, s->n * sizeof *cols);
        s->cols = cols;
        s->cap = cap;
    }
    s->cols[s->n++] = (bind_col){table, name, attr, hidden};
    return 0;
}

/* Adds a bound query's result columns to the scope under `alias`, renamed by aliases. */
static int bind_query_columns(binder *b, const bind_result *r, const char *alias,
                              const ptr_list *aliases, uint32_t pos, bind_scope *scope)
{
    if (aliases->n > r->ncols)
        return err_set(b->err, ENG_E_SYNTAX,
                       "%u column names given for \"%s\", which has %u columns (position %u)",
                       aliases->n, alias ? alias : "the subquery", r->ncols, pos + 1);
    for (uint32_t i = 0; i < r->ncols; i++) {
        const char *name = i < aliases->n ? aliases->items[i] : r->names[i];
        if (bind_scope_add(b, scope, alias, name ? name : "?", r->root->attrs[i], false) != 0)
            return -1;
    }
    return 0;
}

/* A query in FROM (subquery or WITH query): bound on its own, not correlated. */
static int bind_derived(binder *b, const ast_query *q, bind_cte *env, bind_result *r)
{
    bind_scope *outer = b->outer;
    bind_corr *corr = b->corr;
    bind_cte *ctes = b->ctes;
    b->outer = NULL;
    b->corr = NULL;
    b->ctes = env;
    int rc = bind_query(b, q, r);
    b->outer = outer;
    b->corr = corr;
    b->ctes = ctes;
    return rc;
}

/* A view: its stored query, parsed and bound in place, its columns named as stored. */
static int bind_view(binder *b, const ast_from *f, const view_def *def, const char *range,
                     bind_scope *scope, pl_node **out)
{
    ast_stmt *st;
    eng_error perr;
    if (parse_statement(b->a, def->query, strlen(def->query), &st, &perr) != 0 ||
        st->kind != STMT_SELECT)
        return err_set(b->err, ENG_E_GENERAL, "the definition of view \"%s\" no longer parses: %s",
                       def->name, perr.message);
    const char *sql = b->sql;
    b->sql = def->query; /* names of the view's expressions come from its own text */
    bind_result r;
    int rc = bind_derived(b, st->u.query, NULL, &r);
    b->sql = sql;
    if (rc != 0)
        return -1;
    ptr_list names = {0};
    for (char *p = def->columns, *e; p && *p; p = e ? e + 1 : NULL) {
        e = strchr(p, '\x1f');
        char *name = e ? arena_strndup(b->a, p, (size_t)(e - p)) : p;
        if (!name || ptr_list_push(b->a, &names, name) != 0)
            return bind_nomem(b);
    }
    const ptr_list *aliases = f->col_aliases.n ? &f->col_aliases : &names;
    if (bind_query_columns(b, &r, range, aliases, f->pos, scope) != 0)
        return -1;
    *out = r.root;
    return 0;
}

/* A row source filled when the query opens: its columns become attributes. */
static int bind_rows(binder *b, const ast_from *f, pl_rows_kind kind, const tf_entry *fn,
                     const eng_column *cols, uint32_t ncols, bind_scope *scope, pl_node **out)
{
    const char *range = f->alias ? f->alias : f->name;
    tf_entry *copy = NULL;
    if (fn) { /* the plan keeps the entry, and the names attributes point to are its own */
        copy = arena_alloc(b->a, sizeof *copy);
        if (!copy)
            return bind_nomem(b);
        *copy = *fn;
        for (uint32_t c = 0; c < copy->ncols; c++)
            copy->cols[c].name = copy->col_names[c];
        cols = copy->cols;
    }
    pl_node *n = bind_node(b, PL_ROWS, NULL, f->pos);
    uint32_t *attrs = arena_alloc(b->a, ncols * sizeof *attrs);
    if (!n || !attrs)
        return bind_nomem(b);
    if (f->col_aliases.n > ncols)
        return err_set(b->err, ENG_E_SYNTAX, "%u column names given for \"%s\", which has %u",
                       f->col_aliases.n, f->name, ncols);
    for (uint32_t i = 0; i < ncols; i++) {
        const char *name = i < f->col_aliases.n ? f->col_aliases.items[i] : cols[i].name;
        attrs[i] = bind_new_attr(b, cols[i].type, cols[i].nullable, name, "");
        if (attrs[i] == UINT32_MAX || bind_scope_add(b, scope, range, name, attrs[i], false) != 0)
            return -1;
    }
    n->nattrs = ncols;
    n->attrs = attrs;
    n->u.rows.kind = kind;
    n->u.rows.fn = copy;
    n->rows = 100;
    *out = n;
    return 0;
}

#define BIND_TEXT                                                                                  \
    {                                                                                              \
        ENG_TYPE_VARCHAR, 256                                                                      \
    }
#define BIND_INT                                                                                   \
    {                                                                                              \
        ENG_TYPE_INTEGER, 0                                                                        \
    }

static const eng_column bind_is_tables[] = {
    {"table_catalog", "", BIND_TEXT, false},
    {"table_schema", "", BIND_TEXT, false},
    {"table_name", "", BIND_TEXT, false},
    {"table_type", "", BIND_TEXT, false},
};

static const eng_column bind_is_columns[] = {
    {"table_catalog", "", BIND_TEXT, false},
    {"table_schema", "", BIND_TEXT, false},
    {"table_name", "", BIND_TEXT, false},
    {"column_name", "", BIND_TEXT, false},
    {"ordinal_position", "", BIND_INT, false},
    {"column_default", "", BIND_TEXT, true},
    {"is_nullable", "", BIND_TEXT, false},
    {"data_type", "", BIND_TEXT, false},
    {"character_maximum_length", "", BIND_INT, true},
    {"numeric_precision", "", BIND_INT, true},
    {"numeric_scale", "", BIND_INT, true},
};

static int bind_information_schema(binder *b, const ast_from *f, bind_scope *scope, pl_node **out)
{
    if (strcasecmp(f->name, "tables") == 0)
        return bind_rows(b, f, ROWS_TABLES, NULL, bind_is_tables,
                         sizeof bind_is_tables / sizeof *bind_is_tables, scope, out);
    if (strcasecmp(f->name, "columns") == 0)
        return bind_rows(b, f, ROWS_COLUMNS, NULL, bind_is_columns,
                         sizeof bind_is_columns / sizeof *bind_is_columns, scope, out);
    return err_set(b->err, ENG_E_TABLE_NOT_FOUND,
                   "table \"information_schema.%s\" does not exist: there are tables and "
                   "columns",
                   f->name);
}

static int bind_table(binder *b, const ast_from *f, bind_scope *scope, pl_node **out)
{
    const char *range = f->alias ? f->alias : f->name;
    if (f->schema && strcasecmp(f->schema, "information_schema") == 0)
        return bind_information_schema(b, f, scope, out);
    if (f->schema && strcasecmp(f->schema, "main") != 0 && strcasecmp(f->schema, "public") != 0)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND,
                       "table \"%s.%s\" does not exist (position %u)", f->schema, f->name,
                       f->pos + 1);
    for (bind_cte *c = b->ctes; c; c = c->next) {
        if (strcasecmp(c->name, f->name) != 0)
            continue;
        bind_result r;
        if (bind_derived(b, c->def->query, c->next, &r) != 0)
            return -1;
        const ptr_list *aliases = f->col_aliases.n ? &f->col_aliases : &c->def->columns;
        if (bind_query_columns(b, &r, range, aliases, f->pos, scope) != 0)
            return -1;
        *out = r.root;
        return 0;
    }
    tbl_table *tb = bind_find_table(b->cat, f->name, b->t);
    if (!tb && f->name[0] != '$') {
        view_def def;
        int found = view_lookup(b->cat, b->t, f->name, b->a, &def);
        if (found < 0)
            return bind_nomem(b);
        if (found)
            return bind_view(b, f, &def, range, scope, out);
    }
    if (!tb)
        return err_set(b->err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", f->name);
    if (bind_keep_table(b, tb) != 0)
        return -1;
    if (f->col_aliases.n > tb->ncols)
        return err_set(b->err, ENG_E_SYNTAX,
                       "%u column names given for table \"%s\", which has %u columns "
                       "(position %u)",
                       f->col_aliases.n, tb->name, tb->ncols, f->pos + 1);
    pl_node *n = bind_node(b, PL_SCAN, NULL, f->pos);
    uint32_t *attrs = arena_alloc(b->a, (tb->ncols ? tb->ncols : 1) * sizeof *attrs);
    if (!n || !attrs)
        return bind_nomem(b);
    for (uint32_t i = 0; i < tb->ncols; i++) {
        const tbl_column *c = &tb->cols[i];
        const char *name = i < f->col_aliases.n ? f->col_aliases.items[i] : c->name;
        attrs[i] = bind_new_attr(b, c->type, !c->not_null, name, tb->name);
        if (attrs[i] == UINT32_MAX || bind_scope_add(b, scope, range, name, attrs[i], false) != 0)
            return -1;
    }
    n->nattrs = tb->ncols;
    n->attrs = attrs;
    n->u.scan.table = tb;
    n->u.scan.alias = range;
    n->rows = (double)tbl_row_count(tb);
    *out = n;
    return 0;
}

/* Finds a visible column by name in scope entries [from, to); -1 if none, -2 if twice. */
static int bind_find_in(const bind_scope *s, uint32_t from, uint32_t to, const char *name)
{
    int found = -1;
    for (uint32_t i = from; i < to; i++) {
        if (s->cols[i].hidden || strcasecmp(s->cols[i].name, name) != 0)
            continue;
        if (found >= 0)
            return -2;
        found = (int)i;
    }
    return found;
}

/* NATURAL JOIN: the names both sides have. */
static int bind_natural_names(binder *b, const bind_scope *s, uint32_t split, ptr_list *out)
{
    for (uint32_t i = 0; i < split; i++) {
        if (s->cols[i].hidden || bind_find_in(s, split, s->n, s->cols[i].name) < 0)
            continue;
        if (ptr_list_push(b->a, out, (void *)s->cols[i].name) != 0)
            return bind_nomem(b);
    }
    return 0;
}

static bexpr *bind_attr_col(binder *b, uint32_t attr, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_COLUMN, b->attrs[attr].type, pos);
    if (e) {
        e->u.column = attr;
        e->nullable = b->attrs[attr].nullable;
    }
    return e;
}

static bexpr *bind_and(binder *b, bexpr *l, bexpr *r, uint32_t pos)
{
    if (!l)
        return r;
    bexpr *e = bind_new(b, BX_BINARY, bind_type(ENG_TYPE_BOOLEAN), pos);
    if (e) {
        e->u.binary.op = OP_AND;
        e->u.binary.left = l;
        e->u.binary.right = r;
        e->nullable = l->nullable || r->nullable;
    }
    return e;
}

/* USING (a, ...): equalities, and one visible column per name (COALESCE for FULL). */
static int bind_using(binder *b, const ast_from *f, const ptr_list *names, bind_scope *scope,
                      uint32_t split, pl_node *join, pl_node **out)
{
    bexpr *cond = NULL;
    uint32_t n = names->n;
    bexpr **merged = arena_alloc(b->a, (n ? n : 1) * sizeof *merged);
    const char **mnames = arena_alloc(b->a, (n ? n : 1) * sizeof *mnames);
    uint32_t *keep = arena_alloc(b->a, (n ? n : 1) * sizeof *keep);
    if (!merged || !mnames || !keep)
        return bind_nomem(b);
    for (uint32_t i = 0; i < n; i++) {
        const char *name = names->items[i];
        int l = bind_find_in(scope, 0, split, name), r = bind_find_in(scope, split, scope->n, name);
        if (l < 0 || r < 0)
            return err_set(b->err, ENG_E_COLUMN_NOT_FOUND,
                           "column \"%s\" of USING must appear exactly once on each side of the "
                           "join (position %u)",
                           name, f->pos + 1);
        bexpr *le = bind_attr_col(b, scope->cols[l].attr, f->pos);
        bexpr *re = bind_attr_col(b, scope->cols[r].attr, f->pos);
        if (!le || !re || !bind_unify(b, &le, &re, "join", f->pos))
            return -1;
        bexpr *eq = bind_new(b, BX_BINARY, bind_type(ENG_TYPE_BOOLEAN), f->pos);
        if (!eq)
            return -1;
        eq->u.binary.op = OP_EQ;
        eq->u.binary.left = le;
        eq->u.binary.right = re;
        eq->nullable = le->nullable || re->nullable;
        if (!(cond = bind_and(b, cond, eq, f->pos)))
            return -1;
        scope->cols[l].hidden = true;
        scope->cols[r].hidden = true;
        keep[i] = (uint32_t)(f->join == JOIN_RIGHT ? r : l);
        if (f->join == JOIN_FULL) {
            bexpr **args = arena_alloc(b->a, 2 * sizeof *args);
            bexpr *c = bind_new(b, BX_FUNC, le->type, f->pos);
            if (!args || !c)
                return bind_nomem(b);
            args[0] = le;
            args[1] = re;
            c->u.func.fn = FN_COALESCE;
            c->u.func.nargs = 2;
            c->u.func.args = args;
            c->nullable = le->nullable && re->nullable;
            merged[i] = c;
        } else {
            merged[i] = f->join == JOIN_RIGHT ? re : le;
        }
        mnames[i] = name;
    }
    join->u.join.residual = cond;
    if (f->join != JOIN_FULL) {
        /* The side whose value the column keeps stays reachable unqualified. */
        for (uint32_t i = 0; i < n; i++)
            scope->cols[keep[i]].hidden = false;
        *out = join;
        return 0;
    }
    /* FULL JOIN USING: a projection adds the merged columns. */
    pl_node *p = bind_node(b, PL_PROJECT, join, f->pos);
    uint32_t total = join->nattrs + n;
    bexpr **exprs = arena_alloc(b->a, total * sizeof *exprs);
    uint32_t *attrs = arena_alloc(b->a, total * sizeof *attrs);
    if (!p || !exprs || !attrs)
        return bind_nomem(b);
    for (uint32_t i = 0; i < join->nattrs; i++) {
        if (!(exprs[i] = bind_attr_col(b, join->attrs[i], f->pos)))
            return -1;
        attrs[i] = bind_new_attr(b, exprs[i]->type, exprs[i]->nullable,
                                 b->attrs[join->attrs[i]].name, b->attrs[join->attrs[i]].table);
        if (attrs[i] == UINT32_MAX)
            return -1;
        for (uint32_t c = 0; c < scope->n; c++)
            if (scope->cols[c].attr == join->attrs[i])
                scope->cols[c].attr = attrs[i];
    }
    for (uint32_t i = 0; i < n; i++) {
        exprs[join->nattrs + i] = merged[i];
        attrs[join->nattrs + i] =
            bind_new_attr(b, merged[i]->type, merged[i]->nullable, mnames[i], "");
        if (attrs[join->nattrs + i] == UINT32_MAX ||
            bind_scope_add(b, scope, NULL, mnames[i], attrs[join->nattrs + i], false) != 0)
            return -1;
    }
    /* The merged columns come first in SELECT *, as the standard says. */
    bind_col *cols = arena_alloc(b->a, scope->cap * sizeof *cols);
    if (!cols)
        return bind_nomem(b);
    memcpy(cols, scope->cols + scope->n - n, n * sizeof *cols);
    memcpy(cols + n, scope->cols, (scope->n - n) * sizeof *cols);
    scope->cols = cols;
    p->nattrs = total;
    p->attrs = attrs;
    p->u.project.exprs = exprs;
    *out = p;
    return 0;
}

static pl_join_kind bind_join_kind(ast_join_kind k)
{
    switch (k) {
    case JOIN_LEFT:
        return PJ_LEFT;
    case JOIN_RIGHT:
        return PJ_RIGHT;
    case JOIN_FULL:
        return PJ_FULL;
    default:
        return PJ_INNER;
    }
}

static int bind_join(binder *b, const ast_from *f, bind_scope *scope, pl_node **out)
{
    pl_node *left, *right;
    uint32_t split;
    if (bind_from(b, f->left, scope, &left) != 0)
        return -1;
    split = scope->n;
    if (bind_from(b, f->right, scope, &right) != 0)
        return -1;
    pl_node *j = bind_node(b, PL_JOIN, left, f->pos);
    uint32_t *attrs = arena_alloc(b->a, (left->nattrs + right->nattrs) * sizeof *attrs + 1);
    if (!j || !attrs)
        return bind_nomem(b);
    memcpy(attrs, left->attrs, left->nattrs * sizeof *attrs);
    memcpy(attrs + left->nattrs, right->attrs, right->nattrs * sizeof *attrs);
    j->nattrs = left->nattrs + right->nattrs;
    j->attrs = attrs;
    j->right = right;
    j->u.join.kind = bind_join_kind(f->join);
    j->rows = f->join == JOIN_CROSS ? left->rows * right->rows
                                    : (left->rows > right->rows ? left->rows : right->rows);
    if (f->natural || f->using.n) {
        ptr_list names = f->using;
        if (f->natural) {
            memset(&names, 0, sizeof names);
            if (bind_natural_names(b, scope, split, &names) != 0)
                return -1;
        }
        return bind_using(b, f, &names, scope, split, j, out);
    }
    if (f->on) {
        bind_scope *saved = b->scope;
        const char *clause = b->clause;
        b->scope = scope;
        b->clause = "JOIN ... ON";
        bexpr *cond = bind_expr(b, f->on);
        b->scope = saved;
        b->clause = clause;
        if (!cond || !(j->u.join.residual = bind_boolean_operand(b, cond, "ON")))
            return -1;
    }
    *out = j;
    return 0;
}

int bind_from(binder *b, const ast_from *f, bind_scope *scope, pl_node **out)
{
    switch (f->kind) {
    case FROM_TABLE:
        return bind_table(b, f, scope, out);
    case FROM_SUBQUERY: {
        bind_result r;
        if (bind_derived(b, f->query, b->ctes, &r) != 0 ||
            bind_query_columns(b, &r, f->alias, &f->col_aliases, f->pos, scope) != 0)
            return -1;
        *out = r.root;
        return 0;
    }
    case FROM_JOIN:
        return bind_join(b, f, scope, out);
    case FROM_FUNCTION: {
        tf_entry fn;
        if (!tf_find(f->name, &fn))
            return err_set(b->err, ENG_E_TABLE_NOT_FOUND,
                           "table function %s() does not exist (position %u)", f->name, f->pos + 1);
        if (f->args.n)
            return err_set(b->err, ENG_E_SYNTAX,
                           "table function %s() takes no arguments "
                           "(position %u)",
                           f->name, f->pos + 1);
        return bind_rows(b, f, ROWS_FUNCTION, &fn, fn.cols, fn.ncols, scope, out);
    }
    }
    return err_set(b->err, ENG_E_GENERAL, "unknown FROM item (position %u)", f->pos + 1);
}
