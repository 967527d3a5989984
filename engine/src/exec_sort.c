/*
 * Sort operator (ORDER BY). Opening buffers the whole input, with the sort keys that are
 * not plain columns evaluated into extra buffer columns, then sorts a permutation of row
 * numbers; batches are gathered from the buffer in that order. With a LIMIT (top-N) the
 * buffer is cut back to the best offset + limit rows whenever it grows past twice that,
 * so memory stays proportional to the rows kept, not to the input.
 *
 * NULLs sort as larger than every value unless NULLS FIRST/LAST says otherwise.
 */
#include "exec_int.h"

#include "errors.h"
#include "ev_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct sort_st {
    colbuf rows;
    uint32_t nin;      /* the child's columns; sort keys that are expressions follow */
    uint32_t *key_col; /* buffer column of each key */
    uint64_t *perm;
    uint64_t perm_cap;
    uint64_t count, next;
    int64_t keep; /* top-N: rows worth keeping, or -1 */
    arena a;
} sort_st;

typedef struct sort_cmp_ctx {
    const ex_sort_key *keys;
    uint32_t nkeys;
} sort_cmp_ctx;

static int sort_cmp(const void *pa, const void *pb, void *arg)
{
    const sort_cmp_ctx *c = arg;
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    for (uint32_t k = 0; k < c->nkeys; k++) {
        const ex_sort_key *key = &c->keys[k];
        bool na = key->col.nulls[a], nb = key->col.nulls[b];
        if (na || nb) {
            if (na && nb)
                continue;
            return (na ? 1 : -1) * (key->nulls_first ? -1 : 1);
        }
        int r = ev_compare_rows(&key->col, (uint32_t)a, &key->col, (uint32_t)b);
        if (r)
            return key->desc ? -r : r;
    }
    return (a > b) - (a < b); /* equal keys keep input order */
}

