/*
 * Bound statements ready to execute. A plan holds references to the tables it reads or
 * writes; plan_release drops them. Everything else lives in the statement's arena.
 *
 * A query is a tree of plan nodes (pl_node). Every column a node produces is an
 * attribute: a query-wide id with a type, so expressions can name columns of any node
 * while the query is bound and rearranged (filters pushed down, join sides swapped).
 * plan_layout.c then fixes each node's output layout (which attributes its batches carry,
 * in which positions) and rewrites expressions to positions, once per bind.
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

typedef struct pl_attr {
    eng_type type;
    bool nullable;
    const char *name;  /* for EXPLAIN */
    const char *table; /* the base table it comes from, or "" */
} pl_attr;

typedef enum pl_kind {
    PL_SCAN,    /* the visible rows of a table, with a filter pushed in */
    PL_ONE_ROW, /* one row of no columns: SELECT without FROM */
    PL_FILTER,
    PL_PROJECT,
    PL_AGG,    /* hash aggregation: GROUP BY, aggregates, DISTINCT */
    PL_SORT,   /* ORDER BY; top-N when it has a limit */
    PL_LIMIT,  /* OFFSET / LIMIT */
    PL_JOIN,   /* hash join on equalities, else nested loops */
    PL_SETOP,  /* UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] */
    PL_WINDOW, /* window functions over the child's rows */
    PL_ROWS,   /* rows produced when the query opens: table functions, information_schema */
} pl_kind;

typedef enum pl_agg_fn {
    AGG_COUNT_STAR,
    AGG_COUNT,
    AGG_SUM,
    AGG_AVG,
    AGG_MIN,
    AGG_MAX,
} pl_agg_fn;

typedef struct pl_agg {
    pl_agg_fn fn;
    bexpr *arg; /* NULL for COUNT(*) */
    bool distinct;
    eng_type type; /* of the result */
    /* 1 + the index of an earlier SUM or AVG of the same argument, whose sum and count
     * this SUM or AVG reads instead of keeping its own (AVG(x) beside SUM(x)); 0: none */
    uint32_t same_sum;
} pl_agg;

typedef struct pl_sort_key {
    bexpr *expr;
    bool desc;
    bool nulls_first;
} pl_sort_key;

typedef enum pl_win_fn {
    WIN_ROW_NUMBER,
    WIN_RANK,
    WIN_DENSE_RANK,
    WIN_AGG, /* an aggregate over the frame */
} pl_win_fn;

typedef struct pl_window {
    pl_win_fn fn;
    pl_agg agg; /* WIN_AGG */
    uint32_t npartition;
    bexpr **partition;
    uint32_t norder;
    pl_sort_key *order;
    ast_frame frame;
} pl_window;

typedef enum pl_join_kind {
    PJ_INNER,
    PJ_LEFT,
    PJ_RIGHT,
    PJ_FULL,
    PJ_SEMI, /* left rows with a match (IN / EXISTS rewritten); output: left only */
    PJ_ANTI, /* left rows without a match */
} pl_join_kind;

/* A row source filled when the query opens (PL_ROWS). */
typedef enum pl_rows_kind {
    ROWS_TABLES,  /* information_schema.tables */
    ROWS_COLUMNS, /* information_schema.columns */
    ROWS_FUNCTION,
} pl_rows_kind;

typedef struct pl_node pl_node;
struct pl_node {
    pl_kind kind;
    uint32_t pos;
    uint32_t nattrs; /* logical output: attribute ids */
    uint32_t *attrs;
    uint32_t nlayout; /* physical output: attribute per batch position (plan_layout.c) */
    uint32_t *layout;
    double rows; /* estimated output rows */
    bool laid;   /* plan_layout has rewritten this node */
    pl_node *child, *right;
    union {
        struct {
            tbl_table *table;
            bexpr *filter; /* over the table's columns, or NULL */
            plan_lookup lookup;
            const char *alias;
        } scan;
        struct {
            bexpr *pred;
        } filter;
        struct {
            bexpr **exprs; /* one per attribute */
        } project;
        struct {
            uint32_t ngroups;
            bexpr **groups;
            uint32_t naggs;
            pl_agg *aggs;
        } agg;
        struct {
            uint32_t nkeys;
            pl_sort_key *keys;
            bexpr *limit, *offset; /* top-N: keep offset + limit rows */
        } sort;
        struct {
            bexpr *limit, *offset;
        } limit;
        struct {
            pl_join_kind kind;
            uint32_t nkeys;
            bexpr **lkeys, **rkeys; /* equalities: over the left and the right child */
            bexpr *residual;        /* the rest of ON, over left ++ right; NULL: none */
            bool build_left;        /* hash the left input (the smaller one) */
            uint32_t nout;          /* positions of left ++ right that the output keeps */
            uint32_t *out;
        } join;
        struct {
            ast_setop op;
            bool all;
            uint32_t *lpos, *rpos; /* where each column is in the children's layouts */
        } setop;
        struct {
            uint32_t nfuncs; /* attributes: the child's, then one per function */
            pl_window *funcs;
        } window;
        struct {
            pl_rows_kind kind;
            const struct tf_entry *fn; /* ROWS_FUNCTION: a copy of the registry entry */
            uint32_t nargs;
            bexpr **args;
        } rows;
    } u;
};

