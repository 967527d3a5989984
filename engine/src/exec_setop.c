/*
 * Set operations. UNION ALL streams the left input and then the right one. The others
 * compare whole rows through hash tables (NULLs are equal here, as the standard says for
 * set operations): UNION keeps each row's first sighting; INTERSECT and EXCEPT first read
 * the right input into a table, with a count per distinct row for the ALL forms, and then
 * stream the left input against it.
 */
#include "exec_int.h"

#include "errors.h"

#include <string.h>

typedef struct setop_st {
    bool right_phase; /* UNION: streaming the right input */
    ht_table seen;    /* UNION: rows handed out; INTERSECT/EXCEPT: the right input */
    ht_table out;     /* EXCEPT (distinct): rows handed out */
    int64_t *count;   /* ALL forms: remaining matches per right row id; INTERSECT: handed out */
    uint64_t count_cap;
    uint32_t *ids;
    arena a;
} setop_st;

static int setop_nomem(ex_node *n, eng_error *err)
{
    if (qmem_exceeded(n->ctx->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached in a set operation");
    return err_set(err, ENG_E_NOMEM, "out of memory in a set operation");
}

/* A batch of `from` with its columns in the set operation's order (pos). */
static int setop_map(ex_node *n, const ex_batch *in, const uint32_t *pos, ex_batch *out,
                     eng_error *err)
{
    uint32_t ncols = n->pl->nattrs;
    ev_vec *cols = arena_alloc_raw(&n->scratch, (ncols ? ncols : 1) * sizeof *cols);
    if (!cols)
        return setop_nomem(n, err);
    for (uint32_t i = 0; i < ncols; i++)
        cols[i] = in->cols[pos[i]];
    *out = (ex_batch){in->n, cols, in->sel};
    return ex_densify(out, ncols, &n->scratch, err);
}

static int setop_grow_counts(ex_node *n, setop_st *st, uint64_t need, eng_error *err)
{
    if (need <= st->count_cap)
        return 0;
    uint64_t cap = st->count_cap ? st->count_cap * 2 : 1024;
    while (cap < need)
        cap *= 2;
    int64_t *c = qmem_realloc(n->ctx->mem, st->count, st->count_cap * sizeof *c, cap * sizeof *c);
    if (!c)
        return setop_nomem(n, err);
    memset(c + st->count_cap, 0, (cap - st->count_cap) * sizeof *c);
    st->count = c;
    st->count_cap = cap;
    return 0;
}

/* INTERSECT / EXCEPT: the right input into `seen`, counting duplicates. */
static int setop_read_right(ex_node *n, setop_st *st, eng_error *err)
{
    if (ex_open(n->right, err) != 0)
        return -1;
    for (;;) {
        ex_batch b, m;
        int rc = ex_next(n->right, &b, err);
        if (rc <= 0)
            return rc;
        arena_reset(&n->scratch);
        uint32_t added;
        if (setop_map(n, &b, n->pl->u.setop.rpos, &m, err) != 0 ||
            ht_insert(&st->seen, m.cols, m.n, st->ids, &added, err) != 0 ||
            setop_grow_counts(n, st, st->seen.count, err) != 0)
            return -1;
        for (uint32_t i = 0; i < m.n; i++)
            st->count[st->ids[i]]++;
    }
}

int ex_setop_open(ex_node *n, eng_error *err)
{
    const pl_node *pl = n->pl;
    setop_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return setop_nomem(n, err);
    memset(st, 0, sizeof *st);
    n->st = st;
    arena_init_counted(&st->a, 4096, n->ctx->mem);
    uint32_t ncols = pl->nattrs;
    eng_type *types = arena_alloc(&st->a, (ncols ? ncols : 1) * sizeof *types);
    st->ids = arena_alloc(&st->a, ENG_VECTOR_SIZE * sizeof *st->ids);
    if (!types || !st->ids)
        return setop_nomem(n, err);
    for (uint32_t i = 0; i < ncols; i++)
        types[i] = n->ctx->attrs[pl->attrs[i]].type;
    if (ht_init(&st->seen, ncols, types, n->ctx->mem, &st->a, err) != 0 ||
        ht_init(&st->out, ncols, types, n->ctx->mem, &st->a, err) != 0)
        return -1;
    if (pl->u.setop.op != SETOP_UNION && setop_read_right(n, st, err) != 0)
        return -1;
    return ex_open(n->child, err);
}

/* Keeps the rows of m whose id (ids[i]) is new since `before`, each once. */
static void setop_keep_new(ex_batch *m, const uint32_t *ids, uint32_t before, uint32_t *sel)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->n; i++) {
        if (ids[i] < before)
            continue;
        bool dup = false;
        for (uint32_t j = 0; j < k && !dup; j++)
            dup = ids[sel[j]] == ids[i];
        if (!dup)
            sel[k++] = i;
    }
    m->sel = sel;
    m->n = k;
}

