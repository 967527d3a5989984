/*
 * String functions over vectors. Lengths and positions count characters (UTF-8 code
 * points), as PostgreSQL does; LOWER and UPPER change ASCII letters only. Results are
 * allocated in the evaluation's arena.
 */
#include "errors.h"
#include "ev_int.h"
#include "value.h"

#include <ctype.h>
#include <string.h>

/* The byte offset of character number n (0-based), or len when the string is shorter. */
static uint32_t es_offset(const char *s, uint32_t len, int64_t n)
{
    uint32_t i = 0;
    while (i < len && n > 0) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n--;
    }
    return i;
}

static int64_t es_int(const ev_vec *v, uint32_t i)
{
    return ((const int64_t *)v->data)[i];
}

static eng_str es_str(const ev_vec *v, uint32_t i)
{
    return ((const eng_str *)v->data)[i];
}

static char *es_alloc(arena *a, size_t n, eng_error *err)
{
    char *p = arena_alloc_raw(a, n ? n : 1);
    if (!p)
        err_set(err, ENG_E_NOMEM, "out of memory in a string function");
    return p;
}

static int es_too_long(const bexpr *e, eng_error *err)
{
    return err_set(err, ENG_E_OUT_OF_RANGE,
                   "the result of a string function would be longer than "
                   "%d characters (position %u)",
                   ENG_VARCHAR_MAX, e->pos + 1);
}

/* Is c among the characters of set (bytes; multi-byte characters compare bytewise)? */
static bool es_in_set(char c, eng_str set)
{
    return set.len && memchr(set.ptr, c, set.len);
}

