/*
 * INSERT, UPDATE, DELETE, CREATE TABLE and DROP TABLE.
 *
 * Values are evaluated and checked (types, NOT NULL, VARCHAR length) before anything is
 * appended. New rows carry the transaction's id and become visible to others only when it
 * commits. UPDATE and DELETE claim each row they change by setting its delete stamp from
 * "nobody" to the transaction's id in one atomic step; if someone else holds it, or changed
 * the row after our snapshot, the statement fails with 40001 (first updater wins; nobody
 * waits for a running transaction, only for a commit already under way to be published,
 * so that a retry sees its result). An UPDATE then appends the new version of the row. Whatever a
 * failing statement did is undone with its transaction (or marks the transaction aborted).
 */
#include "stmt.h"

#include "errors.h"
#include "exec_int.h"
#include "value.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int exec_check_value(const tbl_table *tb, uint32_t c, const eng_value *v, eng_error *err)
{
    const tbl_column *col = &tb->cols[c];
    if (v->is_null) {
        if (col->not_null)
            return err_set(err, ENG_E_CONSTRAINT,
                           "NULL value in column \"%s\" of table \"%s\" violates its NOT NULL "
                           "constraint",
                           col->name, tb->name);
        return 0;
    }
    if (val_is_string(col->type.id))
        return val_check_width(&v->u.s, col->type.width, col->name, err);
    return 0;
}

/* Adds rows [first, first + n) to every index of the table, checking uniqueness. */
static int exec_index_rows(tbl_table *tb, txn *t, uint64_t first, uint64_t n, eng_error *err)
{
    for (uint64_t r = first; r < first + n; r++)
        for (uint32_t k = 0; k < tb->nkeys; k++)
            if (idx_add(tb->keys[k].index, tb, r, t, true, err) != 0)
                return -1;
    return 0;
}

int exec_append_rows(tbl_table *tb, txn *t, const eng_value *values, uint32_t nrows,
                     const bool *copy, uint64_t *first_out, eng_error *err)
{
    if (nrows == 0)
        return 0;
    pthread_mutex_lock(&tb->append_lock);
    uint64_t first;
    int rc = tbl_append_reserve(tb, nrows, &first, err);
    for (size_t i = 0; rc == 0 && i < (size_t)nrows * tb->ncols; i++) {
        uint32_t c = (uint32_t)(i % tb->ncols);
        eng_value v = values[i];
        if (!v.is_null && val_is_string(v.type) && v.u.s.len > 0 && (!copy || copy[c])) {
            v.u.s.ptr = tbl_heap_copy(tb, v.u.s.ptr, v.u.s.len);
            if (!v.u.s.ptr)
                rc = err_set(err, ENG_E_NOMEM, "out of memory storing a string");
        }
        if (rc == 0)
            tbl_store(tb, first + i / tb->ncols, c, &v);
    }
    if (rc == 0) {
        for (uint32_t r = 0; r < nrows; r++)
            tbl_set_ins(tb, first + r, t->id);
        tbl_append_publish(tb, first + nrows);
    }
    pthread_mutex_unlock(&tb->append_lock);
    if (rc != 0)
        return -1;
    if (txn_add_op(t, TXOP_INSERT, tb, first, nrows) != 0) {
        for (uint32_t r = 0; r < nrows; r++)
            tbl_set_ins(tb, first + r, STAMP_NONE);
        return err_set(err, ENG_E_NOMEM, "out of memory recording an insert");
    }
    /* The rows are in the write set now, so a key violation is undone with them. */
    if (first_out) {
        *first_out = first; /* the caller indexes them when the statement is done */
        return 0;
    }
    return exec_index_rows(tb, t, first, nrows, err);
}

/* Appends rows sel[0..n) (sel NULL: 0..n) of cols[map[c]] for each table column c. */
static int exec_insert_rows(eng_stmt *st, txn *t, tbl_table *tb, const ev_vec *cols,
                            const uint32_t *map, const uint32_t *sel, uint32_t n, eng_error *err)
{
    arena_reset(&st->chunk_arena);
    eng_value *vals = arena_alloc(&st->chunk_arena, (size_t)n * tb->ncols * sizeof *vals);
    if (!vals)
        return err_set(err, ENG_E_NOMEM, "out of memory inserting into \"%s\"", tb->name);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t row = sel ? sel[i] : i;
        for (uint32_t c = 0; c < tb->ncols; c++) {
            eng_value *v = &vals[(size_t)i * tb->ncols + c];
            ev_get(&cols[map ? map[c] : c], row, v);
            if (exec_check_value(tb, c, v, err) != 0)
                return -1;
        }
    }
    return exec_append_rows(tb, t, vals, n, NULL, NULL, err);
}

