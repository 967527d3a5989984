/*
 * INSERT, CREATE TABLE and DROP TABLE.
 *
 * INSERT evaluates and checks every value (types, NOT NULL, VARCHAR length) before it
 * appends anything, so a bad row leaves the table untouched; the appended rows carry the
 * transaction's id and become visible to others only when it commits.
 */
#include "stmt.h"

#include "errors.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int exec_check_value(const tbl_table *tb, uint32_t c, const eng_value *v, eng_error *err)
{
    const tbl_column *col = &tb->cols[c];
    if (v->is_null) {
        if (col->not_null)
            return err_set(err, ENG_E_NOT_NULL,
                           "NULL value in column \"%s\" of table \"%s\" violates its NOT NULL "
                           "constraint",
                           col->name, tb->name);
        return 0;
    }
    if (col->type.id == ENG_TYPE_VARCHAR)
        return val_check_width(&v->u.s, col->type.width, col->name, err);
    return 0;
}

int exec_insert(eng_stmt *st, txn *t, eng_error *err)
{
    plan_insert *pi = &st->plan.u.insert;
    tbl_table *tb = pi->table;
    size_t nvals = (size_t)pi->nrows * tb->ncols;
    eng_value *vals = arena_alloc(&st->exec_arena, (nvals ? nvals : 1) * sizeof *vals);
    if (!vals)
        return err_set(err, ENG_E_NOMEM, "out of memory inserting %u rows", pi->nrows);
    for (size_t i = 0; i < nvals; i++) {
        uint32_t c = (uint32_t)(i % tb->ncols);
        if (ev_eval_scalar(pi->values[i], st->params, &st->exec_arena, &vals[i], err) != 0 ||
            exec_check_value(tb, c, &vals[i], err) != 0)
            return -1;
    }
    pthread_mutex_lock(&tb->append_lock);
    uint64_t first;
    int rc = tbl_append_reserve(tb, pi->nrows, &first, err);
    for (size_t i = 0; rc == 0 && i < nvals; i++) {
        uint32_t c = (uint32_t)(i % tb->ncols);
        eng_value v = vals[i];
        if (!v.is_null && v.type == ENG_TYPE_VARCHAR) {
            v.u.s.ptr = tbl_heap_copy(tb, v.u.s.ptr, v.u.s.len);
            if (!v.u.s.ptr)
                rc = err_set(err, ENG_E_NOMEM, "out of memory storing a string");
        }
        if (rc == 0)
            tbl_store(tb, first + i / tb->ncols, c, &v);
    }
    if (rc == 0) {
        for (uint32_t r = 0; r < pi->nrows; r++)
            tbl_set_ins(tb, first + r, t->id);
        tbl_append_publish(tb, first + pi->nrows);
    }
    pthread_mutex_unlock(&tb->append_lock);
    if (rc != 0)
        return -1;
    if (txn_add_op(t, TXOP_INSERT, tb, first, pi->nrows) != 0) {
        for (uint32_t r = 0; r < pi->nrows; r++)
            tbl_set_ins(tb, first + r, STAMP_NONE);
        return err_set(err, ENG_E_NOMEM, "out of memory recording an insert");
    }
    st->row_count = pi->nrows;
    return 0;
}

int exec_create_table(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_create_table *ct = &st->ast->u.create_table;
    uint32_t n = ct->columns.n;
    tbl_column *cols = arena_alloc(&st->exec_arena, n * sizeof *cols);
    if (!cols)
        return err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", ct->name);
    for (uint32_t i = 0; i < n; i++) {
        const ast_column_def *d = ct->columns.items[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcasecmp(cols[j].name, d->name) == 0)
                return err_set(err, ENG_E_COLUMN_EXISTS,
                               "column \"%s\" is defined twice in table \"%s\"", d->name, ct->name);
        cols[i] = (tbl_column){(char *)d->name, d->type, d->not_null};
    }
    if (ct->if_not_exists) {
        tbl_table *existing = cat_find(&st->session->db->catalog, ct->name, t);
        if (existing) {
            tbl_unref(existing);
            return 0;
        }
    }
    return cat_create_table(&st->session->db->catalog, t, ct->name, n, cols, err);
}

int exec_drop_table(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_drop_table *dt = &st->ast->u.drop_table;
    cat_catalog *cat = &st->session->db->catalog;
    tbl_table *tb = cat_find(cat, dt->name, t);
    if (!tb)
        return dt->if_exists
                   ? 0
                   : err_set(err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", dt->name);
    int rc = cat_drop_table(cat, t, tb, err);
    tbl_unref(tb);
    return rc;
}
