/*
 * Join operator. One input (the build side, the smaller one by the planner's estimate) is
 * read into a column buffer; its join keys go into a hash table whose ids head chains of
 * buffered rows with that key. The other input (the probe side) then streams: each probe
 * row follows the chain of its key, giving candidate pairs, up to a vector at a time; the
 * residual condition (the non-equality part of ON) filters the pairs. A join without
 * equality keys is a nested loop: every build row is in the one chain every probe row
 * follows. NULL keys never match.
 *
 * Outer joins: a preserved probe row without a match comes out once with NULLs for the
 * build side, right after its batch; preserved build rows without a match come out at the
 * end. SEMI and ANTI joins hand out each probe row at most once, after its batch.
 */
#include "exec_int.h"

#include "errors.h"
#include "ev_int.h"

#include <string.h>

#define JOIN_END UINT32_MAX

typedef enum join_phase {
    JP_NEXT_BATCH, /* pull a probe batch */
    JP_PAIRS,      /* hand out matching pairs of the current probe batch */
    JP_PROBE_REST, /* hand out the current batch's rows for an outer, semi or anti join */
    JP_BUILD_REST, /* hand out unmatched build rows */
    JP_DONE,
} join_phase;

typedef struct join_st {
    const ex_node *build, *probe;
    bool build_is_left;
    uint32_t nleft, nright; /* columns of each input */
    colbuf rows;            /* the build side */
    ht_table ht;
    uint32_t *head; /* per key id: first buffered row */
    uint64_t head_cap;
    uint32_t *next; /* per buffered row: next row with the same key */
    uint64_t next_cap;
    uint8_t *build_hit; /* per buffered row, when build rows are preserved */
    uint64_t nhit;      /* its size */
    bool keep_probe, keep_build, semi, anti;
    join_phase phase;
    ex_batch pb;  /* the current probe batch */
    arena parena; /* its keys and ids */
    uint32_t *ids;
    uint8_t *probe_hit;
    uint32_t pi;    /* next probe row to follow */
    uint32_t chain; /* next build row in its chain */
    uint64_t rest;  /* JP_BUILD_REST: next build row */
    uint32_t *pair_probe, *pair_build;
    arena a;
} join_st;

