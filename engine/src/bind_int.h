/*
 * What the binder's files share (binder.c: statements and coercions, bind_expr.c:
 * expressions, bind_func.c: function calls, bind_query.c: queries, bind_from.c: FROM).
 *
 * Names are resolved through scopes: a scope lists the columns a FROM clause makes
 * visible (range variable, name, attribute). A subquery's scope points at the enclosing
 * one, so a name it cannot resolve itself is looked up there and recorded as a correlated
 * (outer) reference.
 */
#ifndef EIDER_BIND_INT_H
#define EIDER_BIND_INT_H

#include "plan.h"

typedef struct bind_col {
    const char *table; /* range variable (alias or table name); NULL: none */
    const char *name;
    uint32_t attr;
    bool hidden; /* the right copy of a USING column: only reachable qualified */
} bind_col;

/* Correlated references of a subquery: the enclosing query's attributes it reads. */
typedef struct bind_corr {
    uint32_t n, cap;
    uint32_t *attrs;
} bind_corr;

typedef struct bind_scope {
    bind_col *cols;
    uint32_t n, cap;
    struct bind_scope *parent; /* the enclosing query's scope (subqueries), or NULL */
    bind_corr *corr;           /* where this level records outer references */
} bind_scope;

/* A WITH query visible by name. */
typedef struct bind_cte {
    const char *name;
    const ast_cte *def;
    struct bind_cte *next;
} bind_cte;

/* Aggregation of one SELECT block: its groups and the aggregates found so far. */
typedef struct bind_agg {
    uint32_t ngroups;
    bexpr **groups; /* over the FROM scope */
    uint32_t *group_attrs;
    uint32_t naggs, cap;
    pl_agg *aggs;
    uint32_t *agg_attrs;
} bind_agg;

/* Window functions of one SELECT block. */
typedef struct bind_win {
    uint32_t n, cap;
    pl_window *funcs;
    uint32_t *attrs;
} bind_win;

/* A bound query: its plan and its visible result columns. */
typedef struct bind_result {
    pl_node *root;
    uint32_t ncols; /* the first ncols of root->attrs */
    const char **names;
} bind_result;

typedef struct binder {
    arena *a;
    eng_error *err;
    const char *sql;
    cat_catalog *cat;
    const txn *t;
    eng_type *param_types; /* ENG_TYPE_NULL until inferred */
    uint32_t nparams;
    pl_attr *attrs; /* query-wide attributes */
    uint32_t nattrs, attrs_cap;
    tbl_table **tables; /* referenced tables, released with the plan */
    uint32_t ntables, tables_cap;
    uint32_t nsubqueries;
    bind_scope *scope; /* columns visible to the expression being bound */
    bind_scope *outer; /* the enclosing query's scope, for the query being bound */
    bind_corr *corr;   /* where that query records its outer references */
    bind_cte *ctes;
    bind_agg *agg;      /* the SELECT block's aggregation, when it has one */
    bool agg_mode;      /* binding above the aggregation: columns must be grouped */
    bool in_agg_arg;    /* inside an aggregate's argument: no nested aggregates */
    bind_win *win;      /* where window functions go; NULL: not allowed here */
    const char *clause; /* "WHERE", "GROUP BY"...: where aggregates are refused */
    uint32_t depth;     /* nesting of views and subqueries, against runaway recursion */
} binder;

/* binder.c */
bexpr *bind_new(binder *b, bx_kind kind, eng_type type, uint32_t pos);
eng_type bind_type(eng_type_id id);
eng_type bind_decimal(uint32_t precision, uint32_t scale);
/* Integers as the DECIMAL(p,0) that holds them; other types unchanged. */
eng_type bind_as_decimal(eng_type t);
eng_type bind_decimal_common(eng_type a, eng_type b);
/* Replaces an expression of constants (no parameters, columns or subqueries) by its value
 * when it evaluates without error; errors are left for execution to raise. */
bexpr *bind_fold(binder *b, bexpr *e);
uint32_t bind_text_width(eng_type t);
bool bind_is_numeric(eng_type_id id);
bool bind_is_untyped_param(const binder *b, const bexpr *e);
bool bind_is_string_literal(const bexpr *e);
bool bind_is_null_literal(const bexpr *e);
/* Converts e to `to`: folds constants, types an untyped parameter, else wraps a CAST. */
bexpr *bind_coerce(binder *b, bexpr *e, eng_type to);
/* Brings two operands to one type for comparison or arithmetic. */
bool bind_unify(binder *b, bexpr **l, bexpr **r, const char *what, uint32_t pos);
/* The common type of several expressions (CASE, COALESCE, UNION), coercing them all. */
bool bind_unify_list(binder *b, bexpr **list, uint32_t n, const char *what, uint32_t pos);
bexpr *bind_boolean_operand(binder *b, bexpr *e, const char *op);
/* A bare NULL or untyped parameter in an output position becomes VARCHAR. */
bexpr *bind_settle(binder *b, bexpr *e);
uint32_t bind_new_attr(binder *b, eng_type type, bool nullable, const char *name,
                       const char *table);
int bind_keep_table(binder *b, tbl_table *tb);
int bind_nomem(binder *b);

/* bind_expr.c */
bexpr *bind_expr(binder *b, const ast_expr *ae);
/* A column reference to an attribute (grouped-checked above an aggregation). */
bexpr *bind_attr_ref(binder *b, uint32_t attr, uint32_t pos, const char *name);
bool bind_ast_has_agg(const ast_expr *ae);
bool bind_ast_has_window(const ast_expr *ae);

/* bind_arith.c: + - * / % over numbers (DECIMAL with its precision and scale rules),
 * dates, times, timestamps and intervals. */
bexpr *bind_arith(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos);

/* bind_func.c */
bool bind_is_aggregate_name(const char *name);
bexpr *bind_func(binder *b, const ast_expr *ae);
bexpr *bind_aggregate(binder *b, const ast_expr *ae);
bexpr *bind_window(binder *b, const ast_expr *ae);
int bind_agg_result(binder *b, pl_agg_fn fn, bexpr *arg, pl_agg *out, uint32_t pos);

/* bind_scalar.c: string, numeric and ODBC scalar functions by name. *found is false when
 * the name is none of them. */
bexpr *bind_scalar(binder *b, const ast_expr *ae, bexpr **args, uint32_t n, bool *found);
/* CONVERT(x, SQL_type), TIMESTAMPADD and TIMESTAMPDIFF, whose arguments include keywords. */
bexpr *bind_odbc_special(binder *b, const ast_expr *ae, bool *handled);

/* bind_query.c */
int bind_query(binder *b, const ast_query *q, bind_result *out);
bexpr *bind_subquery(binder *b, const ast_query *q, int kind, bexpr *arg, bool negated,
                     uint32_t pos);
pl_node *bind_node(binder *b, pl_kind kind, pl_node *child, uint32_t pos);

/* bind_from.c */
int bind_from(binder *b, const ast_from *f, bind_scope *scope, pl_node **out);
int bind_scope_add(binder *b, bind_scope *s, const char *table, const char *name, uint32_t attr,
                   bool hidden);

#endif
