/*
 * Expressions. Precedence, lowest first: OR, AND, NOT, IS [NOT] NULL, comparisons,
 * [NOT] IN / BETWEEN / LIKE / ILIKE, ||, + and -, * / %, unary minus, postfix ::type,
 * primary. The SQL standard's special call forms (CAST, EXTRACT, POSITION, SUBSTRING,
 * TRIM, typed literals such as DATE '...', INTERVAL '...' unit) become ordinary function
 * calls or casts in the tree, so the binder sees one shape per idea.
 */
#include "errors.h"
#include "parse_int.h"
#include "parser.h"
#include "value.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A numeric literal; `negative` when a unary minus precedes it, so that the BIGINT minimum
 * (whose magnitude alone does not fit) can be written. */
/* A literal with a point and no exponent as DECIMAL(digits, digits after the point); false
 * when it has more digits than a DECIMAL holds (it is then a DOUBLE). */
static bool parse_decimal_literal(const char *text, eng_value *v)
{
    const char *point = strchr(text, '.');
    uint32_t scale = point ? (uint32_t)strspn(point + 1, "0123456789") : 0;
    dec128 d;
    if (scale > ENG_DECIMAL_MAX_PRECISION ||
        dec_parse(text, strlen(text), ENG_DECIMAL_MAX_PRECISION, scale, &d) != 0)
        return false;
    v->type = ENG_TYPE_DECIMAL;
    v->scale = (uint8_t)scale;
    memcpy(&v->u.dec, &d, sizeof d);
    return true;
}

static ast_expr *parse_literal_number(parser *p, bool negative, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_LITERAL, pos);
    if (!e)
        return NULL;
    char buf[128];
    if (p->tok.len >= sizeof buf - 1)
        return parse_error(p, ENG_E_OUT_OF_RANGE, "numeric literal %.40s... is too long",
                           p->tok.text);
    buf[0] = '-';
    memcpy(buf + 1, p->tok.text, p->tok.len);
    buf[p->tok.len + 1] = '\0';
    const char *text = negative ? buf : buf + 1;
    if (!(e->text = arena_strdup(p->a, text)))
        return parse_nomem(p);
    errno = 0;
    if (p->tok.kind == TK_INTEGER) {
        long long v = strtoll(text, NULL, 10);
        if (errno == ERANGE) { /* too large for BIGINT: an exact DECIMAL if it has room */
            dec128 d;
            if (dec_parse(text, strlen(text), ENG_DECIMAL_MAX_PRECISION, 0, &d) != 0)
                return parse_error(p, ENG_E_OUT_OF_RANGE,
                                   "integer literal %s is out of range for DECIMAL(38,0)", text);
            e->u.literal.type = ENG_TYPE_DECIMAL;
            memcpy(&e->u.literal.u.dec, &d, sizeof d);
            parse_advance(p);
            return e;
        }
        e->u.literal.type = v >= INT32_MIN && v <= INT32_MAX ? ENG_TYPE_INTEGER : ENG_TYPE_BIGINT;
        e->u.literal.u.i = v;
    } else if (!strpbrk(text, "eE") && parse_decimal_literal(text, &e->u.literal)) {
        /* 0.06 is exact (a DECIMAL), as the standard has it: 0.06 + 0.01 = 0.07 */
    } else {
        e->u.literal.type = ENG_TYPE_DOUBLE;
        e->u.literal.u.d = strtod(text, NULL);
    }
    parse_advance(p);
    return e;
}

static ast_expr *parse_string_literal(parser *p)
{
    if (p->tok.kind != TK_STRING)
        return parse_fail(p, "a string literal");
    ast_expr *e = parse_new_expr(p, AST_LITERAL, p->tok.pos);
    if (!e)
        return NULL;
    uint32_t len;
    char *s = parse_unquote(p, &p->tok, &len);
    if (!s)
        return NULL;
    e->u.literal.type = ENG_TYPE_VARCHAR;
    e->u.literal.u.s.ptr = s;
    e->u.literal.u.s.len = len;
    parse_advance(p);
    return e;
}

