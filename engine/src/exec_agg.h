/*
 * What the aggregation's files share (exec_agg.c: the operator, exec_agg_par.c: the
 * parallel scan and aggregation it uses for big tables).
 */
#ifndef EIDER_EXEC_AGG_H
#define EIDER_EXEC_AGG_H

#include "exec_int.h"

/* The groups and aggregate states of one consumer of batches. */
typedef struct agg_part {
    ht_table ht;
    agg_state *aggs;
    uint64_t ngroups;
    uint32_t *zeros; /* group ids without GROUP BY */
    uint32_t *ids;
    ev_vec *keys;
    arena a;
} agg_part;

/* Sets up a part for the aggregation plan node pl. */
int agg_part_init(agg_part *p, const pl_node *pl, qmem *mem, eng_error *err);
/* Folds one batch of the child's rows into the part. */
int agg_part_add(agg_part *p, const pl_node *pl, ex_ctx *ctx, const ex_batch *b, arena *scratch,
                 eng_error *err);
void agg_part_free(agg_part *p, const pl_node *pl);

/* Aggregates with several threads when the plan is an aggregation over filters over a big
 * table scan: 1 when done (into main), 0 when the plan does not qualify, -1 on error. */
int agg_parallel(ex_node *n, agg_part *main, eng_error *err);

#endif
