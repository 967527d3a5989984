/*
 * Window functions (ROW_NUMBER, RANK, DENSE_RANK, and aggregates OVER a window). Opening
 * buffers the input with each function's partition keys, order keys and argument as
 * extra columns. Per function, the rows are ordered by partition and order keys, and a
 * walk over that order fills the function's result for every row: numbering restarts
 * at each partition; RANK gives peers (rows equal on the order keys) the number of the
 * first of them; an aggregate covers the whole partition without ORDER BY, and the rows up
 * to the current one and its peers with it (ROWS: up to the current row alone). Then the
 * rows are handed out in their input order with the results appended.
 */
#include "exec_int.h"

#include "errors.h"
#include "ev_int.h"

#include <string.h>

typedef struct win_cols {
    uint32_t part, npart;   /* first buffer column of the partition keys, and how many */
    uint32_t order, norder; /* of the order keys */
    uint32_t arg;           /* the aggregate's argument, or UINT32_MAX */
} win_cols;

typedef struct window_st {
    colbuf rows; /* the input's columns, then every function's keys and arguments */
    uint32_t nin;
    win_cols *wc;
    ev_vec *results; /* per function: one value per row, in input order */
    uint64_t next;
    arena a;
} window_st;

static int win_nomem(ex_node *n, eng_error *err)
{
    if (qmem_exceeded(n->ctx->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached in a window function");
    return err_set(err, ENG_E_NOMEM, "out of memory in a window function");
}

/* Are buffered rows a and b equal on columns [first, first + n) (NULLs equal)? */
static bool win_same(const colbuf *cb, uint32_t first, uint32_t n, uint64_t a, uint64_t b)
{
    for (uint32_t c = first; c < first + n; c++) {
        ev_vec v;
        cb_view(cb, c, 0, &v);
        bool na = v.nulls[a], nb = v.nulls[b];
        if (na != nb || (!na && ev_compare_rows(&v, (uint32_t)a, &v, (uint32_t)b) != 0))
            return false;
    }
    return true;
}

/* The buffer's column types: the input's, then each function's key and argument types. */
static int win_layout(ex_node *n, window_st *st, eng_type **types_out, uint32_t *ncols_out,
                      eng_error *err)
{
    const pl_node *pl = n->pl;
    uint32_t nf = pl->u.window.nfuncs, total = st->nin;
    for (uint32_t f = 0; f < nf; f++) {
        const pl_window *w = &pl->u.window.funcs[f];
        total += w->npartition + w->norder + (w->agg.arg ? 1 : 0);
    }
    eng_type *types = arena_alloc(&st->a, (total ? total : 1) * sizeof *types);
    st->wc = arena_alloc(&st->a, (nf ? nf : 1) * sizeof *st->wc);
    if (!types || !st->wc)
        return win_nomem(n, err);
    for (uint32_t c = 0; c < st->nin; c++)
        types[c] = ex_layout_type(n->ctx, pl->child, c);
    uint32_t at = st->nin;
    for (uint32_t f = 0; f < nf; f++) {
        const pl_window *w = &pl->u.window.funcs[f];
        win_cols *wc = &st->wc[f];
        wc->part = at;
        wc->npart = w->npartition;
        for (uint32_t k = 0; k < w->npartition; k++)
            types[at++] = w->partition[k]->type;
        wc->order = at;
        wc->norder = w->norder;
        for (uint32_t k = 0; k < w->norder; k++)
            types[at++] = w->order[k].expr->type;
        wc->arg = UINT32_MAX;
        if (w->agg.arg) {
            wc->arg = at;
            types[at++] = w->agg.arg->type;
        }
    }
    *types_out = types;
    *ncols_out = total;
    return 0;
}

static int win_consume(ex_node *n, window_st *st, uint32_t ncols, eng_error *err)
{
    const pl_node *pl = n->pl;
    ev_vec *vecs = arena_alloc(&st->a, (ncols ? ncols : 1) * sizeof *vecs);
    if (!vecs)
        return win_nomem(n, err);
    for (;;) {
        ex_batch b;
        int rc = ex_next(n->child, &b, err);
        if (rc <= 0)
            return rc;
        arena_reset(&n->scratch);
        if (ex_densify(&b, st->nin, &n->scratch, err) != 0)
            return -1;
        memcpy(vecs, b.cols, st->nin * sizeof *vecs);
        ev_input in = ex_input(n, &b);
        for (uint32_t f = 0; f < pl->u.window.nfuncs; f++) {
            const pl_window *w = &pl->u.window.funcs[f];
            const win_cols *wc = &st->wc[f];
            for (uint32_t k = 0; k < w->npartition; k++)
                if (ev_eval(w->partition[k], &in, b.n, &n->scratch, &vecs[wc->part + k], err))
                    return -1;
            for (uint32_t k = 0; k < w->norder; k++)
                if (ev_eval(w->order[k].expr, &in, b.n, &n->scratch, &vecs[wc->order + k], err))
                    return -1;
            if (w->agg.arg && ev_eval(w->agg.arg, &in, b.n, &n->scratch, &vecs[wc->arg], err))
                return -1;
        }
        if (cb_append(&st->rows, vecs, NULL, NULL, b.n, err) != 0)
            return -1;
    }
}

/* Feeds rows perm[from, to) into group `pid` of an aggregate state. */
static int win_feed(ex_node *n, window_st *st, agg_state *s, const win_cols *wc,
                    const uint64_t *perm, uint64_t from, uint64_t to, uint32_t pid, eng_error *err)
{
    uint32_t *ids = arena_alloc_raw(&n->scratch, ENG_VECTOR_SIZE * sizeof *ids);
    if (!ids)
        return win_nomem(n, err);
    for (uint32_t i = 0; i < ENG_VECTOR_SIZE; i++)
        ids[i] = pid;
    if (agg_grow(s, (uint64_t)pid + 1, err) != 0)
        return -1;
    for (uint64_t at = from; at < to; at += ENG_VECTOR_SIZE) {
        uint32_t m = to - at < ENG_VECTOR_SIZE ? (uint32_t)(to - at) : ENG_VECTOR_SIZE;
        ev_vec arg;
        if (wc->arg != UINT32_MAX &&
            cb_gather(&st->rows, wc->arg, perm + at, m, &n->scratch, &arg, err) != 0)
            return -1;
        if (agg_update(s, ids, wc->arg != UINT32_MAX ? &arg : NULL, NULL, m, &n->scratch, err) != 0)
            return -1;
    }
    return 0;
}

/* Computes function f for every row into st->results[f]. */
static int win_compute(ex_node *n, window_st *st, uint32_t f, uint64_t *perm, eng_error *err)
{
    const pl_window *w = &n->pl->u.window.funcs[f];
    const win_cols *wc = &st->wc[f];
    uint64_t count = st->rows.n;
    ex_sort_key *keys = arena_alloc(&n->scratch, (wc->npart + wc->norder + 1) * sizeof *keys);
    if (!keys)
        return win_nomem(n, err);
    for (uint32_t k = 0; k < wc->npart; k++)
        cb_view(&st->rows, wc->part + k, 0, &keys[k].col);
    for (uint32_t k = 0; k < wc->norder; k++) {
        cb_view(&st->rows, wc->order + k, 0, &keys[wc->npart + k].col);
        keys[wc->npart + k].desc = w->order[k].desc;
        keys[wc->npart + k].nulls_first = w->order[k].nulls_first;
    }
    for (uint64_t i = 0; i < count; i++)
        perm[i] = i;
    ex_sort_perm(perm, count, keys, wc->npart + wc->norder);
    ev_vec *res = &st->results[f];
    agg_state s;
    bool is_agg = w->fn == WIN_AGG;
    if (is_agg && agg_init(&s, &w->agg, n->ctx->mem, &st->a, err) != 0)
        return -1;
    bool whole = w->norder == 0 || w->frame == AST_FRAME_ALL;
    int rc = 0;
    uint32_t pid = 0;
    for (uint64_t start = 0; start < count && rc == 0; pid++) {
        uint64_t end = start + 1; /* the partition: perm[start, end) */
        while (end < count && win_same(&st->rows, wc->part, wc->npart, perm[start], perm[end]))
            end++;
        if (is_agg && whole)
            rc = win_feed(n, st, &s, wc, perm, start, end, pid, err);
        int64_t rank = 0, dense = 0;
        for (uint64_t i = start; i < end && rc == 0;) {
            uint64_t peer_end = i + 1; /* peers: perm[i, peer_end) */
            if (w->frame != AST_FRAME_ROWS_RUNNING || w->fn != WIN_AGG)
                while (peer_end < end &&
                       win_same(&st->rows, wc->order, wc->norder, perm[i], perm[peer_end]))
                    peer_end++;
            dense++;
            rank = (int64_t)(i - start) + 1;
            if (is_agg && !whole)
                rc = win_feed(n, st, &s, wc, perm, i, peer_end, pid, err);
            for (uint64_t k = i; k < peer_end && rc == 0; k++) {
                eng_value v = {.type = ENG_TYPE_BIGINT};
                if (w->fn == WIN_ROW_NUMBER)
                    v.u.i = (int64_t)(k - start) + 1;
                else if (w->fn == WIN_RANK)
                    v.u.i = rank;
                else if (w->fn == WIN_DENSE_RANK)
                    v.u.i = dense;
                else
                    agg_value(&s, pid, &v);
                if (v.type == ENG_TYPE_NULL) {
                    rc = err_set(err, ENG_E_OUT_OF_RANGE, "a window SUM is out of range");
                    break;
                }
                ev_put(res, (uint32_t)perm[k], &v);
            }
            i = peer_end;
            arena_reset(&n->scratch);
        }
        start = end;
    }
    if (is_agg)
        agg_free(&s);
    return rc;
}

int ex_window_open(ex_node *n, eng_error *err)
{
    const pl_node *pl = n->pl;
    window_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return win_nomem(n, err);
    memset(st, 0, sizeof *st);
    n->st = st;
    arena_init_counted(&st->a, 16 * 1024, n->ctx->mem);
    st->nin = pl->child->nlayout;
    eng_type *types = NULL;
    uint32_t ncols = 0;
    if (win_layout(n, st, &types, &ncols, err) != 0 ||
        cb_init(&st->rows, ncols, types, n->ctx->mem, &st->a, err) != 0 ||
        ex_open(n->child, err) != 0 || win_consume(n, st, ncols, err) != 0)
        return -1;
    uint32_t nf = pl->u.window.nfuncs;
    uint64_t count = st->rows.n;
    st->results = arena_alloc(&st->a, (nf ? nf : 1) * sizeof *st->results);
    uint64_t *perm = qmem_alloc(n->ctx->mem, (count ? count : 1) * sizeof *perm);
    if (!st->results || !perm)
        return win_nomem(n, err);
    int rc = 0;
    for (uint32_t f = 0; f < nf && rc == 0; f++) {
        eng_type t = n->ctx->attrs[pl->attrs[pl->nattrs - nf + f]].type;
        ev_vec *r = &st->results[f];
        r->type = t;
        r->data = arena_alloc_raw(&st->a, (count ? count : 1) * ev_width(t.id));
        r->nulls = arena_alloc(&st->a, count ? count : 1);
        rc = r->data && r->nulls ? win_compute(n, st, f, perm, err) : win_nomem(n, err);
    }
    qmem_free(n->ctx->mem, perm, (count ? count : 1) * sizeof *perm);
    return rc;
}

int ex_window_next(ex_node *n, ex_batch *out, eng_error *err)
{
    window_st *st = n->st;
    if (st->next >= st->rows.n)
        return 0;
    uint32_t nf = n->pl->u.window.nfuncs;
    uint64_t left = st->rows.n - st->next;
    uint32_t m = left < ENG_VECTOR_SIZE ? (uint32_t)left : ENG_VECTOR_SIZE;
    ev_vec *cols = arena_alloc_raw(&n->scratch, (st->nin + nf) * sizeof *cols);
    if (!cols)
        return win_nomem(n, err);
    for (uint32_t c = 0; c < st->nin; c++)
        cb_view(&st->rows, c, st->next, &cols[c]);
    for (uint32_t f = 0; f < nf; f++) {
        const ev_vec *r = &st->results[f];
        size_t w = ev_width(r->type.id);
        cols[st->nin + f] = (ev_vec){r->type, (char *)r->data + st->next * w, r->nulls + st->next};
    }
    st->next += m;
    *out = (ex_batch){m, cols, NULL};
    return 1;
}

void ex_window_close(ex_node *n)
{
    window_st *st = n->st;
    cb_free(&st->rows);
    arena_free(&st->a);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