static int sort_nomem(ex_node *n, eng_error *err)
{
    if (qmem_exceeded(n->ctx->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached while sorting");
    return err_set(err, ENG_E_NOMEM, "out of memory sorting");
}

void ex_sort_perm(uint64_t *perm, uint64_t n, const ex_sort_key *keys, uint32_t nkeys)
{
    sort_cmp_ctx c = {keys, nkeys};
    if (nkeys)
        qsort_r(perm, n, sizeof *perm, sort_cmp, &c);
}

/* Sorts the buffered rows into st->perm. */
static int sort_rows(ex_node *n, sort_st *st, eng_error *err)
{
    uint64_t count = st->rows.n;
    if (count > st->perm_cap) {
        uint64_t *perm =
            qmem_realloc(n->ctx->mem, st->perm, st->perm_cap * sizeof *perm, count * sizeof *perm);
        if (!perm)
            return sort_nomem(n, err);
        st->perm = perm;
        st->perm_cap = count;
    }
    for (uint64_t i = 0; i < count; i++)
        st->perm[i] = i;
    uint32_t nkeys = n->pl->u.sort.nkeys;
    ex_sort_key *keys = arena_alloc(&n->scratch, (nkeys ? nkeys : 1) * sizeof *keys);
    if (!keys)
        return sort_nomem(n, err);
    for (uint32_t k = 0; k < nkeys; k++) {
        cb_view(&st->rows, st->key_col[k], 0, &keys[k].col);
        keys[k].desc = n->pl->u.sort.keys[k].desc;
        keys[k].nulls_first = n->pl->u.sort.keys[k].nulls_first;
    }
    ex_sort_perm(st->perm, count, keys, nkeys);
    st->count = count;
    return 0;
}

/* Top-N: keeps only the first st->keep rows of the sorted buffer. */
static int sort_cut(ex_node *n, sort_st *st, eng_error *err)
{
    if (sort_rows(n, st, err) != 0)
        return -1;
    colbuf kept;
    eng_type *types = arena_alloc(&n->scratch, st->rows.ncols * sizeof *types);
    if (!types)
        return sort_nomem(n, err);
    for (uint32_t c = 0; c < st->rows.ncols; c++)
        types[c] = st->rows.cols[c].type;
    if (cb_init(&kept, st->rows.ncols, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    uint64_t keep = (uint64_t)st->keep < st->count ? (uint64_t)st->keep : st->count;
    ev_vec *vecs = arena_alloc(&n->scratch, st->rows.ncols * sizeof *vecs);
    if (!vecs)
        return sort_nomem(n, err);
    for (uint64_t at = 0; at < keep; at += ENG_VECTOR_SIZE) {
        uint32_t m = keep - at < ENG_VECTOR_SIZE ? (uint32_t)(keep - at) : ENG_VECTOR_SIZE;
        for (uint32_t c = 0; c < st->rows.ncols; c++)
            if (cb_gather(&st->rows, c, st->perm + at, m, &n->scratch, &vecs[c], err) != 0)
                return -1;
        if (cb_append(&kept, vecs, NULL, NULL, m, err) != 0) {
            cb_free(&kept);
            return -1;
        }
    }
    cb_free(&st->rows);
    st->rows = kept;
    arena_reset(&n->scratch);
    return 0;
}

static int sort_consume(ex_node *n, sort_st *st, eng_error *err)
{
    const pl_node *pl = n->pl;
    uint32_t nkeys = pl->u.sort.nkeys, ncols = st->rows.ncols;
    ev_vec *vecs = arena_alloc(&st->a, (ncols ? ncols : 1) * sizeof *vecs);
    if (!vecs)
        return sort_nomem(n, err);
    for (;;) {
        ex_batch b;
        int rc = ex_next(n->child, &b, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return 0;
        arena_reset(&n->scratch);
        if (ex_densify(&b, st->nin, &n->scratch, err) != 0)
            return -1;
        memcpy(vecs, b.cols, st->nin * sizeof *vecs);
        ev_input in = ex_input(n, &b);
        for (uint32_t k = 0; k < nkeys; k++)
            if (st->key_col[k] >= st->nin && ev_eval(pl->u.sort.keys[k].expr, &in, b.n, &n->scratch,
                                                     &vecs[st->key_col[k]], err) != 0)
                return -1;
        if (cb_append(&st->rows, vecs, NULL, NULL, b.n, err) != 0)
            return -1;
        if (st->keep >= 0 && st->rows.n >= 2 * (uint64_t)st->keep + ENG_VECTOR_SIZE &&
            sort_cut(n, st, err) != 0)
            return -1;
    }
}

int ex_sort_open(ex_node *n, eng_error *err)
{
    const pl_node *pl = n->pl;
    sort_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return sort_nomem(n, err);
    memset(st, 0, sizeof *st);
    n->st = st;
    arena_init_counted(&st->a, 4096, n->ctx->mem);
    uint32_t nkeys = pl->u.sort.nkeys;
    st->nin = pl->child->nlayout;
    st->key_col = arena_alloc(&st->a, (nkeys ? nkeys : 1) * sizeof *st->key_col);
    eng_type *types = arena_alloc(&st->a, (st->nin + nkeys + 1) * sizeof *types);
    if (!st->key_col || !types)
        return sort_nomem(n, err);
    /* Types of the child's columns come from the first batch's plan: its attributes. */
    uint32_t ncols = st->nin;
    for (uint32_t k = 0; k < nkeys; k++) {
        const bexpr *e = pl->u.sort.keys[k].expr;
        if (e->kind == BX_COLUMN) {
            st->key_col[k] = e->u.column;
        } else {
            st->key_col[k] = ncols;
            types[ncols++] = e->type;
        }
    }
    for (uint32_t c = 0; c < st->nin; c++)
        types[c] = ex_layout_type(n->ctx, pl->child, c);
    if (cb_init(&st->rows, ncols, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    int64_t limit, offset;
    if (ex_const_int(n, pl->u.sort.limit, "LIMIT", &limit, err) != 0 ||
        ex_const_int(n, pl->u.sort.offset, "OFFSET", &offset, err) != 0)
        return -1;
    st->keep = limit < 0 ? -1 : limit + (offset > 0 ? offset : 0);
    if (ex_open(n->child, err) != 0 || sort_consume(n, st, err) != 0)
        return -1;
    if (st->keep >= 0 && st->rows.n > (uint64_t)st->keep)
        return sort_cut(n, st, err) != 0 ? -1 : sort_rows(n, st, err);
    return sort_rows(n, st, err);
}

int ex_sort_next(ex_node *n, ex_batch *out, eng_error *err)
{
    sort_st *st = n->st;
    if (st->next >= st->count)
        return 0;
    uint64_t left = st->count - st->next;
    uint32_t m = left < ENG_VECTOR_SIZE ? (uint32_t)left : ENG_VECTOR_SIZE;
    ev_vec *cols = arena_alloc_raw(&n->scratch, (st->nin ? st->nin : 1) * sizeof *cols);
    if (!cols)
        return sort_nomem(n, err);
    for (uint32_t c = 0; c < st->nin; c++)
        if (cb_gather(&st->rows, c, st->perm + st->next, m, &n->scratch, &cols[c], err) != 0)
            return -1;
    st->next += m;
    out->n = m;
    out->cols = cols;
    out->sel = NULL;
    return 1;
}

void ex_sort_close(ex_node *n)
{
    sort_st *st = n->st;
    cb_free(&st->rows);
    qmem_free(n->ctx->mem, st->perm, st->perm_cap * sizeof *st->perm);
    arena_free(&st->a);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
