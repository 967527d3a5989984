/*
 * Parallel aggregation over a table scan. When an aggregation reads a big table through
 * nothing but filters (TPC-H Q1 and Q6 have this shape), the table's segments are shared
 * out among threads, a few at a time from one counter: each thread scans its segments for
 * the query's snapshot, filters, and aggregates into a part of its own (hash table and
 * states). The parts are then merged into the operator's. Plans with subqueries or
 * DISTINCT aggregates, small tables and index lookups are left to the single-threaded
 * pull pipeline.
 */
#include "exec_agg.h"

#include "errors.h"
#include "scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAR_CHUNK    8  /* segments a thread takes at a time */
#define PAR_MAX      16 /* threads at most */
#define PAR_MIN_SEGS 32 /* tables smaller than this many segments are aggregated serially */

static int par_configured; /* atomic; 0: one per processor */

void eng_set_query_threads(int n)
{
    __atomic_store_n(&par_configured, n < 0 ? 0 : n, __ATOMIC_RELAXED);
}

int eng_query_threads(void)
{
    int n = __atomic_load_n(&par_configured, __ATOMIC_RELAXED);
    if (n == 0) {
        const char *env = getenv("EIDER_QUERY_THREADS");
        n = env && *env ? atoi(env) : 0;
    }
    if (n <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (int)cpus : 1;
    }
    return n > PAR_MAX ? PAR_MAX : n;
}

typedef struct par_shared {
    ex_node *n;
    const pl_node *scan;
    const bexpr *filters[16]; /* the FILTER conditions between the aggregation and the scan */
    uint32_t nfilters;
    uint64_t next_seg; /* atomic */
    uint64_t nsegs, end_row;
} par_shared;

typedef struct par_worker {
    par_shared *sh;
    agg_part part;
    bool own_part; /* false for the calling thread, which fills the operator's part */
    agg_part *target;
    arena scratch;
    arena scan_arena;
    ev_vec *cols;
    uint32_t *sel;
    pthread_t thread;
    int rc;
    eng_error err;
} par_worker;

static bool par_has_subquery(const bexpr *e)
{
    return e && bx_has_subquery(e);
}

/* The scan under the aggregation, through filters only; NULL when the shape differs. */
static const pl_node *par_find_scan(const pl_node *agg, par_shared *sh)
{
    const pl_node *p = agg->child;
    while (p->kind == PL_FILTER) {
        if (sh->nfilters == sizeof sh->filters / sizeof *sh->filters ||
            par_has_subquery(p->u.filter.pred))
            return NULL;
        sh->filters[sh->nfilters++] = p->u.filter.pred;
        p = p->child;
    }
    if (p->kind != PL_SCAN || p->u.scan.lookup.key || par_has_subquery(p->u.scan.filter))
        return NULL;
    for (uint32_t k = 0; k < agg->u.agg.ngroups; k++)
        if (par_has_subquery(agg->u.agg.groups[k]))
            return NULL;
    for (uint32_t k = 0; k < agg->u.agg.naggs; k++)
        if (agg->u.agg.aggs[k].distinct || par_has_subquery(agg->u.agg.aggs[k].arg))
            return NULL;
    return p;
}

static void *par_run(void *arg)
{
    par_worker *w = arg;
    par_shared *sh = w->sh;
    ex_ctx *ctx = sh->n->ctx;
    const tbl_table *tb = sh->scan->u.scan.table;
    eng_error *err = &w->err;
    for (;;) {
        uint64_t seg = __atomic_fetch_add(&sh->next_seg, PAR_CHUNK, __ATOMIC_RELAXED);
        if (seg >= sh->nsegs)
            break;
        scan_state sc;
        arena_reset(&w->scan_arena);
        if (scan_open(&sc, tb, ctx->t, NULL, ctx->params, &w->scan_arena, err) != 0) {
            w->rc = -1;
            break;
        }
        sc.next_row = seg * TBL_SEG_ROWS;
        uint64_t end = (seg + PAR_CHUNK) * TBL_SEG_ROWS;
        sc.end_row = end < sh->end_row ? end : sh->end_row;
        uint64_t base;
        uint32_t count;
        while (w->rc == 0 && (count = scan_next(&sc, w->cols, w->sel, &base)) > 0) {
            arena_reset(&w->scratch);
            ex_batch b = {count, w->cols, scan_dense(w->sel, count) ? NULL : w->sel};
            const bexpr *scan_filter = sh->scan->u.scan.filter;
            if (scan_filter && ex_filter_batch(scan_filter, ctx, &b, &w->scratch, err) != 0)
                w->rc = -1;
            for (uint32_t f = 0; w->rc == 0 && f < sh->nfilters && b.n; f++)
                if (ex_filter_batch(sh->filters[f], ctx, &b, &w->scratch, err) != 0)
                    w->rc = -1;
            if (w->rc == 0 && b.n &&
                agg_part_add(w->target, sh->n->pl, ctx, &b, &w->scratch, err) != 0)
                w->rc = -1;
        }
        if (w->rc != 0 ||
            __atomic_load_n(&sh->next_seg, __ATOMIC_RELAXED) >= sh->nsegs + PAR_MAX * PAR_CHUNK)
            break;
    }
    if (w->rc != 0) /* stop the others early */
        __atomic_store_n(&sh->next_seg, sh->nsegs + PAR_MAX * PAR_CHUNK * 2, __ATOMIC_RELAXED);
    return NULL;
}

