/*
 * The parse tree. Everything is allocated in the statement's arena; strings are copied
 * there unquoted. Nodes carry the byte offset of their first token for error messages.
 *
 * A query (ast_query) is a SELECT block or a set operation (UNION, INTERSECT, EXCEPT) of
 * two queries, with optional WITH, ORDER BY and LIMIT/OFFSET around it. A SELECT block
 * (ast_select) has its select list, FROM tree (ast_from), WHERE, GROUP BY and HAVING.
 */
#ifndef EIDER_AST_H
#define EIDER_AST_H

#include "arena.h"
#include "eider/engine.h"

#include <stdbool.h>
#include <stdint.h>

/* A growable array of pointers in an arena. */
typedef struct ptr_list {
    void **items;
    uint32_t n, cap;
} ptr_list;

int ptr_list_push(arena *a, ptr_list *l, void *item);

typedef enum ast_op {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_CONCAT,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_AND,
    OP_OR,
    OP_NOT,
    OP_NEG,
} ast_op;

const char *ast_op_text(ast_op op);

typedef enum ast_expr_kind {
    AST_LITERAL,
    AST_COLUMN,
    AST_PARAM,
    AST_UNARY,
    AST_BINARY,
    AST_IS_NULL,
    AST_CAST,
    AST_STAR,     /* * or t.* in a select list */
    AST_FUNC,     /* name(args): scalar functions, aggregates, window functions */
    AST_CASE,     /* CASE [operand] WHEN ... THEN ... [ELSE ...] END */
    AST_IN,       /* x [NOT] IN (list) | x [NOT] IN (query) */
    AST_BETWEEN,  /* x [NOT] BETWEEN low AND high */
    AST_LIKE,     /* x [NOT] LIKE | ILIKE pattern [ESCAPE e] */
    AST_EXISTS,   /* [NOT] EXISTS (query) */
    AST_SUBQUERY, /* (query) used as a value */
} ast_expr_kind;

typedef struct ast_expr ast_expr;
typedef struct ast_query ast_query;

typedef enum ast_nulls {
    AST_NULLS_DEFAULT = 0, /* NULLs sort as larger than any value: last ascending */
    AST_NULLS_FIRST,
    AST_NULLS_LAST,
} ast_nulls;

typedef struct ast_order_item {
    ast_expr *expr;
    bool desc;
    ast_nulls nulls;
} ast_order_item;

/* OVER (PARTITION BY ... ORDER BY ... [ROWS|RANGE frame]) */
typedef enum ast_frame {
    AST_FRAME_DEFAULT = 0,  /* RANGE UNBOUNDED PRECEDING .. CURRENT ROW with ORDER BY, else all */
    AST_FRAME_ROWS_RUNNING, /* ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW */
    AST_FRAME_ALL,          /* ... BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING */
} ast_frame;

typedef struct ast_window {
    ptr_list partition; /* ast_expr* */
    ptr_list order;     /* ast_order_item* */
    ast_frame frame;
} ast_window;

typedef struct ast_when {
    ast_expr *when, *then;
} ast_when;

struct ast_expr {
    ast_expr_kind kind;
    uint32_t pos;
    const char *text; /* numeric literals: as written, for exact conversion to DECIMAL */
    union {
        eng_value literal; /* strings point into the arena */
        struct {
            const char *table; /* NULL when unqualified */
            const char *name;
        } column;
        uint32_t param; /* 0-based, in order of appearance */
        struct {
            ast_op op;
            ast_expr *arg;
        } unary;
        struct {
            ast_op op;
            ast_expr *left, *right;
        } binary;
        struct {
            ast_expr *arg;
            bool negated; /* IS NOT NULL */
        } is_null;
        struct {
            ast_expr *arg;
            eng_type type;
        } cast;
        const char *star_table; /* t.*, or NULL for * */
        struct {
            const char *name; /* lower case */
            ptr_list args;    /* ast_expr* */
            bool star;        /* COUNT(*) */
            bool distinct;    /* COUNT(DISTINCT x) */
            ast_window *over; /* a window function call, or NULL */
        } func;
        struct {
            ast_expr *operand; /* CASE x WHEN ...: NULL for a searched CASE */
            ptr_list whens;    /* ast_when* */
            ast_expr *else_;   /* NULL: ELSE NULL */
        } case_;
        struct {
            ast_expr *arg;
            ptr_list list;    /* ast_expr*, when query is NULL */
            ast_query *query; /* IN (SELECT ...), or x op ANY|ALL (SELECT ...) */
            bool negated;
            int quantifier; /* AST_QUANT_*: IN is AST_QUANT_NONE */
            ast_op op;      /* the comparison of ANY / ALL */
        } in;
        struct {
            ast_expr *arg, *low, *high;
            bool negated;
        } between;
        struct {
            ast_expr *arg, *pattern, *escape; /* escape may be NULL */
            bool negated, ilike;
        } like;
        struct {
            ast_query *query;
            bool negated; /* NOT EXISTS */
        } subquery;
    } u;
};

/* x op ANY (query), x op SOME (query), x op ALL (query) */
enum { AST_QUANT_NONE, AST_QUANT_ANY, AST_QUANT_ALL };

typedef struct ast_select_item {
    ast_expr *expr;
    const char *alias;             /* NULL when none */
    uint32_t text_start, text_end; /* the expression's span in the statement text */
} ast_select_item;

