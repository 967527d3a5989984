/*
 * Typing arithmetic. Numbers are first brought to one type (bind_unify: the wider one, a
 * DECIMAL wide enough for both), then:
 *   DECIMAL(p,s) + - DECIMAL(p,s) -> DECIMAL(p+1, s)
 *   DECIMAL(p,s) * DECIMAL(p,s)   -> DECIMAL(2p, 2s)
 *   DECIMAL(p,s) / DECIMAL(p,s)   -> DECIMAL(38, max(s, 6)), rounded half away from zero
 *   DECIMAL(p,s) % DECIMAL(p,s)   -> DECIMAL(p, s)
 * with precision capped at 38 (a result that does not fit is 22003 at execution). Dates
 * and times follow PostgreSQL: date + integer is a date, date - date the days between,
 * date or timestamp +- interval a timestamp, timestamp - timestamp an interval, interval
 * * number an interval. The operands of these mixed operations keep their own types.
 */
#include "bind_int.h"

#include "errors.h"
#include "value.h"

static bool ba_temporal(eng_type_id id)
{
    return id == ENG_TYPE_DATE || id == ENG_TYPE_TIME || id == ENG_TYPE_TIMESTAMP ||
           id == ENG_TYPE_INTERVAL;
}

static bexpr *ba_node(binder *b, ast_op op, bexpr *l, bexpr *r, eng_type type, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_BINARY, type, pos);
    if (!e)
        return NULL;
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    e->nullable = l->nullable || r->nullable;
    return bind_fold(b, e);
}

/* A flexible operand (NULL, untyped parameter, string literal) next to a date or time: what
 * it most likely is. */
static eng_type ba_partner_type(ast_op op, eng_type_id other, const bexpr *self)
{
    if (other == ENG_TYPE_INTERVAL)
        return bind_type(op == OP_MUL || op == OP_DIV ? ENG_TYPE_DOUBLE : ENG_TYPE_INTERVAL);
    if (other == ENG_TYPE_DATE && !bind_is_string_literal(self))
        return bind_type(ENG_TYPE_INTEGER);
    return bind_type(ENG_TYPE_INTERVAL);
}

static bexpr *ba_error(binder *b, ast_op op, const bexpr *l, const bexpr *r, uint32_t pos)
{
    err_set(b->err, ENG_E_TYPE_MISMATCH, "operator %s cannot be applied to %s and %s (position %u)",
            ast_op_text(op), eng_type_name(l->type.id), eng_type_name(r->type.id), pos + 1);
    return NULL;
}

static bexpr *ba_temporal_op(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos)
{
    bool l_flex = bind_is_untyped_param(b, l) || bind_is_null_literal(l) ||
                  (bind_is_string_literal(l) && ba_temporal(r->type.id));
    bool r_flex = bind_is_untyped_param(b, r) || bind_is_null_literal(r) ||
                  (bind_is_string_literal(r) && ba_temporal(l->type.id));
    if (l_flex && !r_flex && !(l = bind_coerce(b, l, ba_partner_type(op, r->type.id, l))))
        return NULL;
    if (r_flex && !l_flex && !(r = bind_coerce(b, r, ba_partner_type(op, l->type.id, r))))
        return NULL;
    eng_type_id lt = l->type.id, rt = r->type.id;
    eng_type_id D = ENG_TYPE_DATE, T = ENG_TYPE_TIME, TS = ENG_TYPE_TIMESTAMP,
                I = ENG_TYPE_INTERVAL;
    eng_type_id res = ENG_TYPE_NULL;
    bool l_int = val_is_integer(lt), r_int = val_is_integer(rt);
    switch (op) {
    case OP_ADD:
        if ((lt == D && r_int) || (l_int && rt == D))
            res = D;
        else if ((lt == D && rt == I) || (lt == I && rt == D) || (lt == TS && rt == I) ||
                 (lt == I && rt == TS) || (lt == D && rt == T) || (lt == T && rt == D))
            res = TS;
        else if ((lt == T && rt == I) || (lt == I && rt == T))
            res = T;
        else if (lt == I && rt == I)
            res = I;
        break;
    case OP_SUB:
        if (lt == D && r_int)
            res = D;
        else if (lt == D && rt == D)
            res = ENG_TYPE_INTEGER;
        else if ((lt == D || lt == TS) && rt == I)
            res = TS;
        else if ((lt == TS || lt == D) && (rt == TS || rt == D))
            res = I;
        else if (lt == T && rt == I)
            res = T;
        else if ((lt == T && rt == T) || (lt == I && rt == I))
            res = I;
        break;
    case OP_MUL:
        if ((lt == I && bind_is_numeric(rt)) || (bind_is_numeric(lt) && rt == I))
            res = I;
        break;
    case OP_DIV:
        if (lt == I && bind_is_numeric(rt))
            res = I;
        break;
    default:
        break;
    }
    if (res == ENG_TYPE_NULL)
        return ba_error(b, op, l, r, pos);
    /* Integers travel as BIGINT and factors as DOUBLE, so evaluation has one case each. */
    if (l_int && !(l = bind_coerce(b, l, bind_type(ENG_TYPE_BIGINT))))
        return NULL;
    if (r_int && !(r = bind_coerce(b, r, bind_type(ENG_TYPE_BIGINT))))
        return NULL;
    if ((op == OP_MUL || op == OP_DIV) && lt != I &&
        !(l = bind_coerce(b, l, bind_type(ENG_TYPE_DOUBLE))))
        return NULL;
    if ((op == OP_MUL || op == OP_DIV) && rt != I &&
        !(r = bind_coerce(b, r, bind_type(ENG_TYPE_DOUBLE))))
        return NULL;
    return ba_node(b, op, l, r, bind_type(res), pos);
}

