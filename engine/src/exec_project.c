/*
 * Projection operator: evaluates its expressions over each batch into dense vectors.
 */
#include "exec_int.h"

#include "errors.h"

int ex_project_open(ex_node *n, eng_error *err)
{
    return ex_open(n->child, err);
}

int ex_project_next(ex_node *n, ex_batch *out, eng_error *err)
{
    ex_batch b;
    int rc = ex_next(n->child, &b, err);
    if (rc <= 0)
        return rc;
    uint32_t ncols = n->pl->nattrs;
    ev_vec *cols = arena_alloc_raw(&n->scratch, (ncols ? ncols : 1) * sizeof *cols);
    if (!cols)
        return err_set(err, ENG_E_NOMEM, "out of memory computing the select list");
    ev_input in = ex_input(n, &b);
    in.cache = arena_alloc(&n->scratch,
                           (n->pl->child->nlayout ? n->pl->child->nlayout : 1) * sizeof *in.cache);
    if (!in.cache)
        return err_set(err, ENG_E_NOMEM, "out of memory computing the select list");
    for (uint32_t i = 0; i < ncols; i++)
        if (ev_eval(n->pl->u.project.exprs[i], &in, b.n, &n->scratch, &cols[i], err) != 0)
            return -1;
    out->n = b.n;
    out->cols = cols;
    out->sel = NULL;
    return 1;
}

void ex_project_close(ex_node *n)
{
    (void)n;
}