/* A string literal made from a keyword (EXTRACT's field, INTERVAL's unit). */
static ast_expr *parse_word_literal(parser *p, const char *word, size_t len, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_LITERAL, pos);
    char *s = arena_strndup(p->a, word, len);
    if (!e || !s)
        return parse_nomem(p);
    for (char *c = s; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    e->u.literal.type = ENG_TYPE_VARCHAR;
    e->u.literal.u.s.ptr = s;
    e->u.literal.u.s.len = (uint32_t)len;
    return e;
}

static ast_expr *parse_func_node(parser *p, const char *name, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_FUNC, pos);
    if (!e)
        return NULL;
    e->u.func.name = name;
    return e;
}

static bool parse_push(parser *p, ptr_list *l, void *item)
{
    if (!item)
        return false;
    if (ptr_list_push(p->a, l, item) != 0)
        return parse_nomem(p), false;
    return true;
}

/* OVER ( [PARTITION BY e, ...] [ORDER BY ...] [ROWS|RANGE BETWEEN ... ] ) */
static ast_window *parse_over(parser *p)
{
    ast_window *w = arena_alloc(p->a, sizeof *w);
    if (!w)
        return parse_nomem(p);
    if (!parse_expect_punct(p, "("))
        return NULL;
    if (parse_accept_kw(p, "partition")) {
        if (!parse_expect_kw(p, "by"))
            return NULL;
        do {
            if (!parse_push(p, &w->partition, parse_expr(p)))
                return NULL;
        } while (parse_accept_punct(p, ","));
    }
    if (parse_accept_kw(p, "order")) {
        if (!parse_expect_kw(p, "by") || !parse_order_list(p, &w->order))
            return NULL;
    }
    if (lex_is_kw(&p->tok, "rows") || lex_is_kw(&p->tok, "range")) {
        bool rows = lex_is_kw(&p->tok, "rows");
        parse_advance(p);
        bool between = parse_accept_kw(p, "between");
        if (!parse_expect_kw(p, "unbounded") || !parse_expect_kw(p, "preceding"))
            return NULL;
        w->frame = rows ? AST_FRAME_ROWS_RUNNING : AST_FRAME_DEFAULT;
        if (between) {
            if (!parse_expect_kw(p, "and"))
                return NULL;
            if (parse_accept_kw(p, "unbounded")) {
                if (!parse_expect_kw(p, "following"))
                    return NULL;
                w->frame = AST_FRAME_ALL;
            } else if (!parse_expect_kw(p, "current") || !parse_expect_kw(p, "row")) {
                return NULL;
            }
        }
    }
    if (!parse_expect_punct(p, ")"))
        return NULL;
    return w;
}