static bool exec_reads_table(const plan_select *src, const tbl_table *tb)
{
    for (uint32_t i = 0; i < src->ntables; i++)
        if (src->tables[i] == tb)
            return true;
    return false;
}

/* Appends the rows a query produces (its result columns are the table's, in order). A
 * query that reads the table itself is run to its end first, its rows kept in a buffer
 * counted against the query's memory: otherwise a part of it that opens later (a UNION's
 * second branch, a subquery run again) would read rows the statement already appended. */
static int exec_insert_query(eng_stmt *st, txn *t, tbl_table *tb, const plan_select *src,
                             int64_t *count, eng_error *err)
{
    ex_run *run;
    int rc =
        ex_run_start(st->session, src, NULL, src->root, src->nsubqueries, t, st->params, &run, err);
    bool buffer = exec_reads_table(src, tb);
    colbuf cb;
    bool cb_ready = false;
    *count = 0;
    while (rc == 0) {
        ex_batch b;
        int got = ex_next(run->root, &b, err);
        if (got < 0)
            rc = ex_run_error(run, err);
        if (got <= 0)
            break;
        if (!buffer) {
            rc = exec_insert_rows(st, t, tb, b.cols, src->out_pos, b.sel, b.n, err);
        } else {
            if (!cb_ready) {
                eng_type *types = arena_alloc(&st->exec_arena, tb->ncols * sizeof *types);
                if (!types)
                    rc = err_set(err, ENG_E_NOMEM, "out of memory inserting into \"%s\"", tb->name);
                for (uint32_t c = 0; rc == 0 && c < tb->ncols; c++)
                    types[c] = b.cols[src->out_pos[c]].type;
                if (rc == 0)
                    rc = cb_init(&cb, tb->ncols, types, &run->mem, &run->arena, err);
                cb_ready = rc == 0;
            }
            if (rc == 0)
                rc = cb_append(&cb, b.cols, src->out_pos, b.sel, b.n, err);
        }
        *count += b.n;
    }
    ev_vec *cols = cb_ready ? arena_alloc(&st->exec_arena, tb->ncols * sizeof *cols) : NULL;
    if (cb_ready && !cols && rc == 0)
        rc = err_set(err, ENG_E_NOMEM, "out of memory inserting into \"%s\"", tb->name);
    for (uint64_t off = 0; rc == 0 && cb_ready && off < cb.n; off += TBL_SEG_ROWS) {
        for (uint32_t c = 0; c < tb->ncols; c++)
            cb_view(&cb, c, off, &cols[c]);
        uint32_t n = (uint32_t)(cb.n - off < TBL_SEG_ROWS ? cb.n - off : TBL_SEG_ROWS);
        rc = exec_insert_rows(st, t, tb, cols, NULL, NULL, n, err);
    }
    if (cb_ready)
        cb_free(&cb);
    if (run && rc != 0 && qmem_exceeded(&run->mem))
        ex_run_error(run, err);
    ex_run_free(run);
    return rc;
}

int exec_insert(eng_stmt *st, txn *t, eng_error *err)
{
    plan_insert *pi = &st->plan.u.insert;
    tbl_table *tb = pi->table;
    if (pi->source.root) {
        int64_t count;
        if (exec_insert_query(st, t, tb, &pi->source, &count, err) != 0)
            return -1;
        st->row_count = count;
        return 0;
    }
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
    if (exec_append_rows(tb, t, vals, pi->nrows, NULL, NULL, err) != 0)
        return -1;
    st->row_count = pi->nrows;
    return 0;
}

