/*
 * SQL tokenizer: turns statement text into tokens on demand. Identifiers are
 * case-insensitive and keep their spelling; quoted identifiers ("x") keep it too and may be
 * keywords. Strings use '' for a quote inside. Comments: -- to end of line, and C style.
 */
#ifndef EIDER_LEXER_H
#define EIDER_LEXER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum lex_kind {
    TK_EOF = 0,
    TK_IDENT,   /* bare word: identifier or keyword */
    TK_QIDENT,  /* "quoted identifier" */
    TK_INTEGER, /* digits */
    TK_NUMBER,  /* digits with a fraction or exponent */
    TK_STRING,  /* 'text' */
    TK_PARAM,   /* ? */
    TK_PUNCT,   /* operators and punctuation; text holds them */
    TK_ERROR,   /* unterminated string or comment, stray character */
} lex_kind;

typedef struct lex_token {
    lex_kind kind;
    const char *text; /* points into the statement; for strings and quoted identifiers
                         the raw text including the quotes */
    size_t len;
    size_t pos; /* byte offset in the statement */
} lex_token;

typedef struct lexer {
    const char *src;
    size_t len;
    size_t pos;
} lexer;

void lex_init(lexer *lx, const char *src, size_t len);
lex_token lex_next(lexer *lx);
/* Case-insensitive keyword test of a bare word. */
bool lex_is_kw(const lex_token *t, const char *kw);
bool lex_is_punct(const lex_token *t, const char *p);

#endif
