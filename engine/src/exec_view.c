/*
 * Views. A view is a row of the engine's own table "$views" (created by the first CREATE
 * VIEW): its name folded to lower case (the key), the name as written, its column names
 * and the text of its query. Keeping views in a table makes them transactional and
 * durable for free: the log, checkpoints and MVCC treat them like any row. A query that
 * names a view parses and binds the stored text in its place (bind_from.c).
 */
#include "stmt.h"

#include "errors.h"
#include "parser.h"
#include "value.h"
#include "view.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { VIEW_KEY, VIEW_NAME, VIEW_COLUMNS, VIEW_QUERY, VIEW_NCOLS };

static void view_fold(const char *name, char *out, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)name[i]);
    out[i] = '\0';
}

/* The live row of a view t sees; -1 when there is none. */
static int64_t view_row(tbl_table *tb, const char *name, const txn *t)
{
    char key[256];
    view_fold(name, key, sizeof key);
    eng_value v = {.type = ENG_TYPE_VARCHAR, .u.s = {key, (uint32_t)strlen(key)}};
    return txn_find_visible(tb, tb->keys[0].index, &v, t);
}

static char *view_text(const tbl_table *tb, uint64_t row, uint32_t col, arena *a)
{
    eng_value v;
    tbl_get(tb, row, col, &v);
    return v.is_null ? arena_strdup(a, "") : arena_strndup(a, v.u.s.ptr, v.u.s.len);
}

int view_lookup(cat_catalog *cat, const txn *t, const char *name, arena *a, view_def *out)
{
    tbl_table *tb = cat_find(cat, VIEW_TABLE, t);
    int64_t row = tb ? view_row(tb, name, t) : -1;
    int rc = 0;
    if (row >= 0) {
        out->name = view_text(tb, (uint64_t)row, VIEW_NAME, a);
        out->columns = view_text(tb, (uint64_t)row, VIEW_COLUMNS, a);
        out->query = view_text(tb, (uint64_t)row, VIEW_QUERY, a);
        rc = out->name && out->columns && out->query ? 1 : -1;
    }
    tbl_unref(tb);
    return rc;
}

void view_for_each(cat_catalog *cat, const txn *t, void (*fn)(const char *name, void *ctx),
                   void *ctx)
{
    tbl_table *tb = cat_find(cat, VIEW_TABLE, t);
    if (!tb)
        return;
    for (uint64_t row = 0; txn_next_visible(tb, t, &row); row++) {
        eng_value v;
        tbl_get(tb, row, VIEW_NAME, &v);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)v.u.s.len, v.u.s.ptr);
        fn(name, ctx);
    }
    tbl_unref(tb);
}

