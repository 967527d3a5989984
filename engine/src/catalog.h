/*
 * The catalog: every table entry, committed or not, with MVCC stamps of its own (created,
 * dropped), so DDL is transactional the same way rows are. Lookups are by name,
 * case-insensitively, and return the entry visible to the caller's transaction.
 *
 * The entry list is guarded by a mutex; entries are reference-counted so that a statement
 * that bound a table keeps it alive after a DROP.
 */
#ifndef EIDER_CATALOG_H
#define EIDER_CATALOG_H

#include "table.h"
#include "txn.h"

#include <pthread.h>

typedef struct cat_catalog {
    pthread_mutex_t lock;
    tbl_table **tables;
    uint32_t n, cap;
    uint64_t next_id;
    uint64_t version; /* atomic; changes whenever an entry or its stamps change */
} cat_catalog;

void cat_init(cat_catalog *c);
void cat_destroy(cat_catalog *c);
uint64_t cat_version(const cat_catalog *c);
void cat_bump_version(cat_catalog *c);

/* The table named `name` visible to t, with a reference taken; NULL when none. */
tbl_table *cat_find(cat_catalog *c, const char *name, const txn *t);
bool cat_table_visible(const tbl_table *tb, const txn *t);

/* Creates a table owned by t (visible to others once t commits). */
int cat_create_table(cat_catalog *c, txn *t, const char *name, uint32_t ncols,
                     const tbl_column *cols, uint32_t nkeys, const tbl_key *keys, eng_error *err);
/* Marks a table dropped by t; 40001 when another transaction dropped it first. `rewrite`:
 * dropped by ALTER TABLE, which copied its rows into the table replacing it. */
int cat_drop_table(cat_catalog *c, txn *t, tbl_table *tb, bool rewrite, eng_error *err);
/* Adds a table as committed at `stamp` (log replay). */
int cat_restore_table(cat_catalog *c, uint64_t id, const char *name, uint32_t ncols,
                      const tbl_column *cols, uint32_t nkeys, const tbl_key *keys, uint64_t stamp,
                      eng_error *err);
/* Calls fn for every table entry (under the catalog lock; fn must not call back). */
void cat_for_each(cat_catalog *c, void (*fn)(tbl_table *tb, void *ctx), void *ctx);
tbl_table *cat_find_by_id(cat_catalog *c, uint64_t id);
/* Whether t may create a table named `name` as far as tables go: 0, 42S01 when one is
 * visible to t, 40001 when a concurrent transaction created one. */
int cat_name_free(cat_catalog *c, const txn *t, const char *name, eng_error *err);
/* Up to `cap` entries named `name` that are not rolled back or dropped for good, visible to
 * t or not, each with a reference; returns how many. */
uint32_t cat_find_all(cat_catalog *c, const char *name, tbl_table **out, uint32_t cap);
/* Removes entries that nobody can ever see again: tables whose creation rolled back, and
 * tables dropped at or before the oldest snapshot. */
void cat_purge(cat_catalog *c, uint64_t oldest);

#endif
