/*
 * Bound expressions: names resolved to input columns, every node typed, implicit casts made
 * explicit, literals already converted to the type they are used as. The evaluator
 * (eval.c) runs these over vectors.
 *
 * While a query is being bound, BX_COLUMN names an attribute (a query-wide column id, see
 * plan.h); plan_layout.c then rewrites each expression against the physical layout of its
 * input, so at execution BX_COLUMN is a position in the input batch.
 */
#ifndef EIDER_BEXPR_H
#define EIDER_BEXPR_H

#include "ast.h"
#include "eider/engine.h"

typedef enum bx_kind {
    BX_CONST,
    BX_COLUMN,
    BX_PARAM,
    BX_UNARY,
    BX_BINARY,
    BX_IS_NULL,
    BX_CAST,
    BX_FUNC,     /* a scalar function (bx_fn) */
    BX_CASE,     /* searched CASE: WHEN conditions in order */
    BX_IN_LIST,  /* x IN (v1, v2, ...) */
    BX_LIKE,     /* x LIKE pattern */
    BX_SUBQUERY, /* scalar, EXISTS or IN (query) */
    BX_OUTER,    /* a column of the enclosing query's current row (correlated subquery) */
} bx_kind;

/* Scalar functions. */
typedef enum bx_fn {
    FN_COALESCE,
    FN_NULLIF,
    FN_ABS,
    FN_ROUND,
    FN_FLOOR,
    FN_CEIL,
    FN_MOD,
    FN_POWER,
    FN_SQRT,
    FN_SIGN,
    FN_EXP,
    FN_LN,
    FN_LOG10,
    FN_TRUNC,
    FN_LENGTH,
    FN_OCTET_LENGTH,
    FN_LOWER,
    FN_UPPER,
    FN_SUBSTRING,
    FN_TRIM,
    FN_LTRIM,
    FN_RTRIM,
    FN_POSITION, /* POSITION(needle IN haystack); LOCATE and STRPOS map here */
    FN_CONCAT,
    FN_REPLACE,
    FN_LEFT,
    FN_RIGHT,
    FN_REPEAT,
    FN_REVERSE,
    FN_LPAD,
    FN_RPAD,
    FN_GREATEST,
    FN_LEAST,
    FN_EXTRACT,    /* args: field (constant text), value */
    FN_DATE_TRUNC, /* args: field (constant text), value */
    FN_DATE_DIFF,  /* DATEDIFF(unit, a, b) */
    FN_CURRENT_DATE,
    FN_CURRENT_TIMESTAMP,
    FN_CURRENT_TIME,
    FN_MAKE_INTERVAL, /* INTERVAL 'text' [unit]: args text, unit (constants) */
    FN_ASCII,
    FN_CHR,
    FN_SPACE,
    FN_RANDOM,
    FN_OVERLAY,         /* OVERLAY(s PLACING r FROM start [FOR count]) */
    FN_CURRENT_USER,    /* the session's account, or NULL */
    FN_CURRENT_CATALOG, /* the database's path */
    FN_COUNT_,          /* number of functions */
} bx_fn;

typedef struct bexpr bexpr;
struct bexpr {
    bx_kind kind;
    eng_type type;
    bool nullable;
    bool shared; /* used more than once in one operator's expressions: its value per batch is
                    kept (ev_input.exprs) and computed once */
    uint32_t pos;
    const char *text; /* a numeric literal as written (NULL otherwise) */
    union {
        eng_value constant;
        uint32_t column; /* attribute id while binding; input position after layout */
        uint32_t param;
        uint32_t outer; /* index into the correlated values of the enclosing row */
        struct {
            ast_op op;
            bexpr *arg;
        } unary;
        struct {
            ast_op op;
            bexpr *left, *right; /* comparison and arithmetic: both of one type */
        } binary;
        struct {
            bexpr *arg;
            bool negated;
        } is_null;
        bexpr *cast_arg;
        struct {
            bx_fn fn;
            uint32_t nargs;
            bexpr **args;
        } func;
        struct {
            uint32_t n;   /* WHEN/THEN pairs */
            bexpr **when; /* BOOLEAN */
            bexpr **then; /* of the CASE's type */
            bexpr *else_; /* NULL: NULL */
        } case_;
        struct {
            bexpr *arg;
            uint32_t n;
            bexpr **list; /* each of arg's type */
            bool negated;
        } in;
        struct {
            bexpr *arg, *pattern; /* VARCHAR */
            uint32_t escape;      /* the escape character, or 0 */
            bool negated, ilike;
        } like;
        struct {
            struct pl_node *plan;
            uint32_t id;     /* slot of its run-time state in the executor */
            int kind;        /* BX_SUB_* */
            int op;          /* ANY, ALL: the comparison (an ast_op) */
            bexpr *arg;      /* IN, ANY, ALL: the tested value */
            bool negated;    /* NOT EXISTS, NOT IN */
            uint32_t nouter; /* correlated values the subquery reads */
            uint32_t *outer; /* their attribute ids, then input positions after layout */
        } sub;
    } u;
};

/* x op ANY (query) and x op ALL (query) are answered from the subquery's smallest and
 * largest values (= ANY is IN, <> ALL is NOT IN). */
enum { BX_SUB_SCALAR, BX_SUB_EXISTS, BX_SUB_IN, BX_SUB_ANY, BX_SUB_ALL };

/* bexpr_util.c */
bool bx_equal(const bexpr *a, const bexpr *b);
/* Does e read any input column (outer references and constants do not)? */
bool bx_has_columns(const bexpr *e);
bool bx_has_subquery(const bexpr *e);
/* Does e call RANDOM() or run a subquery (two evaluations may differ)? */
bool bx_has_volatile(const bexpr *e);

#endif