/* Folds a worker's groups into the operator's part. */
static int par_merge(ex_node *n, agg_part *main, agg_part *part, eng_error *err)
{
    const pl_node *pl = n->pl;
    uint32_t ng = pl->u.agg.ngroups, na = pl->u.agg.naggs;
    uint64_t total = ng ? part->ht.count : 1;
    for (uint64_t at = 0; at < total; at += ENG_VECTOR_SIZE) {
        uint32_t m = total - at < ENG_VECTOR_SIZE ? (uint32_t)(total - at) : ENG_VECTOR_SIZE;
        const uint32_t *dst = main->zeros;
        if (ng) {
            for (uint32_t k = 0; k < ng; k++)
                cb_view(&part->ht.keys, k, at, &main->keys[k]);
            uint32_t added;
            if (ht_insert(&main->ht, main->keys, m, main->ids, &added, err) != 0)
                return -1;
            main->ngroups = main->ht.count;
            dst = main->ids;
        }
        for (uint32_t k = 0; k < na; k++) {
            if (agg_grow(&main->aggs[k], main->ngroups, err) != 0)
                return -1;
            for (uint32_t i = 0; i < m && !pl->u.agg.aggs[k].same_sum; i++)
                if (agg_merge(&main->aggs[k], dst[i], &part->aggs[k], at + i, err) != 0)
                    return -1;
        }
    }
    return 0;
}

static int par_worker_init(par_worker *w, par_shared *sh, agg_part *target, eng_error *err)
{
    ex_ctx *ctx = sh->n->ctx;
    const tbl_table *tb = sh->scan->u.scan.table;
    w->sh = sh;
    w->target = target;
    arena_init_counted(&w->scratch, 64 * 1024, ctx->mem);
    arena_init_counted(&w->scan_arena, 4096, ctx->mem);
    w->cols = malloc((tb->ncols ? tb->ncols : 1) * sizeof *w->cols);
    w->sel = malloc(ENG_VECTOR_SIZE * sizeof *w->sel);
    if (!w->cols || !w->sel)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a parallel scan");
    return 0;
}

static void par_worker_free(par_worker *w)
{
    arena_free(&w->scratch);
    arena_free(&w->scan_arena);
    free(w->cols);
    free(w->sel);
}

int agg_parallel(ex_node *n, agg_part *main, eng_error *err)
{
    par_shared sh = {.n = n};
    sh.scan = par_find_scan(n->pl, &sh);
    if (!sh.scan)
        return 0;
    sh.end_row = tbl_row_count(sh.scan->u.scan.table);
    sh.nsegs = (sh.end_row + TBL_SEG_ROWS - 1) / TBL_SEG_ROWS;
    int threads = eng_query_threads();
    if (sh.nsegs < PAR_MIN_SEGS || threads < 2)
        return 0;
    if ((uint64_t)threads > sh.nsegs / PAR_CHUNK)
        threads = (int)(sh.nsegs / PAR_CHUNK);
    par_worker *w = calloc((size_t)threads, sizeof *w);
    if (!w)
        return err_set(err, ENG_E_NOMEM, "out of memory starting a parallel scan");
    int rc = 0, started = 0;
    /* worker 0 is this thread, aggregating straight into the operator's part */
    for (int i = 0; i < threads && rc == 0; i++) {
        agg_part *target = main;
        if (i > 0) {
            rc = agg_part_init(&w[i].part, n->pl, n->ctx->mem, err);
            w[i].own_part = true;
            target = &w[i].part;
        }
        if (rc == 0)
            rc = par_worker_init(&w[i], &sh, target, err);
    }
    for (int i = 1; i < threads && rc == 0; i++) {
        if (pthread_create(&w[i].thread, NULL, par_run, &w[i]) != 0)
            break; /* fewer threads do the same work */
        started = i;
    }
    if (rc == 0) {
        par_run(&w[0]);
        if (w[0].rc != 0) {
            *err = w[0].err;
            rc = -1;
        }
    }
    for (int i = 1; i <= started; i++) {
        pthread_join(w[i].thread, NULL);
        if (rc == 0 && w[i].rc != 0) {
            *err = w[i].err;
            rc = -1;
        }
    }
    for (int i = 1; i <= started && rc == 0; i++)
        rc = par_merge(n, main, &w[i].part, err);
    for (int i = 0; i < threads; i++) {
        if (w[i].own_part)
            agg_part_free(&w[i].part, n->pl);
        par_worker_free(&w[i]);
    }
    free(w);
    return rc == 0 ? 1 : -1;
}
