/*
 * Transaction write sets: recording what a transaction changed, and restamping it all at
 * commit (with the commit timestamp) or rollback (with STAMP_NONE for inserted rows and
 * created tables, and releasing the claim on dropped tables).
 */
#include "txn.h"

#include "index.h"

#include "gc.h"

#include <stdlib.h>
#include <time.h>

bool txn_stop_check(txn_stop *s)
{
    if (__atomic_load_n(&s->state, __ATOMIC_RELAXED) != TXN_RUNNING)
        return true;
    if (!s->deadline)
        return false;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec < s->deadline)
        return false;
    uint32_t running = TXN_RUNNING; /* a cancel that came first keeps its state */
    __atomic_compare_exchange_n(&s->state, &running, TXN_TIMED_OUT, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
    return true;
}

int txn_add_op(txn *t, txn_op_kind kind, tbl_table *table, uint64_t first, uint64_t count)
{
    if (kind == TXOP_INSERT && t->nops > 0) {
        txn_op *last = &t->ops[t->nops - 1];
        if (last->kind == TXOP_INSERT && last->table == table &&
            last->first + last->count == first) {
            last->count += count;
            return 0;
        }
    }
    if (t->nops == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 8;
        txn_op *ops = realloc(t->ops, cap * sizeof *ops);
        if (!ops)
            return -1;
        t->ops = ops;
        t->cap = cap;
    }
    tbl_ref(table);
    t->ops[t->nops++] = (txn_op){kind, table, first, count, NULL, 0, false};
    return 0;
}

int txn_add_delete(txn *t, tbl_table *table, uint64_t row)
{
    txn_op *last = t->nops ? &t->ops[t->nops - 1] : NULL;
    if (!last || last->kind != TXOP_DELETE || last->table != table) {
        if (txn_add_op(t, TXOP_DELETE, table, 0, 0) != 0)
            return -1;
        last = &t->ops[t->nops - 1];
    }
    if (last->count == last->cap) {
        uint64_t cap = last->cap ? last->cap * 2 : 16;
        uint64_t *rows = realloc(last->rows, cap * sizeof *rows);
        if (!rows)
            return -1;
        last->rows = rows;
        last->cap = cap;
    }
    last->rows[last->count++] = row;
    return 0;
}

bool txn_has_writes(const txn *t)
{
    return t->nops > 0;
}

void txn_finish_ops(txn *t, uint64_t stamp)
{
    if (t->finished)
        return;
    t->finished = true;
    bool commit = stamp != STAMP_NONE;
    for (uint32_t i = 0; i < t->nops; i++) {
        txn_op *op = &t->ops[i];
        switch (op->kind) {
        case TXOP_INSERT:
            tbl_set_ins_range(op->table, op->first, op->count, stamp);
            if (!commit) /* nobody will ever see these rows */
                gc_add_range(op->table, op->first, op->count, 0);
            break;
        case TXOP_DELETE:
            /* Committed: the deletion gets the commit stamp, and the old versions become
             * garbage once every snapshot is newer. Rolled back: the claim is released,
             * and the row is live again for everyone. */
            for (uint64_t r = 0; r < op->count; r++)
                tbl_set_del(op->table, op->rows[r], stamp);
            if (commit)
                gc_add_rows(op->table, op->rows, op->count, stamp);
            break;
        case TXOP_CREATE:
            __atomic_store_n(&op->table->created, stamp, __ATOMIC_RELEASE);
            break;
        case TXOP_DROP:
            __atomic_store_n(&op->table->dropped, commit ? stamp : STAMP_NONE, __ATOMIC_RELEASE);
            break;
        }
    }
}

bool txn_table_row_visible(const tbl_table *tb, uint64_t row, const txn *t)
{
    const tbl_segment *s = tbl_segment_at(tb, row / TBL_SEG_ROWS);
    return s && txn_segment_row_visible(s, (uint32_t)(row % TBL_SEG_ROWS), t);
}

bool txn_next_visible(const tbl_table *tb, const txn *t, uint64_t *row)
{
    uint64_t end = tbl_row_count(tb);
    for (uint64_t r = *row; r < end; r++) {
        const tbl_segment *s = tbl_segment_at(tb, r / TBL_SEG_ROWS);
        if (!s) {
            r = (r / TBL_SEG_ROWS + 1) * TBL_SEG_ROWS - 1;
            continue;
        }
        if (txn_segment_row_visible(s, (uint32_t)(r % TBL_SEG_ROWS), t)) {
            *row = r;
            return true;
        }
    }
    return false;
}

int txn_key_versions(const tbl_table *tb, struct idx_index *ix, const eng_value *key,
                     int (*fn)(uint64_t row, void *ctx), void *ctx)
{
    uint64_t local[16], *rows = local;
    uint32_t cap = 16, n;
    while ((n = idx_lookup(ix, tb, key, rows, cap)) > cap) { /* more versions: ask again */
        if (rows != local)
            free(rows);
        cap = n + 16;
        rows = malloc(cap * sizeof *rows);
        if (!rows)
            return -1;
    }
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = fn(rows[i], ctx);
    if (rows != local)
        free(rows);
    return rc;
}

typedef struct {
    const tbl_table *tb;
    const txn *t;
    int64_t found;
} txn_find;

static int txn_find_row(uint64_t row, void *ctx)
{
    txn_find *f = ctx;
    if (!txn_table_row_visible(f->tb, row, f->t))
        return 0;
    f->found = (int64_t)row;
    return 1;
}

int64_t txn_find_visible(const tbl_table *tb, struct idx_index *ix, const eng_value *key,
                         const txn *t)
{
    txn_find f = {tb, t, -1};
    txn_key_versions(tb, ix, key, txn_find_row, &f);
    return f.found;
}

void txn_free(txn *t)
{
    if (!t)
        return;
    txn_finish_ops(t, STAMP_NONE);
    for (uint32_t i = 0; i < t->nops; i++) {
        free(t->ops[i].rows);
        tbl_unref(t->ops[i].table);
    }
    free(t->ops);
    free(t);
}
