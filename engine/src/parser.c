/*
 * Recursive-descent parser for Eider's SQL: the token helpers every part of the parser
 * uses, type names, and the statements. Queries are in parse_query.c, expressions in
 * parse_expr.c. It keeps one token of look-ahead (two where a peek is needed), builds the
 * tree in the statement's arena, and reports the first error as 42000 with the offending
 * token, its byte position and what was expected there.
 */
#include "parser.h"

#include "errors.h"
#include "parse_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Words that cannot be used as bare identifiers or aliases. */
static const char *const parse_reserved[] = {
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "null",
    "is",
    "as",
    "insert",
    "into",
    "values",
    "create",
    "table",
    "drop",
    "limit",
    "offset",
    "true",
    "false",
    "cast",
    "order",
    "group",
    "by",
    "having",
    "join",
    "on",
    "union",
    "begin",
    "commit",
    "rollback",
    "distinct",
    "all",
    "case",
    "when",
    "then",
    "else",
    "end",
    "in",
    "between",
    "like",
    "ilike",
    "inner",
    "left",
    "right",
    "full",
    "outer",
    "cross",
    "natural",
    "using",
    "intersect",
    "except",
    "with",
    "fetch",
    "over",
    "current_date",
    "current_timestamp",
    "current_time",
    "localtimestamp",
    "localtime",
    "current_user",
    "session_user",
    "current_catalog",
    "current_schema",
};

bool parse_is_reserved(const lex_token *t)
{
    if (t->kind != TK_IDENT)
        return false;
    for (size_t i = 0; i < sizeof parse_reserved / sizeof *parse_reserved; i++)
        if (lex_is_kw(t, parse_reserved[i]))
            return true;
    return false;
}

void parse_advance(parser *p)
{
    p->prev_end = p->tok.pos + p->tok.len;
    p->tok = lex_next(&p->lx);
}

lex_token parse_peek(const parser *p)
{
    lexer save = p->lx;
    return lex_next(&save);
}

void *parse_fail(parser *p, const char *expected)
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

