/*
 * Row sources filled when a query opens: information_schema.tables and .columns (the
 * tables and views the transaction sees, the engine's own '$' tables left out) and table
 * functions registered by an upper layer. The rows go into a column buffer, handed out a
 * vector at a time.
 */
#include "exec_int.h"

#include "errors.h"
#include "parser.h"
#include "tablefn.h"
#include "value.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rows_st {
    colbuf rows;
    uint64_t next;
    ev_vec *one; /* one row of values being added */
    arena a;
    bool failed;
    eng_error *err;
} rows_st;

static int rows_nomem(ex_node *n, eng_error *err)
{
    if (qmem_exceeded(n->ctx->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached");
    return err_set(err, ENG_E_NOMEM, "out of memory listing rows");
}

/* Adds a row of values (already of the columns' types, or NULL). */
static int rows_add(rows_st *st, const eng_value *vals, eng_error *err)
{
    for (uint32_t c = 0; c < st->rows.ncols; c++)
        ev_put(&st->one[c], 0, &vals[c]);
    return cb_append_row(&st->rows, st->one, 0, err);
}

static eng_value rows_text(const char *s)
{
    return (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {s, (uint32_t)strlen(s)}};
}

static eng_value rows_int(int64_t i, bool null)
{
    return (eng_value){.type = ENG_TYPE_INTEGER, .is_null = null, .u.i = i};
}

typedef struct rows_walk {
    ex_node *n;
    rows_st *st;
    bool columns;
} rows_walk;

/* One column of information_schema.columns. */
static int rows_column(rows_st *st, const char *table, uint32_t ordinal, const char *name,
                       eng_type type, bool nullable, const eng_value *def, eng_error *err)
{
    char deftext[128] = "";
    bool has_def = def && !def->is_null;
    if (has_def) {
        eng_value text;
        arena a;
        arena_init(&a, 1024);
        if (val_cast(def, (eng_type){ENG_TYPE_VARCHAR, 0}, &a, &text, NULL) == 0)
            snprintf(deftext, sizeof deftext, "%s%.*s%s", val_is_string(def->type) ? "'" : "",
                     (int)text.u.s.len, text.u.s.ptr, val_is_string(def->type) ? "'" : "");
        arena_free(&a);
    }
    char dtype[32];
    if (type.id == ENG_TYPE_DECIMAL)
        snprintf(dtype, sizeof dtype, "DECIMAL");
    else
        snprintf(dtype, sizeof dtype, "%s", eng_type_name(type.id));
    bool text = type.id == ENG_TYPE_VARCHAR || type.id == ENG_TYPE_BLOB;
    int64_t prec = -1;
    if (type.id == ENG_TYPE_SMALLINT)
        prec = 16;
    else if (type.id == ENG_TYPE_INTEGER)
        prec = 32;
    else if (type.id == ENG_TYPE_BIGINT)
        prec = 64;
    else if (type.id == ENG_TYPE_DOUBLE)
        prec = 53;
    else if (type.id == ENG_TYPE_DECIMAL)
        prec = ENG_DECIMAL_PRECISION(type);
    eng_value v[11] = {
        rows_text(""),
        rows_text("main"),
        rows_text(table),
        rows_text(name),
        rows_int(ordinal, false),
        has_def ? rows_text(deftext) : (eng_value){.type = ENG_TYPE_VARCHAR, .is_null = true},
        rows_text(nullable ? "YES" : "NO"),
        rows_text(dtype),
        rows_int(text ? type.width : 0, !text),
        rows_int(prec, prec < 0),
        rows_int(type.id == ENG_TYPE_DECIMAL ? ENG_DECIMAL_SCALE(type) : 0,
                 prec < 0 || type.id == ENG_TYPE_DOUBLE),
    };
    return rows_add(st, v, err);
}

static void rows_table(tbl_table *tb, void *ctx)
{
    rows_walk *w = ctx;
    rows_st *st = w->st;
    if (st->failed || tb->name[0] == '$' || !cat_table_visible(tb, w->n->ctx->t))
        return;
    if (!w->columns) {
        eng_value v[4] = {rows_text(""), rows_text("main"), rows_text(tb->name),
                          rows_text("BASE TABLE")};
        st->failed = rows_add(st, v, st->err) != 0;
        return;
    }
    for (uint32_t c = 0; c < tb->ncols && !st->failed; c++) {
        const tbl_column *col = &tb->cols[c];
        st->failed = rows_column(st, tb->name, c + 1, col->name, col->type, !col->not_null,
                                 col->has_default ? &col->default_value : NULL, st->err) != 0;
    }
}

static void rows_view(const char *name, void *ctx)
{
    rows_walk *w = ctx;
    rows_st *st = w->st;
    if (st->failed)
        return;
    if (!w->columns) {
        eng_value v[4] = {rows_text(""), rows_text("main"), rows_text(name), rows_text("VIEW")};
        st->failed = rows_add(st, v, st->err) != 0;
        return;
    }
    /* A view's columns are those of its query, bound now. */
    arena a;
    arena_init(&a, 16 * 1024);
    view_def def;
    ast_stmt *ast;
    plan_select ps;
    eng_error err;
    const txn *t = w->n->ctx->t;
    if (view_lookup(w->n->ctx->cat, t, name, &a, &def) == 1 &&
        parse_statement(&a, def.query, strlen(def.query), &ast, &err) == 0 &&
        ast->kind == STMT_SELECT &&
        bind_query_plan(ast->u.query, def.query, w->n->ctx->cat, t, &a, &ps, &err) == 0) {
        char *p = def.columns;
        for (uint32_t c = 0; c < ps.ncols && !st->failed; c++) {
            char *e = p ? strchr(p, '\x1f') : NULL;
            if (e)
                *e = '\0';
            st->failed = rows_column(st, name, c + 1, p && *p ? p : ps.cols[c].name,
                                     ps.cols[c].type, ps.cols[c].nullable, NULL, st->err) != 0;
            p = e ? e + 1 : NULL;
        }
        plan_select_release(&ps);
    }
    arena_free(&a);
}

static int rows_emit(void *emit_ctx, const eng_value *row)
{
    rows_walk *w = emit_ctx;
    rows_st *st = w->st;
    if (st->failed)
        return -1;
    eng_value *vals = arena_alloc(&w->n->scratch, st->rows.ncols * sizeof *vals);
    if (!vals) {
        st->failed = true;
        rows_nomem(w->n, st->err);
        return -1;
    }
    for (uint32_t c = 0; c < st->rows.ncols; c++) {
        if (val_cast(&row[c], st->rows.cols[c].type, &w->n->scratch, &vals[c], st->err) != 0) {
            st->failed = true;
            return -1;
        }
    }
    st->failed = rows_add(st, vals, st->err) != 0;
    arena_reset(&w->n->scratch);
    return st->failed ? -1 : 0;
}

int ex_rows_open(ex_node *n, eng_error *err)
{
    const pl_node *pl = n->pl;
    rows_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return rows_nomem(n, err);
    memset(st, 0, sizeof *st);
    n->st = st;
    st->err = err;
    arena_init_counted(&st->a, 4096, n->ctx->mem);
    uint32_t ncols = pl->nattrs;
    eng_type *types = arena_alloc(&st->a, ncols * sizeof *types);
    st->one = arena_alloc(&st->a, ncols * sizeof *st->one);
    if (!types || !st->one)
        return rows_nomem(n, err);
    for (uint32_t c = 0; c < ncols; c++) {
        types[c] = n->ctx->attrs[pl->attrs[c]].type;
        if (ev_alloc(&st->a, types[c], 1, &st->one[c], err) != 0)
            return -1;
    }
    if (cb_init(&st->rows, ncols, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    rows_walk w = {n, st, pl->u.rows.kind == ROWS_COLUMNS};
    if (pl->u.rows.kind == ROWS_FUNCTION) {
        char msg[ENG_MAX_MESSAGE] = "";
        const tf_entry *fn = pl->u.rows.fn;
        if (fn->fn(fn->ctx, rows_emit, &w, msg) != 0 && !st->failed)
            return err_set(err, ENG_E_GENERAL, "table function %s() failed: %s", fn->name,
                           msg[0] ? msg : "no reason given");
    } else {
        cat_for_each(n->ctx->cat, rows_table, &w);
        if (!st->failed)
            view_for_each(n->ctx->cat, n->ctx->t, rows_view, &w);
    }
    return st->failed ? -1 : 0;
}

int ex_rows_next(ex_node *n, ex_batch *out, eng_error *err)
{
    rows_st *st = n->st;
    if (st->next >= st->rows.n)
        return 0;
    uint32_t ncols = st->rows.ncols;
    uint64_t left = st->rows.n - st->next;
    uint32_t m = left < ENG_VECTOR_SIZE ? (uint32_t)left : ENG_VECTOR_SIZE;
    ev_vec *cols = arena_alloc_raw(&n->scratch, ncols * sizeof *cols);
    if (!cols)
        return rows_nomem(n, err);
    for (uint32_t c = 0; c < ncols; c++)
        cb_view(&st->rows, c, st->next, &cols[c]);
    st->next += m;
    *out = (ex_batch){m, cols, NULL};
    return 1;
}

void ex_rows_close(ex_node *n)
{
    rows_st *st = n->st;
    cb_free(&st->rows);
    arena_free(&st->a);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