/* Claims rows [sel] of the segment at `base` for t; 40001 if any is taken. */
static int exec_claim(eng_db *db, tbl_table *tb, txn *t, uint64_t base, const uint32_t *sel,
                      uint32_t n, eng_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        int rc = db_claim_row(db, tb, t, base + sel[i]);
        if (rc > 0)
            return err_set(err, ENG_E_CONFLICT,
                           "Transaction conflict: a row of table \"%s\" was updated or deleted "
                           "by a concurrent transaction; roll back and retry",
                           tb->name);
        if (rc < 0)
            return err_set(err, ENG_E_NOMEM, "out of memory recording a change");
    }
    return 0;
}

/* The scan both UPDATE and DELETE start with: visible rows of the segment, filtered. With
 * subqueries in the statement, ctx carries their state. */
static uint32_t exec_next_targets(eng_stmt *st, scan_state *sc, const bexpr *where, ex_ctx *ctx,
                                  ev_vec *cols, uint32_t *sel, uint64_t *base, eng_error *err,
                                  int *rc)
{
    for (;;) {
        arena_reset(&st->chunk_arena);
        uint32_t n = scan_next(sc, cols, sel, base);
        if (n == 0)
            return 0;
        if (where && ctx) {
            ex_batch b = {n, cols, sel};
            if (ex_filter_batch(where, ctx, &b, &st->chunk_arena, err) != 0) {
                *rc = -1;
                return 0;
            }
            memmove(sel, b.sel, b.n * sizeof *sel);
            n = b.n;
        } else if (where &&
                   exec_filter(where, cols, sel, &n, st->params, &st->chunk_arena, err) != 0) {
            *rc = -1;
            return 0;
        }
        if (n)
            return n;
    }
}

/* UPDATE and DELETE with subqueries run them in an execution context of their own. */
static int exec_write_run(eng_stmt *st, const txn *t, uint32_t nsubs, const pl_attr *attrs,
                          ex_run **run, eng_error *err)
{
    *run = NULL;
    if (!nsubs)
        return 0;
    return ex_run_start(st->session, NULL, attrs, NULL, nsubs, t, st->params, run, err);
}

static int exec_update_run(eng_stmt *st, txn *t, ex_ctx *ctx, eng_error *err);

int exec_update(eng_stmt *st, txn *t, eng_error *err)
{
    ex_run *run;
    int rc =
        exec_write_run(st, t, st->plan.u.update.nsubqueries, st->plan.u.update.attrs, &run, err);
    if (rc == 0)
        rc = exec_update_run(st, t, run ? &run->ctx : NULL, err);
    if (rc != 0 && run)
        ex_run_error(run, err);
    ex_run_free(run);
    return rc;
}

/* Rows a write statement changes, a segment's worth at a time: their positions and, for an
 * UPDATE, their new values. A statement with subqueries collects every batch before it
 * changes anything, so that its subqueries (and its own WHERE) never see its claims or its
 * new versions: DELETE FROM t WHERE EXISTS (SELECT ... FROM t ...) decides every row on
 * the table as it was. Without subqueries each batch is applied at once (the scan itself
 * never returns a row twice nor one the statement appended). */
typedef struct exec_targets {
    uint64_t base;
    uint32_t n;
    uint32_t *sel;
    eng_value *vals; /* UPDATE: n x ncols, or NULL */
    struct exec_targets *next;
} exec_targets;

typedef struct exec_changes {
    eng_stmt *st;
    txn *t;
    tbl_table *tb;
    const bool *fresh; /* UPDATE: columns whose strings are new (others share the heap) */
    struct exec_range {
        uint64_t first, count;
    } * added; /* UPDATE: each batch's new versions, indexed at the end */
    size_t nbatches, cap;
    int64_t count;
    exec_targets *pending, **tail;
} exec_changes;

static int exec_apply(exec_changes *ch, const exec_targets *b, eng_error *err)
{
    if (exec_claim(ch->st->session->db, ch->tb, ch->t, b->base, b->sel, b->n, err) != 0)
        return -1;
    ch->count += b->n;
    if (!b->vals)
        return 0;
    uint64_t first;
    if (exec_append_rows(ch->tb, ch->t, b->vals, b->n, ch->fresh, &first, err) != 0)
        return -1;
    if (ch->nbatches == ch->cap) {
        size_t ncap = ch->cap ? ch->cap * 2 : 8;
        struct exec_range *r = arena_alloc(&ch->st->exec_arena, ncap * sizeof *r);
        if (!r)
            return err_set(err, ENG_E_NOMEM, "out of memory updating \"%s\"", ch->tb->name);
        if (ch->nbatches)
            memcpy(r, ch->added, ch->nbatches * sizeof *r);
        ch->added = r;
        ch->cap = ncap;
    }
    ch->added[ch->nbatches++] = (struct exec_range){first, b->n};
    return 0;
}