/* The arguments of name( ... ) after the "(": the standard's keyword forms first. */
static bool parse_call_args(parser *p, ast_expr *f)
{
    const char *name = f->u.func.name;
    ptr_list *args = &f->u.func.args;
    if (strcmp(name, "extract") == 0 || strcmp(name, "date_part") == 0) {
        if (strcmp(name, "extract") == 0 && p->tok.kind == TK_IDENT) {
            ast_expr *field = parse_word_literal(p, p->tok.text, p->tok.len, p->tok.pos);
            parse_advance(p);
            if (!parse_push(p, args, field) || !parse_expect_kw(p, "from"))
                return false;
            return parse_push(p, args, parse_expr(p));
        }
    } else if (strcmp(name, "overlay") == 0) {
        /* OVERLAY(s PLACING r FROM start [FOR count]) */
        if (!parse_push(p, args, parse_expr(p)) || !parse_expect_kw(p, "placing") ||
            !parse_push(p, args, parse_expr(p)) || !parse_expect_kw(p, "from") ||
            !parse_push(p, args, parse_expr(p)))
            return false;
        if (parse_accept_kw(p, "for"))
            return parse_push(p, args, parse_expr(p));
        return true;
    } else if (strcmp(name, "position") == 0) {
        /* POSITION(a IN b): parse a above the IN level so IN is not taken as a predicate */
        ast_expr *needle = parse_primary(p);
        if (!parse_push(p, args, needle) || !parse_expect_kw(p, "in"))
            return false;
        return parse_push(p, args, parse_expr(p));
    } else if (strcmp(name, "substring") == 0) {
        if (!parse_push(p, args, parse_expr(p)))
            return false;
        if (parse_accept_kw(p, "from")) {
            if (!parse_push(p, args, parse_expr(p)))
                return false;
            if (parse_accept_kw(p, "for"))
                return parse_push(p, args, parse_expr(p));
            return true;
        }
        if (parse_accept_kw(p, "for")) { /* SUBSTRING(s FOR n) */
            ast_expr *one = parse_new_expr(p, AST_LITERAL, p->tok.pos);
            if (!one)
                return false;
            one->u.literal.type = ENG_TYPE_INTEGER;
            one->u.literal.u.i = 1;
            return parse_push(p, args, one) && parse_push(p, args, parse_expr(p));
        }
        while (parse_accept_punct(p, ","))
            if (!parse_push(p, args, parse_expr(p)))
                return false;
        return true;
    } else if (strcmp(name, "trim") == 0) {
        /* TRIM([LEADING|TRAILING|BOTH] [chars] FROM s) | TRIM(s [, chars]) */
        if (parse_accept_kw(p, "leading"))
            f->u.func.name = "ltrim";
        else if (parse_accept_kw(p, "trailing"))
            f->u.func.name = "rtrim";
        else
            parse_accept_kw(p, "both");
        if (parse_accept_kw(p, "from"))
            return parse_push(p, args, parse_expr(p));
        ast_expr *first = parse_expr(p);
        if (!first)
            return false;
        if (parse_accept_kw(p, "from")) {
            return parse_push(p, args, parse_expr(p)) && parse_push(p, args, first);
        }
        if (!parse_push(p, args, first))
            return false;
        while (parse_accept_punct(p, ","))
            if (!parse_push(p, args, parse_expr(p)))
                return false;
        return true;
    }
    if (lex_is_punct(&p->tok, ")"))
        return true;
    if (lex_is_punct(&p->tok, "*")) {
        parse_advance(p);
        f->u.func.star = true;
        return true;
    }
    if (parse_accept_kw(p, "distinct"))
        f->u.func.distinct = true;
    else
        parse_accept_kw(p, "all");
    do {
        if (!parse_push(p, args, parse_expr(p)))
            return false;
    } while (parse_accept_punct(p, ","));
    return true;
}

/* name( ... ) [OVER (...)] with the current token at "(". */
static ast_expr *parse_call(parser *p, const char *word, size_t len, size_t pos)
{
    char *name = arena_strndup(p->a, word, len);
    if (!name)
        return parse_nomem(p);
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    ast_expr *f = parse_func_node(p, name, pos);
    if (!f || !parse_expect_punct(p, "(") || !parse_call_args(p, f) || !parse_expect_punct(p, ")"))
        return NULL;
    if (parse_accept_kw(p, "over") && !(f->u.func.over = parse_over(p)))
        return NULL;
    return f;
}

/* CASE [operand] WHEN a THEN b ... [ELSE c] END */
static ast_expr *parse_case(parser *p, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_CASE, pos);
    if (!e)
        return NULL;
    if (!lex_is_kw(&p->tok, "when") && !(e->u.case_.operand = parse_expr(p)))
        return NULL;
    if (!lex_is_kw(&p->tok, "when"))
        return parse_fail(p, "WHEN");
    while (parse_accept_kw(p, "when")) {
        ast_when *w = arena_alloc(p->a, sizeof *w);
        if (!w)
            return parse_nomem(p);
        if (!(w->when = parse_expr(p)) || !parse_expect_kw(p, "then") ||
            !(w->then = parse_expr(p)) || !parse_push(p, &e->u.case_.whens, w))
            return NULL;
    }
    if (parse_accept_kw(p, "else") && !(e->u.case_.else_ = parse_expr(p)))
        return NULL;
    if (!parse_expect_kw(p, "end"))
        return NULL;
    return e;
}

/* DATE '...', TIME '...', TIMESTAMP '...': a cast of the string. */
static ast_expr *parse_typed_literal(parser *p, const char *type_word, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_CAST, pos);
    if (!e)
        return NULL;
    if (parse_type_name(type_word, &e->u.cast.type, p->err) != 0) {
        p->failed = true;
        return NULL;
    }
    e->u.cast.arg = parse_string_literal(p);
    return e->u.cast.arg ? e : NULL;
}

