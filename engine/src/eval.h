/*
 * Vectorised expression evaluation. An expression is evaluated for n input rows at once
 * (picked from the source vectors by a selection vector) into a dense output vector.
 * Rows that are NULL are never computed, so a NULL divisor cannot raise 22012, and the
 * right side of AND/OR is evaluated only for rows the left side has not decided.
 */
#ifndef EIDER_EVAL_H
#define EIDER_EVAL_H

#include "arena.h"
#include "bexpr.h"

/* A vector inside the executor: n values of type.id's width; nulls[i] = 1 for NULL, or a
 * NULL pointer when no value is NULL. */
typedef struct ev_vec {
    eng_type type;
    void *data;
    uint8_t *nulls;
} ev_vec;

typedef struct ev_input {
    const ev_vec *cols;      /* source columns, indexed by bexpr column positions */
    const uint32_t *sel;     /* the n source rows to evaluate; NULL means rows 0..n-1 */
    const eng_value *params; /* parameter values, already of their inferred types */
} ev_input;

int ev_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err);

/* Evaluates a constant expression (no column references) to one value. */
int ev_eval_scalar(const bexpr *e, const eng_value *params, arena *a, eng_value *out,
                   eng_error *err);

/* Reads row i of a dense vector as a value. */
void ev_get(const ev_vec *v, uint32_t i, eng_value *out);

#endif
