/*
 * Subqueries inside expressions. An uncorrelated subquery runs once per execution, on
 * first use, and its result is kept: a scalar, an EXISTS flag, for IN a hash set of its
 * values, for x op ANY / ALL its smallest and largest values (enough to answer <, <=, >,
 * >=, and = ALL / <> ANY). A correlated one (it reads columns of the enclosing row) runs again for
 * every row of every batch it is evaluated for, with that row's values as its outer
 * values; its operator tree is built once and reopened per row.
 */
#include "exec_int.h"

#include "errors.h"
#include "value.h"
#include "ev_int.h"

#include <string.h>

const eng_value *ex_ctx_outer(const struct ex_ctx *ctx)
{
    return ctx ? ctx->outer : NULL;
}

const char *ex_ctx_session_text(const struct ex_ctx *ctx, bool user)
{
    if (!ctx)
        return NULL;
    return user ? ctx->user : ctx->database;
}

/* Row i of v into the one-row vector to (strings copied into keep). */
static int sub_keep_value(const ev_vec *v, uint32_t i, ev_vec *to, arena *keep, eng_error *err)
{
    eng_value val;
    ev_get(v, i, &val);
    if (val_is_string(val.type) && val.u.s.len) {
        char *p = arena_strndup(keep, val.u.s.ptr, val.u.s.len);
        if (!p)
            return err_set(err, ENG_E_NOMEM, "out of memory in a subquery");
        val.u.s.ptr = p;
    }
    ev_put(to, 0, &val);
    return 0;
}

/* ANY / ALL: folds a batch of the subquery's values into its least and most values. */
static int sub_range(ex_sub *s, const ev_vec *v, uint32_t n, arena *keep, eng_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(v, i)) {
            s->set_has_null = true;
            continue;
        }
        if (!s->have_range) {
            if (ev_alloc(keep, v->type, 1, &s->least, err) != 0 ||
                ev_alloc(keep, v->type, 1, &s->most, err) != 0 ||
                sub_keep_value(v, i, &s->least, keep, err) != 0 ||
                sub_keep_value(v, i, &s->most, keep, err) != 0)
                return -1;
            s->have_range = true;
            continue;
        }
        if (ev_compare_rows(v, i, &s->least, 0) < 0 &&
            sub_keep_value(v, i, &s->least, keep, err) != 0)
            return -1;
        if (ev_compare_rows(v, i, &s->most, 0) > 0 &&
            sub_keep_value(v, i, &s->most, keep, err) != 0)
            return -1;
    }
    return 0;
}

/* Runs the subquery's tree to the answer its kind needs. For a scalar, strings are
 * copied into `keep` so the value outlives the run's batches. */