/* An interval field's optional precision, DAY(3) or SECOND(6): accepted, not kept. */
static bool parse_interval_precision(parser *p)
{
    if (!parse_accept_punct(p, "("))
        return true;
    if (p->tok.kind != TK_INTEGER)
        return parse_fail(p, "a precision"), false;
    parse_advance(p);
    if (parse_accept_punct(p, ",")) {
        if (p->tok.kind != TK_INTEGER)
            return parse_fail(p, "a precision"), false;
        parse_advance(p);
    }
    return parse_expect_punct(p, ")");
}

/* INTERVAL '3' DAY | INTERVAL '1 year 2 months' | INTERVAL '1-2' YEAR TO MONTH:
 * $interval('text', 'unit' or 'unit to unit' or '') */
static ast_expr *parse_interval(parser *p, size_t pos)
{
    ast_expr *f = parse_func_node(p, "$interval", pos);
    ast_expr *text = f ? parse_string_literal(p) : NULL;
    if (!text || !parse_push(p, &f->u.func.args, text))
        return NULL;
    static const char *const units[] = {"year",   "years",   "month", "months", "day",
                                        "days",   "hour",    "hours", "minute", "minutes",
                                        "second", "seconds", "week",  "weeks"};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (lex_is_kw(&p->tok, units[i])) {
            size_t upos = p->tok.pos;
            char word[48];
            snprintf(word, sizeof word, "%s", units[i]);
            parse_advance(p);
            if (!parse_interval_precision(p))
                return NULL;
            if (parse_accept_kw(p, "to")) {
                static const char *const ends[] = {"month", "hour", "minute", "second"};
                size_t e = 0;
                while (e < 4 && !lex_is_kw(&p->tok, ends[e]))
                    e++;
                if (e == 4)
                    return parse_fail(p, "MONTH, HOUR, MINUTE or SECOND");
                size_t ul = strlen(units[i]) - (units[i][strlen(units[i]) - 1] == 's');
                snprintf(word, sizeof word, "%.*s to %s", (int)ul, units[i], ends[e]);
                parse_advance(p);
                if (!parse_interval_precision(p))
                    return NULL;
            }
            ast_expr *unit = parse_word_literal(p, word, strlen(word), upos);
            return unit && parse_push(p, &f->u.func.args, unit) ? f : NULL;
        }
    }
    return f;
}

static ast_expr *parse_paren(parser *p, size_t pos)
{
    parse_advance(p);
    if (parse_at_query(p)) {
        ast_expr *e = parse_new_expr(p, AST_SUBQUERY, pos);
        if (!e || !(e->u.subquery.query = parse_query(p)) || !parse_expect_punct(p, ")"))
            return NULL;
        return e;
    }
    ast_expr *e = parse_expr(p);
    if (!e || !parse_expect_punct(p, ")"))
        return NULL;
    return e;
}

static bool parse_is_word(const lex_token *t, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lex_is_kw(t, words[i]))
            return true;
    return false;
}

