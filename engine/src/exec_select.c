/*
 * SELECT execution: the cursor over a query's operator tree. Opening builds the tree from
 * the bound plan and starts it (operators that need all their input, such as sorts and
 * aggregations, do their work then); each fetch pulls one batch from the root and hands
 * its result columns to the caller as a chunk of dense vectors. Closing frees everything
 * the execution held; its peak memory stays readable (eng_stmt_memory_peak).
 */
#include "stmt.h"

#include "errors.h"
#include "exec_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The statement's clock: local wall-clock time, since TIMESTAMP has no time zone. */
static int64_t ex_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    time_t t = ts.tv_sec;
    localtime_r(&t, &tm);
    return ((int64_t)ts.tv_sec + tm.tm_gmtoff) * 1000000 + ts.tv_nsec / 1000;
}

int ex_run_start(struct eng_session *s, const plan_select *ps, const pl_attr *attrs,
                 const pl_node *root, uint32_t nsubs, const txn *t, const eng_value *params,
                 ex_run **out, eng_error *err)
{
    ex_run *run = calloc(1, sizeof *run);
    if (!run)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a query");
    qmem_init(&run->mem);
    arena_init_counted(&run->arena, 16 * 1024, &run->mem);
    run->snapshot.id = t ? t->id : 0;
    run->snapshot.start = t ? t->start : 0;
    run->snapshot.stop = t ? t->stop : NULL; /* SQLCancel and timeouts reach the run's scans */
    run->ctx.t = t ? &run->snapshot : NULL;
    run->ctx.params = params;
    run->ctx.mem = &run->mem;
    run->ctx.arena = &run->arena;
    run->ctx.attrs = ps ? ps->attrs : attrs;
    run->ctx.cat = &s->db->catalog;
    run->ctx.user = s->account;
    run->ctx.database = eng_db_path(s->db);
    run->ctx.now_us = ex_now_us();
    run->ctx.nsubs = nsubs;
    *out = run;
    if (nsubs && !(run->ctx.subs = arena_alloc(&run->arena, nsubs * sizeof *run->ctx.subs)))
        return err_set(err, ENG_E_NOMEM, "out of memory starting a query");
    if (ps)
        for (uint32_t i = 0; i < ps->ntables; i++)
            if (!cat_table_visible(ps->tables[i], t))
                return err_set(err, ENG_E_TABLE_NOT_FOUND,
                               "table \"%s\" does not exist in this transaction",
                               ps->tables[i]->name);
    if (root && (ex_build(root, &run->ctx, &run->root, err) != 0 || ex_open(run->root, err) != 0))
        return ex_run_error(run, err);
    return 0;
}

int ex_run_error(ex_run *run, eng_error *err)
{
    if (qmem_exceeded(&run->mem) && err &&
        (err->code == ENG_E_NOMEM || err->code == ENG_E_QUERY_MEMORY))
        err_set(err, ENG_E_QUERY_MEMORY,
                "the query needs more than its memory limit of %llu MiB; raise the limit "
                "(eng_set_query_memory_limit, EIDER_QUERY_MEMORY_LIMIT) or make the query "
                "need less (fewer groups, a smaller sort, a selective filter)",
                (unsigned long long)(run->mem.limit >> 20));
    return -1;
}

void ex_run_free(ex_run *run)
{
    if (!run)
        return;
    ex_subs_close(&run->ctx);
    ex_close(run->root);
    arena_free(&run->arena);
    free(run);
}

