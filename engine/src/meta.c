/*
 * Listing tables at a snapshot (db_tables_collect, shared with check.c) and describing
 * them for the driver's catalog functions (eider/meta.h).
 */
#include "stmt.h"

#include "eider/meta.h"

#include "errors.h"
#include "view.h"

#include <stdlib.h>

typedef struct meta_collect {
    db_table_list *l;
    const txn *view;
} meta_collect;

static void meta_collect_one(tbl_table *tb, void *ctx)
{
    meta_collect *c = ctx;
    db_table_list *l = c->l;
    if (!cat_table_visible(tb, c->view) || l->failed)
        return;
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        tbl_table **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->failed = true;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    tbl_ref(tb);
    l->items[l->n++] = tb;
}

void db_tables_collect(eng_db *db, const txn *view, db_table_list *l)
{
    *l = (db_table_list){0};
    meta_collect c = {l, view};
    cat_for_each(&db->catalog, meta_collect_one, &c);
}

void db_tables_free(db_table_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        tbl_unref(l->items[i]);
    free(l->items);
    *l = (db_table_list){0};
}

static int meta_describe(tbl_table *tb, void (*fn)(const eng_meta_table *t, void *ctx), void *ctx)
{
    eng_meta_column *cols = calloc(tb->ncols ? tb->ncols : 1, sizeof *cols);
    eng_meta_key *keys = calloc(tb->nkeys ? tb->nkeys : 1, sizeof *keys);
    if (!cols || !keys) {
        free(cols);
        free(keys);
        return -1;
    }
    for (uint32_t i = 0; i < tb->ncols; i++) {
        const tbl_column *c = &tb->cols[i];
        cols[i] =
            (eng_meta_column){c->name, c->type, !c->not_null, c->has_default, c->default_value};
    }
    for (uint32_t k = 0; k < tb->nkeys; k++)
        keys[k] = (eng_meta_key){tb->keys[k].primary, tb->keys[k].ncols, tb->keys[k].cols};
    eng_meta_table t = {tb->name, tb->ncols, cols, tb->nkeys, keys, tbl_row_count(tb), false};
    fn(&t, ctx);
    free(cols);
    free(keys);
    return 0;
}

int eng_session_tables(eng_session *s, void (*fn)(const eng_meta_table *t, void *ctx), void *ctx,
                       eng_error *err)
{
    txn snap;
    const txn *view = s->txn;
    if (!view) {
        db_snapshot(session_hold(s), &snap);
        view = &snap;
    }
    db_table_list l;
    db_tables_collect(s->db, view, &l);
    int rc = l.failed ? -1 : 0;
    for (uint32_t i = 0; i < l.n && rc == 0; i++)
        if (l.items[i]->name[0] != '$') /* internal tables ($users) */
            rc = meta_describe(l.items[i], fn, ctx);
    db_tables_free(&l);
    if (rc == 0)
        rc = view_meta_each(s->db, view, fn, ctx);
    if (!s->txn)
        session_release(s);
    return rc == 0 ? 0 : err_set(err, ENG_E_NOMEM, "out of memory while listing tables");
}
