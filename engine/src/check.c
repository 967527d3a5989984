/*
 * Listing and checking tables (eng_db_tables, eng_db_check) for the admin tool. Both read
 * the newest snapshot without disturbing writers: the snapshot is held like any reader's,
 * so nothing it looks at is reclaimed meanwhile.
 */
#include "db.h"

#include "scan.h"
#include "stmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chk_tables {
    tbl_table **items;
    uint32_t n;
    db_table_list list;
    txn snap;
} chk_tables;

/* Visits the live rows of a table; returns how many there are. */
static uint64_t chk_rows(tbl_table *tb, const txn *snap, void (*fn)(tbl_table *, uint64_t, void *),
                         void *ctx)
{
    uint64_t n = 0;
    for (uint64_t row = 0; txn_next_visible(tb, snap, &row); row++) {
        n++;
        if (fn)
            fn(tb, row, ctx);
    }
    return n;
}

static void chk_begin(eng_db *db, eng_session **s, chk_tables *l)
{
    memset(l, 0, sizeof *l);
    eng_error err;
    *s = NULL;
    if (eng_session_open(db, s, &err) == 0)
        db_snapshot(session_hold(*s), &l->snap);
    else
        db_snapshot(db_commit_ts(db), &l->snap);
    db_tables_collect(db, &l->snap, &l->list);
    l->items = l->list.items;
    l->n = l->list.n;
}

static void chk_end(eng_session *s, chk_tables *l)
{
    db_tables_free(&l->list);
    if (s) {
        session_release(s);
        eng_session_close(s);
    }
}

void eng_db_tables(eng_db *db, void (*fn)(const eng_table_info *t, void *ctx), void *ctx)
{
    eng_session *s;
    chk_tables l;
    chk_begin(db, &s, &l);
    for (uint32_t i = 0; i < l.n; i++) {
        tbl_table *tb = l.items[i];
        eng_table_info info = {
            tb->name,          tb->ncols,
            tb->nkeys,         chk_rows(tb, &l.snap, NULL, NULL),
            tbl_row_count(tb), __atomic_load_n(&tb->segments_live, __ATOMIC_RELAXED)};
        fn(&info, ctx);
    }
    chk_end(s, &l);
}

typedef struct chk_state {
    const txn *snap;
    char *report;
    size_t cap, len;
    uint64_t problems;
} chk_state;

static void chk_problem(chk_state *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void chk_problem(chk_state *c, const char *fmt, ...)
{
    c->problems++;
    if (c->len + 1 >= c->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->report + c->len, c->cap - c->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->len += (size_t)n < c->cap - c->len ? (size_t)n : c->cap - c->len - 1;
}

/* A live row: readable, and found by every key under its own key with no live twin. */
static void chk_row(tbl_table *tb, uint64_t row, void *ctx)
{
    chk_state *c = ctx;
    eng_value key[64];
    for (uint32_t k = 0; k < tb->nkeys; k++) {
        const tbl_key *kd = &tb->keys[k];
        bool has_null = false;
        for (uint32_t i = 0; i < kd->ncols && i < 64; i++) {
            tbl_get(tb, row, kd->cols[i], &key[i]);
            has_null |= key[i].is_null;
        }
        if (has_null)
            continue;
        uint64_t found[16];
        uint32_t n = idx_lookup(kd->index, tb, key, found, 16);
        bool self = false;
        uint32_t live = 0;
        for (uint32_t i = 0; i < n && i < 16; i++) {
            self |= found[i] == row;
            live += txn_table_row_visible(tb, found[i], c->snap);
        }
        char desc[256];
        tbl_describe_key(tb, row, kd->ncols, kd->cols, desc, sizeof desc);
        if (!self && n <= 16)
            chk_problem(c, "table \"%s\": the index of key %s does not find row %llu\n", tb->name,
                        desc, (unsigned long long)row);
        if (live > 1)
            chk_problem(c, "table \"%s\": %u live rows share key %s\n", tb->name, live, desc);
    }
}

uint64_t eng_db_check(eng_db *db, char *report, size_t cap)
{
    eng_session *s;
    chk_tables l;
    chk_begin(db, &s, &l);
    chk_state c = {&l.snap, report, cap, 0, 0};
    if (cap)
        report[0] = '\0';
    for (uint32_t i = 0; i < l.n; i++)
        chk_rows(l.items[i], &l.snap, chk_row, &c);
    chk_end(s, &l);
    return c.problems;
}
