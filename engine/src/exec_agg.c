/*
 * Hash aggregation (GROUP BY, aggregates, DISTINCT). Opening consumes the whole input:
 * each batch's group keys are evaluated and looked up in the hash table, which gives every
 * row its group's dense id, and each aggregate folds its argument into per-group arrays.
 * Then the groups are handed out 2048 at a time: key columns straight from the hash
 * table's buffer, aggregate results computed per batch. Without GROUP BY there is exactly
 * one group, even over no rows (COUNT(*) is 0 then). Over a big table the input is read
 * by several threads (exec_agg_par.c).
 */
#include "exec_agg.h"

#include "errors.h"

#include <string.h>

typedef struct agg_st {
    agg_part part;
    uint64_t next;
} agg_st;

int agg_part_init(agg_part *p, const pl_node *pl, qmem *mem, eng_error *err)
{
    memset(p, 0, sizeof *p);
    arena_init_counted(&p->a, 16 * 1024, mem);
    uint32_t ng = pl->u.agg.ngroups, na = pl->u.agg.naggs;
    eng_type *types = arena_alloc(&p->a, (ng ? ng : 1) * sizeof *types);
    p->aggs = arena_alloc(&p->a, (na ? na : 1) * sizeof *p->aggs);
    p->zeros = arena_alloc(&p->a, ENG_VECTOR_SIZE * sizeof *p->zeros);
    p->ids = arena_alloc(&p->a, ENG_VECTOR_SIZE * sizeof *p->ids);
    p->keys = arena_alloc(&p->a, (ng ? ng : 1) * sizeof *p->keys);
    if (!types || !p->aggs || !p->zeros || !p->ids || !p->keys)
        return err_set(err, ENG_E_NOMEM, "out of memory aggregating");
    for (uint32_t k = 0; k < ng; k++)
        types[k] = pl->u.agg.groups[k]->type;
    if (ht_init(&p->ht, ng, types, mem, &p->a, err) != 0)
        return -1;
    for (uint32_t k = 0; k < na; k++)
        if (agg_init(&p->aggs[k], &pl->u.agg.aggs[k], mem, &p->a, err) != 0)
            return -1;
    p->ngroups = ng ? 0 : 1;
    for (uint32_t k = 0; k < na; k++)
        if (agg_grow(&p->aggs[k], p->ngroups, err) != 0)
            return -1;
    return 0;
}

/* When a filter kept most rows of a batch, the aggregates' arguments are cheaper to
 * compute over every row (no gathering of the kept rows' values first) and then read at
 * the kept rows. A row the filter dropped may make that fail (a division by zero), so a
 * failure falls back to computing over the kept rows only; arguments with subqueries
 * always do. args[k] gets the values; false: use the normal path. */
static bool agg_dense_args(const pl_node *pl, ex_ctx *ctx, const ex_batch *b, arena *scratch,
                           ev_vec *args)
{
    uint32_t na = pl->u.agg.naggs;
    if (!b->sel || b->n < 256 || !na)
        return false;
    uint32_t rows = b->sel[b->n - 1] + 1; /* the selection is in ascending order */
    if ((uint64_t)b->n * 4 < (uint64_t)rows * 3)
        return false;
    for (uint32_t k = 0; k < na; k++)
        if (pl->u.agg.aggs[k].arg && bx_has_subquery(pl->u.agg.aggs[k].arg))
            return false;
    ev_input in = {b->cols, NULL, ctx->params, ctx, NULL, NULL};
    in.cache =
        arena_alloc(scratch, (pl->child->nlayout ? pl->child->nlayout : 1) * sizeof *in.cache);
    if (!in.cache)
        return false;
    eng_error ignored;
    in.exprs = arena_alloc(scratch, sizeof *in.exprs);
    if (!in.exprs)
        return false;
    for (uint32_t k = 0; k < na; k++)
        if (pl->u.agg.aggs[k].arg && !pl->u.agg.aggs[k].same_sum &&
            ev_eval(pl->u.agg.aggs[k].arg, &in, rows, scratch, &args[k], &ignored) != 0)
            return false;
    return true;
}