typedef struct plan_select {
    pl_node *root;
    uint32_t *out_pos; /* layout positions of the result columns in root's batches */
    uint32_t nattrs;
    pl_attr *attrs;
    uint32_t nsubqueries; /* BX_SUBQUERY slots */
    uint32_t ncols;
    eng_column *cols;
    tbl_table **tables; /* every table the query reads (referenced) */
    uint32_t ntables;
    char *explain;      /* EXPLAIN: the plan as text, one line per node */
    struct ex_run *run; /* the open cursor's execution state */
    uint64_t mem_peak;  /* of the last execution, once it is closed */
} plan_select;

typedef struct plan_insert {
    tbl_table *table;
    uint32_t nrows;
    bexpr **values;     /* nrows x table->ncols, each of its column's type */
    plan_select source; /* INSERT ... SELECT: root != NULL; its columns are the table's */
} plan_insert;

typedef struct plan_update {
    tbl_table *table;
    bexpr *where;
    plan_lookup lookup;
    bexpr **values; /* per table column: its new value, or NULL when not assigned */
    uint32_t nsubqueries;
    tbl_table **tables; /* tables its subqueries read */
    uint32_t ntables;
    const pl_attr *attrs; /* of its subqueries */
} plan_update;

typedef struct plan_delete {
    tbl_table *table;
    bexpr *where;
    plan_lookup lookup;
    uint32_t nsubqueries;
    tbl_table **tables; /* tables its subqueries read */
    uint32_t ntables;
    const pl_attr *attrs; /* of its subqueries */
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
/* Binds a query on its own (CREATE TABLE ... AS, views), with no parameters. */
int bind_query_plan(const ast_query *q, const char *sql, cat_catalog *cat, const txn *t, arena *a,
                    plan_select *out, eng_error *err);
/* The table `name` as SQL may see it (the engine's own '$' tables stay hidden). */
tbl_table *bind_find_table(cat_catalog *cat, const char *name, const txn *t);
/* Binds a constant expression (a DEFAULT) and converts it to `type`. */
int bind_constant(const ast_expr *ae, eng_type type, arena *a, bexpr **out, eng_error *err);
/* The table the plan reads or writes, if any (for queries: the first one). */
tbl_table *plan_table(const plan *p);
void plan_release(plan *p);
void plan_select_release(plan_select *ps);

/* Optimizer passes over a bound query (plan_opt.c): pushes filters down into joins and
 * scans, turns equalities across join sides into hash keys, picks index lookups and
 * build sides. */
int plan_optimize(pl_node **root, uint32_t nattrs, arena *a, eng_error *err);
/* Fixes layouts and rewrites expressions to positions (plan_layout.c). */
int plan_layout(pl_node *root, uint32_t nattrs, arena *a, eng_error *err);
/* Optimizes and lays out the subqueries inside an expression bound over a table's columns
 * (UPDATE and DELETE). */
int plan_layout_subqueries(bexpr *e, uint32_t nattrs, arena *a, eng_error *err);
/* EXPLAIN's text (plan_explain.c). */
char *plan_explain(const pl_node *root, const pl_attr *attrs, arena *a);
/* The attributes an expression reads, marked in `used` (one byte per attribute). */
void plan_expr_attrs(const bexpr *e, uint8_t *used);
/* Chooses an index lookup for a scan filter over the table's columns. */
int plan_choose_lookup(const tbl_table *tb, const bexpr *where, arena *a, plan_lookup *out,
                       eng_error *err);

#endif
