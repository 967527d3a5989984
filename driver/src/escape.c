/*
 * ODBC escape-sequence translation (the grammar and the API are in escape.h).
 *
 * One left-to-right pass. esc_span() copies text and knows the lexical shapes the engine's
 * lexer knows: '...' and "..." with the quote doubled inside, -- comments to the end of
 * the line, and block comments (slash-star to star-slash), which do not nest. Inside
 * those nothing is translated. At a "{" or the long form's opener it calls esc_escape(),
 * which parses one escape and calls esc_span() again for the parts that may hold further
 * escapes: function arguments, the body of {oj ...} and {INTERVAL ...}. Every escape is built in a
 * buffer of its own and then appended, so that a function can place its translated arguments in the
 * order its Eider spelling needs.
 *
 * Eider's spelling of each {fn ...} is data: esc_fns[] (escape_table.c), one row per ODBC name and
 * argument count, with a template and the SQLGetInfo bit the row stands for. The
 * SQL_*_FUNCTIONS bitmasks are computed from that table, so what the driver advertises is
 * exactly what it translates. A name not in the table passes through as written
 * (NAME(args)), so functions the engine has under their ODBC name still work.
 *
 * Parameter markers keep their order: no template repeats an argument, and the one that
 * reorders arguments (INSERT) or drops one (the precision of CURRENT_TIME) is refused when
 * that would move or lose a "?".
 *
 * Comments inside an escape become a single space, so that a -- comment inside a function
 * argument cannot swallow the ")" the translation puts after it. Outside escapes the text
 * is copied byte for byte.
 */
#include "escape.h"
#include "escape_table.h"

#include <sql.h>
#include <sqlext.h>

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting is refused, so that hostile text cannot exhaust the stack. */
#define ESC_MAX_DEPTH 32

static const char esc_long_open[] = "--(*vendor(microsoft),product(odbc)";
static const char esc_long_close[] = "*)--";

#define ESC_COUNT(a) (sizeof(a) / sizeof *(a))

/* printf arguments for "%.*s" of a name in a message (see esc_show_len). */
#define ESC_SHOW(v) esc_show_len(v), (v).p

/* ---- text helpers -------------------------------------------------------------------- */

typedef struct esc_buf {
    char *p;
    size_t n, cap;
} esc_buf;

/* A byte range of a buffer, for trimmed arguments. */
typedef struct esc_view {
    const char *p;
    size_t n;
} esc_view;

static bool esc_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool esc_is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool esc_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A byte the engine's lexer takes as part of a name or number. */
static bool esc_is_word(char c)
{
    return esc_is_alpha(c) || esc_is_digit(c) || (unsigned char)c >= 0x80;
}

static char esc_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive (ASCII) equality of p[0..n) and the string w. */
static bool esc_ieq(const char *p, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if (esc_lower(p[i]) != esc_lower(w[i]))
            return false;
    return i == n && !w[i];
}

static esc_view esc_trim(const esc_buf *b)
{
    esc_view v = {b->p ? b->p : "", b->n};
    while (v.n && esc_is_space(v.p[0])) {
        v.p++;
        v.n--;
    }
    while (v.n && esc_is_space(v.p[v.n - 1]))
        v.n--;
    return v;
}

