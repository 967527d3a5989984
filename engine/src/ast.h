/*
 * The parse tree. Everything is allocated in the statement's arena; strings are copied
 * there unquoted. Nodes carry the byte offset of their first token for error messages.
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
    AST_STAR, /* * or t.* in a select list */
} ast_expr_kind;

typedef struct ast_expr ast_expr;
struct ast_expr {
    ast_expr_kind kind;
    uint32_t pos;
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
    } u;
};

typedef struct ast_select_item {
    ast_expr *expr;
    const char *alias;             /* NULL when none */
    uint32_t text_start, text_end; /* the expression's span in the statement text */
} ast_select_item;

typedef struct ast_select {
    ptr_list items;         /* ast_select_item* */
    const char *from_table; /* NULL: SELECT without FROM */
    const char *from_alias;
    uint32_t from_pos;
    ast_expr *where;
    ast_expr *limit, *offset;
} ast_select;

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
} ast_create_table;

typedef struct ast_drop_table {
    const char *name;
    bool if_exists;
} ast_drop_table;

typedef struct ast_insert {
    const char *table;
    uint32_t table_pos;
    ptr_list columns; /* const char*, empty when not given */
    ptr_list rows;    /* ptr_list* of ast_expr* */
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
} ast_stmt_kind;

typedef struct ast_stmt {
    ast_stmt_kind kind;
    uint32_t nparams;
    union {
        ast_select select;
        ast_insert insert;
        ast_update update;
        ast_delete delete_;
        ast_create_table create_table;
        ast_drop_table drop_table;
        ast_alter_table alter_table;
        ast_user user;
    } u;
} ast_stmt;

#endif
