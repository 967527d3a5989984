/*
 * What the parser's files (parser.c: statements, parse_query.c: queries and FROM,
 * parse_expr.c: expressions) share: the parser state and its token helpers.
 */
#ifndef EIDER_PARSE_INT_H
#define EIDER_PARSE_INT_H

#include "ast.h"
#include "lexer.h"

typedef struct parser {
    lexer lx;
    lex_token tok;   /* current token */
    size_t prev_end; /* end offset of the last consumed token */
    arena *a;
    eng_error *err;
    uint32_t nparams;
    bool failed;
} parser;

void parse_advance(parser *p);
/* Reports "expected X" at the current token (once) and returns NULL. */
void *parse_fail(parser *p, const char *expected);
void *parse_nomem(parser *p);
/* Sets an error of any code at the current token (once) and returns NULL. */
void *parse_error(parser *p, eng_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool parse_accept_kw(parser *p, const char *kw);
bool parse_accept_punct(parser *p, const char *punct);
bool parse_expect_kw(parser *p, const char *kw);
bool parse_expect_punct(parser *p, const char *punct);
/* The token after the current one, without consuming anything. */
lex_token parse_peek(const parser *p);
bool parse_is_reserved(const lex_token *t);
/* An identifier: a bare non-reserved word or a quoted name. */
const char *parse_identifier(parser *p, const char *what);
char *parse_unquote(parser *p, const lex_token *t, uint32_t *len_out);
/* An optional alias: AS name, or a bare non-reserved word. */
bool parse_alias(parser *p, const char **alias);
/* ( name, ... ) */
bool parse_name_list(parser *p, ptr_list *out, const char *what);
bool parse_type(parser *p, eng_type *out);
ast_expr *parse_new_expr(parser *p, ast_expr_kind kind, size_t pos);

ast_expr *parse_expr(parser *p);
/* A unary-level expression (for DEFAULT values). */
ast_expr *parse_unary(parser *p);
/* A primary: literal, parameter, name, call, (expr). */
ast_expr *parse_primary(parser *p);
ast_query *parse_query(parser *p);
/* expr [ASC|DESC] [NULLS FIRST|LAST], ... */
bool parse_order_list(parser *p, ptr_list *out);
/* Does the current token start a query (SELECT, WITH, VALUES)? */
bool parse_at_query(const parser *p);

#endif