/* How much of v a message shows: at most 40 bytes, never cutting a UTF-8 sequence. */
static int esc_show_len(esc_view v)
{
    size_t n = v.n;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)v.p[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/*
 * Would the engine's lexer read a and b, written side by side, as one token (or as the
 * start of a comment)? Then a space goes between an escape's translation and its
 * neighbours: "SELECT{fn NOW()}" must not become "SELECTCURRENT_TIMESTAMP".
 */
static bool esc_sticky(char a, char b)
{
    if (esc_is_word(a) && esc_is_word(b))
        return true;
    if (a == b && (a == '\'' || a == '"' || a == '-'))
        return true;
    return a == '/' && b == '*';
}

/* The end of the quoted token starting at s[i] (a ' or "), or SIZE_MAX if it is open. */
static size_t esc_quoted_end(const char *s, size_t len, size_t i)
{
    char q = s[i];
    for (i++; i < len; i++) {
        if (s[i] != q)
            continue;
        if (i + 1 < len && s[i + 1] == q) {
            i++;
            continue;
        }
        return i + 1;
    }
    return SIZE_MAX;
}

/* The end of the parenthesized group starting at s[i], or SIZE_MAX if it is open. */
static size_t esc_group_end(const char *s, size_t len, size_t i)
{
    size_t depth = 0;
    while (i < len) {
        if (s[i] == '\'' || s[i] == '"') {
            i = esc_quoted_end(s, len, i);
            if (i == SIZE_MAX)
                return SIZE_MAX;
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i + 1;
        i++;
    }
    return SIZE_MAX;
}

/*
 * Is the text a single operand, safe next to any operator without parentheses? A marker,
 * a number, a string, a possibly qualified name (quoted or not) with an optional call
 * "(...)" right after it, or a whole parenthesized expression.
 */
static bool esc_is_operand(esc_view v)
{
    const char *s = v.p;
    size_t n = v.n, i = 0;
    if (n == 0)
        return false;
    if (s[0] == '?')
        return n == 1;
    if (s[0] == '(')
        return esc_group_end(s, n, 0) == n;
    if (s[0] == '\'')
        return esc_quoted_end(s, n, 0) == n;
    if (esc_is_digit(s[0]) || s[0] == '.') {
        while (i < n && (esc_is_digit(s[i]) || s[i] == '.'))
            i++;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-'))
                i++;
            while (i < n && esc_is_digit(s[i]))
                i++;
        }
        return i == n;
    }
    for (;;) {
        if (s[i] == '"') {
            i = esc_quoted_end(s, n, i);
            if (i == SIZE_MAX)
                return false;
        } else if (esc_is_word(s[i])) {
            while (i < n && esc_is_word(s[i]))
                i++;
        } else {
            return false;
        }
        if (i + 1 < n && s[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    if (i < n && s[i] == '(')
        i = esc_group_end(s, n, i);
    return i == n;
}

/* ---- the translator's state -------------------------------------------------------- */

typedef enum esc_closer {
    CLOSE_BRACE, /* {...} */
    CLOSE_LONG,  /* --(*vendor(Microsoft),product(ODBC) ... *)-- */
} esc_closer;

typedef enum esc_mode {
    MODE_TOP,  /* the statement: to the end of the text */
    MODE_BODY, /* an escape's body: to its closer */
    MODE_ARG,  /* a function argument: to a "," or ")" outside parentheses */
} esc_mode;

typedef struct esc_ctx {
    const char *s;
    size_t len, pos;
    unsigned depth;  /* escapes open around pos */
    size_t markers;  /* "?" seen so far */
    bool translated; /* at least one escape was rewritten */
    esc_error *err;
} esc_ctx;

static bool esc_fail(esc_ctx *c, const char *state, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records the error; always returns false, for "return esc_fail(...)". */
static bool esc_fail(esc_ctx *c, const char *state, size_t pos, const char *fmt, ...)
{
    esc_error *e = c->err;
    snprintf(e->sqlstate, sizeof e->sqlstate, "%s", state);
    e->pos = pos;
    char where[40];
    int w = snprintf(where, sizeof where, " (position %zu)", pos + 1);
    assert(w > 0 && (size_t)w < sizeof where);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->message, sizeof e->message - (size_t)w, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof e->message - (size_t)w)
        n = (int)(sizeof e->message - (size_t)w - 1); /* cut: the position still fits */
    memcpy(e->message + n, where, (size_t)w + 1);
    return false;
}

static bool esc_nomem(esc_ctx *c)
{
    return esc_fail(c, "HY001", c->pos, "out of memory translating escape sequences");
}

static bool esc_put(esc_ctx *c, esc_buf *b, const char *s, size_t n)
{
    if (n > SIZE_MAX - b->n - 1)
        return esc_nomem(c);
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap = cap > SIZE_MAX / 2 ? b->n + n + 1 : cap * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return esc_nomem(c);
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return true;
}

static bool esc_puts(esc_ctx *c, esc_buf *b, const char *s)
{
    return esc_put(c, b, s, strlen(s));
}

static void esc_skip_space(esc_ctx *c)
{
    while (c->pos < c->len && esc_is_space(c->s[c->pos]))
        c->pos++;
}

static bool esc_at(const esc_ctx *c, const char *lit)
{
    size_t n = strlen(lit);
    return c->len - c->pos >= n && memcmp(c->s + c->pos, lit, n) == 0;
}

static bool esc_at_long_open(const esc_ctx *c)
{
    size_t n = sizeof esc_long_open - 1;
    return c->len - c->pos >= n && esc_ieq(c->s + c->pos, n, esc_long_open);
}

/* The length of the name [A-Za-z_][A-Za-z0-9_]* at pos (0 if there is none). */
static size_t esc_name_len(const esc_ctx *c)
{
    size_t i = c->pos;
    if (i >= c->len || !esc_is_alpha(c->s[i]))
        return 0;
    while (i < c->len && (esc_is_alpha(c->s[i]) || esc_is_digit(c->s[i])))
        i++;
    return i - c->pos;
}

static const char *esc_closer_text(esc_closer closer)
{
    return closer == CLOSE_BRACE ? "}" : esc_long_close;
}

/* Consumes the escape's closer after optional spaces. */
static bool esc_expect_close(esc_ctx *c, esc_closer closer, size_t open)
{
    esc_skip_space(c);
    if (c->pos >= c->len)
        return esc_fail(c, "42000", open, "the escape opened here has no closing %s",
                        esc_closer_text(closer));
    if (closer == CLOSE_BRACE && c->s[c->pos] == '}') {
        c->pos++;
        return true;
    }
    if (closer == CLOSE_LONG && esc_at(c, esc_long_close)) {
        c->pos += sizeof esc_long_close - 1;
        return true;
    }
    return esc_fail(c, "42000", c->pos, "expected %s to end the escape opened at position %zu",
                    esc_closer_text(closer), open + 1);
}

static bool esc_escape(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open);

/*
 * Copies text from pos to out, translating the escapes in it, until the end of what mode
 * covers. MODE_BODY stops at the closer and MODE_ARG at its "," or ")", without consuming
 * them. open is the position of the escape being read, for errors.
 */
static bool esc_span(esc_ctx *c, esc_buf *out, esc_mode mode, esc_closer closer, size_t open)
{
    size_t parens = 0;
    while (c->pos < c->len) {
        size_t p = c->pos;
        char ch = c->s[p];
        if (mode == MODE_BODY && closer == CLOSE_LONG && esc_at(c, esc_long_close))
            return true;
        if (ch == '\'' || ch == '"') {
            size_t end = esc_quoted_end(c->s, c->len, p);
            if (end == SIZE_MAX) {
                if (mode != MODE_TOP)
                    return esc_fail(c, "42000", p, "this %s has no closing %c",
                                    ch == '\'' ? "string" : "quoted name", ch);
                end = c->len; /* the engine reports it */
            }
            if (!esc_put(c, out, c->s + p, end - p))
                return false;
            c->pos = end;
            continue;
        }
        if (ch == '-' && p + 1 < c->len && c->s[p + 1] == '-') {
            if (esc_at_long_open(c)) {
                c->pos += sizeof esc_long_open - 1;
                if (!esc_escape(c, out, CLOSE_LONG, p))
                    return false;
                continue;
            }
            size_t end = p;
            while (end < c->len && c->s[end] != '\n')
                end++;
            if (!(mode == MODE_TOP ? esc_put(c, out, c->s + p, end - p) : esc_puts(c, out, " ")))
                return false;
            c->pos = end;
            continue;
        }
        if (ch == '/' && p + 1 < c->len && c->s[p + 1] == '*') {
            size_t end = p + 2;
            while (end + 1 < c->len && !(c->s[end] == '*' && c->s[end + 1] == '/'))
                end++;
            if (end + 1 >= c->len) {
                if (mode != MODE_TOP)
                    return esc_fail(c, "42000", p, "this comment has no closing */");
                end = c->len;
            } else {
                end += 2;
            }
            if (!(mode == MODE_TOP ? esc_put(c, out, c->s + p, end - p) : esc_puts(c, out, " ")))
                return false;
            c->pos = end;
            continue;
        }
        if (ch == '{') {
            c->pos++;
            if (!esc_escape(c, out, CLOSE_BRACE, p))
                return false;
            continue;
        }
        if (ch == '}' && mode == MODE_BODY && closer == CLOSE_BRACE)
            return true;
        if (ch == '}' && mode == MODE_ARG)
            return esc_fail(c, "42000", p, "expected ) to close the arguments before }");
        if (mode == MODE_ARG) {
            if ((ch == ')' || ch == ',') && parens == 0)
                return true;
            if (ch == '(')
                parens++;
            else if (ch == ')')
                parens--;
        }
        if (ch == '?')
            c->markers++;
        if (!esc_put(c, out, &ch, 1))
            return false;
        c->pos++;
    }
    if (mode == MODE_TOP)
        return true;
    return esc_fail(c, "42000", open, "the escape opened here has no closing %s",
                    esc_closer_text(closer));
}

/* ---- {d}, {t}, {ts}, {escape}, {oj}, {INTERVAL} ------------------------------------- */

/* {d 'x'} and its kind: one string literal, written after prefix. */
static bool esc_literal(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open,
                        const char *prefix, const char *what)
{
    esc_skip_space(c);
    size_t p = c->pos;
    if (p >= c->len || c->s[p] != '\'')
        return esc_fail(c, "42000", p, "expected %s in quotes", what);
    size_t end = esc_quoted_end(c->s, c->len, p);
    if (end == SIZE_MAX)
        return esc_fail(c, "42000", p, "this string has no closing '");
    c->pos = end;
    return esc_puts(c, out, prefix) && esc_put(c, out, c->s + p, end - p) &&
           esc_expect_close(c, closer, open);
}

/* The body of {oj ...} or {INTERVAL ...}, translated and trimmed, closer consumed. */
static bool esc_body(esc_ctx *c, esc_buf *body, esc_closer closer, size_t open, esc_view *v)
{
    if (!esc_span(c, body, MODE_BODY, closer, open) || !esc_expect_close(c, closer, open))
        return false;
    *v = esc_trim(body);
    return true;
}

static bool esc_outer_join(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open)
{
    esc_buf body = {0};
    esc_view v;
    size_t p = c->pos;
    bool ok = esc_body(c, &body, closer, open, &v);
    if (ok && v.n == 0)
        ok = esc_fail(c, "42000", p, "expected a join after {oj");
    if (ok)
        ok = esc_put(c, out, v.p, v.n);
    free(body.p);
    return ok;
}

/*
 * {INTERVAL [+|-] 'value' qualifier}. The engine reads INTERVAL followed by its string, so
 * a sign in front of the string becomes a unary minus around the whole literal.
 */
static bool esc_interval(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open)
{
    esc_skip_space(c);
    bool negative = false;
    if (c->pos < c->len && (c->s[c->pos] == '-' || c->s[c->pos] == '+')) {
        negative = c->s[c->pos] == '-';
        c->pos++;
        esc_skip_space(c);
    }
    if (c->pos >= c->len || c->s[c->pos] != '\'')
        return esc_fail(c, "42000", c->pos, "expected the interval's value in quotes");
    esc_buf body = {0};
    esc_view v;
    bool ok = esc_body(c, &body, closer, open, &v);
    if (ok)
        ok = esc_puts(c, out, negative ? "(-INTERVAL " : "INTERVAL ") &&
             esc_put(c, out, v.p, v.n) && (!negative || esc_puts(c, out, ")"));
    free(body.p);
    return ok;
}

/* ---- {fn ...} ------------------------------------------------------------------------ */

typedef struct esc_arg {
    esc_buf text; /* translated, untrimmed */
    size_t pos;   /* where it starts in the input */
    size_t markers;
} esc_arg;

typedef struct esc_args {
    esc_arg *v;
    size_t n, cap;
} esc_args;

static void esc_args_free(esc_args *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].text.p);
    free(a->v);
}

/* The arguments after "(", up to and including the ")". */
static bool esc_parse_args(esc_ctx *c, esc_args *args, esc_closer closer, size_t open,
                           esc_view name)
{
    for (;;) {
        esc_skip_space(c); /* so that errors point at the argument itself */
        esc_arg a = {.pos = c->pos};
        size_t before = c->markers;
        if (!esc_span(c, &a.text, MODE_ARG, closer, open)) {
            free(a.text.p);
            return false;
        }
        assert(c->pos < c->len && (c->s[c->pos] == ',' || c->s[c->pos] == ')'));
        a.markers = c->markers - before;
        char stop = c->s[c->pos++];
        if (esc_trim(&a.text).n == 0) {
            free(a.text.p);
            if (stop == ')' && args->n == 0)
                return true; /* NAME() */
            return esc_fail(c, "42000", a.pos, "argument %zu of {fn %.*s} is empty", args->n + 1,
                            ESC_SHOW(name));
        }
        if (args->n == args->cap) {
            size_t cap = args->cap ? args->cap * 2 : 4;
            esc_arg *v = realloc(args->v, cap * sizeof *v);
            if (!v) {
                free(a.text.p);
                return esc_nomem(c);
            }
            args->v = v;
            args->cap = cap;
        }
        args->v[args->n++] = a;
        if (stop == ')')
            return true;
    }
}

/* The argument as an SQL_TSI_* interval ("SQL_TSI_" may be left out); NULL on an error. */
static const esc_tsi *esc_find_interval(esc_ctx *c, const esc_arg *a, esc_view v)
{
    esc_view name = v;
    if (name.n > 8 && esc_ieq(name.p, 8, "sql_tsi_")) {
        name.p += 8;
        name.n -= 8;
    }
    for (size_t i = 0; i < esc_nintervals; i++) {
        if (!esc_ieq(name.p, name.n, esc_intervals[i].name))
            continue;
        if (!esc_intervals[i].add)
            esc_fail(c, "HYC00", a->pos, "the interval %.*s is not supported", ESC_SHOW(v));
        return esc_intervals[i].add ? &esc_intervals[i] : NULL;
    }
    esc_fail(c, "42000", a->pos,
             "unknown interval %.*s: expected SQL_TSI_SECOND, _MINUTE, _HOUR, _DAY, _WEEK, "
             "_MONTH, _QUARTER or _YEAR",
             ESC_SHOW(v));
    return NULL;
}

/* The argument as an SQL type of CONVERT ("SQL_" may be left out); NULL on an error. */
static const char *esc_find_type(esc_ctx *c, const esc_arg *a, esc_view v)
{
    esc_view name = v;
    if (name.n > 4 && esc_ieq(name.p, 4, "sql_")) {
        name.p += 4;
        name.n -= 4;
    }
    for (size_t i = 0; i < esc_ntypes; i++) {
        if (!esc_ieq(name.p, name.n, esc_types[i].name))
            continue;
        if (!esc_types[i].eider)
            esc_fail(c, "HYC00", a->pos, "CONVERT to %.*s is not supported: Eider has no such type",
                     ESC_SHOW(v));
        return esc_types[i].eider;
    }
    if (name.n > 9 && esc_ieq(name.p, 9, "interval_"))
        esc_fail(c, "HYC00", a->pos,
                 "CONVERT to %.*s is not supported: Eider's INTERVAL (months, days and "
                 "microseconds together) is none of ODBC's interval types",
                 ESC_SHOW(v));
    else
        esc_fail(c, "42000", a->pos, "unknown SQL type %.*s in CONVERT", ESC_SHOW(v));
    return NULL;
}

/* Writes one argument as a template directive asks (see esc_fn). */
static bool esc_emit_arg(esc_ctx *c, esc_buf *out, char kind, const esc_arg *a)
{
    esc_view v = esc_trim(&a->text);
    switch (kind) {
    case '$':
        return esc_put(c, out, v.p, v.n);
    case '@':
        if (esc_is_operand(v))
            return esc_put(c, out, v.p, v.n);
        return esc_puts(c, out, "(") && esc_put(c, out, v.p, v.n) && esc_puts(c, out, ")");
    case 'I':
    case 'P': {
        const esc_tsi *iv = esc_find_interval(c, a, v);
        return iv && esc_puts(c, out, kind == 'I' ? iv->add : iv->diff);
    }
    case 'T': {
        const char *type = esc_find_type(c, a, v);
        return type && esc_puts(c, out, type);
    }
    }
    assert(!"unknown template directive");
    return false;
}

/*
 * The markers of the arguments must come out in the order they went in: the arguments
 * holding markers, in the order the template used them, must be exactly the arguments
 * holding markers in input order.
 */
static bool esc_check_markers(esc_ctx *c, const esc_args *args, const size_t *used, size_t nused,
                              esc_view name, size_t name_pos)
{
    size_t next = 0;
    for (size_t u = 0; u <= nused; u++) {
        if (u < nused && !args->v[used[u]].markers)
            continue;
        while (next < args->n && !args->v[next].markers)
            next++;
        if (u == nused ? next == args->n : next == used[u]) {
            next++;
            continue;
        }
        return esc_fail(c, "HYC00", name_pos,
                        "{fn %.*s} with these parameter markers cannot be translated without "
                        "changing their order or number; pass a value instead",
                        ESC_SHOW(name));
    }
    return true;
}

static bool esc_emit_template(esc_ctx *c, esc_buf *out, const esc_fn *fn, const esc_args *args,
                              esc_view name, size_t name_pos)
{
    size_t used[9], nused = 0;
    for (const char *t = fn->emit; *t;) {
        if (*t != '$' && *t != '@') {
            size_t run = strcspn(t, "$@");
            if (!esc_put(c, out, t, run))
                return false;
            t += run;
            continue;
        }
        char kind = *t++;
        if (*t == 'I' || *t == 'P' || *t == 'T')
            kind = *t++;
        assert(*t >= '1' && *t <= '9');
        size_t i = (size_t)(*t++ - '1');
        assert(i < fn->min && i < args->n && nused < 9);
        for (size_t u = 0; u < nused; u++)
            assert(used[u] != i); /* a repeated argument would repeat its markers */
        if (!esc_emit_arg(c, out, kind, &args->v[i]))
            return false;
        used[nused++] = i;
    }
    return esc_check_markers(c, args, used, nused, name, name_pos);
}

/* A function not in the table: NAME(args) as written, with the arguments translated. */
static bool esc_emit_unknown(esc_ctx *c, esc_buf *out, const esc_args *args, esc_view name,
                             bool parens)
{
    if (!esc_put(c, out, name.p, name.n))
        return false;
    if (!parens)
        return true;
    if (!esc_puts(c, out, "("))
        return false;
    for (size_t i = 0; i < args->n; i++) {
        esc_view v = esc_trim(&args->v[i].text);
        if ((i && !esc_puts(c, out, ", ")) || !esc_put(c, out, v.p, v.n))
            return false;
    }
    return esc_puts(c, out, ")");
}

static bool esc_function(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open)
{
    esc_skip_space(c);
    size_t name_pos = c->pos;
    esc_view name = {c->s + c->pos, esc_name_len(c)};
    if (name.n == 0)
        return esc_fail(c, "42000", c->pos, "expected a function name after {fn");
    c->pos += name.n;
    esc_skip_space(c);
    esc_args args = {0};
    bool parens = c->pos < c->len && c->s[c->pos] == '(';
    bool ok = true;
    if (parens) {
        c->pos++;
        ok = esc_parse_args(c, &args, closer, open, name);
    } else if (c->pos < c->len && c->s[c->pos] != '}' && !esc_at(c, esc_long_close)) {
        ok =
            esc_fail(c, "42000", c->pos, "expected ( after the function name %.*s", ESC_SHOW(name));
    }
    if (ok)
        ok = esc_expect_close(c, closer, open);
    const esc_fn *fn = NULL;
    unsigned lo = 255, hi = 0;
    for (size_t i = 0; ok && i < esc_nfns && !fn; i++) {
        if (!esc_ieq(name.p, name.n, esc_fns[i].name))
            continue;
        if (args.n >= esc_fns[i].min && args.n <= esc_fns[i].max)
            fn = &esc_fns[i];
        lo = esc_fns[i].min < lo ? esc_fns[i].min : lo;
        hi = esc_fns[i].max > hi ? esc_fns[i].max : hi;
    }
    if (ok && fn)
        ok = esc_emit_template(c, out, fn, &args, name, name_pos);
    else if (ok && hi == 0 && lo == 255)
        ok = esc_emit_unknown(c, out, &args, name, parens);
    else if (ok && lo == hi)
        ok = esc_fail(c, "42000", name_pos, "{fn %.*s} takes %u argument%s, not %zu",
                      ESC_SHOW(name), lo, lo == 1 ? "" : "s", args.n);
    else if (ok)
        ok = esc_fail(c, "42000", name_pos, "{fn %.*s} takes %u to %u arguments, not %zu",
                      ESC_SHOW(name), lo, hi, args.n);
    esc_args_free(&args);
    return ok;
}

/* ---- one escape ---------------------------------------------------------------------- */

/* Reads the keyword after the opener and translates the rest into out. */
static bool esc_escape_body(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open)
{
    esc_skip_space(c);
    size_t kw = c->pos;
    if (kw < c->len && c->s[kw] == '?') { /* {?= call ...} */
        c->pos++;
        esc_skip_space(c);
        if (c->pos < c->len && c->s[c->pos] == '=')
            return esc_fail(c, "HYC00", kw, "procedures are not supported: Eider has none to call");
        return esc_fail(c, "42000", kw, "expected = call after {?");
    }
    size_t n = esc_name_len(c);
    const char *w = c->s + kw;
    c->pos += n;
    if (n == 0)
        return esc_fail(c, "42000", kw, "expected d, t, ts, fn, oj, escape or interval after %s",
                        closer == CLOSE_BRACE ? "{" : "--(*vendor(Microsoft),product(ODBC)");
    if (esc_ieq(w, n, "d"))
        return esc_literal(c, out, closer, open, "DATE ", "a date");
    if (esc_ieq(w, n, "t"))
        return esc_literal(c, out, closer, open, "TIME ", "a time");
    if (esc_ieq(w, n, "ts"))
        return esc_literal(c, out, closer, open, "TIMESTAMP ", "a timestamp");
    if (esc_ieq(w, n, "escape"))
        return esc_literal(c, out, closer, open, "ESCAPE ", "the escape character");
    if (esc_ieq(w, n, "fn"))
        return esc_function(c, out, closer, open);
    if (esc_ieq(w, n, "oj"))
        return esc_outer_join(c, out, closer, open);
    if (esc_ieq(w, n, "interval"))
        return esc_interval(c, out, closer, open);
    if (esc_ieq(w, n, "call"))
        return esc_fail(c, "HYC00", kw, "procedures are not supported: Eider has none to call");
    if (esc_ieq(w, n, "guid"))
        return esc_fail(c, "HYC00", kw, "GUID literals are not supported: Eider has no GUID type");
    return esc_fail(c, "42000", kw,
                    "unknown escape %.*s: expected d, t, ts, fn, oj, escape or interval",
                    (int)(n > 40 ? 40 : n), w);
}

/* An escape whose opener ends before pos (open is where it starts), appended to out. */
static bool esc_escape(esc_ctx *c, esc_buf *out, esc_closer closer, size_t open)
{
    if (c->depth == ESC_MAX_DEPTH)
        return esc_fail(c, "42000", open, "escapes are nested more than %d deep", ESC_MAX_DEPTH);
    c->depth++;
    esc_buf tmp = {0};
    bool ok = esc_escape_body(c, &tmp, closer, open);
    c->depth--;
    if (ok) {
        assert(tmp.n > 0);
        if (out->n && esc_sticky(out->p[out->n - 1], tmp.p[0]))
            ok = esc_puts(c, out, " ");
        ok = ok && esc_put(c, out, tmp.p, tmp.n);
        if (ok && c->pos < c->len && esc_sticky(tmp.p[tmp.n - 1], c->s[c->pos]))
            ok = esc_puts(c, out, " ");
        c->translated = true;
    }
    free(tmp.p);
    return ok;
}

/* ---- the API ------------------------------------------------------------------------- */

/* Whether "--(*" occurs: the start of the long form, worth a full scan. */
static bool esc_has_long_form(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (end - p >= 4 && (p = memchr(p, '-', (size_t)(end - p) - 3)) != NULL) {
        if (p[1] == '-' && p[2] == '(' && p[3] == '*')
            return true;
        p++;
    }
    return false;
}

int esc_translate(const char *sql, size_t len, char **out, size_t *out_len, esc_error *err)
{
    assert(out && out_len && err && (sql || len == 0));
    *out = NULL;
    *out_len = len;
    err->sqlstate[0] = '\0';
    err->message[0] = '\0';
    err->pos = 0;
    if (len == 0 || (!memchr(sql, '{', len) && !esc_has_long_form(sql, len)))
        return ESC_UNCHANGED;
    esc_ctx c = {.s = sql, .len = len, .err = err};
    esc_buf b = {0};
    if (!esc_put(&c, &b, "", 0) || !esc_span(&c, &b, MODE_TOP, CLOSE_BRACE, 0)) {
        free(b.p);
        return ESC_ERROR;
    }
    if (!c.translated) {
        free(b.p);
        return ESC_UNCHANGED;
    }
    *out = b.p;
    *out_len = b.n;
    return ESC_TRANSLATED;
}
