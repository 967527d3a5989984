/*
 * Filter operator: narrows each batch's selection to the rows where the condition is TRUE
 * (NULL and FALSE rows go), pulling more batches until one has rows left.
 */
#include "exec_int.h"

int ex_filter_open(ex_node *n, eng_error *err)
{
    return ex_open(n->child, err);
}

int ex_filter_next(ex_node *n, ex_batch *out, eng_error *err)
{
    for (;;) {
        ex_batch b;
        int rc = ex_next(n->child, &b, err);
        if (rc <= 0)
            return rc;
        arena_reset(&n->scratch);
        if (ex_filter_batch(n->pl->u.filter.pred, n->ctx, &b, &n->scratch, err) != 0)
            return -1;
        if (b.n) {
            *out = b;
            return 1;
        }
    }
}

void ex_filter_close(ex_node *n)
{
    (void)n;
}