/* Applies a batch now, or keeps it (in the statement's arena) until the scan is done. */
static int exec_change(exec_changes *ch, bool defer, uint64_t base, const uint32_t *sel, uint32_t n,
                       eng_value *vals, eng_error *err)
{
    exec_targets b = {base, n, (uint32_t *)sel, vals, NULL};
    if (!defer)
        return exec_apply(ch, &b, err);
    exec_targets *k = arena_alloc(&ch->st->exec_arena, sizeof *k);
    uint32_t *copy = arena_alloc(&ch->st->exec_arena, n * sizeof *copy);
    if (!k || !copy)
        return err_set(err, ENG_E_NOMEM, "out of memory changing table \"%s\"", ch->tb->name);
    memcpy(copy, sel, n * sizeof *copy);
    b.sel = copy;
    *k = b;
    *ch->tail = k;
    ch->tail = &k->next;
    return 0;
}

/* Applies what was kept, then indexes the new versions: keys are checked against the
 * statement's result (UPDATE t SET id = id + 1 moves every key), as SQL requires. */
static int exec_finish_changes(exec_changes *ch, eng_error *err)
{
    for (const exec_targets *b = ch->pending; b; b = b->next)
        if (exec_apply(ch, b, err) != 0)
            return -1;
    for (size_t i = 0; i < ch->nbatches; i++)
        if (exec_index_rows(ch->tb, ch->t, ch->added[i].first, ch->added[i].count, err) != 0)
            return -1;
    ch->st->row_count = ch->count;
    return 0;
}

static int exec_update_run(eng_stmt *st, txn *t, ex_ctx *ctx, eng_error *err)
{
    plan_update *pu = &st->plan.u.update;
    tbl_table *tb = pu->table;
    scan_state sc;
    if (scan_open(&sc, tb, t, &pu->lookup, st->params, &st->exec_arena, err) != 0)
        return -1;
    ev_vec *cols = arena_alloc(&st->exec_arena, tb->ncols * sizeof *cols);
    ev_vec *assigned = arena_alloc(&st->exec_arena, tb->ncols * sizeof *assigned);
    uint32_t *sel = arena_alloc(&st->exec_arena, TBL_SEG_ROWS * sizeof *sel);
    bool *fresh = arena_alloc(&st->exec_arena, tb->ncols * sizeof *fresh);
    if (!cols || !assigned || !sel || !fresh)
        return err_set(err, ENG_E_NOMEM, "out of memory updating table \"%s\"", tb->name);
    /* Unchanged strings of the new version share the old version's heap bytes. */
    for (uint32_t c = 0; c < tb->ncols; c++)
        fresh[c] = pu->values[c] != NULL;
    exec_changes ch = {.st = st, .t = t, .tb = tb, .fresh = fresh};
    ch.tail = &ch.pending;
    bool defer = ctx != NULL;
    /* Kept batches keep their new values, so those live in the statement's arena. */
    arena *a = defer ? &st->exec_arena : &st->chunk_arena;
    uint64_t base;
    uint32_t n;
    int rc = 0;
    while ((n = exec_next_targets(st, &sc, pu->where, ctx, cols, sel, &base, err, &rc)) > 0) {
        ev_input in = {cols, sel, st->params, ctx, NULL, NULL};
        for (uint32_t c = 0; c < tb->ncols; c++)
            if (pu->values[c] && ev_eval(pu->values[c], &in, n, a, &assigned[c], err) != 0)
                return -1;
        eng_value *vals = arena_alloc(a, (size_t)n * tb->ncols * sizeof *vals);
        if (!vals)
            return err_set(err, ENG_E_NOMEM, "out of memory updating table \"%s\"", tb->name);
        for (uint32_t i = 0; i < n; i++) {
            for (uint32_t c = 0; c < tb->ncols; c++) {
                eng_value *v = &vals[(size_t)i * tb->ncols + c];
                if (pu->values[c]) {
                    ev_get(&assigned[c], i, v);
                    if (exec_check_value(tb, c, v, err) != 0)
                        return -1;
                } else {
                    tbl_get(tb, base + sel[i], c, v);
                }
            }
        }
        if (exec_change(&ch, defer, base, sel, n, vals, err) != 0)
            return -1;
    }
    return rc != 0 ? -1 : exec_finish_changes(&ch, err);
}

