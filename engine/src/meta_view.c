/*
 * Describing views for the driver's catalog functions (eider/meta.h): each view the
 * snapshot sees is bound as `SELECT * FROM view` at that snapshot, which gives its
 * columns' names, types and nullability exactly as a query over it would see them. A view
 * that no longer binds (a table it reads was dropped) is listed with no columns.
 */
#include "stmt.h"

#include "eider/meta.h"

#include "errors.h"
#include "parser.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

typedef struct meta_names {
    char **items;
    uint32_t n, cap;
    bool failed;
} meta_names;

static void meta_name(const char *name, void *ctx)
{
    meta_names *l = ctx;
    if (l->failed)
        return;
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->failed = true;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->n] = strdup(name)))
        l->failed = true;
    else
        l->n++;
}

/* SELECT * FROM "name", with quotes in the name doubled. */
static size_t meta_select_all(const char *name, char *buf, size_t cap)
{
    size_t n = 0;
    const char *head = "SELECT * FROM \"";
    memcpy(buf, head, strlen(head));
    n = strlen(head);
    for (const char *p = name; *p && n + 4 < cap; p++) {
        if (*p == '"')
            buf[n++] = '"';
        buf[n++] = *p;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return n;
}

static int meta_view_describe(eng_db *db, const txn *t, const char *name,
                              void (*fn)(const eng_meta_table *t, void *ctx), void *ctx)
{
    char sql[640]; /* view names have at most 255 bytes, each quote doubled */
    size_t len = meta_select_all(name, sql, sizeof sql);
    arena a;
    arena_init(&a, 4096);
    ast_stmt *ast;
    plan p = {0};
    eng_error err;
    eng_meta_table mt = {.name = name, .view = true};
    eng_meta_column *cols = NULL;
    int rc = 0;
    if (parse_statement(&a, sql, len, &ast, &err) == 0 &&
        bind_statement(ast, sql, &db->catalog, t, &a, &p, &err) == 0) {
        const plan_select *ps = &p.u.select;
        cols = calloc(ps->ncols ? ps->ncols : 1, sizeof *cols);
        if (cols) {
            for (uint32_t i = 0; i < ps->ncols; i++)
                cols[i] = (eng_meta_column){
                    ps->cols[i].name, ps->cols[i].type, ps->cols[i].nullable, false, {0}};
            mt.ncols = ps->ncols;
            mt.cols = cols;
        } else {
            rc = -1;
        }
    } else if (err.code == ENG_E_NOMEM) {
        rc = -1;
    }
    if (rc == 0)
        fn(&mt, ctx);
    free(cols);
    if (p.ast)
        plan_release(&p);
    arena_free(&a);
    return rc;
}

int view_meta_each(eng_db *db, const txn *t, void (*fn)(const eng_meta_table *t, void *ctx),
                   void *ctx)
{
    meta_names l = {0};
    view_for_each(&db->catalog, t, meta_name, &l);
    int rc = l.failed ? -1 : 0;
    for (uint32_t i = 0; i < l.n && rc == 0; i++)
        rc = meta_view_describe(db, t, l.items[i], fn, ctx);
    for (uint32_t i = 0; i < l.n; i++)
        free(l.items[i]);
    free(l.items);
    return rc;
}
