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

struct ex_ctx;

/* The values of shared subexpressions (bexpr.shared) for the rows of one ev_input. */
#define EV_EXPR_SLOTS 16
typedef struct ev_expr_cache {
    const bexpr *e[EV_EXPR_SLOTS];
    ev_vec v[EV_EXPR_SLOTS];
    uint32_t n;
} ev_expr_cache;

typedef struct ev_input {
    const ev_vec *cols;      /* source columns, indexed by bexpr column positions */
    const uint32_t *sel;     /* the n source rows to evaluate; NULL means rows 0..n-1 */
    const eng_value *params; /* parameter values, already of their inferred types */
    struct ex_ctx *ctx;      /* subqueries and correlated values; NULL when there are none */
    ev_vec *cache;           /* per source column: its rows gathered once (data NULL until then), so
                                several expressions over one batch read a column once; or NULL */
    ev_expr_cache *exprs;    /* values of shared subexpressions for these rows, or NULL */
} ev_input;

int ev_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err);

/* The rows (numbers as in->sel gives them, or 0..n-1) of n input rows where pred is TRUE,
 * into out (room for n); their count in *nout. */
int ev_select(const bexpr *pred, const ev_input *in, uint32_t n, uint32_t *out, uint32_t *nout,
              arena *a, eng_error *err);

/* Evaluates a constant expression (no column references) to one value. */
int ev_eval_scalar(const bexpr *e, const eng_value *params, arena *a, eng_value *out,
                   eng_error *err);

/* Reads row i of a dense vector as a value. */
void ev_get(const ev_vec *v, uint32_t i, eng_value *out);
/* Writes a value (of the vector's type, or NULL) into row i; v->nulls must exist. */
void ev_put(ev_vec *v, uint32_t i, const eng_value *val);
/* A vector of n rows of `type` in the arena, all not NULL (nulls allocated, zeroed). */
int ev_alloc(arena *a, eng_type type, uint32_t n, ev_vec *out, eng_error *err);
/* Copies rows sel[0..n) (all of 0..n-1 when sel is NULL) of src into a dense vector. */
int ev_gather(const ev_vec *src, const uint32_t *sel, uint32_t n, arena *a, ev_vec *out,
              eng_error *err);
/* The bytes one value of a type takes in a vector. */
size_t ev_width(eng_type_id id);
/* Three-way comparison of row i of x and row j of y (same type, neither NULL). */
int ev_compare_rows(const ev_vec *x, uint32_t i, const ev_vec *y, uint32_t j);
/* A hash of row i (NULL hashes to a constant). */
uint64_t ev_hash_row(const ev_vec *v, uint32_t i);

#endif