static int join_nomem(ex_node *n, eng_error *err)
{
    if (qmem_exceeded(n->ctx->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached in a join");
    return err_set(err, ENG_E_NOMEM, "out of memory in a join");
}

static int join_grow(ex_node *n, uint32_t **arr, uint64_t *cap, uint64_t need, eng_error *err)
{
    if (need <= *cap)
        return 0;
    uint64_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    uint32_t *p = qmem_realloc(n->ctx->mem, *arr, *cap * sizeof *p, c * sizeof *p);
    if (!p)
        return join_nomem(n, err);
    *arr = p;
    *cap = c;
    return 0;
}

static bexpr *const *join_keys(const pl_node *pl, bool build)
{
    bool left = build == pl->u.join.build_left;
    return left ? pl->u.join.lkeys : pl->u.join.rkeys;
}

/* Reads the build side: rows into the buffer, keys into the table, rows onto chains. */
static int join_build(ex_node *n, join_st *st, eng_error *err)
{
    const pl_node *pl = n->pl;
    uint32_t nkeys = pl->u.join.nkeys;
    bexpr *const *keys = join_keys(pl, true);
    ev_vec *kv = arena_alloc(&st->a, (nkeys ? nkeys : 1) * sizeof *kv);
    uint32_t *ids = arena_alloc(&st->a, ENG_VECTOR_SIZE * sizeof *ids);
    if (!kv || !ids)
        return join_nomem(n, err);
    ex_node *b = (ex_node *)st->build;
    if (ex_open(b, err) != 0)
        return -1;
    for (;;) {
        ex_batch batch;
        int rc = ex_next(b, &batch, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        arena_reset(&n->scratch);
        uint64_t first = st->rows.n;
        if (cb_append(&st->rows, batch.cols, NULL, batch.sel, batch.n, err) != 0 ||
            join_grow(n, &st->next, &st->next_cap, st->rows.n, err) != 0)
            return -1;
        if (!nkeys) { /* nested loop: one chain through every row, in order */
            for (uint32_t i = 0; i < batch.n; i++)
                st->next[first + i] = (uint32_t)(first + i + 1);
            continue;
        }
        ev_input in = ex_input(n, &batch);
        for (uint32_t k = 0; k < nkeys; k++)
            if (ev_eval(keys[k], &in, batch.n, &n->scratch, &kv[k], err) != 0)
                return -1;
        uint32_t added;
        if (ht_insert(&st->ht, kv, batch.n, ids, &added, err) != 0 ||
            join_grow(n, &st->head, &st->head_cap, st->ht.count, err) != 0)
            return -1;
        for (uint32_t id = st->ht.count - added; id < st->ht.count; id++)
            st->head[id] = JOIN_END;
        for (uint32_t i = 0; i < batch.n; i++) {
            bool null_key = false;
            for (uint32_t k = 0; k < nkeys; k++)
                null_key |= ev_null(&kv[k], i);
            uint32_t row = (uint32_t)(first + i);
            if (null_key) {
                st->next[row] = JOIN_END;
                continue;
            }
            st->next[row] = st->head[ids[i]];
            st->head[ids[i]] = row;
        }
    }
    if (!nkeys && st->rows.n)
        st->next[st->rows.n - 1] = JOIN_END;
    if (st->keep_build) {
        st->nhit = st->rows.n ? st->rows.n : 1;
        st->build_hit = qmem_alloc(n->ctx->mem, st->nhit);
        if (!st->build_hit)
            return join_nomem(n, err);
        memset(st->build_hit, 0, st->nhit);
    }
    return 0;
}

int ex_join_open(ex_node *n, eng_error *err)
{
    const pl_node *pl = n->pl;
    join_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return join_nomem(n, err);
    memset(st, 0, sizeof *st);
    n->st = st;
    arena_init_counted(&st->a, 16 * 1024, n->ctx->mem);
    arena_init_counted(&st->parena, 64 * 1024, n->ctx->mem);
    st->build_is_left = pl->u.join.build_left;
    st->build = st->build_is_left ? n->child : n->right;
    st->probe = st->build_is_left ? n->right : n->child;
    st->nleft = pl->child->nlayout;
    st->nright = pl->right->nlayout;
    pl_join_kind kind = pl->u.join.kind;
    bool left_kept = kind == PJ_LEFT || kind == PJ_FULL,
         right_kept = kind == PJ_RIGHT || kind == PJ_FULL;
    st->keep_build = st->build_is_left ? left_kept : right_kept;
    st->keep_probe = st->build_is_left ? right_kept : left_kept;
    st->semi = kind == PJ_SEMI;
    st->anti = kind == PJ_ANTI;
    const pl_node *bpl = st->build->pl;
    uint32_t nb = bpl->nlayout, nkeys = pl->u.join.nkeys;
    eng_type *types = arena_alloc(&st->a, (nb + nkeys + 1) * sizeof *types);
    st->pair_probe = arena_alloc(&st->a, ENG_VECTOR_SIZE * sizeof(uint32_t));
    st->pair_build = arena_alloc(&st->a, ENG_VECTOR_SIZE * sizeof(uint32_t));
    if (!types || !st->pair_probe || !st->pair_build)
        return join_nomem(n, err);
    for (uint32_t c = 0; c < nb; c++)
        types[c] = ex_layout_type(n->ctx, bpl, c);
    if (cb_init(&st->rows, nb, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    /* A build side read straight from a table (through filters at most) hands out strings
     * in the table's heap: the buffer can keep them without copying (Q10's customers). */
    while (bpl->kind == PL_FILTER)
        bpl = bpl->child;
    st->rows.strings_stable = bpl->kind == PL_SCAN;
    for (uint32_t k = 0; k < nkeys; k++)
        types[k] = join_keys(pl, true)[k]->type;
    if (ht_init(&st->ht, nkeys, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    if (join_build(n, st, err) != 0)
        return -1;
    st->phase = JP_NEXT_BATCH;
    /* An inner join with an empty build side has no rows: skip the probe side. */
    if (st->rows.n == 0 && !st->keep_probe && !st->anti) {
        st->phase = JP_DONE;
        return 0;
    }
    return ex_open((ex_node *)st->probe, err);
}

/* A vector of n NULLs of a type. */
static int join_nulls(arena *a, eng_type type, uint32_t n, ev_vec *out, eng_error *err)
{
    if (ev_alloc(a, type, n, out, err) != 0)
        return -1;
    memset(out->nulls, 1, n);
    return 0;
}

/* Builds output columns for m rows: probe rows pidx (in the probe batch's numbering, or
 * NULLs when pidx is NULL) with build rows bidx (or NULLs). */
static int join_emit(ex_node *n, join_st *st, const uint32_t *pidx, const uint32_t *bidx,
                     uint32_t m, bool all_columns, ex_batch *out, eng_error *err)
{
    const pl_node *pl = n->pl;
    arena *a = &n->scratch;
    uint32_t total = st->nleft + st->nright;
    uint32_t nout = all_columns ? total : pl->u.join.nout;
    ev_vec *cols = arena_alloc_raw(a, (nout ? nout : 1) * sizeof *cols);
    uint32_t *psel = pidx ? arena_alloc_raw(a, (m ? m : 1) * sizeof *psel) : NULL;
    uint64_t *brows = bidx ? arena_alloc_raw(a, (m ? m : 1) * sizeof *brows) : NULL;
    if (!cols || (pidx && !psel) || (bidx && !brows))
        return join_nomem(n, err);
    for (uint32_t i = 0; pidx && i < m; i++)
        psel[i] = st->pb.sel ? st->pb.sel[pidx[i]] : pidx[i];
    for (uint32_t i = 0; bidx && i < m; i++)
        brows[i] = bidx[i];
    for (uint32_t o = 0; o < nout; o++) {
        uint32_t p = all_columns ? o : pl->u.join.out[o];
        bool left = p < st->nleft;
        uint32_t c = left ? p : p - st->nleft;
        bool from_build = left == st->build_is_left;
        const pl_node *side = left ? pl->child : pl->right;
        eng_type type = ex_layout_type(n->ctx, side, c);
        int rc;
        if (from_build)
            rc = bidx ? cb_gather(&st->rows, c, brows, m, a, &cols[o], err)
                      : join_nulls(a, type, m, &cols[o], err);
        else
            rc = pidx ? ev_gather(&st->pb.cols[c], psel, m, a, &cols[o], err)
                      : join_nulls(a, type, m, &cols[o], err);
        if (rc != 0)
            return -1;
    }
    out->n = m;
    out->cols = cols;
    out->sel = NULL;
    return 0;
}

/* Pulls the next probe batch and looks its keys up. 0 when the probe side is done. */
static int join_next_probe(ex_node *n, join_st *st, eng_error *err)
{
    const pl_node *pl = n->pl;
    int rc = ex_next((ex_node *)st->probe, &st->pb, err);
    if (rc <= 0)
        return rc;
    arena_reset(&st->parena);
    uint32_t m = st->pb.n, nkeys = pl->u.join.nkeys;
    st->ids = arena_alloc_raw(&st->parena, (m ? m : 1) * sizeof *st->ids);
    st->probe_hit = arena_alloc(&st->parena, m ? m : 1);
    if (!st->ids || !st->probe_hit)
        return join_nomem(n, err);
    if (!nkeys) {
        for (uint32_t i = 0; i < m; i++)
            st->ids[i] = 0;
    } else {
        bexpr *const *keys = join_keys(pl, false);
        ev_vec *kv = arena_alloc_raw(&st->parena, nkeys * sizeof *kv);
        if (!kv)
            return join_nomem(n, err);
        /* Keys that are columns are hashed where they are, through the batch's
         * selection, rather than gathered first. */
        bool in_place = st->pb.sel != NULL;
        for (uint32_t k = 0; k < nkeys; k++)
            in_place &= keys[k]->kind == BX_COLUMN;
        const uint32_t *ksel = in_place ? st->pb.sel : NULL;
        ev_input in = ex_input(n, &st->pb);
        for (uint32_t k = 0; k < nkeys; k++)
            if (in_place)
                kv[k] = st->pb.cols[keys[k]->u.column];
            else if (ev_eval(keys[k], &in, m, &st->parena, &kv[k], err) != 0)
                return -1;
        ht_find_sel(&st->ht, kv, ksel, m, st->ids);
        for (uint32_t i = 0; i < m; i++)
            for (uint32_t k = 0; k < nkeys; k++)
                if (ev_null(&kv[k], ksel ? ksel[i] : i))
                    st->ids[i] = UINT32_MAX;
    }
    st->pi = 0;
    st->chain = JOIN_END;
    if (m && st->ids[0] != UINT32_MAX)
        st->chain = nkeys ? st->head[st->ids[0]] : (st->rows.n ? 0 : JOIN_END);
    return 1;
}

/* Collects up to a vector of candidate pairs from the current probe batch. */
static uint32_t join_collect(join_st *st, bool keyed)
{
    uint32_t m = 0;
    while (m < ENG_VECTOR_SIZE && st->pi < st->pb.n) {
        if (st->chain == JOIN_END) {
            if (++st->pi >= st->pb.n)
                break;
            uint32_t id = st->ids[st->pi];
            st->chain = id == UINT32_MAX ? JOIN_END
                        : keyed          ? st->head[id]
                        : st->rows.n     ? 0
                                         : JOIN_END;
            continue;
        }
        st->pair_probe[m] = st->pi;
        st->pair_build[m] = st->chain;
        m++;
        st->chain = st->next[st->chain];
    }
    return m;
}

/* Keeps the pairs the residual condition accepts; marks matched rows. */
static int join_check_pairs(ex_node *n, join_st *st, uint32_t *m, eng_error *err)
{
    const bexpr *residual = n->pl->u.join.residual;
    if (residual && *m) {
        ex_batch all;
        if (join_emit(n, st, st->pair_probe, st->pair_build, *m, true, &all, err) != 0)
            return -1;
        if (ex_filter_batch(residual, n->ctx, &all, &n->scratch, err) != 0)
            return -1;
        for (uint32_t i = 0; i < all.n; i++) {
            st->pair_probe[i] = st->pair_probe[all.sel[i]];
            st->pair_build[i] = st->pair_build[all.sel[i]];
        }
        *m = all.n;
    }
    for (uint32_t i = 0; i < *m; i++) {
        st->probe_hit[st->pair_probe[i]] = 1;
        if (st->build_hit)
            st->build_hit[st->pair_build[i]] = 1;
    }
    return 0;
}

int ex_join_next(ex_node *n, ex_batch *out, eng_error *err)
{
    join_st *st = n->st;
    for (;;) {
        switch (st->phase) {
        case JP_DONE:
            return 0;
        case JP_NEXT_BATCH: {
            int rc = join_next_probe(n, st, err);
            if (rc < 0)
                return -1;
            st->phase = rc ? JP_PAIRS : st->keep_build ? JP_BUILD_REST : JP_DONE;
            continue;
        }
        case JP_PAIRS: {
            arena_reset(&n->scratch);
            uint32_t m = join_collect(st, n->pl->u.join.nkeys > 0);
            if (m == 0) {
                st->phase = st->keep_probe || st->semi || st->anti ? JP_PROBE_REST : JP_NEXT_BATCH;
                continue;
            }
            if (join_check_pairs(n, st, &m, err) != 0)
                return -1;
            if (m == 0 || st->semi || st->anti)
                continue;
            return join_emit(n, st, st->pair_probe, st->pair_build, m, false, out, err) ? -1 : 1;
        }
        case JP_PROBE_REST: {
            st->phase = JP_NEXT_BATCH;
            arena_reset(&n->scratch);
            uint32_t *rows = arena_alloc_raw(&n->scratch, (st->pb.n ? st->pb.n : 1) * sizeof *rows);
            if (!rows)
                return join_nomem(n, err);
            bool want = st->semi; /* semi: matched rows; outer and anti: unmatched ones */
            uint32_t m = 0;
            for (uint32_t i = 0; i < st->pb.n; i++)
                if ((bool)st->probe_hit[i] == want)
                    rows[m++] = i;
            if (m == 0)
                continue;
            return join_emit(n, st, rows, NULL, m, false, out, err) ? -1 : 1;
        }
        case JP_BUILD_REST: {
            arena_reset(&n->scratch);
            uint32_t *rows = arena_alloc_raw(&n->scratch, ENG_VECTOR_SIZE * sizeof *rows);
            if (!rows)
                return join_nomem(n, err);
            uint32_t m = 0;
            while (m < ENG_VECTOR_SIZE && st->rest < st->rows.n) {
                if (!st->build_hit[st->rest])
                    rows[m++] = (uint32_t)st->rest;
                st->rest++;
            }
            if (st->rest >= st->rows.n)
                st->phase = JP_DONE;
            if (m == 0)
                continue;
            return join_emit(n, st, NULL, rows, m, false, out, err) ? -1 : 1;
        }
        }
    }
}

void ex_join_close(ex_node *n)
{
    join_st *st = n->st;
    qmem *mem = n->ctx->mem;
    cb_free(&st->rows);
    ht_free(&st->ht);
    qmem_free(mem, st->head, st->head_cap * sizeof *st->head);
    qmem_free(mem, st->next, st->next_cap * sizeof *st->next);
    qmem_free(mem, st->build_hit, st->nhit);
    arena_free(&st->parena);
    arena_free(&st->a);
    qmem_free(mem, st, sizeof *st);
}
