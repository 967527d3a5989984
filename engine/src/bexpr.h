/*
 * Bound expressions: names resolved to input column positions, every node typed, implicit
 * casts made explicit, literals already converted to the type they are used as. The
 * evaluator (eval.c) runs these over vectors.
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
} bx_kind;

typedef struct bexpr bexpr;
struct bexpr {
    bx_kind kind;
    eng_type type;
    bool nullable;
    uint32_t pos;
    union {
        eng_value constant;
        uint32_t column; /* position in the input chunk */
        uint32_t param;
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
    } u;
};

#endif
