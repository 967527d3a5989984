/*
 * Table scan operator: the rows of a table visible to the snapshot, a segment at a time,
 * handed out in place (the segment's vectors with a selection of visible rows), narrowed
 * by the filter pushed into the scan; or the rows an index lookup names.
 */
#include "exec_int.h"

#include "errors.h"
#include "scan.h"

typedef struct scan_st {
    scan_state sc;
    ev_vec *cols;
    uint32_t *sel;
    arena a; /* the lookup's candidates */
} scan_st;

int ex_scan_open(ex_node *n, eng_error *err)
{
    const tbl_table *tb = n->pl->u.scan.table;
    scan_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a scan of \"%s\"", tb->name);
    arena_init_counted(&st->a, 4096, n->ctx->mem);
    n->st = st;
    st->cols = arena_alloc(&st->a, (tb->ncols ? tb->ncols : 1) * sizeof *st->cols);
    st->sel = arena_alloc(&st->a, ENG_VECTOR_SIZE * sizeof *st->sel);
    if (!st->cols || !st->sel)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a scan of \"%s\"", tb->name);
    return scan_open(&st->sc, tb, n->ctx->t, &n->pl->u.scan.lookup, n->ctx->params, &st->a, err);
}

int ex_scan_next(ex_node *n, ex_batch *out, eng_error *err)
{
    scan_st *st = n->st;
    const bexpr *filter = n->pl->u.scan.filter;
    for (;;) {
        uint64_t base;
        uint32_t count = scan_next(&st->sc, st->cols, st->sel, &base);
        if (count == 0)
            return 0;
        ex_batch b = {count, st->cols, scan_dense(st->sel, count) ? NULL : st->sel};
        if (filter) {
            arena_reset(&n->scratch);
            if (ex_filter_batch(filter, n->ctx, &b, &n->scratch, err) != 0)
                return -1;
            if (b.n == 0)
                continue;
        }
        *out = b;
        return 1;
    }
}

void ex_scan_close(ex_node *n)
{
    scan_st *st = n->st;
    arena_free(&st->a);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