void *parse_error(parser *p, eng_errcode code, const char *fmt, ...)
{
    if (p->failed)
        return NULL;
    p->failed = true;
    char msg[ENG_MAX_MESSAGE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(p->err, code, "%s", msg);
    return NULL;
}

void *parse_nomem(parser *p)
{
    return parse_error(p, ENG_E_NOMEM, "out of memory while parsing");
}

bool parse_accept_kw(parser *p, const char *kw)
{
    if (lex_is_kw(&p->tok, kw)) {
        parse_advance(p);
        return true;
    }
    return false;
}

bool parse_accept_punct(parser *p, const char *punct)
{
    if (lex_is_punct(&p->tok, punct)) {
        parse_advance(p);
        return true;
    }
    return false;
}

bool parse_expect_kw(parser *p, const char *kw)
{
    if (parse_accept_kw(p, kw))
        return true;
    parse_fail(p, kw);
    return false;
}

bool parse_expect_punct(parser *p, const char *punct)
{
    if (parse_accept_punct(p, punct))
        return true;
    char what[8];
    snprintf(what, sizeof what, "\"%s\"", punct);
    parse_fail(p, what);
    return false;
}

/* Copies a quoted token's contents, turning doubled quotes into one. */
char *parse_unquote(parser *p, const lex_token *t, uint32_t *len_out)
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

const char *parse_identifier(parser *p, const char *what)
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

bool parse_alias(parser *p, const char **alias)
{
    *alias = NULL;
    if (parse_accept_kw(p, "as"))
        return (*alias = parse_identifier(p, "an alias")) != NULL;
    if ((p->tok.kind == TK_IDENT && !parse_is_reserved(&p->tok)) || p->tok.kind == TK_QIDENT)
        return (*alias = parse_identifier(p, "an alias")) != NULL;
    return true;
}

bool parse_name_list(parser *p, ptr_list *out, const char *what)
{
    if (!parse_expect_punct(p, "("))
        return false;
    do {
        const char *name = parse_identifier(p, what);
        if (!name)
            return false;
        if (ptr_list_push(p->a, out, (void *)name) != 0)
            return parse_nomem(p), false;
    } while (parse_accept_punct(p, ","));
    return parse_expect_punct(p, ")");
}

ast_expr *parse_new_expr(parser *p, ast_expr_kind kind, size_t pos)
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
    static const struct {
        const char *name;
        eng_type_id id;
    } names[] = {
        {"integer", ENG_TYPE_INTEGER},     {"int", ENG_TYPE_INTEGER},
        {"int4", ENG_TYPE_INTEGER},        {"bigint", ENG_TYPE_BIGINT},
        {"int8", ENG_TYPE_BIGINT},         {"smallint", ENG_TYPE_SMALLINT},
        {"int2", ENG_TYPE_SMALLINT},       {"tinyint", ENG_TYPE_SMALLINT},
        {"double", ENG_TYPE_DOUBLE},       {"float", ENG_TYPE_DOUBLE},
        {"float8", ENG_TYPE_DOUBLE},       {"real", ENG_TYPE_DOUBLE},
        {"float4", ENG_TYPE_DOUBLE},       {"decimal", ENG_TYPE_DECIMAL},
        {"numeric", ENG_TYPE_DECIMAL},     {"dec", ENG_TYPE_DECIMAL},
        {"boolean", ENG_TYPE_BOOLEAN},     {"bool", ENG_TYPE_BOOLEAN},
        {"varchar", ENG_TYPE_VARCHAR},     {"text", ENG_TYPE_VARCHAR},
        {"string", ENG_TYPE_VARCHAR},      {"char", ENG_TYPE_VARCHAR},
        {"date", ENG_TYPE_DATE},           {"time", ENG_TYPE_TIME},
        {"timestamp", ENG_TYPE_TIMESTAMP}, {"datetime", ENG_TYPE_TIMESTAMP},
        {"interval", ENG_TYPE_INTERVAL},   {"blob", ENG_TYPE_BLOB},
        {"bytea", ENG_TYPE_BLOB},          {"varbinary", ENG_TYPE_BLOB},
        {"binary", ENG_TYPE_BLOB},
    };
    lexer lx;
    lex_init(&lx, text, strlen(text));
    lex_token t = lex_next(&lx);
    out->width = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (lex_is_kw(&t, names[i].name)) {
            out->id = names[i].id;
            if (out->id == ENG_TYPE_DECIMAL)
                out->width = ENG_DECIMAL_WIDTH(18, 3);
            return 0;
        }
    }
    return err_set(err, ENG_E_FEATURE,
                   "type \"%s\" is not supported; use BOOLEAN, SMALLINT, INTEGER, BIGINT, "
                   "DOUBLE, DECIMAL(p,s), VARCHAR(n), DATE, TIME, TIMESTAMP, INTERVAL or BLOB",
                   text);
}

/* (n) or (p, s) after a type name: n, *second = -1 when only one number was given. */
static bool parse_type_args(parser *p, long *first, long *second)
{
    *second = -1;
    if (p->tok.kind != TK_INTEGER)
        return parse_fail(p, "a number"), false;
    *first = strtol(p->tok.text, NULL, 10);
    parse_advance(p);
    if (parse_accept_punct(p, ",")) {
        if (p->tok.kind != TK_INTEGER)
            return parse_fail(p, "a number"), false;
        *second = strtol(p->tok.text, NULL, 10);
        parse_advance(p);
    }
    return parse_expect_punct(p, ")");
}

/* Parses a type at the current token: a name (some of two words: DOUBLE PRECISION,
 * CHARACTER VARYING, BINARY VARYING), then (n) for VARCHAR and BLOB, (p[, s]) for DECIMAL,
 * and an ignored precision or WITHOUT TIME ZONE for TIME and TIMESTAMP. */
