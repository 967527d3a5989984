/*
 * LIMIT / OFFSET operator: skips the first `offset` rows and stops after `limit`, without
 * pulling more batches than it needs.
 */
#include "exec_int.h"

#include "errors.h"

typedef struct limit_st {
    int64_t offset_left;
    int64_t limit_left; /* -1: no limit */
} limit_st;

int ex_limit_open(ex_node *n, eng_error *err)
{
    limit_st *st = qmem_alloc(n->ctx->mem, sizeof *st);
    if (!st)
        return err_set(err, ENG_E_NOMEM, "out of memory starting LIMIT");
    n->st = st;
    if (ex_const_int(n, n->pl->u.limit.limit, "LIMIT", &st->limit_left, err) != 0 ||
        ex_const_int(n, n->pl->u.limit.offset, "OFFSET", &st->offset_left, err) != 0)
        return -1;
    if (st->offset_left < 0)
        st->offset_left = 0;
    return st->limit_left == 0 ? 0 : ex_open(n->child, err);
}

int ex_limit_next(ex_node *n, ex_batch *out, eng_error *err)
{
    limit_st *st = n->st;
    for (;;) {
        if (st->limit_left == 0)
            return 0;
        ex_batch b;
        int rc = ex_next(n->child, &b, err);
        if (rc <= 0)
            return rc;
        uint32_t skip = st->offset_left < (int64_t)b.n ? (uint32_t)st->offset_left : b.n;
        st->offset_left -= skip;
        uint32_t count = b.n - skip;
        if (count == 0)
            continue;
        if (st->limit_left >= 0 && (int64_t)count > st->limit_left)
            count = (uint32_t)st->limit_left;
        if (st->limit_left >= 0)
            st->limit_left -= count;
        if (skip) {
            uint32_t *sel = arena_alloc_raw(&n->scratch, count * sizeof *sel);
            if (!sel)
                return err_set(err, ENG_E_NOMEM, "out of memory applying OFFSET");
            for (uint32_t i = 0; i < count; i++)
                sel[i] = b.sel ? b.sel[skip + i] : skip + i;
            b.sel = sel;
        }
        b.n = count;
        *out = b;
        return 1;
    }
}

void ex_limit_close(ex_node *n)
{
    qmem_free(n->ctx->mem, n->st, sizeof(limit_st));
}
