/*
 * Recursive-descent parser for Eider's SQL. It keeps one token of look-ahead, builds the
 * tree in the statement's arena, and reports the first error as 42000 with the offending
 * token, its byte position and what was expected there.
 *
 * Expression precedence, lowest first: OR, AND, NOT, comparison and IS [NOT] NULL, ||,
 * + and -, * / %, unary minus, postfix ::type, primary.
 */
#include "parser.h"

#include "errors.h"
#include "lexer.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct parser {
    lexer lx;
    lex_token tok;   /* current token */
    size_t prev_end; /* end offset of the last consumed token */
    arena *a;
    eng_error *err;
    uint32_t nparams;
    bool failed;
} parser;

/* Words that cannot be used as bare identifiers or aliases. */
static const char *const parse_reserved[] = {
    "select", "from",   "where", "and",    "or",     "not",      "null", "is",
    "as",     "insert", "into",  "values", "create", "table",    "drop", "limit",
    "offset", "true",   "false", "cast",   "order",  "group",    "by",   "having",
    "join",   "on",     "union", "begin",  "commit", "rollback",
};

static bool parse_is_reserved(const lex_token *t)
{
    if (t->kind != TK_IDENT)
        return false;
    for (size_t i = 0; i < sizeof parse_reserved / sizeof *parse_reserved; i++)
        if (lex_is_kw(t, parse_reserved[i]))
            return true;
    return false;
}

static void parse_advance(parser *p)
{
    p->prev_end = p->tok.pos + p->tok.len;
    p->tok = lex_next(&p->lx);
}

static void *parse_fail(parser *p, const char *expected)
{
    if (p->failed)
        return NULL;
    p->failed = true;
    if (p->tok.kind == TK_EOF) {
        err_set(p->err, ENG_E_SYNTAX, "syntax error at end of statement: expected %s", expected);
    } else if (p->tok.kind == TK_ERROR && p->tok.len > 0 &&
               (p->tok.text[0] == '\'' || p->tok.text[0] == '"')) {
        err_set(p->err, ENG_E_SYNTAX, "syntax error at position %zu: unterminated %s",
                p->tok.pos + 1, p->tok.text[0] == '\'' ? "string" : "quoted identifier");
    } else {
        int shown = p->tok.len > 40 ? 40 : (int)p->tok.len;
        err_set(p->err, ENG_E_SYNTAX,
                "syntax error at or near \"%.*s\" (position %zu): expected %s", shown, p->tok.text,
                p->tok.pos + 1, expected);
    }
    return NULL;
}

static void *parse_nomem(parser *p)
{
    if (!p->failed) {
        p->failed = true;
        err_set(p->err, ENG_E_NOMEM, "out of memory while parsing");
    }
    return NULL;
}

static bool parse_accept_kw(parser *p, const char *kw)
{
    if (lex_is_kw(&p->tok, kw)) {
        parse_advance(p);
        return true;
    }
    return false;
}

static bool parse_accept_punct(parser *p, const char *punct)
{
    if (lex_is_punct(&p->tok, punct)) {
        parse_advance(p);
        return true;
    }
    return false;
}

static bool parse_expect_kw(parser *p, const char *kw)
{
    if (parse_accept_kw(p, kw))
        return true;
    parse_fail(p, kw);
    return false;
}

static bool parse_expect_punct(parser *p, const char *punct)
{
    if (parse_accept_punct(p, punct))
        return true;
    char what[8];
    snprintf(what, sizeof what, "\"%s\"", punct);
    parse_fail(p, what);
    return false;
}

/* Copies a quoted token's contents, turning doubled quotes into one. */
static char *parse_unquote(parser *p, const lex_token *t, uint32_t *len_out)
{
    char q = t->text[0];
    char *s = arena_alloc(p->a, t->len);
    if (!s)
        return parse_nomem(p);
    uint32_t n = 0;
    for (size_t i = 1; i + 1 < t->len; i++) {
        s[n++] = t->text[i];
        if (t->text[i] == q)
            i++;
    }
    s[n] = '\0';
    if (len_out)
        *len_out = n;
    return s;
}