static int exec_delete_run(eng_stmt *st, txn *t, ex_ctx *ctx, eng_error *err);

int exec_delete(eng_stmt *st, txn *t, eng_error *err)
{
    ex_run *run;
    int rc =
        exec_write_run(st, t, st->plan.u.delete_.nsubqueries, st->plan.u.delete_.attrs, &run, err);
    if (rc == 0)
        rc = exec_delete_run(st, t, run ? &run->ctx : NULL, err);
    if (rc != 0 && run)
        ex_run_error(run, err);
    ex_run_free(run);
    return rc;
}

static int exec_delete_run(eng_stmt *st, txn *t, ex_ctx *ctx, eng_error *err)
{
    plan_delete *pd = &st->plan.u.delete_;
    tbl_table *tb = pd->table;
    scan_state sc;
    if (scan_open(&sc, tb, t, &pd->lookup, st->params, &st->exec_arena, err) != 0)
        return -1;
    ev_vec *cols = arena_alloc(&st->exec_arena, tb->ncols * sizeof *cols);
    uint32_t *sel = arena_alloc(&st->exec_arena, TBL_SEG_ROWS * sizeof *sel);
    if (!cols || !sel)
        return err_set(err, ENG_E_NOMEM, "out of memory deleting from table \"%s\"", tb->name);
    exec_changes ch = {.st = st, .t = t, .tb = tb};
    ch.tail = &ch.pending;
    uint64_t base;
    uint32_t n;
    int rc = 0;
    while ((n = exec_next_targets(st, &sc, pd->where, ctx, cols, sel, &base, err, &rc)) > 0)
        if (exec_change(&ch, ctx != NULL, base, sel, n, NULL, err) != 0)
            return -1;
    return rc != 0 ? -1 : exec_finish_changes(&ch, err);
}

static int exec_find_column(const ast_create_table *ct, const tbl_column *cols, const char *name,
                            uint32_t *out, eng_error *err)
{
    for (uint32_t i = 0; i < ct->columns.n; i++) {
        if (strcasecmp(cols[i].name, name) == 0) {
            *out = i;
            return 0;
        }
    }
    return err_set(err, ENG_E_COLUMN_NOT_FOUND, "key column \"%s\" is not a column of \"%s\"", name,
                   ct->name);
}

/* Resolves PRIMARY KEY and UNIQUE definitions; key columns of a primary key become NOT
 * NULL. */
static int exec_keys(eng_stmt *st, const ast_create_table *ct, tbl_column *cols, tbl_key **out,
                     eng_error *err)
{
    tbl_key *keys = arena_alloc(&st->exec_arena, (ct->keys.n ? ct->keys.n : 1) * sizeof *keys);
    if (!keys)
        return err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", ct->name);
    bool have_primary = false;
    for (uint32_t k = 0; k < ct->keys.n; k++) {
        const ast_key_def *def = ct->keys.items[k];
        if (def->primary && have_primary)
            return err_set(err, ENG_E_SYNTAX,
                           "table \"%s\" has more than one PRIMARY KEY (position %u)", ct->name,
                           def->pos + 1);
        have_primary |= def->primary;
        keys[k].primary = def->primary;
        keys[k].ncols = def->columns.n;
        keys[k].cols = arena_alloc(&st->exec_arena, def->columns.n * sizeof *keys[k].cols);
        if (!keys[k].cols)
            return err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", ct->name);
        for (uint32_t i = 0; i < def->columns.n; i++) {
            if (exec_find_column(ct, cols, def->columns.items[i], &keys[k].cols[i], err) != 0)
                return -1;
            for (uint32_t j = 0; j < i; j++)
                if (keys[k].cols[j] == keys[k].cols[i])
                    return err_set(err, ENG_E_SYNTAX, "column \"%s\" appears twice in a key",
                                   cols[keys[k].cols[i]].name);
            if (def->primary)
                cols[keys[k].cols[i]].not_null = true;
        }
    }
    *out = keys;
    return 0;
}