static tbl_table *view_table_for_write(cat_catalog *cat, txn *t, eng_error *err)
{
    tbl_table *tb = cat_find(cat, VIEW_TABLE, t);
    if (tb)
        return tb;
    tbl_column cols[VIEW_NCOLS] = {
        {"key", {ENG_TYPE_VARCHAR, 256}, true, false, {0}},
        {"name", {ENG_TYPE_VARCHAR, 256}, true, false, {0}},
        {"columns", {ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, true, false, {0}},
        {"query", {ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, true, false, {0}},
    };
    uint32_t key_col = VIEW_KEY;
    tbl_key key = {true, 1, &key_col, NULL};
    if (cat_create_table(cat, t, VIEW_TABLE, VIEW_NCOLS, cols, 1, &key, err) != 0)
        return NULL;
    return cat_find(cat, VIEW_TABLE, t);
}

static int view_claim(eng_db *db, tbl_table *tb, txn *t, uint64_t row, const char *name,
                      eng_error *err)
{
    int rc = db_claim_row(db, tb, t, row);
    if (rc > 0)
        return err_set(err, ENG_E_CONFLICT,
                       "Transaction conflict: view \"%s\" was changed by a concurrent "
                       "transaction; roll back and retry",
                       name);
    return rc < 0 ? err_set(err, ENG_E_NOMEM, "out of memory changing a view") : 0;
}

int exec_create_view(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_create_view *cv = &st->ast->u.create_view;
    cat_catalog *cat = &st->session->db->catalog;
    if (st->ast->nparams)
        return err_set(err, ENG_E_SYNTAX, "a view cannot contain parameter markers");
    if (strlen(cv->name) > 255 || cv->name[0] == '$')
        return err_set(err, ENG_E_SYNTAX, "\"%s\" cannot name a view", cv->name);
    tbl_table *same = bind_find_table(cat, cv->name, t);
    if (same) {
        tbl_unref(same);
        return err_set(err, ENG_E_TABLE_EXISTS, "a table named \"%s\" already exists", cv->name);
    }
    /* The query must bind now, and gives the view's columns. */
    plan_select ps;
    if (bind_query_plan(cv->query, st->sql, cat, t, &st->exec_arena, &ps, err) != 0)
        return -1;
    plan_select_release(&ps);
    if (cv->columns.n && cv->columns.n != ps.ncols)
        return err_set(err, ENG_E_SYNTAX, "view \"%s\" names %u columns but its query has %u",
                       cv->name, cv->columns.n, ps.ncols);
    for (uint32_t i = 0; i < ps.ncols; i++)
        for (uint32_t j = 0; j < i; j++) {
            const char *a = cv->columns.n ? cv->columns.items[i] : ps.cols[i].name;
            const char *b = cv->columns.n ? cv->columns.items[j] : ps.cols[j].name;
            if (strcasecmp(a, b) == 0)
                return err_set(err, ENG_E_COLUMN_EXISTS,
                               "view \"%s\" would have two columns named \"%s\"; name them "
                               "apart",
                               cv->name, a);
        }
    /* Column names joined by unit separators (names never contain one). */
    size_t len = 1;
    for (uint32_t i = 0; i < ps.ncols; i++)
        len += strlen(cv->columns.n ? (const char *)cv->columns.items[i] : ps.cols[i].name) + 1;
    char *cols = arena_alloc(&st->exec_arena, len);
    if (!cols)
        return err_set(err, ENG_E_NOMEM, "out of memory creating a view");
    for (uint32_t i = 0; i < ps.ncols; i++) {
        if (i)
            strcat(cols, "\x1f");
        strcat(cols, cv->columns.n ? (const char *)cv->columns.items[i] : ps.cols[i].name);
    }
    tbl_table *tb = view_table_for_write(cat, t, err);
    if (!tb)
        return -1;
    int rc = 0;
    int64_t old = view_row(tb, cv->name, t);
    if (old >= 0 && !cv->or_replace)
        rc = err_set(err, ENG_E_TABLE_EXISTS, "view \"%s\" already exists", cv->name);
    else if (old >= 0)
        rc = view_claim(st->session->db, tb, t, (uint64_t)old, cv->name, err);
    char key[256];
    view_fold(cv->name, key, sizeof key);
    eng_value v[VIEW_NCOLS] = {
        {.type = ENG_TYPE_VARCHAR, .u.s = {key, (uint32_t)strlen(key)}},
        {.type = ENG_TYPE_VARCHAR, .u.s = {cv->name, (uint32_t)strlen(cv->name)}},
        {.type = ENG_TYPE_VARCHAR, .u.s = {cols, (uint32_t)strlen(cols)}},
        {.type = ENG_TYPE_VARCHAR,
         .u.s = {st->sql + cv->text_start, cv->text_end - cv->text_start}},
    };
    if (rc == 0)
        rc = exec_append_rows(tb, t, v, 1, NULL, NULL, err);
    /* A table of the same name: looked for again now that our row exists, so that of a
     * CREATE TABLE and a CREATE VIEW running concurrently at least one sees the other (each
     * writes, then checks the other's namespace). */
    if (rc == 0)
        rc = cat_name_free(cat, t, cv->name, err);
    if (rc == 0)
        cat_bump_version(cat); /* plans that named the old definition bind again */
    tbl_unref(tb);
    return rc;
}

int exec_drop_view(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_drop_table *dv = &st->ast->u.drop_table;
    cat_catalog *cat = &st->session->db->catalog;
    tbl_table *tb = cat_find(cat, VIEW_TABLE, t);
    int64_t row = tb ? view_row(tb, dv->name, t) : -1;
    int rc = 0;
    if (row < 0) {
        if (!dv->if_exists)
            rc = err_set(err, ENG_E_TABLE_NOT_FOUND, "view \"%s\" does not exist", dv->name);
    } else if ((rc = view_claim(st->session->db, tb, t, (uint64_t)row, dv->name, err)) == 0) {
        cat_bump_version(cat);
    }
    tbl_unref(tb);
    return rc;
}

typedef struct {
    const tbl_table *tb;
    const txn *t;
    const char *name;
    eng_error *err;
} view_probe;

/* Whether a version of the view stops p->t from creating a table of its name (1, with
 * p->err set saying why) or not (0). */
static int view_version_conflict(uint64_t row, void *ctx)
{
    const view_probe *p = ctx;
    if (txn_table_row_visible(p->tb, row, p->t)) {
        err_set(p->err, ENG_E_TABLE_EXISTS, "a view named \"%s\" already exists", p->name);
        return 1;
    }
    const tbl_segment *seg = tbl_segment_at(p->tb, row / TBL_SEG_ROWS);
    uint64_t ins = __atomic_load_n(&seg->ins[row % TBL_SEG_ROWS], __ATOMIC_ACQUIRE);
    uint64_t del = __atomic_load_n(&seg->del[row % TBL_SEG_ROWS], __ATOMIC_ACQUIRE);
    if (ins == STAMP_NONE || ins == p->t->id || (del != STAMP_NONE && del < TXN_ID_BASE) ||
        del == p->t->id)
        return 0; /* rolled back, ours, or dropped for good */
    err_set(p->err, ENG_E_CONFLICT,
            "Transaction conflict: a view named \"%s\" is being created by a concurrent "
            "transaction; roll back and retry",
            p->name);
    return 1;
}

int view_name_free(cat_catalog *cat, const txn *t, const char *name, eng_error *err)
{
    tbl_table *tbs[8];
    uint32_t ntb = cat_find_all(cat, VIEW_TABLE, tbs, 8);
    char key[256];
    view_fold(name, key, sizeof key);
    eng_value v = {.type = ENG_TYPE_VARCHAR, .u.s = {key, (uint32_t)strlen(key)}};
    int rc = 0;
    for (uint32_t i = 0; i < ntb; i++) {
        view_probe p = {tbs[i], t, name, err};
        if (rc == 0)
            rc = txn_key_versions(tbs[i], tbs[i]->keys[0].index, &v, view_version_conflict, &p);
        tbl_unref(tbs[i]);
    }
    if (rc < 0)
        err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", name);
    return rc == 0 ? 0 : -1;
}

bool view_exists(cat_catalog *cat, const txn *t, const char *name)
{
    tbl_table *tb = cat_find(cat, VIEW_TABLE, t);
    bool found = tb && view_row(tb, name, t) >= 0;
    tbl_unref(tb);
    return found;
}