bool parse_type(parser *p, eng_type *out)
{
    if (p->tok.kind != TK_IDENT)
        return parse_fail(p, "a type name"), false;
    char name[32];
    size_t n = p->tok.len < sizeof name ? p->tok.len : sizeof name - 1;
    memcpy(name, p->tok.text, n);
    name[n] = '\0';
    if (lex_is_kw(&p->tok, "character")) {
        parse_advance(p);
        parse_accept_kw(p, "varying");
        out->id = ENG_TYPE_VARCHAR;
        out->width = 0;
    } else {
        bool dbl = lex_is_kw(&p->tok, "double"), bin = lex_is_kw(&p->tok, "binary");
        if (parse_type_name(name, out, p->err) != 0) {
            p->failed = true;
            return false;
        }
        parse_advance(p);
        if (dbl)
            parse_accept_kw(p, "precision");
        if (bin)
            parse_accept_kw(p, "varying");
    }
    long a, b;
    switch (out->id) {
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        out->width = ENG_VARCHAR_MAX;
        if (parse_accept_punct(p, "(")) {
            lex_token at = p->tok;
            if (!parse_type_args(p, &a, &b))
                return false;
            if (a <= 0 || a > ENG_VARCHAR_MAX || b >= 0) {
                parse_error(p, ENG_E_SYNTAX, "%s length %.*s is out of range 1..%d",
                            eng_type_name(out->id), (int)at.len, at.text, ENG_VARCHAR_MAX);
                return false;
            }
            out->width = (uint32_t)a;
        }
        return true;
    case ENG_TYPE_DECIMAL:
        if (parse_accept_punct(p, "(")) {
            if (!parse_type_args(p, &a, &b))
                return false;
            if (b < 0)
                b = 0;
            if (a < 1 || a > ENG_DECIMAL_MAX_PRECISION || b > a) {
                parse_error(p, ENG_E_SYNTAX,
                            "DECIMAL(%ld,%ld) is out of range: precision 1..%d, scale 0..precision",
                            a, b, ENG_DECIMAL_MAX_PRECISION);
                return false;
            }
            out->width = ENG_DECIMAL_WIDTH(a, b);
        }
        return true;
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        if (parse_accept_punct(p, "(") && !parse_type_args(p, &a, &b))
            return false;
        if (parse_accept_kw(p, "without")) {
            if (!parse_expect_kw(p, "time") || !parse_expect_kw(p, "zone"))
                return false;
        }
        return true;
    default:
        return true;
    }
}

