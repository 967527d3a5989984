/*
 * The executor's tree: building ex_node's from plan nodes, and the pull protocol (open,
 * next, close) dispatched by node kind. Helpers every operator uses live here too.
 */
#include "exec_int.h"

#include "errors.h"

#include <string.h>

int ex_build(const pl_node *pl, ex_ctx *ctx, ex_node **out, eng_error *err)
{
    ex_node *n = arena_alloc(ctx->arena, sizeof *n);
    if (!n)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a query");
    n->pl = pl;
    n->ctx = ctx;
    arena_init_counted(&n->scratch, 64 * 1024, ctx->mem);
    *out = n;
    if (pl->child && ex_build(pl->child, ctx, &n->child, err) != 0)
        return -1;
    if (pl->right && ex_build(pl->right, ctx, &n->right, err) != 0)
        return -1;
    return 0;
}

static void ex_close_self(ex_node *n)
{
    switch (n->pl->kind) {
    case PL_SCAN:
        ex_scan_close(n);
        break;
    case PL_ONE_ROW:
        break;
    case PL_FILTER:
        ex_filter_close(n);
        break;
    case PL_PROJECT:
        ex_project_close(n);
        break;
    case PL_AGG:
        ex_agg_close(n);
        break;
    case PL_SORT:
        ex_sort_close(n);
        break;
    case PL_LIMIT:
        ex_limit_close(n);
        break;
    case PL_JOIN:
        ex_join_close(n);
        break;
    case PL_SETOP:
        ex_setop_close(n);
        break;
    case PL_WINDOW:
        ex_window_close(n);
        break;
    case PL_ROWS:
        ex_rows_close(n);
        break;
    }
    n->st = NULL;
}

int ex_open(ex_node *n, eng_error *err)
{
    if (n->st)
        ex_close_self(n);
    arena_reset(&n->scratch);
    switch (n->pl->kind) {
    case PL_SCAN:
        return ex_scan_open(n, err);
    case PL_ONE_ROW:
        n->st = NULL;
        return 0;
    case PL_FILTER:
        return ex_filter_open(n, err);
    case PL_PROJECT:
        return ex_project_open(n, err);
    case PL_AGG:
        return ex_agg_open(n, err);
    case PL_SORT:
        return ex_sort_open(n, err);
    case PL_LIMIT:
        return ex_limit_open(n, err);
    case PL_JOIN:
        return ex_join_open(n, err);
    case PL_SETOP:
        return ex_setop_open(n, err);
    case PL_WINDOW:
        return ex_window_open(n, err);
    case PL_ROWS:
        return ex_rows_open(n, err);
    }
    return err_set(err, ENG_E_GENERAL, "unknown plan node %d", (int)n->pl->kind);
}

/* PL_ONE_ROW: one row of no columns, marked done through the scratch arena's state. */
static int ex_one_row_next(ex_node *n, ex_batch *out)
{
    static int done_marker;
    if (n->st)
        return 0;
    n->st = &done_marker;
    out->n = 1;
    out->cols = NULL;
    out->sel = NULL;
    return 1;
}

int ex_next(ex_node *n, ex_batch *out, eng_error *err)
{
    /* SQLCancel and timeouts (txn_stop): besides scans, every batch an operator pulls, so
     * a join of joins, which makes millions of rows per scanned vector, stops as promptly;
     * the statement turns the early end into its error. */
    if (n->ctx->t->stop && txn_stop_check(n->ctx->t->stop))
        return 0;
    arena_reset(&n->scratch);
    switch (n->pl->kind) {
    case PL_SCAN:
        return ex_scan_next(n, out, err);
    case PL_ONE_ROW:
        return ex_one_row_next(n, out);
    case PL_FILTER:
        return ex_filter_next(n, out, err);
    case PL_PROJECT:
        return ex_project_next(n, out, err);
    case PL_AGG:
        return ex_agg_next(n, out, err);
    case PL_SORT:
        return ex_sort_next(n, out, err);
    case PL_LIMIT:
        return ex_limit_next(n, out, err);
    case PL_JOIN:
        return ex_join_next(n, out, err);
    case PL_SETOP:
        return ex_setop_next(n, out, err);
    case PL_WINDOW:
        return ex_window_next(n, out, err);
    case PL_ROWS:
        return ex_rows_next(n, out, err);
    }
    return err_set(err, ENG_E_GENERAL, "unknown plan node %d", (int)n->pl->kind);
}

void ex_close(ex_node *n)
{
    if (!n)
        return;
    if (n->pl->kind != PL_ONE_ROW && n->st)
        ex_close_self(n);
    n->st = NULL;
    ex_close(n->child);
    ex_close(n->right);
    arena_free(&n->scratch);
}

eng_type ex_layout_type(const ex_ctx *ctx, const pl_node *pl, uint32_t c)
{
    return ctx->attrs[pl->layout[c]].type;
}

ev_input ex_input(const ex_node *n, const ex_batch *b)
{
    ev_input in = {b->cols, b->sel, n->ctx->params, n->ctx, NULL, NULL};
    return in;
}

int ex_const_int(ex_node *n, const bexpr *e, const char *what, int64_t *out, eng_error *err)
{
    *out = -1;
    if (!e)
        return 0;
    ev_input in = {NULL, NULL, n->ctx->params, n->ctx, NULL, NULL};
    ev_vec v;
    if (ev_eval(e, &in, 1, &n->scratch, &v, err) != 0)
        return -1;
    eng_value val;
    ev_get(&v, 0, &val);
    if (val.is_null)
        return 0;
    if (val.u.i < 0)
        return err_set(err, ENG_E_OUT_OF_RANGE, "%s must not be negative", what);
    *out = val.u.i;
    return 0;
}

int ex_filter_batch(const bexpr *pred, ex_ctx *ctx, ex_batch *b, arena *a, eng_error *err)
{
    ev_input in = {b->cols, b->sel, ctx->params, ctx, NULL, NULL};
    uint32_t *sel = arena_alloc_raw(a, (b->n ? b->n : 1) * sizeof *sel), kept;
    if (!sel)
        return err_set(err, ENG_E_NOMEM, "out of memory filtering rows");
    if (ev_select(pred, &in, b->n, sel, &kept, a, err) != 0)
        return -1;
    b->sel = sel;
    b->n = kept;
    return 0;
}

int ex_densify(ex_batch *b, uint32_t ncols, arena *a, eng_error *err)
{
    if (!b->sel)
        return 0;
    ev_vec *cols = arena_alloc_raw(a, (ncols ? ncols : 1) * sizeof *cols);
    if (!cols)
        return err_set(err, ENG_E_NOMEM, "out of memory");
    for (uint32_t c = 0; c < ncols; c++)
        if (ev_gather(&b->cols[c], b->sel, b->n, a, &cols[c], err) != 0)
            return -1;
    b->cols = cols;
    b->sel = NULL;
    return 0;
}
