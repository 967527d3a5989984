/*
 * Bound statements ready to execute. A plan holds references to the tables it reads or
 * writes; plan_release drops them. Everything else lives in the statement's arena.
 */
#ifndef EIDER_PLAN_H
#define EIDER_PLAN_H

#include "ast.h"
#include "bexpr.h"
#include "catalog.h"

typedef struct plan_select {
    tbl_table *table; /* NULL for SELECT without FROM */
    bexpr *where;
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

typedef struct plan {
    const ast_stmt *ast;
    uint32_t nparams;
    eng_type *param_types;
    uint64_t catalog_version; /* of the catalog the plan was bound against */
    union {
        plan_select select;
        plan_insert insert;
    } u;
} plan;

/* Binds a parsed statement against the catalog as transaction t sees it. */
int bind_statement(const ast_stmt *st, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                   plan *out, eng_error *err);
/* The table the plan reads or writes, if any. */
tbl_table *plan_table(const plan *p);
void plan_release(plan *p);

#endif