int agg_part_add(agg_part *p, const pl_node *pl, ex_ctx *ctx, const ex_batch *b, arena *scratch,
                 eng_error *err)
{
    uint32_t ng = pl->u.agg.ngroups, na = pl->u.agg.naggs;
    ev_input in = {b->cols, b->sel, ctx->params, ctx, NULL, NULL};
    in.cache =
        arena_alloc(scratch, (pl->child->nlayout ? pl->child->nlayout : 1) * sizeof *in.cache);
    ev_vec *dense = arena_alloc(scratch, (na ? na : 1) * sizeof *dense);
    in.exprs = arena_alloc(scratch, sizeof *in.exprs);
    if (!in.cache || !dense || !in.exprs)
        return err_set(err, ENG_E_NOMEM, "out of memory aggregating");
    bool use_dense = agg_dense_args(pl, ctx, b, scratch, dense);
    const uint32_t *gid = p->zeros;
    if (ng) {
        /* Keys that are columns are hashed where they are, through the selection, rather
         * than gathered first. */
        bool in_place = b->sel != NULL;
        for (uint32_t k = 0; k < ng; k++)
            in_place &= pl->u.agg.groups[k]->kind == BX_COLUMN;
        const uint32_t *ksel = in_place ? b->sel : NULL;
        for (uint32_t k = 0; k < ng; k++)
            if (ksel)
                p->keys[k] = b->cols[pl->u.agg.groups[k]->u.column];
            else if (ev_eval(pl->u.agg.groups[k], &in, b->n, scratch, &p->keys[k], err) != 0)
                return -1;
        uint32_t added;
        if (ht_insert_sel(&p->ht, p->keys, ksel, b->n, p->ids, &added, err) != 0)
            return -1;
        gid = p->ids;
        p->ngroups = p->ht.count;
    }
    for (uint32_t k = 0; k < na; k++) {
        agg_state *s = &p->aggs[k];
        ev_vec arg;
        if (s->agg->same_sum)
            continue; /* reads another's sums */
        if (agg_grow(s, p->ngroups, err) != 0)
            return -1;
        if (use_dense) {
            if (agg_update(s, gid, s->agg->arg ? &dense[k] : NULL, b->sel, b->n, scratch, err) != 0)
                return -1;
            continue;
        }
        if (s->agg->arg && ev_eval(s->agg->arg, &in, b->n, scratch, &arg, err) != 0)
            return -1;
        if (agg_update(s, gid, s->agg->arg ? &arg : NULL, NULL, b->n, scratch, err) != 0)
            return -1;
    }
    return 0;
}

void agg_part_free(agg_part *p, const pl_node *pl)
{
    for (uint32_t k = 0; p->aggs && k < pl->u.agg.naggs; k++)
        agg_free(&p->aggs[k]);
    ht_free(&p->ht);
    arena_free(&p->a);
}

static int ex_agg_consume(ex_node *n, agg_st *st, eng_error *err)
{
    if (ex_open(n->child, err) != 0)
        return -1;
    for (;;) {
        ex_batch b;
        int rc = ex_next(n->child, &b, err);
        if (rc <= 0)
            return rc;
        arena_reset(&n->scratch);
        if (agg_part_add(&st->part, n->pl, n->ctx, &b, &n->scratch, err) != 0)
            return -1;
    }
}

int ex_agg_open(ex_node *n, eng_error *err)
{
    agg_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return err_set(err, ENG_E_NOMEM, "out of memory aggregating");
    memset(st, 0, sizeof *st);
    n->st = st;
    if (agg_part_init(&st->part, n->pl, n->ctx->mem, err) != 0)
        return -1;
    int par = agg_parallel(n, &st->part, err);
    if (par < 0)
        return -1;
    if (par == 0 && ex_agg_consume(n, st, err) != 0)
        return -1;
    for (uint32_t k = 0; k < n->pl->u.agg.naggs; k++)
        if (agg_grow(&st->part.aggs[k], st->part.ngroups, err) != 0)
            return -1;
    return 0;
}

int ex_agg_next(ex_node *n, ex_batch *out, eng_error *err)
{
    agg_st *st = n->st;
    const agg_part *p = &st->part;
    if (st->next >= p->ngroups)
        return 0;
    const pl_node *pl = n->pl;
    uint32_t ng = pl->u.agg.ngroups, na = pl->u.agg.naggs;
    uint64_t left = p->ngroups - st->next;
    uint32_t count = left < ENG_VECTOR_SIZE ? (uint32_t)left : ENG_VECTOR_SIZE;
    ev_vec *cols = arena_alloc_raw(&n->scratch, (ng + na ? ng + na : 1) * sizeof *cols);
    if (!cols)
        return err_set(err, ENG_E_NOMEM, "out of memory aggregating");
    for (uint32_t k = 0; k < ng; k++)
        cb_view(&p->ht.keys, k, st->next, &cols[k]);
    for (uint32_t k = 0; k < na; k++) {
        agg_state s = p->aggs[k];
        if (s.agg->same_sum) { /* this function of the other one's sums and counts */
            const agg_state *src = &p->aggs[s.agg->same_sum - 1];
            s.vals = src->vals;
            s.cnt = src->cnt;
        }
        if (agg_result(&s, st->next, count, &n->scratch, &cols[ng + k], err) != 0)
            return -1;
    }
    st->next += count;
    out->n = count;
    out->cols = cols;
    out->sel = NULL;
    return 1;
}

void ex_agg_close(ex_node *n)
{
    agg_st *st = n->st;
    agg_part_free(&st->part, n->pl);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
