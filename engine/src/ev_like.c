/*
 * LIKE and ILIKE: % matches any run of characters, _ one character (a UTF-8 code point),
 * the ESCAPE character makes the next one literal. ILIKE folds ASCII letters. Patterns of
 * the common shapes ('abc%', '%abc', '%abc%', or no wildcard at all) are matched with a
 * prefix, suffix, substring or whole comparison; anything else by the general matcher,
 * which backtracks only to the last %.
 */
#include "errors.h"
#include "ev_int.h"

#include <ctype.h>
#include <string.h>

typedef enum like_shape {
    LIKE_GENERAL,
    LIKE_EXACT,    /* abc */
    LIKE_PREFIX,   /* abc% */
    LIKE_SUFFIX,   /* %abc */
    LIKE_CONTAINS, /* %abc% */
} like_shape;

static int like_fold(int c, bool ilike)
{
    return ilike ? tolower(c) : c;
}

static uint32_t like_char_len(const char *s, uint32_t left)
{
    unsigned char c = (unsigned char)*s;
    uint32_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return n <= left ? n : left;
}

static bool like_match(const char *s, uint32_t slen, const char *p, uint32_t plen, int esc,
                       bool ilike)
{
    uint32_t si = 0, pi = 0;
    uint32_t star_p = UINT32_MAX, star_s = 0;
    while (si < slen) {
        if (pi < plen) {
            char pc = p[pi];
            if (pc == '%' && (int)(unsigned char)pc != esc) {
                star_p = ++pi;
                star_s = si;
                continue;
            }
            if (pc == '_' && (int)(unsigned char)pc != esc) {
                si += like_char_len(s + si, slen - si);
                pi++;
                continue;
            }
            if ((int)(unsigned char)pc == esc && pi + 1 < plen)
                pc = p[++pi];
            if (like_fold((unsigned char)pc, ilike) == like_fold((unsigned char)s[si], ilike)) {
                si++;
                pi++;
                continue;
            }
        }
        if (star_p == UINT32_MAX)
            return false;
        star_s += like_char_len(s + star_s, slen - star_s);
        si = star_s;
        pi = star_p;
    }
    while (pi < plen && p[pi] == '%' && (int)'%' != esc)
        pi++;
    return pi == plen;
}

/* The shape of a pattern, and its literal part for the simple shapes. */
static like_shape like_analyze(eng_str p, int esc, eng_str *lit)
{
    if (esc)
        for (uint32_t i = 0; i < p.len; i++)
            if ((unsigned char)p.ptr[i] == esc)
                return LIKE_GENERAL;
    uint32_t b = 0, e = p.len;
    bool lead = b < e && p.ptr[b] == '%', trail = e > b + lead && p.ptr[e - 1] == '%';
    if (lead)
        b++;
    if (trail)
        e--;
    for (uint32_t i = b; i < e; i++)
        if (p.ptr[i] == '%' || p.ptr[i] == '_')
            return LIKE_GENERAL;
    *lit = (eng_str){p.ptr + b, e - b};
    return lead && trail ? LIKE_CONTAINS : lead ? LIKE_SUFFIX : trail ? LIKE_PREFIX : LIKE_EXACT;
}

static bool like_simple(like_shape shape, eng_str s, eng_str lit)
{
    switch (shape) {
    case LIKE_EXACT:
        return s.len == lit.len && (!lit.len || !memcmp(s.ptr, lit.ptr, lit.len));
    case LIKE_PREFIX:
        return s.len >= lit.len && (!lit.len || !memcmp(s.ptr, lit.ptr, lit.len));
    case LIKE_SUFFIX:
        return s.len >= lit.len && (!lit.len || !memcmp(s.ptr + s.len - lit.len, lit.ptr, lit.len));
    case LIKE_CONTAINS:
        return !lit.len || (s.len >= lit.len && memmem(s.ptr, s.len, lit.ptr, lit.len));
    default:
        return false;
    }
}

int ev_like(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out, eng_error *err)
{
    ev_vec s, p;
    if (ev_eval(e->u.like.arg, in, n, a, &s, err) != 0 ||
        ev_eval(e->u.like.pattern, in, n, a, &p, err) != 0 ||
        ev_alloc(a, e->type, n, out, err) != 0)
        return -1;
    int esc = (int)e->u.like.escape;
    bool ilike = e->u.like.ilike, neg = e->u.like.negated;
    uint8_t *res = out->data;
    const eng_str *sv = s.data, *pv = p.data;
    /* A constant pattern is analyzed once for the whole vector. */
    bool constant = e->u.like.pattern->kind == BX_CONST && !ilike;
    eng_str lit = {0};
    like_shape shape = LIKE_GENERAL;
    if (constant && n && !ev_null(&p, 0))
        shape = like_analyze(pv[0], esc, &lit);
    for (uint32_t i = 0; i < n; i++) {
        if (ev_null(&s, i) || ev_null(&p, i)) {
            out->nulls[i] = 1;
            continue;
        }
        bool m = shape != LIKE_GENERAL
                     ? like_simple(shape, sv[i], lit)
                     : like_match(sv[i].ptr, sv[i].len, pv[i].ptr, pv[i].len, esc, ilike);
        res[i] = m != neg;
    }
    return 0;
}
