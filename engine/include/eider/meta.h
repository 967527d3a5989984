/*
 * Eider engine: describing the tables a session can see, for the driver's catalog
 * functions (SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics ...). Kept apart from
 * engine.h: it is read by the catalog code only.
 */
#ifndef EIDER_META_H
#define EIDER_META_H

#include "eider/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eng_meta_column {
    const char *name;
    eng_type type;
    bool nullable;
    bool has_default;
    eng_value default_value; /* when has_default; strings valid during the callback */
} eng_meta_column;

typedef struct eng_meta_key {
    bool primary; /* PRIMARY KEY, else UNIQUE */
    uint32_t ncols;
    const uint32_t *cols; /* column positions, 0-based, in key order */
} eng_meta_key;

typedef struct eng_meta_table {
    const char *name;
    uint32_t ncols;
    const eng_meta_column *cols;
    uint32_t nkeys;
    const eng_meta_key *keys;
    uint64_t positions; /* row positions in use: an upper bound of the live rows */
    bool view;          /* a view: its columns are its query's, it has no keys and rows */
} eng_meta_table;

/* Calls fn for every table, then every view, the session sees: those of its open
 * transaction's snapshot (its own uncommitted DDL included), else of the newest committed
 * state. Internal tables are left out. Returns 0, or -1 with err set (out of memory). */
int eng_session_tables(eng_session *s, void (*fn)(const eng_meta_table *t, void *ctx), void *ctx,
                       eng_error *err);

#ifdef __cplusplus
}
#endif
#endif