/* An identifier: a bare non-reserved word or a quoted name. */
static const char *parse_identifier(parser *p, const char *what)
{
    if (p->tok.kind == TK_QIDENT) {
        char *s = parse_unquote(p, &p->tok, NULL);
        parse_advance(p);
        return s;
    }
    if (p->tok.kind != TK_IDENT || parse_is_reserved(&p->tok))
        return parse_fail(p, what);
    char *s = arena_strndup(p->a, p->tok.text, p->tok.len);
    if (!s)
        return parse_nomem(p);
    parse_advance(p);
    return s;
}

static ast_expr *parse_new_expr(parser *p, ast_expr_kind kind, size_t pos)
{
    ast_expr *e = arena_alloc(p->a, sizeof *e);
    if (!e)
        return parse_nomem(p);
    e->kind = kind;
    e->pos = (uint32_t)pos;
    return e;
}

int parse_type_name(const char *text, eng_type *out, eng_error *err)
{
    lexer lx;
    lex_init(&lx, text, strlen(text));
    lex_token t = lex_next(&lx);
    out->width = 0;
    if (lex_is_kw(&t, "integer") || lex_is_kw(&t, "int") || lex_is_kw(&t, "int4")) {
        out->id = ENG_TYPE_INTEGER;
    } else if (lex_is_kw(&t, "bigint") || lex_is_kw(&t, "int8")) {
        out->id = ENG_TYPE_BIGINT;
    } else if (lex_is_kw(&t, "double") || lex_is_kw(&t, "float") || lex_is_kw(&t, "float8") ||
               lex_is_kw(&t, "real") || lex_is_kw(&t, "float4")) {
        out->id = ENG_TYPE_DOUBLE;
    } else if (lex_is_kw(&t, "boolean") || lex_is_kw(&t, "bool")) {
        out->id = ENG_TYPE_BOOLEAN;
    } else if (lex_is_kw(&t, "varchar") || lex_is_kw(&t, "text") || lex_is_kw(&t, "string")) {
        out->id = ENG_TYPE_VARCHAR;
    } else {
        return err_set(err, ENG_E_FEATURE,
                       "type \"%s\" is not supported; use INTEGER, BIGINT, DOUBLE, "
                       "VARCHAR(n) or BOOLEAN",
                       text);
    }
    return 0;
}

/* Parses a type at the current token: a name, DOUBLE PRECISION, CHARACTER VARYING, and an
 * optional (n) for VARCHAR. */
static bool parse_type(parser *p, eng_type *out)
{
    if (p->tok.kind != TK_IDENT)
        return parse_fail(p, "a type name"), false;
    char name[32];
    size_t n = p->tok.len < sizeof name ? p->tok.len : sizeof name - 1;
    memcpy(name, p->tok.text, n);
    name[n] = '\0';
    bool character = lex_is_kw(&p->tok, "character");
    bool dbl = lex_is_kw(&p->tok, "double");
    if (character) {
        parse_advance(p);
        if (!parse_expect_kw(p, "varying"))
            return false;
        out->id = ENG_TYPE_VARCHAR;
    } else {
        if (parse_type_name(name, out, p->err) != 0) {
            p->failed = true;
            return false;
        }
        parse_advance(p);
        if (dbl)
            parse_accept_kw(p, "precision");
    }
    if (out->id == ENG_TYPE_VARCHAR) {
        out->width = ENG_VARCHAR_MAX;
        if (parse_accept_punct(p, "(")) {
            if (p->tok.kind != TK_INTEGER)
                return parse_fail(p, "a length"), false;
            unsigned long w = strtoul(p->tok.text, NULL, 10);
            if (w == 0 || w > ENG_VARCHAR_MAX) {
                p->failed = true;
                err_set(p->err, ENG_E_SYNTAX, "VARCHAR length %.*s is out of range 1..%d",
                        (int)p->tok.len, p->tok.text, ENG_VARCHAR_MAX);
                return false;
            }
            out->width = (uint32_t)w;
            parse_advance(p);
            if (!parse_expect_punct(p, ")"))
                return false;
        }
    }
    return true;
}