ast_expr *parse_primary(parser *p)
{
    lex_token t = p->tok;
    ast_expr *e;
    switch (t.kind) {
    case TK_INTEGER:
    case TK_NUMBER:
        return parse_literal_number(p, false, t.pos);
    case TK_STRING:
        return parse_string_literal(p);
    case TK_PARAM:
        e = parse_new_expr(p, AST_PARAM, t.pos);
        if (!e)
            return NULL;
        e->u.param = p->nparams++;
        parse_advance(p);
        return e;
    case TK_PUNCT:
        if (lex_is_punct(&t, "("))
            return parse_paren(p, t.pos);
        return parse_fail(p, "an expression");
    case TK_IDENT: {
        lex_token next = parse_peek(p);
        if (lex_is_kw(&t, "null") || lex_is_kw(&t, "true") || lex_is_kw(&t, "false")) {
            e = parse_new_expr(p, AST_LITERAL, t.pos);
            if (!e)
                return NULL;
            if (lex_is_kw(&t, "null")) {
                e->u.literal.type = ENG_TYPE_NULL;
                e->u.literal.is_null = true;
            } else {
                e->u.literal.type = ENG_TYPE_BOOLEAN;
                e->u.literal.u.b = lex_is_kw(&t, "true");
            }
            parse_advance(p);
            return e;
        }
        if (lex_is_kw(&t, "cast")) {
            parse_advance(p);
            e = parse_new_expr(p, AST_CAST, t.pos);
            if (!e || !parse_expect_punct(p, "("))
                return NULL;
            if (!(e->u.cast.arg = parse_expr(p)) || !parse_expect_kw(p, "as") ||
                !parse_type(p, &e->u.cast.type) || !parse_expect_punct(p, ")"))
                return NULL;
            return e;
        }
        if (lex_is_kw(&t, "case")) {
            parse_advance(p);
            return parse_case(p, t.pos);
        }
        if (lex_is_kw(&t, "exists") && lex_is_punct(&next, "(")) {
            parse_advance(p);
            parse_advance(p);
            e = parse_new_expr(p, AST_EXISTS, t.pos);
            if (!e || !parse_at_query(p))
                return e ? parse_fail(p, "a query") : NULL;
            if (!(e->u.subquery.query = parse_query(p)) || !parse_expect_punct(p, ")"))
                return NULL;
            return e;
        }
        static const char *const typed[] = {"date", "time", "timestamp"};
        if (next.kind == TK_STRING && parse_is_word(&t, typed, 3)) {
            char word[16];
            snprintf(word, sizeof word, "%.*s", (int)t.len, t.text);
            parse_advance(p);
            return parse_typed_literal(p, word, t.pos);
        }
        if (lex_is_kw(&t, "interval") && next.kind == TK_STRING) {
            parse_advance(p);
            return parse_interval(p, t.pos);
        }
        static const char *const niladic[] = {
            "current_date", "current_timestamp", "current_time",    "localtimestamp", "localtime",
            "current_user", "session_user",      "current_catalog", "current_schema"};
        if (parse_is_word(&t, niladic, sizeof niladic / sizeof *niladic)) {
            char *name = arena_strndup(p->a, t.text, t.len);
            if (!name)
                return parse_nomem(p);
            for (char *c = name; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            parse_advance(p);
            lex_token after = parse_peek(p);
            if (lex_is_punct(&p->tok, "(") && lex_is_punct(&after, ")")) {
                parse_advance(p);
                parse_advance(p);
            }
            return parse_func_node(p, name, t.pos);
        }
        if (lex_is_punct(&next, "(") &&
            (!parse_is_reserved(&t) || lex_is_kw(&t, "left") || lex_is_kw(&t, "right"))) {
            parse_advance(p);
            return parse_call(p, t.text, t.len, t.pos);
        }
    }
        /* a column name */
        /* fall through */
    case TK_QIDENT: {
        const char *first = parse_identifier(p, "an expression");
        if (!first)
            return NULL;
        e = parse_new_expr(p, AST_COLUMN, t.pos);
        if (!e)
            return NULL;
        e->u.column.name = first;
        if (parse_accept_punct(p, ".")) {
            e->u.column.table = first;
            if (!(e->u.column.name = parse_identifier(p, "a column name")))
                return NULL;
        }
        return e;
    }
    default:
        return parse_fail(p, "an expression");
    }
}

/* Applies postfix ::type casts to an already parsed primary. */
static ast_expr *parse_postfix_of(parser *p, ast_expr *e)
{
    while (e && lex_is_punct(&p->tok, "::")) {
        ast_expr *c = parse_new_expr(p, AST_CAST, p->tok.pos);
        parse_advance(p);
        if (!c || !parse_type(p, &c->u.cast.type))
            return NULL;
        c->u.cast.arg = e;
        e = c;
    }
    return e;
}

static ast_expr *parse_postfix(parser *p)
{
    return parse_postfix_of(p, parse_primary(p));
}

ast_expr *parse_unary(parser *p)
{
    if (lex_is_punct(&p->tok, "-") || lex_is_punct(&p->tok, "+")) {
        bool neg = lex_is_punct(&p->tok, "-");
        size_t pos = p->tok.pos;
        parse_advance(p);
        if (neg && (p->tok.kind == TK_INTEGER || p->tok.kind == TK_NUMBER))
            return parse_postfix_of(p, parse_literal_number(p, true, pos));
        ast_expr *arg = parse_unary(p);
        if (!arg || !neg)
            return arg;
        ast_expr *e = parse_new_expr(p, AST_UNARY, pos);
        if (!e)
            return NULL;
        e->u.unary.op = OP_NEG;
        e->u.unary.arg = arg;
        return e;
    }
    return parse_postfix(p);
}

typedef struct parse_binop {
    const char *text;
    ast_op op;
} parse_binop;

static const parse_binop parse_mul_ops[] = {{"*", OP_MUL}, {"/", OP_DIV}, {"%", OP_MOD}};
static const parse_binop parse_add_ops[] = {{"+", OP_ADD}, {"-", OP_SUB}};
static const parse_binop parse_concat_ops[] = {{"||", OP_CONCAT}};
static const parse_binop parse_cmp_ops[] = {{"=", OP_EQ}, {"<>", OP_NE}, {"!=", OP_NE},
                                            {"<", OP_LT}, {"<=", OP_LE}, {">", OP_GT},
                                            {">=", OP_GE}};

static const parse_binop *parse_match_op(parser *p, const parse_binop *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lex_is_punct(&p->tok, ops[i].text))
            return &ops[i];
    return NULL;
}