typedef enum ast_from_kind {
    FROM_TABLE,    /* a table, view, CTE or information_schema table */
    FROM_SUBQUERY, /* (query) alias */
    FROM_JOIN,
    FROM_FUNCTION, /* name(args): a table function */
} ast_from_kind;

typedef enum ast_join_kind {
    JOIN_INNER,
    JOIN_LEFT,
    JOIN_RIGHT,
    JOIN_FULL,
    JOIN_CROSS,
} ast_join_kind;

typedef struct ast_from ast_from;
struct ast_from {
    ast_from_kind kind;
    uint32_t pos;
    const char *schema;   /* FROM_TABLE: information_schema.x, or NULL */
    const char *name;     /* FROM_TABLE and FROM_FUNCTION */
    const char *alias;    /* NULL when none */
    ptr_list col_aliases; /* alias (c1, c2, ...): const char* */
    ast_query *query;     /* FROM_SUBQUERY */
    ptr_list args;        /* FROM_FUNCTION: ast_expr* */
    ast_join_kind join;   /* FROM_JOIN */
    ast_from *left, *right;
    ast_expr *on;   /* NULL with USING, NATURAL or CROSS */
    ptr_list using; /* const char* */
    bool natural;
};

typedef struct ast_select {
    bool distinct;
    ptr_list items; /* ast_select_item* */
    ast_from *from; /* NULL: SELECT without FROM */
    ast_expr *where;
    ptr_list group_by; /* ast_expr* */
    ast_expr *having;
    uint32_t pos;
} ast_select;

typedef enum ast_setop {
    SETOP_NONE,
    SETOP_UNION,
    SETOP_INTERSECT,
    SETOP_EXCEPT,
} ast_setop;

typedef struct ast_cte {
    const char *name;
    ptr_list columns; /* const char*, may be empty */
    ast_query *query;
    uint32_t pos;
} ast_cte;

struct ast_query {
    ptr_list ctes; /* ast_cte*: WITH */
    ast_setop op;  /* SETOP_NONE: the body is `select` */
    bool all;      /* UNION ALL ... */
    ast_select *select;
    ast_query *left, *right;
    ptr_list order_by; /* ast_order_item* */
    ast_expr *limit, *offset;
    uint32_t pos;
};

typedef struct ast_column_def {
    const char *name;
    eng_type type;
    bool not_null;
    ast_expr *default_value; /* NULL when none */
    uint32_t pos;
} ast_column_def;

/* PRIMARY KEY (...) or UNIQUE (...), from a column or a table constraint. */
typedef struct ast_key_def {
    bool primary;
    ptr_list columns; /* const char* */
    uint32_t pos;
} ast_key_def;

typedef struct ast_create_table {
    const char *name;
    bool if_not_exists;
    ptr_list columns; /* ast_column_def* */
    ptr_list keys;    /* ast_key_def* */
    ast_query *as;    /* CREATE TABLE ... AS query (columns and keys empty) */
} ast_create_table;

typedef struct ast_drop_table {
    const char *name;
    bool if_exists;
} ast_drop_table;

typedef struct ast_create_view {
    const char *name;
    ptr_list columns; /* const char*, may be empty */
    ast_query *query;
    uint32_t text_start, text_end; /* the query's text, stored as the definition */
    bool or_replace;
} ast_create_view;

typedef struct ast_insert {
    const char *table;
    uint32_t table_pos;
    ptr_list columns; /* const char*, empty when not given */
    ptr_list rows;    /* ptr_list* of ast_expr* */
    ast_query *query; /* INSERT ... SELECT: rows is empty */
} ast_insert;

typedef struct ast_alter_table {
    const char *table;
    ast_column_def *add;     /* ADD COLUMN, or NULL */
    const char *drop_column; /* DROP COLUMN, or NULL */
    uint32_t pos;
} ast_alter_table;

/* CREATE USER / ALTER USER / DROP USER */
typedef struct ast_user {
    const char *name;
    ast_expr *password; /* a string literal or a parameter; NULL: unchanged (ALTER) */
    int role;           /* eng_role, or -1: unchanged (ALTER) / the default (CREATE) */
    bool if_exists;     /* DROP USER IF EXISTS */
} ast_user;

typedef struct ast_assignment {
    const char *column;
    ast_expr *value;
    uint32_t pos;
} ast_assignment;

typedef struct ast_update {
    const char *table;
    uint32_t table_pos;
    ptr_list set; /* ast_assignment* */
    ast_expr *where;
} ast_update;

typedef struct ast_delete {
    const char *table;
    uint32_t table_pos;
    ast_expr *where;
} ast_delete;

typedef enum ast_stmt_kind {
    STMT_SELECT,
    STMT_INSERT,
    STMT_UPDATE,
    STMT_DELETE,
    STMT_CREATE_TABLE,
    STMT_DROP_TABLE,
    STMT_ALTER_TABLE,
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_CHECKPOINT,
    STMT_CREATE_USER,
    STMT_ALTER_USER,
    STMT_DROP_USER,
    STMT_CREATE_VIEW,
    STMT_DROP_VIEW,
} ast_stmt_kind;

typedef struct ast_stmt {
    ast_stmt_kind kind;
    uint32_t nparams;
    bool explain; /* EXPLAIN query: a SELECT whose rows are the plan */
    union {
        ast_query *query; /* STMT_SELECT */
        ast_insert insert;
        ast_update update;
        ast_delete delete_;
        ast_create_table create_table;
        ast_drop_table drop_table; /* also DROP VIEW */
        ast_alter_table alter_table;
        ast_user user;
        ast_create_view create_view;
    } u;
} ast_stmt;

#endif