static ast_expr *parse_expr(parser *p);

/* A numeric literal; `negative` when a unary minus precedes it, so that the BIGINT minimum
 * (whose magnitude alone does not fit) can be written. */
static ast_expr *parse_literal_number(parser *p, bool negative, size_t pos)
{
    ast_expr *e = parse_new_expr(p, AST_LITERAL, pos);
    if (!e)
        return NULL;
    char buf[128];
    if (p->tok.len >= sizeof buf - 1) {
        p->failed = true;
        err_set(p->err, ENG_E_OUT_OF_RANGE, "numeric literal %.40s... is too long", p->tok.text);
        return NULL;
    }
    buf[0] = '-';
    memcpy(buf + 1, p->tok.text, p->tok.len);
    buf[p->tok.len + 1] = '\0';
    const char *text = negative ? buf : buf + 1;
    errno = 0;
    if (p->tok.kind == TK_INTEGER) {
        long long v = strtoll(text, NULL, 10);
        if (errno == ERANGE) {
            p->failed = true;
            err_set(p->err, ENG_E_OUT_OF_RANGE, "integer literal %s is out of range for BIGINT",
                    text);
            return NULL;
        }
        e->u.literal.type = v >= INT32_MIN && v <= INT32_MAX ? ENG_TYPE_INTEGER : ENG_TYPE_BIGINT;
        e->u.literal.u.i = v;
    } else {
        e->u.literal.type = ENG_TYPE_DOUBLE;
        e->u.literal.u.d = strtod(text, NULL);
    }
    parse_advance(p);
    return e;
}