static int sub_run(const bexpr *e, ex_sub *s, arena *keep, eng_error *err)
{
    if (ex_open(s->root, err) != 0)
        return -1;
    const pl_node *pl = e->u.sub.plan;
    uint32_t col = 0;
    while (col < pl->nlayout && pl->layout[col] != pl->attrs[0])
        col++;
    s->exists = false;
    s->scalar = (eng_value){.type = e->type.id, .is_null = true};
    s->set_has_null = false;
    s->have_range = false;
    uint64_t rows = 0;
    for (;;) {
        ex_batch b;
        int rc = ex_next(s->root, &b, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return 0;
        rows += b.n;
        s->exists = true;
        if (e->u.sub.kind == BX_SUB_EXISTS)
            return 0;
        ev_vec v;
        if (ev_gather(&b.cols[col], b.sel, b.n, &s->root->scratch, &v, err) != 0)
            return -1;
        if (e->u.sub.kind == BX_SUB_SCALAR) {
            if (rows > 1)
                return err_set(err, ENG_E_CARDINALITY,
                               "a subquery used as a value returned more than one row "
                               "(position %u)",
                               e->pos + 1);
            ev_get(&v, 0, &s->scalar);
            if (!s->scalar.is_null && val_is_string(e->type.id) && s->scalar.u.s.len) {
                char *p = arena_strndup(keep, s->scalar.u.s.ptr, s->scalar.u.s.len);
                if (!p)
                    return err_set(err, ENG_E_NOMEM, "out of memory in a subquery");
                s->scalar.u.s.ptr = p;
            }
            continue;
        }
        if (e->u.sub.kind == BX_SUB_ANY || e->u.sub.kind == BX_SUB_ALL) {
            if (sub_range(s, &v, b.n, keep, err) != 0)
                return -1;
            continue;
        }
        for (uint32_t i = 0; i < b.n; i++)
            s->set_has_null |= ev_null(&v, i);
        uint32_t *ids = arena_alloc_raw(&s->root->scratch, b.n * sizeof *ids), added;
        if (!ids)
            return err_set(err, ENG_E_NOMEM, "out of memory in a subquery");
        if (ht_insert(s->set, &v, b.n, ids, &added, err) != 0)
            return -1;
    }
}

static int sub_prepare(const bexpr *e, ex_ctx *ctx, ex_sub *s, eng_error *err)
{
    ex_ctx *run_ctx = ctx;
    if (e->u.sub.nouter) {
        s->ctx = *ctx;
        s->outer = arena_alloc(ctx->arena, e->u.sub.nouter * sizeof *s->outer);
        if (!s->outer)
            return err_set(err, ENG_E_NOMEM, "out of memory in a subquery");
        s->ctx.outer = s->outer;
        run_ctx = &s->ctx;
    }
    if (e->u.sub.kind == BX_SUB_IN) {
        s->set = arena_alloc(ctx->arena, sizeof *s->set);
        if (!s->set)
            return err_set(err, ENG_E_NOMEM, "out of memory in a subquery");
        eng_type t = ctx->attrs[e->u.sub.plan->attrs[0]].type;
        if (ht_init(s->set, 1, &t, ctx->mem, ctx->arena, err) != 0)
            return -1;
    }
    return ex_build(e->u.sub.plan, run_ctx, &s->root, err);
}

/* The answer for one tested value x (row i of xv), from the subquery's last run. */
static void sub_in_result(ex_sub *s, const ev_vec *xv, uint32_t i, bool negated, ev_vec *out,
                          uint32_t o)
{
    uint8_t *res = out->data;
    if (!s->exists) { /* x IN (empty) is FALSE, even for a NULL x */
        res[o] = negated;
        return;
    }
    if (ev_null(xv, i)) {
        out->nulls[o] = 1;
        return;
    }
    uint32_t id;
    ht_find_sel(s->set, xv, &i, 1, &id); /* hashed in place: nothing copied per row */
    if (id != UINT32_MAX)
        res[o] = !negated;
    else if (s->set_has_null)
        out->nulls[o] = 1;
    else
        res[o] = negated;
}

/* x op ANY (S) is true when some value of S satisfies it, x op ALL (S) when every one
 * does; when that is not decided by the values that are not NULL, a NULL among them makes
 * the answer unknown. An empty S: ANY is FALSE and ALL is TRUE, even for a NULL x. */
static void sub_quantified_result(const bexpr *e, ex_sub *s, const ev_vec *xv, uint32_t i,
                                  ev_vec *out, uint32_t o)
{
    uint8_t *res = out->data;
    bool any = e->u.sub.kind == BX_SUB_ANY;
    if (!s->exists) {
        res[o] = !any;
        return;
    }
    if (ev_null(xv, i) || !s->have_range) {
        out->nulls[o] = 1;
        return;
    }
    int lo = ev_compare_rows(xv, i, &s->least, 0), hi = ev_compare_rows(xv, i, &s->most, 0);
    bool decided; /* ANY: some value satisfies it; ALL: some value does not */
    switch ((ast_op)e->u.sub.op) {
    case OP_LT:
        decided = any ? hi < 0 : lo >= 0;
        break;
    case OP_LE:
        decided = any ? hi <= 0 : lo > 0;
        break;
    case OP_GT:
        decided = any ? lo > 0 : hi <= 0;
        break;
    case OP_GE:
        decided = any ? lo >= 0 : hi < 0;
        break;
    default: /* <> ANY, = ALL: is there a value other than x? */
        decided = lo != 0 || hi != 0;
        break;
    }
    if (decided)
        res[o] = any;
    else if (s->set_has_null)
        out->nulls[o] = 1;
    else
        res[o] = !any;
}

static void sub_result(const bexpr *e, ex_sub *s, const ev_vec *xv, uint32_t i, ev_vec *out,
                       uint32_t o)
{
    switch (e->u.sub.kind) {
    case BX_SUB_SCALAR:
        ev_put(out, o, &s->scalar);
        return;
    case BX_SUB_EXISTS:
        ((uint8_t *)out->data)[o] = s->exists != e->u.sub.negated;
        return;
    case BX_SUB_ANY:
    case BX_SUB_ALL:
        sub_quantified_result(e, s, xv, i, out, o);
        return;
    default:
        sub_in_result(s, xv, i, e->u.sub.negated, out, o);
        return;
    }
}

int ex_subquery_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err)
{
    ex_ctx *ctx = in->ctx;
    if (!ctx || e->u.sub.id >= ctx->nsubs)
        return err_set(err, ENG_E_FEATURE, "a subquery cannot be used here (position %u)",
                       e->pos + 1);
    ex_sub *s = &ctx->subs[e->u.sub.id];
    if (!s->root && sub_prepare(e, ctx, s, err) != 0)
        return -1;
    ev_vec xv = {0};
    if (e->u.sub.arg && ev_eval(e->u.sub.arg, in, n, a, &xv, err) != 0)
        return -1;
    if (ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    if (!e->u.sub.nouter) {
        if (!s->done) {
            if (sub_run(e, s, ctx->arena, err) != 0)
                return -1;
            s->done = true;
        }
        for (uint32_t i = 0; i < n; i++)
            sub_result(e, s, &xv, i, out, i);
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t row = in->sel ? in->sel[i] : i;
        for (uint32_t k = 0; k < e->u.sub.nouter; k++)
            ev_get(&in->cols[e->u.sub.outer[k]], row, &s->outer[k]);
        if (s->set)
            ht_free(s->set);
        if (sub_run(e, s, a, err) != 0)
            return -1;
        sub_result(e, s, &xv, i, out, i);
    }
    return 0;
}

void ex_subs_close(ex_ctx *ctx)
{
    for (uint32_t i = 0; i < ctx->nsubs; i++) {
        ex_sub *s = &ctx->subs[i];
        if (s->root)
            ex_close(s->root);
        if (s->set)
            ht_free(s->set);
        s->root = NULL;
        s->set = NULL;
    }
}