int exec_select_open(eng_stmt *st, const txn *t, eng_error *err)
{
    plan_select *ps = &st->plan.u.select;
    exec_cursor *c = &st->cursor;
    memset(c, 0, sizeof *c); /* holds is set by the caller once the cursor is open */
    exec_select_close(st);
    ex_run *run;
    int rc = ex_run_start(st->session, ps, NULL, ps->explain ? NULL : ps->root, ps->nsubqueries, t,
                          st->params, &run, err);
    ps->run = run;
    if (rc != 0)
        return -1;
    run->explain = ps->explain;
    c->out = arena_alloc(&st->exec_arena, (ps->ncols ? ps->ncols : 1) * sizeof *c->out);
    if (!c->out)
        return err_set(err, ENG_E_NOMEM, "out of memory opening a cursor");
    c->chunk.ncols = ps->ncols;
    c->chunk.cols = c->out;
    c->open = true;
    return 0;
}

/* EXPLAIN: the plan's lines, up to a vector of them per fetch. */
static int exec_explain_next(eng_stmt *st, ex_run *run, eng_error *err)
{
    exec_cursor *c = &st->cursor;
    if (!run->explain || !*run->explain)
        return 0;
    eng_str *lines = arena_alloc(&st->chunk_arena, ENG_VECTOR_SIZE * sizeof *lines);
    if (!lines)
        return err_set(err, ENG_E_NOMEM, "out of memory explaining");
    uint32_t n = 0;
    while (n < ENG_VECTOR_SIZE && *run->explain) {
        const char *nl = strchr(run->explain, '\n');
        size_t len = nl ? (size_t)(nl - run->explain) : strlen(run->explain);
        lines[n++] = (eng_str){run->explain, (uint32_t)len};
        run->explain += len + (nl ? 1 : 0);
    }
    c->out[0] = (eng_vector){st->plan.u.select.cols[0].type, lines, NULL};
    c->chunk.count = n;
    return 1;
}

int exec_select_next(eng_stmt *st, eng_error *err)
{
    plan_select *ps = &st->plan.u.select;
    exec_cursor *c = &st->cursor;
    ex_run *run = ps->run;
    arena *a = &st->chunk_arena;
    arena_reset(a);
    if (!run)
        return 0;
    if (ps->explain)
        return exec_explain_next(st, run, err);
    ex_batch b;
    int rc = ex_next(run->root, &b, err);
    if (rc < 0)
        return ex_run_error(run, err);
    if (rc == 0)
        return 0;
    for (uint32_t i = 0; i < ps->ncols; i++) {
        const ev_vec *v = &b.cols[ps->out_pos[i]];
        ev_vec d = *v;
        if (b.sel && ev_gather(v, b.sel, b.n, a, &d, err) != 0)
            return -1;
        c->out[i] = (eng_vector){ps->cols[i].type, d.data, d.nulls};
    }
    c->chunk.count = b.n;
    return 1;
}

void exec_select_close(eng_stmt *st)
{
    if (!st->ast || st->ast->kind != STMT_SELECT)
        return;
    plan_select *ps = &st->plan.u.select;
    if (ps->run) {
        ps->mem_peak = ps->run->mem.peak;
        ex_run_free(ps->run);
        ps->run = NULL;
    }
}

uint64_t eng_stmt_memory_peak(const eng_stmt *st)
{
    if (!st->ast || st->ast->kind != STMT_SELECT)
        return 0;
    const plan_select *ps = &st->plan.u.select;
    return ps->run ? ps->run->mem.peak : ps->mem_peak;
}

/* Keeps the rows where the predicate is TRUE (for UPDATE and DELETE without subqueries). */
int exec_filter(const bexpr *where, const ev_vec *cols, uint32_t *sel, uint32_t *n,
                const eng_value *params, arena *a, eng_error *err)
{
    ev_input in = {cols, sel, params, NULL, NULL, NULL};
    uint32_t *out = arena_alloc_raw(a, (*n ? *n : 1) * sizeof *out), kept;
    if (!out)
        return err_set(err, ENG_E_NOMEM, "out of memory filtering rows");
    if (ev_select(where, &in, *n, out, &kept, a, err) != 0)
        return -1;
    memcpy(sel, out, kept * sizeof *sel);
    *n = kept;
    return 0;
}