static int es_row(const bexpr *e, const ev_vec *args, uint32_t i, arena *a, ev_vec *out,
                  eng_error *err)
{
    bx_fn fn = e->u.func.fn;
    eng_str s = e->u.func.nargs ? es_str(&args[0], i) : (eng_str){"", 0};
    eng_value v = {.type = e->type.id};
    switch (fn) {
    case FN_LENGTH:
        v.u.i = val_utf8_chars(s.ptr, s.len);
        break;
    case FN_OCTET_LENGTH:
        v.u.i = s.len;
        break;
    case FN_LOWER:
    case FN_UPPER: {
        char *p = es_alloc(a, s.len, err);
        if (!p)
            return -1;
        for (uint32_t k = 0; k < s.len; k++) {
            unsigned char c = (unsigned char)s.ptr[k];
            p[k] = (char)(c < 0x80 ? (fn == FN_LOWER ? tolower(c) : toupper(c)) : c);
        }
        v.u.s = (eng_str){p, s.len};
        break;
    }
    case FN_SUBSTRING: {
        /* characters [start, start + count) intersected with the string, 1-based */
        int64_t start = es_int(&args[1], i), count = INT64_MAX;
        if (e->u.func.nargs > 2) {
            count = es_int(&args[2], i);
            if (count < 0)
                return err_set(err, ENG_E_SUBSTRING,
                               "negative substring length not allowed "
                               "(position %u)",
                               e->pos + 1);
        }
        int64_t end = start > 0 && count > INT64_MAX - start ? INT64_MAX : start + count;
        if (start < 1)
            start = 1;
        if (end <= start) {
            v.u.s = (eng_str){"", 0};
            break;
        }
        uint32_t b = es_offset(s.ptr, s.len, start - 1);
        uint32_t k = es_offset(s.ptr + b, s.len - b, end - start);
        v.u.s = (eng_str){s.ptr + b, k};
        break;
    }
    case FN_TRIM:
    case FN_LTRIM:
    case FN_RTRIM: {
        eng_str set = e->u.func.nargs > 1 ? es_str(&args[1], i) : (eng_str){" ", 1};
        uint32_t b = 0, n = s.len;
        if (fn != FN_RTRIM)
            while (b < n && es_in_set(s.ptr[b], set))
                b++;
        if (fn != FN_LTRIM)
            while (n > b && es_in_set(s.ptr[n - 1], set))
                n--;
        v.u.s = (eng_str){s.ptr + b, n - b};
        break;
    }
    case FN_POSITION: { /* args: needle, haystack[, start] */
        eng_str h = es_str(&args[1], i);
        int64_t from = e->u.func.nargs > 2 ? es_int(&args[2], i) : 1;
        if (from < 1)
            from = 1;
        uint32_t b = es_offset(h.ptr, h.len, from - 1);
        const char *hit = s.len == 0           ? h.ptr + b
                          : h.len - b >= s.len ? memmem(h.ptr + b, h.len - b, s.ptr, s.len)
                                               : NULL;
        v.u.i = hit ? (int64_t)val_utf8_chars(h.ptr, (uint32_t)(hit - h.ptr)) + 1 : 0;
        if (b >= h.len && s.len == 0 && from > (int64_t)val_utf8_chars(h.ptr, h.len) + 1)
            v.u.i = 0;
        break;
    }
    case FN_CONCAT: {
        uint64_t total = 0;
        for (uint32_t k = 0; k < e->u.func.nargs; k++)
            if (!ev_null(&args[k], i))
                total += es_str(&args[k], i).len;
        if (total > UINT32_MAX)
            return es_too_long(e, err);
        char *p = es_alloc(a, total, err);
        if (!p)
            return -1;
        uint32_t at = 0;
        for (uint32_t k = 0; k < e->u.func.nargs; k++) {
            if (ev_null(&args[k], i))
                continue;
            eng_str x = es_str(&args[k], i);
            if (x.len)
                memcpy(p + at, x.ptr, x.len);
            at += x.len;
        }
        v.u.s = (eng_str){p, at};
        break;
    }
    case FN_REPLACE: {
        eng_str from = es_str(&args[1], i), to = es_str(&args[2], i);
        if (from.len == 0) {
            v.u.s = s;
            break;
        }
        uint64_t hits = 0;
        for (const char *q = s.ptr;
             (q = memmem(q, (size_t)(s.ptr + s.len - q), from.ptr, from.len)); q += from.len)
            hits++;
        uint64_t total = s.len + hits * to.len - hits * from.len;
        if (total > UINT32_MAX)
            return es_too_long(e, err);
        char *p = es_alloc(a, total, err);
        if (!p)
            return -1;
        uint32_t at = 0;
        const char *q = s.ptr, *end = s.ptr + s.len;
        for (const char *hit; (hit = memmem(q, (size_t)(end - q), from.ptr, from.len));
             q = hit + from.len) {
            memcpy(p + at, q, (size_t)(hit - q));
            at += (uint32_t)(hit - q);
            if (to.len)
                memcpy(p + at, to.ptr, to.len);
            at += to.len;
        }
        memcpy(p + at, q, (size_t)(end - q));
        at += (uint32_t)(end - q);
        v.u.s = (eng_str){p, at};
        break;
    }
    case FN_LEFT:
    case FN_RIGHT: {
        /* a negative count means all but that many from the other end */
        int64_t k = es_int(&args[1], i), chars = val_utf8_chars(s.ptr, s.len);
        int64_t keep = k >= 0 ? (k < chars ? k : chars) : (chars + k > 0 ? chars + k : 0);
        if (fn == FN_LEFT) {
            v.u.s = (eng_str){s.ptr, es_offset(s.ptr, s.len, keep)};
        } else {
            uint32_t b = es_offset(s.ptr, s.len, chars - keep);
            v.u.s = (eng_str){s.ptr + b, s.len - b};
        }
        break;
    }
    case FN_REPEAT: {
        int64_t k = es_int(&args[1], i);
        if (k <= 0 || s.len == 0) {
            v.u.s = (eng_str){"", 0};
            break;
        }
        if ((uint64_t)k * s.len > 64u * 1024 * 1024)
            return es_too_long(e, err);
        char *p = es_alloc(a, (size_t)k * s.len, err);
        if (!p)
            return -1;
        for (int64_t r = 0; r < k; r++)
            memcpy(p + r * s.len, s.ptr, s.len);
        v.u.s = (eng_str){p, (uint32_t)(k * s.len)};
        break;
    }
    case FN_REVERSE: {
        char *p = es_alloc(a, s.len, err);
        if (!p)
            return -1;
        uint32_t at = s.len;
        for (uint32_t k = 0; k < s.len;) { /* whole characters keep their byte order */
            uint32_t n = es_offset(s.ptr + k, s.len - k, 1);
            at -= n;
            memcpy(p + at, s.ptr + k, n);
            k += n;
        }
        v.u.s = (eng_str){p, s.len};
        break;
    }
    case FN_LPAD:
    case FN_RPAD: {
        int64_t want = es_int(&args[1], i), chars = val_utf8_chars(s.ptr, s.len);
        eng_str fill = e->u.func.nargs > 2 ? es_str(&args[2], i) : (eng_str){" ", 1};
        if (want <= 0) {
            v.u.s = (eng_str){"", 0};
            break;
        }
        if (want > ENG_VARCHAR_MAX)
            return es_too_long(e, err);
        if (want <= chars || fill.len == 0) {
            v.u.s = (eng_str){s.ptr, es_offset(s.ptr, s.len, want < chars ? want : chars)};
            break;
        }
        int64_t pad = want - chars;
        char *p = es_alloc(a, s.len + (size_t)pad * fill.len, err);
        if (!p)
            return -1;
        uint32_t at = 0;
        if (fn == FN_RPAD) {
            memcpy(p, s.ptr, s.len);
            at = s.len;
        }
        uint32_t fchars = val_utf8_chars(fill.ptr, fill.len);
        for (int64_t left = pad; left > 0;) {
            int64_t take = left < fchars ? left : fchars;
            uint32_t n = es_offset(fill.ptr, fill.len, take);
            memcpy(p + at, fill.ptr, n);
            at += n;
            left -= take;
        }
        if (fn == FN_LPAD) {
            memcpy(p + at, s.ptr, s.len);
            at += s.len;
        }
        v.u.s = (eng_str){p, at};
        break;
    }
    case FN_OVERLAY: {
        /* s with characters [start, start + count) replaced by r; count defaults to r's
         * length */
        eng_str r = es_str(&args[1], i);
        int64_t start = es_int(&args[2], i);
        int64_t count = e->u.func.nargs > 3 ? es_int(&args[3], i) : val_utf8_chars(r.ptr, r.len);
        if (start < 1 || count < 0)
            return err_set(err, ENG_E_SUBSTRING,
                           "OVERLAY needs a start of 1 or more and a "
                           "count of 0 or more (position %u)",
                           e->pos + 1);
        uint32_t b = es_offset(s.ptr, s.len, start - 1);
        uint32_t k = b + es_offset(s.ptr + b, s.len - b, count);
        char *p = es_alloc(a, (size_t)b + r.len + (s.len - k), err);
        if (!p)
            return -1;
        memcpy(p, s.ptr, b);
        if (r.len)
            memcpy(p + b, r.ptr, r.len);
        memcpy(p + b + r.len, s.ptr + k, s.len - k);
        v.u.s = (eng_str){p, b + r.len + (s.len - k)};
        break;
    }
    case FN_ASCII:
        v.u.i = s.len ? (unsigned char)s.ptr[0] : 0;
        break;
    case FN_CHR: {
        int64_t c = es_int(&args[0], i);
        if (c < 1 || c > 0x10FFFF)
            return err_set(err, ENG_E_INVALID_ARGUMENT,
                           "CHR(%lld) is not a character (position %u)", (long long)c, e->pos + 1);
        char *p = es_alloc(a, 4, err);
        if (!p)
            return -1;
        uint32_t n = 0;
        if (c < 0x80) {
            p[n++] = (char)c;
        } else if (c < 0x800) {
            p[n++] = (char)(0xC0 | (c >> 6));
            p[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            p[n++] = (char)(0xE0 | (c >> 12));
            p[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            p[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            p[n++] = (char)(0xF0 | (c >> 18));
            p[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            p[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            p[n++] = (char)(0x80 | (c & 0x3F));
        }
        v.u.s = (eng_str){p, n};
        break;
    }
    case FN_SPACE: {
        int64_t k = es_int(&args[0], i);
        if (k > ENG_VARCHAR_MAX)
            return es_too_long(e, err);
        k = k < 0 ? 0 : k;
        char *p = es_alloc(a, (size_t)k, err);
        if (!p)
            return -1;
        memset(p, ' ', (size_t)k);
        v.u.s = (eng_str){p, (uint32_t)k};
        break;
    }
    default:
        return err_set(err, ENG_E_GENERAL, "string function %d", (int)fn);
    }
    ev_put(out, i, &v);
    return 0;
}

int ev_string_func(const bexpr *e, const ev_input *in, uint32_t n, arena *a, ev_vec *out,
                   eng_error *err)
{
    uint32_t nargs = e->u.func.nargs;
    ev_vec *args = arena_alloc_raw(a, (nargs ? nargs : 1) * sizeof *args);
    if (!args || ev_alloc(a, e->type, n, out, err) != 0)
        return args ? -1 : err_set(err, ENG_E_NOMEM, "out of memory in a string function");
    for (uint32_t k = 0; k < nargs; k++)
        if (ev_eval(e->u.func.args[k], in, n, a, &args[k], err) != 0)
            return -1;
    bool concat = e->u.func.fn == FN_CONCAT; /* CONCAT skips NULL arguments */
    for (uint32_t i = 0; i < n; i++) {
        bool null = false;
        for (uint32_t k = 0; k < nargs && !concat; k++)
            null |= ev_null(&args[k], i);
        if (null) {
            out->nulls[i] = 1;
            continue;
        }
        if (es_row(e, args, i, a, out, err) != 0)
            return -1;
    }
    return 0;
}
