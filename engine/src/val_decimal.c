/*
 * DECIMAL(p,s) arithmetic helpers: values are 128-bit integers scaled by 10^s (p up to
 * 38, since 10^38 < 2^127). Conversions round half away from zero, as PostgreSQL does;
 * a value with p or more digits before scaling does not fit DECIMAL(p,s).
 */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEC_E18 ((dec128)1000000000000000000LL)

const dec128 dec_pow10_table[ENG_DECIMAL_MAX_PRECISION + 1] = {
    (dec128)1LL,
    (dec128)10LL,
    (dec128)100LL,
    (dec128)1000LL,
    (dec128)10000LL,
    (dec128)100000LL,
    (dec128)1000000LL,
    (dec128)10000000LL,
    (dec128)100000000LL,
    (dec128)1000000000LL,
    (dec128)10000000000LL,
    (dec128)100000000000LL,
    (dec128)1000000000000LL,
    (dec128)10000000000000LL,
    (dec128)100000000000000LL,
    (dec128)1000000000000000LL,
    (dec128)10000000000000000LL,
    (dec128)100000000000000000LL,
    (dec128)1000000000000000000LL,
    DEC_E18 * 10LL,
    DEC_E18 * 100LL,
    DEC_E18 * 1000LL,
    DEC_E18 * 10000LL,
    DEC_E18 * 100000LL,
    DEC_E18 * 1000000LL,
    DEC_E18 * 10000000LL,
    DEC_E18 * 100000000LL,
    DEC_E18 * 1000000000LL,
    DEC_E18 * 10000000000LL,
    DEC_E18 * 100000000000LL,
    DEC_E18 * 1000000000000LL,
    DEC_E18 * 10000000000000LL,
    DEC_E18 * 100000000000000LL,
    DEC_E18 * 1000000000000000LL,
    DEC_E18 * 10000000000000000LL,
    DEC_E18 * 100000000000000000LL,
    DEC_E18 * 1000000000000000000LL,
    DEC_E18 *DEC_E18 * 10LL,
    DEC_E18 *DEC_E18 * 100LL,
};

/* Divides by 10^k, rounding half away from zero. */
static dec128 dec_div_round(dec128 v, uint32_t k)
{
    dec128 d = dec_pow10(k), q = v / d, r = v % d;
    if (r * 2 >= d)
        q++;
    else if (r * 2 <= -d)
        q--;
    return q;
}

bool dec_rescale(dec128 v, uint32_t from, uint32_t to, dec128 *out)
{
    if (to == from) {
        *out = v;
        return true;
    }
    if (to < from) {
        *out = dec_div_round(v, from - to);
        return true;
    }
    return !__builtin_mul_overflow(v, dec_pow10(to - from), out) &&
           dec_fits(*out, ENG_DECIMAL_MAX_PRECISION);
}

int dec_parse(const char *s, size_t len, uint32_t precision, uint32_t scale, dec128 *out)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", s[i]))
        i++;
    while (len > i && strchr(" \t\r\n", s[len - 1]))
        len--;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    /* The digits without leading zeros, and how many of them follow the point. */
    char digits[80];
    int nd = 0, frac = 0, extra = 0;
    bool dot = false, any = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        any = true;
        if (nd == 0 && c == '0') {
            frac += dot;
            continue;
        }
        if (nd < (int)sizeof digits) {
            digits[nd++] = c;
            frac += dot;
        } else if (!dot) {
            extra++; /* integer digits past the buffer: far too large anyway */
        }
    }
    if (!any)
        return -1;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        char buf[16], *end;
        size_t n = len - i - 1;
        if (n == 0 || n >= sizeof buf)
            return -1;
        memcpy(buf, s + i + 1, n);
        buf[n] = '\0';
        exp = strtol(buf, &end, 10);
        if (*end)
            return -1;
        i = len;
    }
    if (i != len)
        return -1;
    if (extra || exp > 100)
        return nd ? -2 : (*out = 0, 0);
    if (exp < -100)
        exp = -100;
    /* value = digits * 10^(exp - frac); wanted: that times 10^scale, rounded */
    long shift = exp - frac + (long)scale;
    long keep = shift >= 0 ? nd : nd + shift;
    dec128 v = 0;
    for (long k = 0; k < keep && k < nd; k++) {
        if (k >= ENG_DECIMAL_MAX_PRECISION)
            return -2;
        v = v * 10 + (digits[k] - '0');
    }
    if (shift >= 0) {
        if (shift > ENG_DECIMAL_MAX_PRECISION || !dec_rescale(v, 0, (uint32_t)shift, &v))
            return v == 0 ? (*out = 0, 0) : -2;
    } else if (keep >= 0 && keep < nd && digits[keep] >= '5') {
        v++;
    }
    if (neg)
        v = -v;
    if (!dec_fits(v, precision))
        return -2;
    *out = v;
    return 0;
}

size_t dec_format(dec128 v, uint32_t scale, char *buf, size_t cap)
{
    char digits[48];
    int n = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= (int)scale)
        digits[n++] = '0';
    char out[64];
    size_t k = 0;
    if (neg)
        out[k++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        out[k++] = digits[i];
        if (i == (int)scale && scale > 0)
            out[k++] = '.';
    }
    out[k] = '\0';
    return (size_t)snprintf(buf, cap, "%s", out);
}

double dec_to_double(dec128 v, uint32_t scale)
{
    /* Both operands exact in a double, so the one division rounds correctly. */
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (scale <= 22 && v < ((dec128)1 << 53) && v > -((dec128)1 << 53))
        return (double)(int64_t)v / p10[scale];
    char buf[64];
    dec_format(v, scale, buf, sizeof buf);
    return strtod(buf, NULL);
}

int dec_from_double(double d, uint32_t precision, uint32_t scale, dec128 *out)
{
    if (!isfinite(d))
        return -2;
    /* Round the double's shortest decimal form, so 0.07 becomes 0.07 and not 0.0699... */
    char shortest[64];
    val_format_double(d, shortest, sizeof shortest);
    return dec_parse(shortest, strlen(shortest), precision, scale, out);
}
