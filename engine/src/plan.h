/*
 * Bound statements ready to execute. A plan holds references to the tables it reads or
 * writes; plan_release drops them. Everything else lives in the statement's arena.
 */
#ifndef EIDER_PLAN_H
#define EIDER_PLAN_H

#include "ast.h"
#include "bexpr.h"
#include "catalog.h"

/* An index lookup that replaces a full scan: every column of `key` is pinned by an
 * equality in WHERE to an expression without column references. */
typedef struct plan_lookup {
    const tbl_key *key; /* NULL: scan the whole table */
    bexpr **values;     /* one per key column, of that column's type */
} plan_lookup;

typedef struct plan_select {
    tbl_table *table; /* NULL for SELECT without FROM */
    bexpr *where;
    plan_lookup lookup;
    uint32_t ncols;
    bexpr **exprs;
    eng_column *cols;
    bexpr *limit, *offset;
} plan_select;

typedef struct plan_insert {
    tbl_table *table;
    uint32_t nrows;
    bexpr **values; /* nrows x table->ncols, each of its column's type */
} plan_insert;

typedef struct plan_update {
    tbl_table *table;
    bexpr *where;
    plan_lookup lookup;
    bexpr **values; /* per table column: its new value, or NULL when not assigned */
} plan_update;

typedef struct plan_delete {
    tbl_table *table;
    bexpr *where;
    plan_lookup lookup;
} plan_delete;

typedef struct plan {
    const ast_stmt *ast;
    uint32_t nparams;
    eng_type *param_types;
    uint64_t catalog_version; /* of the catalog the plan was bound against */
    union {
        plan_select select;
        plan_insert insert;
        plan_update update;
        plan_delete delete_;
    } u;
} plan;

/* Binds a parsed statement against the catalog as transaction t sees it. */
int bind_statement(const ast_stmt *st, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                   plan *out, eng_error *err);
/* The table `name` as SQL may see it (the engine's own '$' tables stay hidden). */
tbl_table *bind_find_table(cat_catalog *cat, const char *name, const txn *t);
/* Binds a constant expression (a DEFAULT) and converts it to `type`. */
int bind_constant(const ast_expr *ae, eng_type type, arena *a, bexpr **out, eng_error *err);
/* The table the plan reads or writes, if any. */
tbl_table *plan_table(const plan *p);
void plan_release(plan *p);

#endif