static eng_type ba_decimal_result(ast_op op, eng_type t)
{
    uint32_t p = ENG_DECIMAL_PRECISION(t), s = ENG_DECIMAL_SCALE(t);
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        return bind_decimal(p + 1, s);
    case OP_MUL:
        return bind_decimal(2 * p,
                            2 * s > ENG_DECIMAL_MAX_PRECISION ? ENG_DECIMAL_MAX_PRECISION : 2 * s);
    case OP_DIV:
        return bind_decimal(ENG_DECIMAL_MAX_PRECISION, s > 6 ? s : 6);
    default:
        return t;
    }
}

/* DECIMAL * and /: each operand keeps its own scale (an integer is DECIMAL(p,0)), so
 * price * 2 keeps the price's two decimals. */
static bexpr *ba_decimal_muldiv(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos)
{
    if (!(l = bind_coerce(b, l, bind_as_decimal(l->type))) ||
        !(r = bind_coerce(b, r, bind_as_decimal(r->type))))
        return NULL;
    uint32_t lp = ENG_DECIMAL_PRECISION(l->type), ls = ENG_DECIMAL_SCALE(l->type);
    uint32_t rp = ENG_DECIMAL_PRECISION(r->type), rs = ENG_DECIMAL_SCALE(r->type);
    eng_type type;
    if (op == OP_MUL) {
        uint32_t s = ls + rs > ENG_DECIMAL_MAX_PRECISION ? ENG_DECIMAL_MAX_PRECISION : ls + rs;
        type = bind_decimal(lp + rp, s);
    } else {
        uint32_t s = ls > rs ? ls : rs;
        type = bind_decimal(ENG_DECIMAL_MAX_PRECISION, s > 6 ? s : 6);
    }
    return ba_node(b, op, l, r, type, pos);
}

/* Is e a DECIMAL, or an integer or exact literal that can join a DECIMAL's arithmetic? */
static bool ba_decimal_side(const bexpr *e)
{
    return e->type.id == ENG_TYPE_DECIMAL || val_is_integer(e->type.id);
}

bexpr *bind_arith(binder *b, ast_op op, bexpr *l, bexpr *r, uint32_t pos)
{
    if (ba_temporal(l->type.id) || ba_temporal(r->type.id))
        return ba_temporal_op(b, op, l, r, pos);
    if (bind_is_null_literal(l) && bind_is_null_literal(r))
        l->type = r->type = bind_type(ENG_TYPE_INTEGER);
    if ((op == OP_MUL || op == OP_DIV) &&
        (l->type.id == ENG_TYPE_DECIMAL || r->type.id == ENG_TYPE_DECIMAL) && ba_decimal_side(l) &&
        ba_decimal_side(r))
        return ba_decimal_muldiv(b, op, l, r, pos);
    if (!bind_unify(b, &l, &r, "apply arithmetic to", pos))
        return NULL;
    if (!bind_is_numeric(l->type.id)) {
        err_set(b->err, ENG_E_TYPE_MISMATCH, "operator %s cannot be applied to %s (position %u)",
                ast_op_text(op), eng_type_name(l->type.id), pos + 1);
        return NULL;
    }
    eng_type type = l->type;
    if (type.id == ENG_TYPE_DECIMAL)
        type = ba_decimal_result(op, type);
    return ba_node(b, op, l, r, type, pos);
}
