/*
 * Transactions and visibility (see engine/README.md, "MVCC").
 *
 * A transaction has a snapshot `start` (the newest commit timestamp when it began) and a
 * private id from TXN_ID_BASE upward, so an uncommitted stamp is above every snapshot.
 * A stamp (a row's or a catalog entry's insert or delete mark) is visible to a transaction
 * when it is a commit timestamp <= start or the transaction's own id. The write set (ops)
 * says what to restamp at commit or undo at rollback, and what to write to the log.
 */
#ifndef EIDER_TXN_H
#define EIDER_TXN_H

#include "table.h"

#include <stdbool.h>
#include <stdint.h>

#define TXN_ID_BASE (1ull << 62)

typedef enum txn_op_kind {
    TXOP_INSERT, /* rows [first, first + count) of table appended */
    TXOP_DELETE, /* rows[0..count) claimed (their del stamp set to the transaction's id) */
    TXOP_CREATE, /* table created */
    TXOP_DROP,   /* table dropped */
} txn_op_kind;

typedef struct txn_op {
    txn_op_kind kind;
    tbl_table *table; /* holds a reference */
    uint64_t first, count;
    uint64_t *rows; /* TXOP_DELETE: the claimed positions (malloc'd, capacity cap) */
    uint64_t cap;
    bool rewrite; /* TXOP_DROP by ALTER TABLE: the rows were copied to a new table */
} txn_op;

/* Stopping a running statement (eng_stmt_interrupt, eng_stmt_set_timeout). The statement
 * owns it; the transaction it runs in points at it while it runs, so every scan the
 * statement opens (parallel workers' too) polls it once per segment (scan_next), and every
 * operator once per batch it pulls (ex_next), and ends early; the statement then fails
 * with the state's SQLSTATE instead of using what the shortened run produced. */
typedef enum txn_stop_state {
    TXN_RUNNING = 0,
    TXN_CANCELED, /* HY008: another thread interrupted the statement */
    TXN_TIMED_OUT /* HYT00: the deadline passed */
} txn_stop_state;

typedef struct txn_stop {
    uint32_t state;    /* a txn_stop_state; read and written atomically, by any thread */
    uint64_t deadline; /* CLOCK_MONOTONIC nanoseconds, 0 for none; written before it runs */
} txn_stop;

/* Whether the statement must stop: interrupted, or past its deadline (which then becomes
 * TXN_TIMED_OUT). Cheap enough for once per vector: an atomic load and, with a deadline,
 * a vDSO clock read. */
bool txn_stop_check(txn_stop *s);

typedef struct txn {
    uint64_t id;
    uint64_t start;
    txn_op *ops;
    uint32_t nops, cap;
    bool aborted;   /* a statement failed: only ROLLBACK is accepted */
    bool finished;  /* the write set has been stamped (committed or undone) */
    txn_stop *stop; /* the running statement's, or NULL (see txn_stop) */
} txn;

static inline bool txn_stamp_visible(uint64_t stamp, const txn *t)
{
    return stamp <= t->start || stamp == t->id;
}

static inline bool txn_row_visible(uint64_t ins, uint64_t del, const txn *t)
{
    return txn_stamp_visible(ins, t) && !txn_stamp_visible(del, t);
}

/* Row r of segment s as t sees it (the stamps read with acquire). */
static inline bool txn_segment_row_visible(const tbl_segment *s, uint32_t r, const txn *t)
{
    return txn_row_visible(__atomic_load_n(&s->ins[r], __ATOMIC_ACQUIRE),
                           __atomic_load_n(&s->del[r], __ATOMIC_ACQUIRE), t);
}
/* Row `row` of tb as t sees it; a row of an unlinked (all dead) segment is not visible. */
bool txn_table_row_visible(const tbl_table *tb, uint64_t row, const txn *t);
/* Advances *row to the first row at or after it that t sees, skipping unlinked segments:
 * false when there is none before the table's end. For walking small tables row by row
 * (system tables, checks); queries use scan.c. */
bool txn_next_visible(const tbl_table *tb, const txn *t, uint64_t *row);
/* The row whose key (values of the index's columns) t sees, or -1: every version of the key
 * is looked at, however many the index holds. (Out of memory counts as not found; a write
 * that relies on it is still stopped by the key's unique index.) For the system tables;
 * queries use scan.c. */
struct idx_index;
int64_t txn_find_visible(const tbl_table *tb, struct idx_index *ix, const eng_value *key,
                         const txn *t);
/* Calls fn for every version of the key the index holds, visible to anyone or not, until fn
 * returns non-zero; returns that, or 0, or -1 out of memory. */
int txn_key_versions(const tbl_table *tb, struct idx_index *ix, const eng_value *key,
                     int (*fn)(uint64_t row, void *ctx), void *ctx);
/* Records an op; consecutive inserts into one table that touch are merged. */
int txn_add_op(txn *t, txn_op_kind kind, tbl_table *table, uint64_t first, uint64_t count);
/* Records a claimed row (appended to the last op when it is a delete on the same table). */
int txn_add_delete(txn *t, tbl_table *table, uint64_t row);
/* Whether the transaction wrote anything that must be logged. */
bool txn_has_writes(const txn *t);
/* Stamps everything in the write set with `stamp` (a commit timestamp, or STAMP_NONE to
 * undo), and hands what became garbage to the tables' reclaimers. */
void txn_finish_ops(txn *t, uint64_t stamp);
/* Undoes an unfinished write set, releases the tables and frees the transaction. */
void txn_free(txn *t);

#endif
