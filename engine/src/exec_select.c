/*
 * SELECT execution: a pull pipeline of scan -> filter -> offset/limit -> projection, one
 * segment (up to ENG_VECTOR_SIZE rows) per fetch.
 *
 * The scan (scan.c) reads a segment's vectors in place and picks the rows visible to the
 * cursor's snapshot into a selection vector; the filter narrows the selection; the
 * projection evaluates the output expressions for the selected rows into dense vectors in
 * the chunk arena.
 */
#include "stmt.h"

#include "errors.h"

#include <string.h>

static int exec_limit_value(eng_stmt *st, const bexpr *e, const char *what, int64_t *out,
                            eng_error *err)
{
    eng_value v;
    if (ev_eval_scalar(e, st->params, &st->exec_arena, &v, err) != 0)
        return -1;
    if (v.is_null) {
        *out = -1;
        return 0;
    }
    if (v.u.i < 0)
        return err_set(err, ENG_E_OUT_OF_RANGE, "%s must not be negative", what);
    *out = v.u.i;
    return 0;
}

int exec_select_open(eng_stmt *st, const txn *t, eng_error *err)
{
    plan_select *ps = &st->plan.u.select;
    exec_cursor *c = &st->cursor;
    memset(c, 0, sizeof *c); /* holds is set by the caller once the cursor is open */
    if (ps->table &&
        scan_open(&c->scan, ps->table, t, &ps->lookup, st->params, &st->exec_arena, err) != 0)
        return -1;
    c->limit_left = -1;
    if (ps->limit && exec_limit_value(st, ps->limit, "LIMIT", &c->limit_left, err) != 0)
        return -1;
    if (ps->offset && exec_limit_value(st, ps->offset, "OFFSET", &c->offset_left, err) != 0)
        return -1;
    if (c->offset_left < 0)
        c->offset_left = 0;
    c->out = arena_alloc(&st->exec_arena, (ps->ncols ? ps->ncols : 1) * sizeof *c->out);
    if (!c->out)
        return err_set(err, ENG_E_NOMEM, "out of memory opening a cursor");
    c->chunk.ncols = ps->ncols;
    c->chunk.cols = c->out;
    c->open = true;
    return 0;
}

/* Keeps the rows where the predicate is TRUE. */
int exec_filter(const bexpr *where, const ev_vec *cols, uint32_t *sel, uint32_t *n,
                const eng_value *params, arena *a, eng_error *err)
{
    ev_input in = {cols, sel, params};
    ev_vec pred;
    if (ev_eval(where, &in, *n, a, &pred, err) != 0)
        return -1;
    const uint8_t *v = pred.data;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] && !(pred.nulls && pred.nulls[i]))
            sel[kept++] = sel[i];
    *n = kept;
    return 0;
}

int exec_select_next(eng_stmt *st, eng_error *err)
{
    plan_select *ps = &st->plan.u.select;
    exec_cursor *c = &st->cursor;
    arena *a = &st->chunk_arena;
    arena_reset(a);
    uint32_t ncols_in = ps->table ? ps->table->ncols : 0;
    ev_vec *cols = arena_alloc(a, (ncols_in ? ncols_in : 1) * sizeof *cols);
    uint32_t *sel = arena_alloc(a, TBL_SEG_ROWS * sizeof *sel);
    if (!cols || !sel)
        return err_set(err, ENG_E_NOMEM, "out of memory fetching rows");
    for (;;) {
        if (c->limit_left == 0)
            return 0;
        uint32_t n;
        uint64_t base;
        if (ps->table) {
            n = scan_next(&c->scan, cols, sel, &base);
        } else {
            n = c->one_row_done ? 0 : 1;
            c->one_row_done = true;
            sel[0] = 0;
        }
        if (n == 0)
            return 0;
        if (ps->where && exec_filter(ps->where, cols, sel, &n, st->params, a, err) != 0)
            return -1;
        uint32_t skip = c->offset_left < (int64_t)n ? (uint32_t)c->offset_left : n;
        c->offset_left -= skip;
        n -= skip;
        if (n == 0)
            continue;
        if (c->limit_left >= 0 && (int64_t)n > c->limit_left)
            n = (uint32_t)c->limit_left;
        if (c->limit_left >= 0)
            c->limit_left -= n;
        ev_input in = {cols, sel + skip, st->params};
        for (uint32_t i = 0; i < ps->ncols; i++) {
            ev_vec v;
            if (ev_eval(ps->exprs[i], &in, n, a, &v, err) != 0)
                return -1;
            c->out[i] = (eng_vector){ps->cols[i].type, v.data, v.nulls};
        }
        c->chunk.count = n;
        return 1;
    }
}