/* A column from its definition, with its DEFAULT evaluated and converted. */
static int exec_column(eng_stmt *st, const ast_column_def *d, tbl_column *col, eng_error *err)
{
    *col = (tbl_column){(char *)d->name, d->type, d->not_null, false, {0}};
    if (!d->default_value)
        return 0;
    bexpr *e;
    if (bind_constant(d->default_value, d->type, &st->exec_arena, &e, err) != 0 ||
        ev_eval_scalar(e, NULL, &st->exec_arena, &col->default_value, err) != 0)
        return -1;
    if (!col->default_value.is_null && val_is_string(d->type.id) &&
        val_check_width(&col->default_value.u.s, d->type.width, d->name, err) != 0)
        return -1;
    col->has_default = true;
    return 0;
}

/* CREATE TABLE name AS query: the query's columns (names, types; all nullable), then its
 * rows. */
static int exec_create_as(eng_stmt *st, txn *t, const ast_create_table *ct, eng_error *err)
{
    cat_catalog *cat = &st->session->db->catalog;
    if (st->ast->nparams)
        return err_set(err, ENG_E_FEATURE,
                       "CREATE TABLE ... AS cannot take parameters; use CREATE TABLE and then "
                       "INSERT ... SELECT");
    if (ct->name[0] == '$')
        return err_set(err, ENG_E_SYNTAX, "table names starting with $ are reserved for Eider");
    if (ct->if_not_exists) {
        tbl_table *existing = cat_find(cat, ct->name, t);
        if (existing) {
            tbl_unref(existing);
            return 0;
        }
    }
    plan_select ps;
    if (bind_query_plan(ct->as, st->sql, cat, t, &st->exec_arena, &ps, err) != 0)
        return -1;
    int rc = 0;
    tbl_column *cols = arena_alloc(&st->exec_arena, (ps.ncols ? ps.ncols : 1) * sizeof *cols);
    if (!cols)
        rc = err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", ct->name);
    for (uint32_t i = 0; rc == 0 && i < ps.ncols; i++) {
        cols[i] = (tbl_column){(char *)ps.cols[i].name, ps.cols[i].type, false, false, {0}};
        if (val_is_string(cols[i].type.id) && cols[i].type.width == 0)
            cols[i].type.width = ENG_VARCHAR_MAX;
        for (uint32_t j = 0; j < i; j++)
            if (strcasecmp(cols[j].name, cols[i].name) == 0)
                rc = err_set(err, ENG_E_COLUMN_EXISTS,
                             "the query gives two columns the name \"%s\"; name them apart "
                             "with AS",
                             cols[i].name);
    }
    if (rc == 0)
        rc = cat_create_table(cat, t, ct->name, ps.ncols, cols, 0, NULL, err);
    tbl_table *tb = rc == 0 ? cat_find(cat, ct->name, t) : NULL;
    if (rc == 0 && !tb)
        rc = err_set(err, ENG_E_GENERAL, "table \"%s\" vanished while being created", ct->name);
    int64_t count = 0;
    if (rc == 0)
        rc = exec_insert_query(st, t, tb, &ps, &count, err);
    if (rc == 0)
        st->row_count = count;
    tbl_unref(tb);
    plan_select_release(&ps);
    return rc;
}

static int exec_create_plain(eng_stmt *st, txn *t, const ast_create_table *ct, eng_error *err);

int exec_create_table(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_create_table *ct = &st->ast->u.create_table;
    if (view_exists(&st->session->db->catalog, t, ct->name))
        return ct->if_not_exists ? 0
                                 : err_set(err, ENG_E_TABLE_EXISTS,
                                           "a view named \"%s\" already exists", ct->name);
    int rc = ct->as ? exec_create_as(st, t, ct, err) : exec_create_plain(st, t, ct, err);
    if (rc != 0)
        return rc;
    /* A view of the same name: looked for again now that our table exists, so that of a
     * CREATE TABLE and a CREATE VIEW running concurrently at least one sees the other. */
    tbl_table *made = cat_find(&st->session->db->catalog, ct->name, t);
    bool ours = made && __atomic_load_n(&made->created, __ATOMIC_ACQUIRE) == t->id;
    tbl_unref(made);
    return ours ? view_name_free(&st->session->db->catalog, t, ct->name, err) : 0;
}