/* Applies the operation to one mapped, dense batch from the left (or, for UNION, either)
 * input; m->sel/n are narrowed to the rows to hand out. */
static int setop_filter(ex_node *n, setop_st *st, ex_batch *m, eng_error *err)
{
    const pl_node *pl = n->pl;
    uint32_t *sel = arena_alloc_raw(&n->scratch, (m->n ? m->n : 1) * sizeof *sel);
    if (!sel)
        return setop_nomem(n, err);
    uint32_t added;
    if (pl->u.setop.op == SETOP_UNION) {
        uint32_t before = st->seen.count;
        if (ht_insert(&st->seen, m->cols, m->n, st->ids, &added, err) != 0)
            return -1;
        setop_keep_new(m, st->ids, before, sel);
        return 0;
    }
    ht_find(&st->seen, m->cols, m->n, st->ids);
    bool intersect = pl->u.setop.op == SETOP_INTERSECT, all = pl->u.setop.all;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t id = st->ids[i];
        bool in_right = id != UINT32_MAX && st->count[id] > 0;
        if (intersect) {
            if (!in_right)
                continue;
            st->count[id] = all ? st->count[id] - 1 : 0; /* distinct: hand out once */
            sel[k++] = i;
        } else if (in_right && all) {
            st->count[id]--; /* EXCEPT ALL: this copy is taken away */
        } else if (!in_right) {
            sel[k++] = i;
        }
    }
    m->sel = sel;
    m->n = k;
    if (intersect || all || !k)
        return 0;
    /* EXCEPT (distinct): each surviving row once. */
    ex_batch kept;
    if (ex_densify(m, pl->nattrs, &n->scratch, err) != 0)
        return -1;
    kept = *m;
    uint32_t before = st->out.count;
    if (ht_insert(&st->out, kept.cols, kept.n, st->ids, &added, err) != 0)
        return -1;
    uint32_t *sel2 = arena_alloc_raw(&n->scratch, (kept.n ? kept.n : 1) * sizeof *sel2);
    if (!sel2)
        return setop_nomem(n, err);
    setop_keep_new(&kept, st->ids, before, sel2);
    *m = kept;
    return 0;
}

int ex_setop_next(ex_node *n, ex_batch *out, eng_error *err)
{
    setop_st *st = n->st;
    const pl_node *pl = n->pl;
    bool union_all = pl->u.setop.op == SETOP_UNION && pl->u.setop.all;
    for (;;) {
        ex_node *src = st->right_phase ? n->right : n->child;
        const uint32_t *pos = st->right_phase ? pl->u.setop.rpos : pl->u.setop.lpos;
        ex_batch b, m;
        int rc = ex_next(src, &b, err);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (pl->u.setop.op != SETOP_UNION || st->right_phase)
                return 0;
            st->right_phase = true;
            if (ex_open(n->right, err) != 0)
                return -1;
            continue;
        }
        arena_reset(&n->scratch);
        if (setop_map(n, &b, pos, &m, err) != 0)
            return -1;
        if (!union_all && setop_filter(n, st, &m, err) != 0)
            return -1;
        if (m.n == 0)
            continue;
        *out = m;
        return 1;
    }
}

void ex_setop_close(ex_node *n)
{
    setop_st *st = n->st;
    ht_free(&st->seen);
    ht_free(&st->out);
    qmem_free(n->ctx->mem, st->count, st->count_cap * sizeof *st->count);
    arena_free(&st->a);
    qmem_free(n->ctx->mem, st, sizeof *st);
}
