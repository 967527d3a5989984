/*
 * SQL tokenizer. It never allocates: tokens point into the statement text, and the parser
 * copies what it keeps (unquoting strings and identifiers) into the statement's arena.
 */
#include "lexer.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void lex_init(lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
}

static bool lex_skip_space_and_comments(lexer *lx)
{
    for (;;) {
        while (lx->pos < lx->len && isspace((unsigned char)lx->src[lx->pos]))
            lx->pos++;
        if (lx->pos + 1 < lx->len && lx->src[lx->pos] == '-' && lx->src[lx->pos + 1] == '-') {
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        if (lx->pos + 1 < lx->len && lx->src[lx->pos] == '/' && lx->src[lx->pos + 1] == '*') {
            const char *end = NULL;
            for (size_t i = lx->pos + 2; i + 1 < lx->len; i++) {
                if (lx->src[i] == '*' && lx->src[i + 1] == '/') {
                    end = lx->src + i + 2;
                    break;
                }
            }
            if (!end)
                return false;
            lx->pos = (size_t)(end - lx->src);
            continue;
        }
        return true;
    }
}

static bool lex_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* Scans a quoted token starting at lx->pos; the quote doubles as its own escape. */
static lex_kind lex_quoted(lexer *lx, char quote, lex_kind kind)
{
    size_t i = lx->pos + 1;
    while (i < lx->len) {
        if (lx->src[i] == quote) {
            if (i + 1 < lx->len && lx->src[i + 1] == quote) {
                i += 2;
                continue;
            }
            lx->pos = i + 1;
            return kind;
        }
        i++;
    }
    lx->pos = lx->len;
    return TK_ERROR;
}

static lex_kind lex_number(lexer *lx)
{
    lex_kind kind = TK_INTEGER;
    while (lx->pos < lx->len && isdigit((unsigned char)lx->src[lx->pos]))
        lx->pos++;
    if (lx->pos < lx->len && lx->src[lx->pos] == '.') {
        kind = TK_NUMBER;
        lx->pos++;
        while (lx->pos < lx->len && isdigit((unsigned char)lx->src[lx->pos]))
            lx->pos++;
    }
    if (lx->pos < lx->len && (lx->src[lx->pos] == 'e' || lx->src[lx->pos] == 'E')) {
        size_t p = lx->pos + 1;
        if (p < lx->len && (lx->src[p] == '+' || lx->src[p] == '-'))
            p++;
        if (p < lx->len && isdigit((unsigned char)lx->src[p])) {
            kind = TK_NUMBER;
            lx->pos = p;
            while (lx->pos < lx->len && isdigit((unsigned char)lx->src[lx->pos]))
                lx->pos++;
        }
    }
    return kind;
}

static const char *const lex_two_char_ops[] = {"<>", "<=", ">=", "!=", "||", "::"};

lex_token lex_next(lexer *lx)
{
    lex_token t = {TK_EOF, NULL, 0, 0};
    if (!lex_skip_space_and_comments(lx)) {
        t.kind = TK_ERROR;
        t.pos = lx->pos;
        t.text = lx->src + lx->pos;
        t.len = lx->len - lx->pos;
        lx->pos = lx->len;
        return t;
    }
    t.pos = lx->pos;
    t.text = lx->src + lx->pos;
    if (lx->pos >= lx->len)
        return t;
    char c = lx->src[lx->pos];
    if (isdigit((unsigned char)c) ||
        (c == '.' && lx->pos + 1 < lx->len && isdigit((unsigned char)lx->src[lx->pos + 1]))) {
        t.kind = lex_number(lx);
    } else if (lex_ident_char(c)) {
        while (lx->pos < lx->len && lex_ident_char(lx->src[lx->pos]))
            lx->pos++;
        t.kind = TK_IDENT;
    } else if (c == '\'') {
        t.kind = lex_quoted(lx, '\'', TK_STRING);
    } else if (c == '"') {
        t.kind = lex_quoted(lx, '"', TK_QIDENT);
    } else if (c == '?') {
        lx->pos++;
        t.kind = TK_PARAM;
    } else {
        t.kind = TK_PUNCT;
        lx->pos++;
        if (lx->pos < lx->len) {
            for (size_t i = 0; i < sizeof lex_two_char_ops / sizeof *lex_two_char_ops; i++) {
                if (c == lex_two_char_ops[i][0] && lx->src[lx->pos] == lex_two_char_ops[i][1]) {
                    lx->pos++;
                    break;
                }
            }
        }
        if (!strchr("(),;.*+-/%=<>!|:", c))
            t.kind = TK_ERROR;
    }
    t.len = lx->pos - t.pos;
    return t;
}

bool lex_is_kw(const lex_token *t, const char *kw)
{
    return t->kind == TK_IDENT && strlen(kw) == t->len && strncasecmp(t->text, kw, t->len) == 0;
}

bool lex_is_punct(const lex_token *t, const char *p)
{
    return t->kind == TK_PUNCT && strlen(p) == t->len && memcmp(t->text, p, t->len) == 0;
}