static int exec_create_plain(eng_stmt *st, txn *t, const ast_create_table *ct, eng_error *err)
{
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
        if (exec_column(st, d, &cols[i], err) != 0)
            return -1;
    }
    if (ct->name[0] == '$')
        return err_set(err, ENG_E_SYNTAX, "table names starting with $ are reserved for Eider");
    tbl_key *keys = NULL;
    if (exec_keys(st, ct, cols, &keys, err) != 0)
        return -1;
    if (ct->if_not_exists) {
        tbl_table *existing = cat_find(&st->session->db->catalog, ct->name, t);
        if (existing) {
            tbl_unref(existing);
            return 0;
        }
    }
    return cat_create_table(&st->session->db->catalog, t, ct->name, n, cols, ct->keys.n, keys, err);
}

int exec_drop_table(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_drop_table *dt = &st->ast->u.drop_table;
    cat_catalog *cat = &st->session->db->catalog;
    tbl_table *tb = bind_find_table(cat, dt->name, t);
    if (!tb && view_exists(cat, t, dt->name))
        return err_set(err, ENG_E_TABLE_NOT_FOUND, "\"%s\" is a view: drop it with DROP VIEW",
                       dt->name);
    if (!tb)
        return dt->if_exists
                   ? 0
                   : err_set(err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", dt->name);
    int rc = cat_drop_table(cat, t, tb, false, err);
    tbl_unref(tb);
    return rc;
}

/* The columns and keys of the table an ALTER TABLE makes: map[i] is the old column that
 * new column i copies, or -1 for the added one. Keys that use a dropped column go with it
 * (as in PostgreSQL). */
static int exec_altered_schema(eng_stmt *st, const tbl_table *tb, tbl_column **cols_out,
                               uint32_t *ncols_out, tbl_key **keys_out, uint32_t *nkeys_out,
                               int32_t **map_out, eng_error *err)
{
    const ast_alter_table *at = &st->ast->u.alter_table;
    arena *a = &st->exec_arena;
    uint32_t n = tb->ncols + (at->add ? 1 : 0);
    tbl_column *cols = arena_alloc(a, n * sizeof *cols);
    int32_t *map = arena_alloc(a, n * sizeof *map);
    int32_t *newpos = arena_alloc(a, tb->ncols * sizeof *newpos);
    tbl_key *keys = arena_alloc(a, (tb->nkeys ? tb->nkeys : 1) * sizeof *keys);
    if (!cols || !map || !newpos || !keys)
        return err_set(err, ENG_E_NOMEM, "out of memory altering table \"%s\"", tb->name);
    uint32_t k = 0;
    bool found = false;
    for (uint32_t c = 0; c < tb->ncols; c++) {
        newpos[c] = -1;
        if (at->drop_column && strcasecmp(tb->cols[c].name, at->drop_column) == 0) {
            found = true;
            continue;
        }
        if (at->add && strcasecmp(tb->cols[c].name, at->add->name) == 0)
            return err_set(err, ENG_E_COLUMN_EXISTS,
                           "column \"%s\" already exists in table "
                           "\"%s\"",
                           at->add->name, tb->name);
        newpos[c] = (int32_t)k;
        map[k] = (int32_t)c;
        cols[k++] = tb->cols[c];
    }
    if (at->drop_column && !found)
        return err_set(err, ENG_E_COLUMN_NOT_FOUND, "column \"%s\" not found in table \"%s\"",
                       at->drop_column, tb->name);
    if (k == 0)
        return err_set(err, ENG_E_SYNTAX,
                       "cannot drop \"%s\", the only column of table \"%s\"; drop the table "
                       "instead",
                       at->drop_column, tb->name);
    if (at->add) {
        if (exec_column(st, at->add, &cols[k], err) != 0)
            return -1;
        map[k++] = -1;
    }
    uint32_t nkeys = 0;
    for (uint32_t i = 0; i < tb->nkeys; i++) {
        const tbl_key *key = &tb->keys[i];
        uint32_t *kc = arena_alloc(a, key->ncols * sizeof *kc);
        if (!kc)
            return err_set(err, ENG_E_NOMEM, "out of memory altering table \"%s\"", tb->name);
        bool keep = true;
        for (uint32_t j = 0; j < key->ncols && keep; j++) {
            keep = newpos[key->cols[j]] >= 0;
            kc[j] = keep ? (uint32_t)newpos[key->cols[j]] : 0;
        }
        if (keep)
            keys[nkeys++] = (tbl_key){key->primary, key->ncols, kc, NULL};
    }
    *cols_out = cols;
    *ncols_out = k;
    *keys_out = keys;
    *nkeys_out = nkeys;
    *map_out = map;
    return 0;
}

/* Copies the rows of `from` that t sees into `to`, column i from map[i] (or the new
 * column's default when map[i] is -1). */
static int exec_copy_rows(eng_stmt *st, txn *t, tbl_table *from, tbl_table *to, const int32_t *map,
                          eng_error *err)
{
    scan_state sc;
    if (scan_open(&sc, from, t, NULL, NULL, &st->exec_arena, err) != 0)
        return -1;
    ev_vec *cols = arena_alloc(&st->exec_arena, from->ncols * sizeof *cols);
    uint32_t *sel = arena_alloc(&st->exec_arena, TBL_SEG_ROWS * sizeof *sel);
    if (!cols || !sel)
        return err_set(err, ENG_E_NOMEM, "out of memory altering table \"%s\"", from->name);
    uint64_t base;
    uint32_t n;
    while ((n = scan_next(&sc, cols, sel, &base)) > 0) {
        arena_reset(&st->chunk_arena);
        eng_value *vals = arena_alloc(&st->chunk_arena, (size_t)n * to->ncols * sizeof *vals);
        if (!vals)
            return err_set(err, ENG_E_NOMEM, "out of memory altering \"%s\"", from->name);
        for (uint32_t i = 0; i < n; i++) {
            for (uint32_t c = 0; c < to->ncols; c++) {
                eng_value *v = &vals[(size_t)i * to->ncols + c];
                if (map[c] >= 0) {
                    tbl_get(from, base + sel[i], (uint32_t)map[c], v);
                    continue;
                }
                *v = to->cols[c].has_default
                         ? to->cols[c].default_value
                         : (eng_value){.type = to->cols[c].type.id, .is_null = true};
                if (exec_check_value(to, c, v, err) != 0)
                    return -1;
            }
        }
        if (exec_append_rows(to, t, vals, n, NULL, NULL, err) != 0)
            return -1;
    }
    return 0;
}

int exec_alter_table(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_alter_table *at = &st->ast->u.alter_table;
    cat_catalog *cat = &st->session->db->catalog;
    tbl_table *tb = bind_find_table(cat, at->table, t);
    if (!tb)
        return err_set(err, ENG_E_TABLE_NOT_FOUND, "table \"%s\" does not exist", at->table);
    tbl_column *cols = NULL;
    tbl_key *keys = NULL;
    uint32_t ncols = 0, nkeys = 0;
    int32_t *map = NULL;
    int rc = 0;
    if (__atomic_load_n(&tb->last_write, __ATOMIC_ACQUIRE) > t->start)
        rc = err_set(err, ENG_E_CONFLICT,
                     "Transaction conflict: table \"%s\" was changed by a transaction that "
                     "committed after this one began; roll back and retry",
                     tb->name);
    if (rc == 0)
        rc = exec_altered_schema(st, tb, &cols, &ncols, &keys, &nkeys, &map, err);
    /* Replace the table inside this transaction: others keep the old one until we commit;
     * their changes to it after that fail with 40001 instead of being lost. */
    if (rc == 0)
        rc = cat_drop_table(cat, t, tb, true, err);
    if (rc == 0)
        rc = cat_create_table(cat, t, tb->name, ncols, cols, nkeys, keys, err);
    tbl_table *nt = rc == 0 ? cat_find(cat, tb->name, t) : NULL;
    if (rc == 0 && !nt)
        rc = err_set(err, ENG_E_GENERAL, "table \"%s\" vanished while being altered", tb->name);
    if (rc == 0)
        rc = exec_copy_rows(st, t, tb, nt, map, err);
    tbl_unref(nt);
    tbl_unref(tb);
    return rc;
}