static ast_expr *parse_primary(parser *p)
{
    lex_token t = p->tok;
    ast_expr *e;
    switch (t.kind) {
    case TK_INTEGER:
    case TK_NUMBER:
        return parse_literal_number(p, false, t.pos);
    case TK_STRING: {
        e = parse_new_expr(p, AST_LITERAL, t.pos);
        if (!e)
            return NULL;
        uint32_t len;
        char *s = parse_unquote(p, &t, &len);
        if (!s)
            return NULL;
        e->u.literal.type = ENG_TYPE_VARCHAR;
        e->u.literal.u.s.ptr = s;
        e->u.literal.u.s.len = len;
        parse_advance(p);
        return e;
    }
    case TK_PARAM:
        e = parse_new_expr(p, AST_PARAM, t.pos);
        if (!e)
            return NULL;
        e->u.param = p->nparams++;
        parse_advance(p);
        return e;
    case TK_PUNCT:
        if (parse_accept_punct(p, "(")) {
            e = parse_expr(p);
            if (!e || !parse_expect_punct(p, ")"))
                return NULL;
            return e;
        }
        return parse_fail(p, "an expression");
    case TK_IDENT:
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

static ast_expr *parse_unary(parser *p)
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

static ast_expr *parse_comparison(parser *p)
{
    ast_expr *e = parse_level(p, parse_cmp_ops, 7, parse_concat);
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

static ast_expr *parse_expr(parser *p)
{
    ast_expr *e = parse_and(p);
    while (e && lex_is_kw(&p->tok, "or")) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        e = parse_binary_node(p, OP_OR, pos, e, parse_and(p));
    }
    return e;
}

/* An optional alias: AS name, or a bare non-reserved word. */
static bool parse_alias(parser *p, const char **alias)
{
    *alias = NULL;
    if (parse_accept_kw(p, "as"))
        return (*alias = parse_identifier(p, "an alias")) != NULL;
    if ((p->tok.kind == TK_IDENT && !parse_is_reserved(&p->tok)) || p->tok.kind == TK_QIDENT)
        return (*alias = parse_identifier(p, "an alias")) != NULL;
    return true;
}

static ast_select_item *parse_select_item(parser *p)
{
    ast_select_item *item = arena_alloc(p->a, sizeof *item);
    if (!item)
        return parse_nomem(p);
    if (lex_is_punct(&p->tok, "*")) {
        item->expr = parse_new_expr(p, AST_STAR, p->tok.pos);
        parse_advance(p);
        return item->expr ? item : NULL;
    }
    /* t.* needs two tokens of look-ahead: peek with a copy of the lexer. */
    if (p->tok.kind == TK_IDENT || p->tok.kind == TK_QIDENT) {
        lexer save = p->lx;
        lex_token dot = lex_next(&save);
        lex_token star = lex_next(&save);
        if (lex_is_punct(&dot, ".") && lex_is_punct(&star, "*")) {
            size_t pos = p->tok.pos;
            const char *table = parse_identifier(p, "a table name");
            if (!table)
                return NULL;
            parse_advance(p);
            parse_advance(p);
            item->expr = parse_new_expr(p, AST_STAR, pos);
            if (!item->expr)
                return NULL;
            item->expr->u.star_table = table;
            return item;
        }
    }
    item->text_start = (uint32_t)p->tok.pos;
    if (!(item->expr = parse_expr(p)))
        return NULL;
    item->text_end = (uint32_t)p->prev_end;
    if (!parse_alias(p, &item->alias))
        return NULL;
    return item;
}

static bool parse_select(parser *p, ast_select *s)
{
    do {
        ast_select_item *item = parse_select_item(p);
        if (!item)
            return false;
        if (ptr_list_push(p->a, &s->items, item) != 0)
            return parse_nomem(p), false;
    } while (parse_accept_punct(p, ","));
    if (parse_accept_kw(p, "from")) {
        s->from_pos = (uint32_t)p->tok.pos;
        if (!(s->from_table = parse_identifier(p, "a table name")) ||
            !parse_alias(p, &s->from_alias))
            return false;
    }
    if (parse_accept_kw(p, "where") && !(s->where = parse_expr(p)))
        return false;
    if (parse_accept_kw(p, "limit")) {
        if (!(s->limit = parse_expr(p)))
            return false;
    }
    if (parse_accept_kw(p, "offset")) {
        if (!(s->offset = parse_expr(p)))
            return false;
    }
    return true;
}

static bool parse_insert(parser *p, ast_insert *ins)
{
    if (!parse_expect_kw(p, "into"))
        return false;
    ins->table_pos = (uint32_t)p->tok.pos;
    if (!(ins->table = parse_identifier(p, "a table name")))
        return false;
    if (parse_accept_punct(p, "(")) {
        do {
            const char *col = parse_identifier(p, "a column name");
            if (!col)
                return false;
            if (ptr_list_push(p->a, &ins->columns, (void *)col) != 0)
                return parse_nomem(p), false;
        } while (parse_accept_punct(p, ","));
        if (!parse_expect_punct(p, ")"))
            return false;
    }
    if (!parse_expect_kw(p, "values"))
        return false;
    do {
        if (!parse_expect_punct(p, "("))
            return false;
        ptr_list *row = arena_alloc(p->a, sizeof *row);
        if (!row)
            return parse_nomem(p), false;
        do {
            ast_expr *e = parse_expr(p);
            if (!e)
                return false;
            if (ptr_list_push(p->a, row, e) != 0)
                return parse_nomem(p), false;
        } while (parse_accept_punct(p, ","));
        if (!parse_expect_punct(p, ")"))
            return false;
        if (ptr_list_push(p->a, &ins->rows, row) != 0)
            return parse_nomem(p), false;
    } while (parse_accept_punct(p, ","));
    return true;
}

static bool parse_update(parser *p, ast_update *up)
{
    up->table_pos = (uint32_t)p->tok.pos;
    if (!(up->table = parse_identifier(p, "a table name")) || !parse_expect_kw(p, "set"))
        return false;
    do {
        ast_assignment *as = arena_alloc(p->a, sizeof *as);
        if (!as)
            return parse_nomem(p), false;
        as->pos = (uint32_t)p->tok.pos;
        if (!(as->column = parse_identifier(p, "a column name")) || !parse_expect_punct(p, "=") ||
            !(as->value = parse_expr(p)))
            return false;
        if (ptr_list_push(p->a, &up->set, as) != 0)
            return parse_nomem(p), false;
    } while (parse_accept_punct(p, ","));
    if (parse_accept_kw(p, "where") && !(up->where = parse_expr(p)))
        return false;
    return true;
}

static bool parse_delete(parser *p, ast_delete *del)
{
    if (!parse_expect_kw(p, "from"))
        return false;
    del->table_pos = (uint32_t)p->tok.pos;
    if (!(del->table = parse_identifier(p, "a table name")))
        return false;
    if (parse_accept_kw(p, "where") && !(del->where = parse_expr(p)))
        return false;
    return true;
}

static bool parse_column_def(parser *p, ast_create_table *ct)
{
    ast_column_def *col = arena_alloc(p->a, sizeof *col);
    if (!col)
        return parse_nomem(p), false;
    col->pos = (uint32_t)p->tok.pos;
    if (!(col->name = parse_identifier(p, "a column name")) || !parse_type(p, &col->type))
        return false;
    for (;;) {
        if (parse_accept_kw(p, "not")) {
            if (!parse_expect_kw(p, "null"))
                return false;
            col->not_null = true;
        } else if (parse_accept_kw(p, "null")) {
            col->not_null = false;
        } else if (lex_is_kw(&p->tok, "primary") || lex_is_kw(&p->tok, "unique")) {
            ast_key_def *key = arena_alloc(p->a, sizeof *key);
            if (!key)
                return parse_nomem(p), false;
            key->pos = (uint32_t)p->tok.pos;
            key->primary = parse_accept_kw(p, "primary");
            if (key->primary ? !parse_expect_kw(p, "key") : !parse_expect_kw(p, "unique"))
                return false;
            if (ptr_list_push(p->a, &key->columns, (void *)col->name) != 0 ||
                ptr_list_push(p->a, &ct->keys, key) != 0)
                return parse_nomem(p), false;
        } else if (parse_accept_kw(p, "default")) {
            uint32_t params = p->nparams;
            if (!(col->default_value = parse_unary(p)))
                return false;
            if (p->nparams != params) {
                p->failed = true;
                err_set(p->err, ENG_E_SYNTAX, "a DEFAULT cannot contain a parameter marker");
                return false;
            }
        } else if (lex_is_kw(&p->tok, "references") || lex_is_kw(&p->tok, "check")) {
            p->failed = true;
            err_set(p->err, ENG_E_FEATURE,
                    "column constraint %.*s (position %zu) is not supported yet", (int)p->tok.len,
                    p->tok.text, p->tok.pos + 1);
            return false;
        } else {
            break;
        }
    }
    if (ptr_list_push(p->a, &ct->columns, col) != 0)
        return parse_nomem(p), false;
    return true;
}

/* [CONSTRAINT name] PRIMARY KEY (a, ...) | UNIQUE (a, ...) */
static bool parse_table_key(parser *p, ast_create_table *ct)
{
    if (parse_accept_kw(p, "constraint") && !parse_identifier(p, "a constraint name"))
        return false;
    ast_key_def *key = arena_alloc(p->a, sizeof *key);
    if (!key)
        return parse_nomem(p), false;
    key->pos = (uint32_t)p->tok.pos;
    key->primary = parse_accept_kw(p, "primary");
    if (key->primary ? !parse_expect_kw(p, "key") : !parse_expect_kw(p, "unique"))
        return false;
    if (!parse_expect_punct(p, "("))
        return false;
    do {
        const char *col = parse_identifier(p, "a column name");
        if (!col)
            return false;
        if (ptr_list_push(p->a, &key->columns, (void *)col) != 0)
            return parse_nomem(p), false;
    } while (parse_accept_punct(p, ","));
    if (!parse_expect_punct(p, ")"))
        return false;
    if (ptr_list_push(p->a, &ct->keys, key) != 0)
        return parse_nomem(p), false;
    return true;
}

/* ALTER TABLE t ADD [COLUMN] definition | DROP [COLUMN] name */
static bool parse_alter(parser *p, ast_alter_table *at)
{
    if (!parse_expect_kw(p, "table"))
        return false;
    at->pos = (uint32_t)p->tok.pos;
    if (!(at->table = parse_identifier(p, "a table name")))
        return false;
    if (parse_accept_kw(p, "add")) {
        parse_accept_kw(p, "column");
        ast_create_table holder = {0};
        if (!parse_column_def(p, &holder))
            return false;
        if (holder.keys.n) {
            p->failed = true;
            err_set(p->err, ENG_E_FEATURE,
                    "ALTER TABLE ADD COLUMN with a PRIMARY KEY or UNIQUE constraint is not "
                    "supported yet");
            return false;
        }
        at->add = holder.columns.items[0];
        return true;
    }
    if (parse_accept_kw(p, "drop")) {
        parse_accept_kw(p, "column");
        return (at->drop_column = parse_identifier(p, "a column name")) != NULL;
    }
    return parse_fail(p, "ADD or DROP"), false;
}

/* [OWNER | READ ONLY | READ WRITE] after an account's name and password. */
static bool parse_role(parser *p, int *role)
{
    if (parse_accept_kw(p, "owner")) {
        *role = ENG_ROLE_OWNER;
    } else if (parse_accept_kw(p, "read")) {
        if (parse_accept_kw(p, "only"))
            *role = ENG_ROLE_READ_ONLY;
        else if (parse_expect_kw(p, "write"))
            *role = ENG_ROLE_READ_WRITE;
        else
            return false;
    }
    return true;
}

/* CREATE USER name PASSWORD 'x' [role] | ALTER USER name [PASSWORD 'x'] [role] */
static bool parse_user(parser *p, ast_user *u, bool create)
{
    u->role = -1;
    if (!(u->name = parse_identifier(p, "an account name")))
        return false;
    if (parse_accept_kw(p, "password")) {
        if (p->tok.kind != TK_STRING && p->tok.kind != TK_PARAM)
            return parse_fail(p, "a password in quotes, or ?"), false;
        if (!(u->password = parse_primary(p)))
            return false;
    } else if (create) {
        return parse_fail(p, "PASSWORD"), false;
    }
    return parse_role(p, &u->role);
}

static bool parse_create(parser *p, ast_create_table *ct)
{
    if (!parse_expect_kw(p, "table"))
        return false;
    if (parse_accept_kw(p, "if")) {
        if (!parse_expect_kw(p, "not") || !parse_expect_kw(p, "exists"))
            return false;
        ct->if_not_exists = true;
    }
    if (!(ct->name = parse_identifier(p, "a table name")) || !parse_expect_punct(p, "("))
        return false;
    do {
        if (lex_is_kw(&p->tok, "primary") || lex_is_kw(&p->tok, "unique") ||
            lex_is_kw(&p->tok, "constraint")) {
            if (!parse_table_key(p, ct))
                return false;
        } else if (!parse_column_def(p, ct)) {
            return false;
        }
    } while (parse_accept_punct(p, ","));
    return parse_expect_punct(p, ")");
}

static bool parse_drop(parser *p, ast_drop_table *dt)
{
    if (!parse_expect_kw(p, "table"))
        return false;
    if (parse_accept_kw(p, "if")) {
        if (!parse_expect_kw(p, "exists"))
            return false;
        dt->if_exists = true;
    }
    return (dt->name = parse_identifier(p, "a table name")) != NULL;
}

/* BEGIN [TRANSACTION|WORK], START TRANSACTION, COMMIT [..], ROLLBACK [..], END [..] */
static bool parse_txn_word(parser *p)
{
    if (!parse_accept_kw(p, "transaction"))
        parse_accept_kw(p, "work");
    return true;
}

int parse_statement(arena *a, const char *sql, size_t len, ast_stmt **out, eng_error *err)
{
    parser p = {.a = a, .err = err};
    lex_init(&p.lx, sql, len);
    parse_advance(&p);
    ast_stmt *st = arena_alloc(a, sizeof *st);
    if (!st)
        return err_set(err, ENG_E_NOMEM, "out of memory while parsing");
    bool ok;
    if (parse_accept_kw(&p, "select")) {
        st->kind = STMT_SELECT;
        ok = parse_select(&p, &st->u.select);
    } else if (parse_accept_kw(&p, "insert")) {
        st->kind = STMT_INSERT;
        ok = parse_insert(&p, &st->u.insert);
    } else if (parse_accept_kw(&p, "update")) {
        st->kind = STMT_UPDATE;
        ok = parse_update(&p, &st->u.update);
    } else if (parse_accept_kw(&p, "delete")) {
        st->kind = STMT_DELETE;
        ok = parse_delete(&p, &st->u.delete_);
    } else if (parse_accept_kw(&p, "create")) {
        if (parse_accept_kw(&p, "user")) {
            st->kind = STMT_CREATE_USER;
            ok = parse_user(&p, &st->u.user, true);
        } else {
            st->kind = STMT_CREATE_TABLE;
            ok = parse_create(&p, &st->u.create_table);
        }
    } else if (parse_accept_kw(&p, "drop")) {
        if (parse_accept_kw(&p, "user")) {
            st->kind = STMT_DROP_USER;
            if (parse_accept_kw(&p, "if"))
                st->u.user.if_exists = parse_expect_kw(&p, "exists");
            ok = (st->u.user.name = parse_identifier(&p, "an account name")) != NULL;
        } else {
            st->kind = STMT_DROP_TABLE;
            ok = parse_drop(&p, &st->u.drop_table);
        }
    } else if (parse_accept_kw(&p, "alter")) {
        if (parse_accept_kw(&p, "user")) {
            st->kind = STMT_ALTER_USER;
            ok = parse_user(&p, &st->u.user, false);
        } else {
            st->kind = STMT_ALTER_TABLE;
            ok = parse_alter(&p, &st->u.alter_table);
        }
    } else if (parse_accept_kw(&p, "begin")) {
        st->kind = STMT_BEGIN;
        ok = parse_txn_word(&p);
    } else if (parse_accept_kw(&p, "start")) {
        st->kind = STMT_BEGIN;
        ok = parse_expect_kw(&p, "transaction");
    } else if (parse_accept_kw(&p, "commit") || parse_accept_kw(&p, "end")) {
        st->kind = STMT_COMMIT;
        ok = parse_txn_word(&p);
    } else if (parse_accept_kw(&p, "rollback")) {
        st->kind = STMT_ROLLBACK;
        ok = parse_txn_word(&p);
    } else if (parse_accept_kw(&p, "checkpoint")) {
        st->kind = STMT_CHECKPOINT;
        ok = true;
    } else if (p.tok.kind == TK_EOF) {
        return err_set(err, ENG_E_SYNTAX, "empty statement: no SQL to execute");
    } else {
        ok = parse_fail(&p, "SELECT, INSERT, UPDATE, DELETE, CREATE TABLE, DROP TABLE, ALTER "
                            "TABLE, BEGIN, COMMIT, ROLLBACK or CHECKPOINT") != NULL;
    }
    if (ok && !p.failed) {
        parse_accept_punct(&p, ";");
        if (p.tok.kind != TK_EOF) {
            if (lex_is_punct(&p.tok, ";") || p.tok.kind == TK_IDENT)
                parse_fail(&p, "end of statement (one statement per call)");
            else
                parse_fail(&p, "end of statement");
        }
    }
    if (p.failed || !ok) {
        if (!p.failed)
            parse_fail(&p, "a valid statement");
        return -1;
    }
    st->nparams = p.nparams;
    *out = st;
    return 0;
}
