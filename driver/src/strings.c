/*
 * Strings at the API boundary: copying application strings in (SQL_NTS or counted), and
 * results out with truncation reported as 01004, in UTF-8 for the ANSI functions and
 * UTF-16 (unixODBC's 2-byte SQLWCHAR) for the W functions. Invalid UTF-8 or lone
 * surrogates become U+FFFD rather than failing a whole call.
 */
#include "drv.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

size_t drv_wcslen(const SQLWCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Decodes one code point from UTF-8; advances *i. */
static uint32_t drv_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra; k++) {
        if (*i + k >= len || (s[*i + k] & 0xC0) != 0x80) {
            *i += k;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[*i + k] & 0x3F);
    }
    *i += (size_t)extra + 1;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    return cp;
}

size_t drv_utf8_to_utf16(const char *s, size_t len, SQLWCHAR *out, size_t cap)
{
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t cp = drv_utf8_next((const unsigned char *)s, len, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            if (out && n + 1 < cap) {
                out[n] = (SQLWCHAR)(0xD800 + (cp >> 10));
                out[n + 1] = (SQLWCHAR)(0xDC00 + (cp & 0x3FF));
            }
            n += 2;
        } else {
            if (out && n < cap)
                out[n] = (SQLWCHAR)cp;
            n++;
        }
    }
    return n;
}

char *drv_utf16_to_utf8(const SQLWCHAR *s, size_t nchars, size_t *out_len)
{
    char *out = malloc(nchars * 3 + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < nchars; i++) {
        uint32_t cp = s[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < nchars && s[i + 1] >= 0xDC00 &&
            s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            out[n++] = (char)cp;
        } else if (cp < 0x800) {
            out[n++] = (char)(0xC0 | cp >> 6);
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = (char)(0xE0 | cp >> 12);
            out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[n++] = (char)(0xF0 | cp >> 18);
            out[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
            out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[n] = '\0';
    if (out_len)
        *out_len = n;
    return out;
}

char *drv_str_in(const SQLCHAR *s, SQLINTEGER len)
{
    if (!s)
        return NULL;
    size_t n = len == SQL_NTS ? strlen((const char *)s) : (size_t)(len < 0 ? 0 : len);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

char *drv_wstr_in(const SQLWCHAR *s, SQLINTEGER len)
{
    if (!s)
        return NULL;
    size_t n = len == SQL_NTS ? drv_wcslen(s) : (size_t)(len < 0 ? 0 : len);
    return drv_utf16_to_utf8(s, n, NULL);
}

bool drv_str_out(const char *s, SQLCHAR *buf, SQLLEN cap, SQLLEN *out_len)
{
    size_t n = strlen(s);
    if (out_len)
        *out_len = (SQLLEN)n;
    if (!buf || cap <= 0)
        return false; /* only the length was asked for */
    size_t copy = n < (size_t)cap ? n : (size_t)cap - 1;
    /* Do not cut a UTF-8 sequence in half. */
    while (copy < n && copy > 0 && ((unsigned char)s[copy] & 0xC0) == 0x80)
        copy--;
    memcpy(buf, s, copy);
    buf[copy] = '\0';
    return copy < n;
}

bool drv_wstr_out(const char *s, SQLWCHAR *buf, SQLLEN cap_chars, SQLLEN *out_chars)
{
    size_t len = strlen(s);
    size_t need = drv_utf8_to_utf16(s, len, NULL, 0);
    if (out_chars)
        *out_chars = (SQLLEN)need;
    if (!buf || cap_chars <= 0)
        return false;
    size_t room = (size_t)cap_chars - 1;
    size_t wrote = drv_utf8_to_utf16(s, len, buf, room);
    size_t end = wrote < room ? wrote : room;
    if (end > 0 && end < wrote && buf[end - 1] >= 0xD800 && buf[end - 1] <= 0xDBFF)
        end--; /* do not leave half a surrogate pair */
    buf[end] = 0;
    return end < need;
}

SQLRETURN drv_put_str(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                      SQLLEN cap, SQLLEN *out_len)
{
    SQLLEN len;
    bool truncated;
    if (wide) {
        truncated = drv_wstr_out(s, buf, in_bytes ? cap / (SQLLEN)sizeof(SQLWCHAR) : cap, &len);
        if (in_bytes)
            len *= (SQLLEN)sizeof(SQLWCHAR);
    } else {
        truncated = drv_str_out(s, buf, cap, &len);
    }
    if (out_len)
        *out_len = len;
    if (truncated && buf && len > 0)
        return drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01004",
                            "string data, right truncated: %ld %s needed", (long)len + 1,
                            wide && !in_bytes ? "characters" : "bytes");
    return SQL_SUCCESS;
}

SQLRETURN drv_put_str_small(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                            SQLLEN cap, SQLSMALLINT *out_len)
{
    SQLLEN len;
    SQLRETURN rc = drv_put_str(h, s, wide, in_bytes, buf, cap, &len);
    if (out_len)
        *out_len = (SQLSMALLINT)(len > SHRT_MAX ? SHRT_MAX : len);
    return rc;
}

SQLRETURN drv_put_str_int(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                          SQLLEN cap, SQLINTEGER *out_len)
{
    SQLLEN len;
    SQLRETURN rc = drv_put_str(h, s, wide, in_bytes, buf, cap, &len);
    if (out_len)
        *out_len = (SQLINTEGER)len;
    return rc;
}