static ast_expr *parse_binary_node(parser *p, ast_op op, size_t pos, ast_expr *l, ast_expr *r)
{
    if (!l || !r)
        return NULL;
    ast_expr *e = parse_new_expr(p, AST_BINARY, pos);
    if (!e)
        return NULL;
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    return e;
}

/* One left-associative level of binary operators over the next-higher level. */
static ast_expr *parse_level(parser *p, const parse_binop *ops, size_t n,
                             ast_expr *(*next)(parser *))
{
    ast_expr *e = next(p);
    const parse_binop *m;
    while (e && (m = parse_match_op(p, ops, n))) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        e = parse_binary_node(p, m->op, pos, e, next(p));
    }
    return e;
}

static ast_expr *parse_mul(parser *p)
{
    return parse_level(p, parse_mul_ops, 3, parse_unary);
}

static ast_expr *parse_add(parser *p)
{
    return parse_level(p, parse_add_ops, 2, parse_mul);
}

static ast_expr *parse_concat(parser *p)
{
    return parse_level(p, parse_concat_ops, 1, parse_add);
}

/* x [NOT] IN (...) | [NOT] BETWEEN a AND b | [NOT] LIKE p [ESCAPE e] | [NOT] ILIKE p */
static ast_expr *parse_predicate(parser *p)
{
    ast_expr *e = parse_concat(p);
    while (e) {
        bool negated = false;
        size_t pos = p->tok.pos;
        if (lex_is_kw(&p->tok, "not")) {
            lex_token next = parse_peek(p);
            if (!lex_is_kw(&next, "in") && !lex_is_kw(&next, "between") &&
                !lex_is_kw(&next, "like") && !lex_is_kw(&next, "ilike"))
                return e;
            parse_advance(p);
            negated = true;
        }
        ast_expr *n;
        if (parse_accept_kw(p, "in")) {
            if (!(n = parse_new_expr(p, AST_IN, pos)) || !parse_expect_punct(p, "("))
                return NULL;
            n->u.in.arg = e;
            n->u.in.negated = negated;
            if (parse_at_query(p)) {
                if (!(n->u.in.query = parse_query(p)))
                    return NULL;
            } else {
                do {
                    if (!parse_push(p, &n->u.in.list, parse_expr(p)))
                        return NULL;
                } while (parse_accept_punct(p, ","));
            }
            if (!parse_expect_punct(p, ")"))
                return NULL;
        } else if (parse_accept_kw(p, "between")) {
            if (!(n = parse_new_expr(p, AST_BETWEEN, pos)))
                return NULL;
            parse_accept_kw(p, "asymmetric");
            n->u.between.arg = e;
            n->u.between.negated = negated;
            if (!(n->u.between.low = parse_concat(p)) || !parse_expect_kw(p, "and") ||
                !(n->u.between.high = parse_concat(p)))
                return NULL;
        } else if (lex_is_kw(&p->tok, "like") || lex_is_kw(&p->tok, "ilike")) {
            bool ilike = lex_is_kw(&p->tok, "ilike");
            parse_advance(p);
            if (!(n = parse_new_expr(p, AST_LIKE, pos)))
                return NULL;
            n->u.like.arg = e;
            n->u.like.negated = negated;
            n->u.like.ilike = ilike;
            if (!(n->u.like.pattern = parse_concat(p)))
                return NULL;
            if (parse_accept_kw(p, "escape") && !(n->u.like.escape = parse_concat(p)))
                return NULL;
        } else {
            return e;
        }
        e = n;
    }
    return e;
}

