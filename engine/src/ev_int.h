/*
 * What the evaluator's files share (eval.c: operators, ev_func.c: scalar functions,
 * ev_like.c: LIKE), and the executor hooks it calls for subqueries.
 */
#ifndef EIDER_EV_INT_H
#define EIDER_EV_INT_H

#include "eval.h"

#include <string.h>

static inline bool ev_null(const ev_vec *v, uint32_t i)
{
    return v->nulls && v->nulls[i];
}

/* Binary comparison of strings (by their UTF-8 bytes). */
static inline int ev_str_cmp(eng_str x, eng_str y)
{
    uint32_t m = x.len < y.len ? x.len : y.len;
    int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return (x.len > y.len) - (x.len < y.len);
}

uint64_t ev_hash_bytes(const char *p, uint32_t len);
/* Copies row k of src into row idx[k] of out, for k < m. */
void ev_scatter(ev_vec *out, const uint32_t *idx, uint32_t m, const ev_vec *src);
/* An input narrowed to rows idx[0..m) of `in` (positions in in's own numbering). */
int ev_sub_input(const ev_input *in, const uint32_t *idx, uint32_t m, arena *a, ev_input *sub,
                 eng_error *err);

/* ev_arith.c: + - * / % and negation over numbers; ev_datetime.c: over dates and times. */
/* e's + - * of DECIMALs where one operand is the constant c (on the left when c_left) and
 * the other the vector v, without materialising the constant: 1 when done into out
 * (allocated), 0 when the operands do not qualify (nothing written). */
int ev_arith_const(const bexpr *e, const ev_vec *v, const bexpr *c, bool c_left, uint32_t n,
                   ev_vec *out);
int ev_arith(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
             eng_error *err);
int ev_unary(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err);
int ev_temporal_arith(const bexpr *e, const ev_vec *l, const ev_vec *r, uint32_t n, ev_vec *out,
                      eng_error *err);
int ev_datetime_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err);

int ev_string_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                   eng_error *err);
int ev_math_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                 eng_error *err);

int ev_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err);
int ev_like(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err);

/* exec_subquery.c */
int ex_subquery_eval(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                     eng_error *err);
const eng_value *ex_ctx_outer(const struct ex_ctx *ctx);
/* The session's account name (user) or the database's path; NULL when there is none. */
const char *ex_ctx_session_text(const struct ex_ctx *ctx, bool user);

#endif
