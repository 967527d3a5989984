/*
 * Scans. A full scan walks the segments up to the row count published when it opened, so
 * rows a statement appends to its own table (UPDATE's new versions) are never revisited.
 * A lookup scan visits only the positions the index returned, grouped by segment.
 */
#include "scan.h"

#include "errors.h"

#include <stdlib.h>
#include <string.h>

static int scan_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int scan_open(scan_state *sc, const tbl_table *tb, const txn *t, const plan_lookup *lookup,
              const eng_value *params, arena *a, eng_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->table = tb;
    sc->snapshot.start = t->start;
    sc->snapshot.id = t->id;
    sc->stop = t->stop;
    sc->end_row = tbl_row_count(tb);
    if (!lookup || !lookup->key)
        return 0;
    const tbl_key *key = lookup->key;
    eng_value *values = arena_alloc(a, key->ncols * sizeof *values);
    if (!values)
        return err_set(err, ENG_E_NOMEM, "out of memory looking up a key");
    for (uint32_t i = 0; i < key->ncols; i++)
        if (ev_eval_scalar(lookup->values[i], params, a, &values[i], err) != 0)
            return -1;
    uint32_t cap = 8;
    uint64_t *rows;
    uint32_t n;
    for (;;) { /* a key may have more versions than we guessed: ask again with room */
        rows = arena_alloc(a, cap * sizeof *rows);
        if (!rows)
            return err_set(err, ENG_E_NOMEM, "out of memory looking up a key");
        n = idx_lookup(key->index, tb, values, rows, cap);
        if (n <= cap)
            break;
        cap = n + 16;
    }
    if (n > 1)
        qsort(rows, n, sizeof *rows, scan_cmp);
    sc->candidates = rows;
    sc->ncandidates = n;
    sc->lookup = true;
    return 0;
}

static void scan_columns(const tbl_table *tb, const tbl_segment *s, ev_vec *cols)
{
    for (uint32_t i = 0; i < tb->ncols; i++) {
        cols[i].type = tb->cols[i].type;
        cols[i].data = s->data[i];
        /* A NOT NULL column's flags are all 0 in the rows a snapshot can see: a vector
         * without flags lets the loops skip reading them. */
        cols[i].nulls = tb->cols[i].not_null ? NULL : s->nulls[i];
    }
}

static bool scan_visible(const tbl_segment *s, uint32_t r, const txn *snap)
{
    uint64_t ins = __atomic_load_n(&s->ins[r], __ATOMIC_ACQUIRE);
    uint64_t del = __atomic_load_n(&s->del[r], __ATOMIC_ACQUIRE);
    return txn_row_visible(ins, del, snap);
}

/* The visible rows of [from, to) into sel, without a branch per row. Relaxed loads are
 * enough: the rows below the published count were written before it was published (the
 * scan read the count with acquire), and a commit restamps its rows before it publishes
 * its timestamp, which this snapshot's start was read from with acquire. */
static uint32_t scan_visible_rows(const tbl_segment *s, uint32_t from, uint32_t to, const txn *snap,
                                  uint32_t *sel)
{
    uint64_t start = snap->start, id = snap->id;
    uint32_t n = 0;
    for (uint32_t r = from; r < to; r++) {
        uint64_t ins = __atomic_load_n(&s->ins[r], __ATOMIC_RELAXED);
        uint64_t del = __atomic_load_n(&s->del[r], __ATOMIC_RELAXED);
        unsigned in_ok = (ins <= start) | (ins == id);
        unsigned del_ok = (del <= start) | (del == id);
        sel[n] = r;
        n += in_ok & !del_ok;
    }
    return n;
}

static uint32_t scan_next_lookup(scan_state *sc, ev_vec *cols, uint32_t *sel, uint64_t *base)
{
    while (sc->next_candidate < sc->ncandidates) {
        uint64_t seg_index = sc->candidates[sc->next_candidate] / TBL_SEG_ROWS;
        /* NULL: reclaimed since the lookup; its rows were dead for every snapshot. */
        const tbl_segment *s = tbl_segment_at(sc->table, seg_index);
        uint32_t n = 0;
        while (sc->next_candidate < sc->ncandidates &&
               sc->candidates[sc->next_candidate] / TBL_SEG_ROWS == seg_index) {
            uint32_t r = (uint32_t)(sc->candidates[sc->next_candidate++] % TBL_SEG_ROWS);
            if (s && scan_visible(s, r, &sc->snapshot))
                sel[n++] = r;
        }
        if (n) {
            scan_columns(sc->table, s, cols);
            *base = seg_index * TBL_SEG_ROWS;
            return n;
        }
    }
    return 0;
}

uint32_t scan_next(scan_state *sc, ev_vec *cols, uint32_t *sel, uint64_t *base)
{
    /* A running statement notices SQLCancel or its timeout here (and in ex_next): scans
     * outside the operator tree (parallel workers, UPDATE, DELETE) included. */
    if (sc->stop && txn_stop_check(sc->stop))
        return 0;
    if (sc->lookup)
        return scan_next_lookup(sc, cols, sel, base);
    while (sc->next_row < sc->end_row) {
        uint64_t seg_index = sc->next_row / TBL_SEG_ROWS;
        const tbl_segment *s = tbl_segment_at(sc->table, seg_index);
        uint32_t from = (uint32_t)(sc->next_row % TBL_SEG_ROWS);
        uint64_t seg_end = (seg_index + 1) * TBL_SEG_ROWS;
        uint32_t to =
            (uint32_t)((sc->end_row < seg_end ? sc->end_row : seg_end) - seg_index * TBL_SEG_ROWS);
        sc->next_row = seg_index * TBL_SEG_ROWS + to;
        if (!s)
            continue; /* reclaimed: every row in it was dead for every snapshot */
        uint32_t n = 0;
        if (tbl_all_visible(s, to, sc->snapshot.start)) /* no stamp to read */
            for (uint32_t r = from; r < to; r++)
                sel[n++] = r;
        else
            n = scan_visible_rows(s, from, to, &sc->snapshot, sel);
        if (n == 0)
            continue;
        scan_columns(sc->table, s, cols);
        *base = seg_index * TBL_SEG_ROWS;
        return n;
    }
    return 0;
}