/* x op ANY|SOME|ALL (query): the subquery after the operator, which has been read. */
static ast_expr *parse_quantified(parser *p, ast_expr *x, ast_op op, size_t pos)
{
    int quant = lex_is_kw(&p->tok, "all") ? AST_QUANT_ALL : AST_QUANT_ANY;
    parse_advance(p);
    ast_expr *n = parse_new_expr(p, AST_IN, pos);
    if (!n || !parse_expect_punct(p, "("))
        return NULL;
    if (!parse_at_query(p))
        return parse_fail(p, "a subquery after ANY, SOME or ALL");
    n->u.in.arg = x;
    n->u.in.quantifier = quant;
    n->u.in.op = op;
    if (!(n->u.in.query = parse_query(p)) || !parse_expect_punct(p, ")"))
        return NULL;
    return n;
}

/* Is the token after a comparison operator ANY, SOME or ALL opening a subquery? */
static bool parse_at_quantifier(parser *p)
{
    if (!lex_is_kw(&p->tok, "any") && !lex_is_kw(&p->tok, "some") && !lex_is_kw(&p->tok, "all"))
        return false;
    lex_token next = parse_peek(p);
    return lex_is_punct(&next, "(");
}

static ast_expr *parse_comparison(parser *p)
{
    ast_expr *e = parse_predicate(p);
    const parse_binop *m;
    while (e && (m = parse_match_op(p, parse_cmp_ops, 7))) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        if (parse_at_quantifier(p))
            e = parse_quantified(p, e, m->op, pos);
        else
            e = parse_binary_node(p, m->op, pos, e, parse_predicate(p));
    }
    while (e && lex_is_kw(&p->tok, "is")) {
        ast_expr *n = parse_new_expr(p, AST_IS_NULL, p->tok.pos);
        parse_advance(p);
        if (!n)
            return NULL;
        n->u.is_null.negated = parse_accept_kw(p, "not");
        if (!parse_expect_kw(p, "null"))
            return NULL;
        n->u.is_null.arg = e;
        e = n;
    }
    return e;
}

static ast_expr *parse_not(parser *p)
{
    if (lex_is_kw(&p->tok, "not")) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        ast_expr *arg = parse_not(p);
        if (!arg)
            return NULL;
        ast_expr *e = parse_new_expr(p, AST_UNARY, pos);
        if (!e)
            return NULL;
        e->u.unary.op = OP_NOT;
        e->u.unary.arg = arg;
        return e;
    }
    return parse_comparison(p);
}

static ast_expr *parse_and(parser *p)
{
    ast_expr *e = parse_not(p);
    while (e && lex_is_kw(&p->tok, "and")) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        e = parse_binary_node(p, OP_AND, pos, e, parse_not(p));
    }
    return e;
}

ast_expr *parse_expr(parser *p)
{
    ast_expr *e = parse_and(p);
    while (e && lex_is_kw(&p->tok, "or")) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        e = parse_binary_node(p, OP_OR, pos, e, parse_and(p));
    }
    return e;
}

bool parse_order_list(parser *p, ptr_list *out)
{
    do {
        ast_order_item *o = arena_alloc(p->a, sizeof *o);
        if (!o)
            return parse_nomem(p), false;
        if (!(o->expr = parse_expr(p)))
            return false;
        if (parse_accept_kw(p, "desc"))
            o->desc = true;
        else
            parse_accept_kw(p, "asc");
        if (parse_accept_kw(p, "nulls")) {
            if (parse_accept_kw(p, "first"))
                o->nulls = AST_NULLS_FIRST;
            else if (parse_expect_kw(p, "last"))
                o->nulls = AST_NULLS_LAST;
            else
                return false;
        }
        if (!parse_push(p, out, o))
            return false;
    } while (parse_accept_punct(p, ","));
    return true;
}