/* INSERT INTO t [(columns)] VALUES (...), ... | query */
static bool parse_insert(parser *p, ast_insert *ins)
{
    if (!parse_expect_kw(p, "into"))
        return false;
    ins->table_pos = (uint32_t)p->tok.pos;
    if (!(ins->table = parse_identifier(p, "a table name")))
        return false;
    if (lex_is_punct(&p->tok, "(")) {
        lex_token next = parse_peek(p);
        bool query = lex_is_kw(&next, "select") || lex_is_kw(&next, "with");
        if (!query && !parse_name_list(p, &ins->columns, "a column name"))
            return false;
    }
    if (!lex_is_kw(&p->tok, "values")) {
        if (!parse_at_query(p))
            return parse_fail(p, "VALUES or SELECT"), false;
        return (ins->query = parse_query(p)) != NULL;
    }
    parse_advance(p);
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
                parse_error(p, ENG_E_SYNTAX, "a DEFAULT cannot contain a parameter marker");
                return false;
            }
        } else if (lex_is_kw(&p->tok, "references") || lex_is_kw(&p->tok, "check")) {
            parse_error(p, ENG_E_FEATURE,
                        "column constraint %.*s (position %zu) is not supported yet",
                        (int)p->tok.len, p->tok.text, p->tok.pos + 1);
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
    if (!parse_name_list(p, &key->columns, "a column name"))
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
            parse_error(p, ENG_E_FEATURE,
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
    if (!(ct->name = parse_identifier(p, "a table name")))
        return false;
    if (parse_accept_kw(p, "as")) {
        if (!parse_at_query(p))
            return parse_fail(p, "a query"), false;
        return (ct->as = parse_query(p)) != NULL;
    }
    if (!parse_expect_punct(p, "("))
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

/* CREATE [OR REPLACE] VIEW name [(columns)] AS query */
static bool parse_create_view(parser *p, ast_create_view *cv)
{
    if (!(cv->name = parse_identifier(p, "a view name")))
        return false;
    if (lex_is_punct(&p->tok, "(") && !parse_name_list(p, &cv->columns, "a column name"))
        return false;
    if (!parse_expect_kw(p, "as"))
        return false;
    if (!parse_at_query(p))
        return parse_fail(p, "a query"), false;
    cv->text_start = (uint32_t)p->tok.pos;
    if (!(cv->query = parse_query(p)))
        return false;
    cv->text_end = (uint32_t)p->prev_end;
    return true;
}

static bool parse_drop(parser *p, ast_drop_table *dt, const char *what)
{
    if (parse_accept_kw(p, "if")) {
        if (!parse_expect_kw(p, "exists"))
            return false;
        dt->if_exists = true;
    }
    return (dt->name = parse_identifier(p, what)) != NULL;
}

/* BEGIN [TRANSACTION|WORK], START TRANSACTION, COMMIT [..], ROLLBACK [..], END [..] */
static bool parse_txn_word(parser *p)
{
    if (!parse_accept_kw(p, "transaction"))
        parse_accept_kw(p, "work");
    return true;
}

static bool parse_create_statement(parser *p, ast_stmt *st)
{
    if (parse_accept_kw(p, "user")) {
        st->kind = STMT_CREATE_USER;
        return parse_user(p, &st->u.user, true);
    }
    bool or_replace = false;
    if (parse_accept_kw(p, "or")) {
        if (!parse_expect_kw(p, "replace"))
            return false;
        or_replace = true;
    }
    if (or_replace || lex_is_kw(&p->tok, "view")) {
        if (!parse_expect_kw(p, "view"))
            return false;
        st->kind = STMT_CREATE_VIEW;
        st->u.create_view.or_replace = or_replace;
        return parse_create_view(p, &st->u.create_view);
    }
    st->kind = STMT_CREATE_TABLE;
    return parse_create(p, &st->u.create_table);
}

static bool parse_drop_statement(parser *p, ast_stmt *st)
{
    if (parse_accept_kw(p, "user")) {
        st->kind = STMT_DROP_USER;
        if (parse_accept_kw(p, "if"))
            st->u.user.if_exists = parse_expect_kw(p, "exists");
        return (st->u.user.name = parse_identifier(p, "an account name")) != NULL;
    }
    if (parse_accept_kw(p, "view")) {
        st->kind = STMT_DROP_VIEW;
        return parse_drop(p, &st->u.drop_table, "a view name");
    }
    st->kind = STMT_DROP_TABLE;
    return parse_expect_kw(p, "table") && parse_drop(p, &st->u.drop_table, "a table name");
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
    if (parse_accept_kw(&p, "explain")) {
        st->explain = true;
        st->kind = STMT_SELECT;
        ok = parse_at_query(&p) ? (st->u.query = parse_query(&p)) != NULL
                                : parse_fail(&p, "a query after EXPLAIN") != NULL;
    } else if (parse_at_query(&p)) {
        st->kind = STMT_SELECT;
        ok = (st->u.query = parse_query(&p)) != NULL;
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
        ok = parse_create_statement(&p, st);
    } else if (parse_accept_kw(&p, "drop")) {
        ok = parse_drop_statement(&p, st);
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
        ok = parse_fail(&p, "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, EXPLAIN, "
                            "BEGIN, COMMIT, ROLLBACK or CHECKPOINT") != NULL;
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
