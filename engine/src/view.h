/*
 * Views (exec_view.c): stored in the engine's "$views" table, looked up by the binder.
 */
#ifndef EIDER_VIEW_H
#define EIDER_VIEW_H

/* The system table holding the views (name, SQL text, column names). */
#define VIEW_TABLE "$views"

#include "arena.h"
#include "catalog.h"

typedef struct view_def {
    char *name;
    char *columns; /* names separated by \x1f, one per column of the query */
    char *query;   /* the text after AS */
} view_def;

/* 1 and *out filled (in arena a), 0 when t sees no such view, -1 when out of memory. */
int view_lookup(cat_catalog *cat, const txn *t, const char *name, arena *a, view_def *out);
bool view_exists(cat_catalog *cat, const txn *t, const char *name);
/* Whether t may create a table named `name` as far as views go: 0, 42S01 when a view of
 * that name is visible to t, 40001 when a concurrent transaction is creating one or created
 * one after t began. */
int view_name_free(cat_catalog *cat, const txn *t, const char *name, eng_error *err);
/* Calls fn with the name of every view t sees. */
void view_for_each(cat_catalog *cat, const txn *t, void (*fn)(const char *name, void *ctx),
                   void *ctx);
/* Describes every view t sees for eng_session_tables (meta_view.c). 0, or -1 when out of
 * memory. */
struct eng_meta_table;
int view_meta_each(eng_db *db, const txn *t, void (*fn)(const struct eng_meta_table *mt, void *ctx),
                   void *ctx);

#endif
