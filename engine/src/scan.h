/*
 * Table scans for SELECT, UPDATE and DELETE: the rows of a table visible to a snapshot,
 * one segment at a time, either all of them or those an index lookup names.
 */
#ifndef EIDER_SCAN_H
#define EIDER_SCAN_H

#include "arena.h"
#include "eval.h"
#include "plan.h"
#include "txn.h"

typedef struct scan_state {
    const tbl_table *table;
    txn snapshot; /* start and id, copied */
    uint64_t next_row, end_row;
    uint64_t *candidates; /* index lookup: positions to visit, in order */
    uint32_t ncandidates, next_candidate;
    bool lookup;
    txn_stop *stop; /* the statement's (txn.stop), polled once per segment */
} scan_state;

/* Prepares a scan; with a lookup, evaluates its key values (params: the execution's
 * parameters) and asks the index. */
int scan_open(scan_state *sc, const tbl_table *tb, const txn *t, const plan_lookup *lookup,
              const eng_value *params, arena *a, eng_error *err);
/* The next segment with visible rows: cols point at its vectors, sel lists the visible
 * rows (offsets in the segment), *base is the segment's first position. 0 at the end, and
 * also once the statement must stop (txn_stop): the statement turns that into its error. */
uint32_t scan_next(scan_state *sc, ev_vec *cols, uint32_t *sel, uint64_t *base);
/* Are the n rows of sel exactly 0..n-1 (a whole segment, or its start, all visible)? A
 * batch can then go without a selection vector, and its columns be read in place. */
static inline bool scan_dense(const uint32_t *sel, uint32_t n)
{
    return n && sel[0] == 0 && sel[n - 1] == n - 1; /* ascending and distinct */
}

#endif
