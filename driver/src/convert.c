/*
 * Conversions between engine values and C buffers, after the ODBC reference's conversion
 * tables (Appendix D): text in pieces with 01004 on truncation, numbers with 22003 when
 * out of range and 01S07 when a fraction is cut, 22018 for text that is not a number,
 * 07006 for a conversion the tables do not allow.
 */
#include "convert.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool val_numeric_type(eng_type_id t)
{
    return t == ENG_TYPE_SMALLINT || t == ENG_TYPE_INTEGER || t == ENG_TYPE_BIGINT ||
           t == ENG_TYPE_DECIMAL || t == ENG_TYPE_BOOLEAN;
}

SQLSMALLINT drv_sql_type(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return SQL_BIT;
    case ENG_TYPE_SMALLINT:
        return SQL_SMALLINT;
    case ENG_TYPE_INTEGER:
        return SQL_INTEGER;
    case ENG_TYPE_BIGINT:
        return SQL_BIGINT;
    case ENG_TYPE_DOUBLE:
        return SQL_DOUBLE;
    case ENG_TYPE_DECIMAL:
        return SQL_DECIMAL;
    case ENG_TYPE_DATE:
        return SQL_TYPE_DATE;
    case ENG_TYPE_TIME:
        return SQL_TYPE_TIME;
    case ENG_TYPE_TIMESTAMP:
        return SQL_TYPE_TIMESTAMP;
    case ENG_TYPE_BLOB:
        return SQL_VARBINARY;
    default: /* VARCHAR, and INTERVAL as its text */
        return SQL_VARCHAR;
    }
}

SQLULEN drv_column_size(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return 5;
    case ENG_TYPE_INTEGER:
        return 10;
    case ENG_TYPE_BIGINT:
        return 19;
    case ENG_TYPE_DOUBLE:
        return 15;
    case ENG_TYPE_DECIMAL:
        return ENG_DECIMAL_PRECISION(t);
    case ENG_TYPE_DATE:
        return 10;
    case ENG_TYPE_TIME:
        return 15; /* hh:mm:ss.ffffff */
    case ENG_TYPE_TIMESTAMP:
        return 26; /* yyyy-mm-dd hh:mm:ss.ffffff */
    case ENG_TYPE_INTERVAL:
        return 64;
    default:
        return t.width ? t.width : ENG_VARCHAR_MAX;
    }
}

SQLLEN drv_display_size(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return 6;
    case ENG_TYPE_INTEGER:
        return 11;
    case ENG_TYPE_BIGINT:
        return 20;
    case ENG_TYPE_DOUBLE:
        return 24;
    case ENG_TYPE_DECIMAL:
        return (SQLLEN)ENG_DECIMAL_PRECISION(t) + 2; /* sign and point */
    case ENG_TYPE_BLOB:
        return 2 * (SQLLEN)drv_column_size(t); /* two hex digits a byte */
    default:
        return (SQLLEN)drv_column_size(t);
    }
}

SQLSMALLINT drv_decimal_digits(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_DECIMAL:
        return (SQLSMALLINT)ENG_DECIMAL_SCALE(t);
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        return 6; /* microseconds */
    default:
        return 0;
    }
}

/* The shortest decimal text that reads back as the same double. */
static int cv_format_double(double d, char *buf, size_t size)
{
    if (isnan(d))
        return snprintf(buf, size, "NaN");
    if (isinf(d))
        return snprintf(buf, size, d > 0 ? "Infinity" : "-Infinity");
    for (int prec = 15; prec < 17; prec++) {
        int n = snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return n;
    }
    return snprintf(buf, size, "%.17g", d);
}

/* The text of a non-NULL value: points at the value's bytes or into buf (BLOB: into
 * *owned, which the caller frees: hex digits, two a byte, as Appendix D says); NULL when
 * out of memory. */
static const char *cv_text(const eng_vector *v, uint32_t row, char *buf, size_t size, size_t *len,
                           char **owned)
{
    int n;
    *owned = NULL;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        n = snprintf(buf, size, "%d", ((const uint8_t *)v->data)[row] ? 1 : 0);
        break;
    case ENG_TYPE_INTEGER:
        n = snprintf(buf, size, "%" PRId32, ((const int32_t *)v->data)[row]);
        break;
    case ENG_TYPE_BIGINT:
        n = snprintf(buf, size, "%" PRId64, ((const int64_t *)v->data)[row]);
        break;
    case ENG_TYPE_DOUBLE:
        n = cv_format_double(((const double *)v->data)[row], buf, size);
        break;
    case ENG_TYPE_VARCHAR: {
        eng_str s = ((const eng_str *)v->data)[row];
        *len = s.len;
        return s.ptr ? s.ptr : "";
    }
    case ENG_TYPE_BLOB: {
        eng_str s = ((const eng_str *)v->data)[row];
        static const char hex[] = "0123456789ABCDEF";
        *owned = malloc(2 * (size_t)s.len + 1);
        if (!*owned)
            return NULL; /* the caller reports HY001 */
        for (uint32_t i = 0; i < s.len; i++) {
            (*owned)[2 * i] = hex[(unsigned char)s.ptr[i] >> 4];
            (*owned)[2 * i + 1] = hex[(unsigned char)s.ptr[i] & 15];
        }
        (*owned)[2 * (size_t)s.len] = '\0';
        *len = 2 * (size_t)s.len;
        return *owned;
    }
    default: /* SMALLINT, DECIMAL, dates and times: the engine's text */
        n = (int)eng_vector_text(v, row, buf, size);
        if ((size_t)n >= size)
            n = (int)size - 1;
        break;
    }
    *len = (size_t)n;
    return buf;
}

/* Reads a value as a number: integral values exactly in *i (is_int), others in *d. */
static SQLRETURN cv_number(drv_handle *h, const eng_vector *v, uint32_t row, int64_t *i, double *d,
                           bool *is_int)
{
    *is_int = true;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        *i = ((const uint8_t *)v->data)[row];
        return SQL_SUCCESS;
    case ENG_TYPE_INTEGER:
        *i = ((const int32_t *)v->data)[row];
        return SQL_SUCCESS;
    case ENG_TYPE_BIGINT:
        *i = ((const int64_t *)v->data)[row];
        return SQL_SUCCESS;
    case ENG_TYPE_SMALLINT:
        *i = ((const int16_t *)v->data)[row];
        return SQL_SUCCESS;
    case ENG_TYPE_DOUBLE:
        *is_int = false;
        *d = ((const double *)v->data)[row];
        return SQL_SUCCESS;
    case ENG_TYPE_DECIMAL:
    case ENG_TYPE_VARCHAR: {
        char dec[64];
        eng_str s;
        if (v->type.id == ENG_TYPE_DECIMAL) {
            size_t n = eng_vector_text(v, row, dec, sizeof dec);
            /* an integral DECIMAL reads as an integer, exactly */
            char *dot = strchr(dec, '.');
            if (dot && strspn(dot + 1, "0") == strlen(dot + 1))
                n = (size_t)(dot - dec);
            s = (eng_str){dec, (uint32_t)n};
        } else {
            s = ((const eng_str *)v->data)[row];
        }
        char buf[128];
        size_t b = 0, e = s.len;
        while (b < e && isspace((unsigned char)s.ptr[b]))
            b++;
        while (e > b && isspace((unsigned char)s.ptr[e - 1]))
            e--;
        if (e - b == 0 || e - b >= sizeof buf)
            return drv_diag_add(h, SQL_ERROR, "22018", "\"%.*s\" is not a number",
                                (int)(s.len > 40 ? 40 : s.len), s.ptr);
        memcpy(buf, s.ptr + b, e - b);
        buf[e - b] = '\0';
        char *end;
        errno = 0;
        long long ll = strtoll(buf, &end, 10);
        if (!*end && errno == 0) {
            *i = ll;
            return SQL_SUCCESS;
        }
        *is_int = false;
        *d = strtod(buf, &end);
        if (*end)
            return drv_diag_add(h, SQL_ERROR, "22018", "\"%s\" is not a number", buf);
        return SQL_SUCCESS;
    }
    default:
        return drv_diag_add(h, SQL_ERROR, "07006", "this value cannot be read as a number");
    }
}

static SQLRETURN cv_out_integer(drv_handle *h, int64_t lo, uint64_t hi_u, bool is_signed,
                                const eng_vector *v, uint32_t row, void *out, int width,
                                SQLLEN *ind)
{
    int64_t i = 0;
    double d = 0;
    bool is_int;
    SQLRETURN rc = cv_number(h, v, row, &i, &d, &is_int);
    if (rc != SQL_SUCCESS)
        return rc;
    bool fraction = false;
    if (!is_int) {
        if (!isfinite(d) || d <= (double)lo - 1.0 || d >= (double)hi_u + 1.0)
            return drv_diag_add(h, SQL_ERROR, "22003", "numeric value %g out of range", d);
        double t = trunc(d);
        fraction = t != d;
        if (!is_signed && t >= 9223372036854775808.0) {
            uint64_t u = (uint64_t)t;
            memcpy(out, &u, 8);
            if (ind)
                *ind = width;
            return fraction ? drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S07",
                                           "fractional part truncated")
                            : SQL_SUCCESS;
        }
        i = (int64_t)t;
    }
    if (i < lo || (i >= 0 && (uint64_t)i > hi_u))
        return drv_diag_add(h, SQL_ERROR, "22003", "numeric value %" PRId64 " out of range", i);
    switch (width) {
    case 1:
        *(int8_t *)out = (int8_t)i;
        break;
    case 2:
        *(int16_t *)out = (int16_t)i;
        break;
    case 4:
        *(int32_t *)out = (int32_t)i;
        break;
    default:
        *(int64_t *)out = i;
        break;
    }
    if (ind)
        *ind = width;
    return fraction ? drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S07", "fractional part truncated")
                    : SQL_SUCCESS;
}

static SQLRETURN cv_out_double(drv_handle *h, const eng_vector *v, uint32_t row, void *out,
                               bool single, SQLLEN *ind)
{
    int64_t i = 0;
    double d = 0;
    bool is_int;
    SQLRETURN rc = cv_number(h, v, row, &i, &d, &is_int);
    if (rc != SQL_SUCCESS)
        return rc;
    if (is_int)
        d = (double)i;
    if (single) {
        if (isfinite(d) && fabs(d) > 3.4028234663852886e38)
            return drv_diag_add(h, SQL_ERROR, "22003", "value %g out of range for REAL", d);
        *(float *)out = (float)d;
    } else {
        *(double *)out = d;
    }
    if (ind)
        *ind = single ? sizeof(float) : sizeof(double);
    return SQL_SUCCESS;
}

static SQLRETURN cv_out_bit(drv_handle *h, const eng_vector *v, uint32_t row, void *out,
                            SQLLEN *ind)
{
    int64_t i = 0;
    double d = 0;
    bool is_int;
    SQLRETURN rc = cv_number(h, v, row, &i, &d, &is_int);
    if (rc != SQL_SUCCESS)
        return rc;
    if (!is_int) {
        if (!(d >= 0 && d < 2))
            return drv_diag_add(h, SQL_ERROR, "22003", "value %g out of range for a bit", d);
        *(unsigned char *)out = d >= 1;
        if (ind)
            *ind = 1;
        return d == 0 || d == 1
                   ? SQL_SUCCESS
                   : drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S07", "fractional part truncated");
    }
    if (i != 0 && i != 1)
        return drv_diag_add(h, SQL_ERROR, "22003", "value %" PRId64 " out of range for a bit", i);
    *(unsigned char *)out = (unsigned char)i;
    if (ind)
        *ind = 1;
    return SQL_SUCCESS;
}

/* Text, UTF-16 text or binary, in pieces: *offset counts output bytes already returned. */
static SQLRETURN cv_out_chars(drv_handle *h, const eng_vector *v, uint32_t row, SQLSMALLINT c_type,
                              void *out, SQLLEN cap, SQLLEN *ind, size_t *offset)
{
    char buf[128];
    size_t len;
    const char *text;
    char *owned = NULL;
    if (c_type == SQL_C_BINARY && v->type.id == ENG_TYPE_BLOB) {
        eng_str s = ((const eng_str *)v->data)[row];
        text = s.ptr ? s.ptr : "";
        len = s.len;
    } else if (c_type == SQL_C_BINARY && v->type.id != ENG_TYPE_VARCHAR) {
        /* the value's bytes as the engine holds them (Appendix D: binary of a number) */
        static const uint8_t widths[] = {
            [ENG_TYPE_BOOLEAN] = 1,   [ENG_TYPE_SMALLINT] = 2,  [ENG_TYPE_INTEGER] = 4,
            [ENG_TYPE_DATE] = 4,      [ENG_TYPE_BIGINT] = 8,    [ENG_TYPE_DOUBLE] = 8,
            [ENG_TYPE_TIME] = 8,      [ENG_TYPE_TIMESTAMP] = 8, [ENG_TYPE_DECIMAL] = 16,
            [ENG_TYPE_INTERVAL] = 16,
        };
        len = v->type.id < sizeof widths ? widths[v->type.id] : 8;
        text = (const char *)v->data + (size_t)row * len;
    } else {
        text = cv_text(v, row, buf, sizeof buf, &len, &owned);
        if (!text)
            return drv_diag_nomem(h);
    }
    SQLWCHAR *wide = NULL;
    const char *bytes = text;
    size_t total = len;
    if (c_type == SQL_C_WCHAR) {
        size_t n = drv_utf8_to_utf16(text, len, NULL, 0);
        wide = malloc((n + 1) * sizeof *wide);
        if (!wide) {
            free(owned);
            return drv_diag_nomem(h);
        }
        drv_utf8_to_utf16(text, len, wide, n);
        bytes = (const char *)wide;
        total = n * sizeof(SQLWCHAR);
    }
    size_t done = offset ? *offset : 0;
    if (offset && done > 0 && done >= total) {
        free(wide);
        free(owned);
        return SQL_NO_DATA;
    }
    size_t left = total - done;
    size_t term = c_type == SQL_C_CHAR ? 1 : c_type == SQL_C_WCHAR ? sizeof(SQLWCHAR) : 0;
    size_t room = out && cap > (SQLLEN)term ? (size_t)cap - term : 0;
    if (term == sizeof(SQLWCHAR))
        room &= ~(size_t)1;
    size_t copy = left < room ? left : room;
    if (c_type == SQL_C_CHAR) /* never split a UTF-8 sequence */
        while (copy < left && copy > 0 && ((unsigned char)bytes[done + copy] & 0xC0) == 0x80)
            copy--;
    if (out && cap >= (SQLLEN)term) {
        memcpy(out, bytes + done, copy);
        if (term)
            memset((char *)out + copy, 0, term);
    }
    if (ind)
        *ind = (SQLLEN)left;
    free(wide);
    free(owned);
    if (offset)
        *offset = done + copy;
    if (copy < left) {
        return drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01004",
                            "string data, right truncated: %zu bytes left, buffer holds %zu", left,
                            copy);
    }
    if (offset && total == 0)
        *offset = 1; /* an empty value is returned once, then SQL_NO_DATA */
    return SQL_SUCCESS;
}

/* Text to date and time fields (yyyy-mm-dd[ hh:mm:ss[.f]] or hh:mm:ss[.f]); false when it
 * is neither. */
static bool cv_parse_datetime(const char *s, size_t len, bool *has_date, SQL_TIMESTAMP_STRUCT *ts)
{
    char buf[64];
    size_t b = 0;
    while (b < len && isspace((unsigned char)s[b]))
        b++;
    size_t n = len - b < sizeof buf - 1 ? len - b : sizeof buf - 1;
    memcpy(buf, s + b, n);
    buf[n] = '\0';
    int y, mo, d, hh = 0, mi = 0, ss = 0, used = 0;
    memset(ts, 0, sizeof *ts);
    if (sscanf(buf, "%d-%d-%d%n", &y, &mo, &d, &used) == 3) {
        *has_date = true;
        ts->year = (SQLSMALLINT)y;
        ts->month = (SQLUSMALLINT)mo;
        ts->day = (SQLUSMALLINT)d;
        if (buf[used] == ' ' || buf[used] == 'T') {
            int more = 0;
            if (sscanf(buf + used + 1, "%d:%d:%d%n", &hh, &mi, &ss, &more) < 2)
                return false;
            used += 1 + more;
        }
    } else if (sscanf(buf, "%d:%d:%d%n", &hh, &mi, &ss, &used) == 3) {
        *has_date = false;
    } else {
        return false;
    }
    ts->hour = (SQLUSMALLINT)hh;
    ts->minute = (SQLUSMALLINT)mi;
    ts->second = (SQLUSMALLINT)ss;
    if (buf[used] == '.') {
        unsigned long frac = 0;
        int digits = 0;
        for (const char *p = buf + used + 1; isdigit((unsigned char)*p) && digits < 9;
             p++, digits++)
            frac = frac * 10 + (unsigned long)(*p - '0');
        for (; digits < 9; digits++)
            frac *= 10;
        ts->fraction = (SQLUINTEGER)frac;
    }
    return true;
}

/* DATE, TIME, TIMESTAMP (or their text) to the ODBC date, time and timestamp structs. A
 * time of day dropped by a date conversion, or a fraction by a time one, is 01S07. */
static SQLRETURN cv_out_datetime(drv_handle *h, const eng_vector *v, uint32_t row,
                                 SQLSMALLINT c_type, void *out, SQLLEN *ind)
{
    SQL_TIMESTAMP_STRUCT ts = {0};
    bool has_date = true, has_time = true;
    switch (v->type.id) {
    case ENG_TYPE_DATE:
    case ENG_TYPE_TIMESTAMP: {
        int64_t days, us = 0;
        if (v->type.id == ENG_TYPE_DATE) {
            days = ((const int32_t *)v->data)[row];
            has_time = false;
        } else {
            int64_t t = ((const int64_t *)v->data)[row];
            days = t / 86400000000LL - (t % 86400000000LL < 0);
            us = t - days * 86400000000LL;
        }
        int64_t y;
        int m, d;
        eng_civil_from_days(days, &y, &m, &d);
        ts.year = (SQLSMALLINT)y;
        ts.month = (SQLUSMALLINT)m;
        ts.day = (SQLUSMALLINT)d;
        ts.hour = (SQLUSMALLINT)(us / 3600000000LL);
        ts.minute = (SQLUSMALLINT)(us / 60000000LL % 60);
        ts.second = (SQLUSMALLINT)(us / 1000000 % 60);
        ts.fraction = (SQLUINTEGER)(us % 1000000 * 1000);
        break;
    }
    case ENG_TYPE_TIME: {
        int64_t us = ((const int64_t *)v->data)[row];
        has_date = false;
        ts.hour = (SQLUSMALLINT)(us / 3600000000LL);
        ts.minute = (SQLUSMALLINT)(us / 60000000LL % 60);
        ts.second = (SQLUSMALLINT)(us / 1000000 % 60);
        ts.fraction = (SQLUINTEGER)(us % 1000000 * 1000);
        break;
    }
    case ENG_TYPE_VARCHAR: {
        eng_str s = ((const eng_str *)v->data)[row];
        if (!cv_parse_datetime(s.ptr, s.len, &has_date, &ts))
            return drv_diag_add(h, SQL_ERROR, "22018", "\"%.*s\" is not a date or time",
                                (int)(s.len > 40 ? 40 : s.len), s.ptr);
        break;
    }
    default:
        return drv_diag_add(h, SQL_ERROR, "07006", "a %s value cannot be converted to C type %d",
                            eng_type_name(v->type.id), c_type);
    }
    bool info = false;
    if (c_type == SQL_C_TYPE_DATE || c_type == SQL_C_DATE) {
        if (!has_date)
            return drv_diag_add(h, SQL_ERROR, "07006", "a time has no date to convert");
        SQL_DATE_STRUCT d = {ts.year, ts.month, ts.day};
        info = ts.hour || ts.minute || ts.second || ts.fraction;
        memcpy(out, &d, sizeof d);
        if (ind)
            *ind = sizeof d;
    } else if (c_type == SQL_C_TYPE_TIME || c_type == SQL_C_TIME) {
        if (!has_time)
            return drv_diag_add(h, SQL_ERROR, "07006", "a date has no time to convert");
        SQL_TIME_STRUCT t = {ts.hour, ts.minute, ts.second};
        info = ts.fraction != 0;
        memcpy(out, &t, sizeof t);
        if (ind)
            *ind = sizeof t;
    } else {
        if (!has_date) { /* a time gets today's date (Appendix D) */
            time_t now = time(NULL);
            struct tm tm;
            localtime_r(&now, &tm);
            ts.year = (SQLSMALLINT)(tm.tm_year + 1900);
            ts.month = (SQLUSMALLINT)(tm.tm_mon + 1);
            ts.day = (SQLUSMALLINT)tm.tm_mday;
        }
        memcpy(out, &ts, sizeof ts);
        if (ind)
            *ind = sizeof ts;
    }
    return info ? drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S07", "fractional truncation")
                : SQL_SUCCESS;
}

/* A number to SQL_NUMERIC_STRUCT at the value's own scale (DECIMAL: its scale), with the
 * magnitude little-endian in val[]. */
static SQLRETURN cv_out_numeric(drv_handle *h, const eng_vector *v, uint32_t row, void *out,
                                SQLLEN *ind)
{
    char text[128], *owned;
    size_t len;
    const char *t = cv_text(v, row, text, sizeof text, &len, &owned);
    if (!t)
        return drv_diag_nomem(h);
    free(owned);
    if (v->type.id == ENG_TYPE_DOUBLE || v->type.id == ENG_TYPE_VARCHAR) {
        /* no scale of its own: keep what the text shows */
        char buf[128];
        size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
        memcpy(buf, t, n);
        buf[n] = '\0';
        char *end;
        double d = strtod(buf, &end);
        if (end == buf || !isfinite(d))
            return drv_diag_add(h, SQL_ERROR, "22018", "\"%s\" is not a number", buf);
        if (fabs(d) >= 1e38)
            return drv_diag_add(h, SQL_ERROR, "22003", "%s does not fit SQL_C_NUMERIC's 38 digits",
                                buf);
        if (strchr(buf, 'e') || strchr(buf, 'E'))
            snprintf(text, sizeof text, "%.15f", d);
        else
            snprintf(text, sizeof text, "%s", buf);
        t = text;
        len = strlen(text);
    } else if (!val_numeric_type(v->type.id)) {
        return drv_diag_add(h, SQL_ERROR, "07006",
                            "a %s value cannot be converted to SQL_C_NUMERIC",
                            eng_type_name(v->type.id));
    }
    SQL_NUMERIC_STRUCT num;
    memset(&num, 0, sizeof num);
    num.sign = 1;
    unsigned __int128 mag = 0;
    int scale = 0, digits = 0;
    bool dot = false, cut = false;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '-') {
            num.sign = 0;
        } else if (c == '.') {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            if (digits == 38) { /* SQL_C_NUMERIC holds 38 significant digits */
                if (!dot)
                    return drv_diag_add(h, SQL_ERROR, "22003",
                                        "%.*s does not fit SQL_C_NUMERIC's 38 digits", (int)len, t);
                cut |= c != '0'; /* fraction digits beyond them are cut */
                continue;
            }
            mag = mag * 10 + (unsigned)(c - '0');
            digits += mag != 0;
            scale += dot;
        }
    }
    num.precision = (SQLCHAR)(digits > scale ? digits : scale + 1);
    num.scale = (SQLSCHAR)scale;
    for (int i = 0; i < SQL_MAX_NUMERIC_LEN; i++) {
        num.val[i] = (SQLCHAR)(mag & 0xFF);
        mag >>= 8;
    }
    memcpy(out, &num, sizeof num);
    if (ind)
        *ind = sizeof num;
    return cut ? drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S07",
                              "fraction digits beyond SQL_C_NUMERIC's 38 were cut")
               : SQL_SUCCESS;
}

SQLSMALLINT drv_default_c_type(eng_type_id t)
{
    switch (t) {
    case ENG_TYPE_BOOLEAN:
        return SQL_C_BIT;
    case ENG_TYPE_SMALLINT:
        return SQL_C_SSHORT;
    case ENG_TYPE_INTEGER:
        return SQL_C_SLONG;
    case ENG_TYPE_BIGINT:
        return SQL_C_SBIGINT;
    case ENG_TYPE_DOUBLE:
        return SQL_C_DOUBLE;
    case ENG_TYPE_DATE:
        return SQL_C_TYPE_DATE;
    case ENG_TYPE_TIME:
        return SQL_C_TYPE_TIME;
    case ENG_TYPE_TIMESTAMP:
        return SQL_C_TYPE_TIMESTAMP;
    case ENG_TYPE_BLOB:
        return SQL_C_BINARY;
    default: /* VARCHAR, DECIMAL (as text, per Appendix D), INTERVAL */
        return SQL_C_CHAR;
    }
}

static SQLRETURN drv_fixed_out(drv_handle *h, const eng_vector *v, uint32_t row, SQLSMALLINT c_type,
                               SQLPOINTER out, SQLLEN *ind);

SQLRETURN drv_value_out(drv_handle *h, const eng_vector *v, uint32_t row, SQLSMALLINT c_type,
                        SQLPOINTER out, SQLLEN cap, SQLLEN *ind, size_t *offset)
{
    if (c_type == SQL_C_DEFAULT)
        c_type = drv_default_c_type(v->type.id);
    if (eng_vector_is_null(v, row)) {
        if (!ind)
            return drv_diag_add(h, SQL_ERROR, "22002",
                                "the value is NULL but no indicator variable was supplied");
        if (offset) {
            if (*offset > 0)
                return SQL_NO_DATA;
            *offset = 1;
        }
        *ind = SQL_NULL_DATA;
        return SQL_SUCCESS;
    }
    bool pieces = c_type == SQL_C_CHAR || c_type == SQL_C_WCHAR || c_type == SQL_C_BINARY;
    if (offset && *offset > 0 && !pieces)
        return SQL_NO_DATA; /* fixed-size values come in one piece */
    if (pieces)
        return cv_out_chars(h, v, row, c_type, out, cap, ind, offset);
    SQLRETURN rc = drv_fixed_out(h, v, row, c_type, out, ind);
    if (offset && rc != SQL_ERROR)
        *offset = 1;
    return rc;
}

/* Conversions to the fixed-size C types. */
static SQLRETURN drv_fixed_out(drv_handle *h, const eng_vector *v, uint32_t row, SQLSMALLINT c_type,
                               SQLPOINTER out, SQLLEN *ind)
{
    switch (c_type) {
    case SQL_C_BIT:
        return cv_out_bit(h, v, row, out, ind);
    case SQL_C_STINYINT:
    case SQL_C_TINYINT:
        return cv_out_integer(h, INT8_MIN, INT8_MAX, true, v, row, out, 1, ind);
    case SQL_C_UTINYINT:
        return cv_out_integer(h, 0, UINT8_MAX, false, v, row, out, 1, ind);
    case SQL_C_SSHORT:
    case SQL_C_SHORT:
        return cv_out_integer(h, INT16_MIN, INT16_MAX, true, v, row, out, 2, ind);
    case SQL_C_USHORT:
        return cv_out_integer(h, 0, UINT16_MAX, false, v, row, out, 2, ind);
    case SQL_C_SLONG:
    case SQL_C_LONG:
        return cv_out_integer(h, INT32_MIN, INT32_MAX, true, v, row, out, 4, ind);
    case SQL_C_ULONG:
        return cv_out_integer(h, 0, UINT32_MAX, false, v, row, out, 4, ind);
    case SQL_C_SBIGINT:
        return cv_out_integer(h, INT64_MIN, INT64_MAX, true, v, row, out, 8, ind);
    case SQL_C_UBIGINT:
        return cv_out_integer(h, 0, UINT64_MAX, false, v, row, out, 8, ind);
    case SQL_C_DOUBLE:
        return cv_out_double(h, v, row, out, false, ind);
    case SQL_C_FLOAT:
        return cv_out_double(h, v, row, out, true, ind);
    case SQL_C_NUMERIC:
        return cv_out_numeric(h, v, row, out, ind);
    case SQL_C_TYPE_DATE:
    case SQL_C_DATE:
    case SQL_C_TYPE_TIME:
    case SQL_C_TIME:
    case SQL_C_TYPE_TIMESTAMP:
    case SQL_C_TIMESTAMP:
        return cv_out_datetime(h, v, row, c_type, out, ind);
    case SQL_C_GUID:
        return drv_diag_add(h, SQL_ERROR, "07006", "a %s value cannot be converted to C type %d",
                            eng_type_name(v->type.id), c_type);
    default:
        return drv_diag_add(h, SQL_ERROR, "HY003", "invalid C data type %d", c_type);
    }
}

static SQLSMALLINT cv_c_type_of_sql(SQLSMALLINT sql_type)
{
    switch (sql_type) {
    case SQL_BIT:
        return SQL_C_BIT;
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
        return SQL_C_SLONG;
    case SQL_BIGINT:
        return SQL_C_SBIGINT;
    case SQL_REAL:
    case SQL_FLOAT:
    case SQL_DOUBLE:
        return SQL_C_DOUBLE;
    case SQL_TYPE_DATE:
    case SQL_DATE:
        return SQL_C_TYPE_DATE;
    case SQL_TYPE_TIME:
    case SQL_TIME:
        return SQL_C_TYPE_TIME;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
        return SQL_C_TYPE_TIMESTAMP;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
        return SQL_C_BINARY;
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
        return SQL_C_WCHAR;
    default:
        return SQL_C_CHAR;
    }
}
/* Appendix D: a date or time struct whose fields are not a real date or time is 22008;
 * so is a fraction finer than the microseconds a TIMESTAMP keeps. */
static bool cv_valid_date(int year, int month, int day)
{
    if (month < 1 || month > 12 || day < 1)
        return false;
    int64_t first = eng_days_from_civil(year, month, 1);
    int64_t next =
        month == 12 ? eng_days_from_civil(year + 1, 1, 1) : eng_days_from_civil(year, month + 1, 1);
    return day <= next - first;
}

static bool cv_valid_time(unsigned hour, unsigned minute, unsigned second, unsigned long fraction)
{
    return hour < 24 && minute < 60 && second < 60 && fraction < 1000000000UL &&
           fraction % 1000 == 0;
}

static SQLRETURN cv_bad_datetime(drv_handle *h, unsigned index)
{
    return drv_diag_add(h, SQL_ERROR, "22008",
                        "parameter %u: not a valid date or time (a field is out of range, or "
                        "the fraction is finer than microseconds)",
                        index);
}

SQLRETURN drv_param_in(drv_handle *h, const drv_param *p, unsigned index, eng_value *out,
                       char **owned)
{
    memset(out, 0, sizeof *out);
    *owned = NULL;
    SQLLEN len = p->ind ? *p->ind : SQL_NTS;
    if (len == SQL_NULL_DATA) {
        out->type = ENG_TYPE_NULL;
        out->is_null = true;
        return SQL_SUCCESS;
    }
    if (len == SQL_DATA_AT_EXEC || len <= SQL_LEN_DATA_AT_EXEC_OFFSET)
        return drv_diag_add(h, SQL_ERROR, "HYC00",
                            "parameter %u: data at execution is not supported yet", index);
    if (!p->value)
        return drv_diag_add(h, SQL_ERROR, "HY009", "parameter %u has no value buffer", index);
    SQLSMALLINT c_type = p->c_type == SQL_C_DEFAULT ? cv_c_type_of_sql(p->sql_type) : p->c_type;
    const void *v = p->value;
    switch (c_type) {
    case SQL_C_CHAR:
    case SQL_C_BINARY:
        out->type = ENG_TYPE_VARCHAR;
        out->u.s.ptr = v;
        out->u.s.len = (uint32_t)(len == SQL_NTS ? strlen(v) : (size_t)len);
        return SQL_SUCCESS;
    case SQL_C_WCHAR: {
        size_t n = len == SQL_NTS ? drv_wcslen(v) : (size_t)len / sizeof(SQLWCHAR);
        size_t bytes;
        *owned = drv_utf16_to_utf8(v, n, &bytes);
        if (!*owned)
            return drv_diag_nomem(h);
        out->type = ENG_TYPE_VARCHAR;
        out->u.s.ptr = *owned;
        out->u.s.len = (uint32_t)bytes;
        return SQL_SUCCESS;
    }
    case SQL_C_BIT:
        out->type = ENG_TYPE_BOOLEAN;
        out->u.b = *(const unsigned char *)v != 0;
        return SQL_SUCCESS;
    case SQL_C_STINYINT:
    case SQL_C_TINYINT:
        out->u.i = *(const int8_t *)v;
        break;
    case SQL_C_UTINYINT:
        out->u.i = *(const uint8_t *)v;
        break;
    case SQL_C_SSHORT:
    case SQL_C_SHORT:
        out->u.i = *(const int16_t *)v;
        break;
    case SQL_C_USHORT:
        out->u.i = *(const uint16_t *)v;
        break;
    case SQL_C_SLONG:
    case SQL_C_LONG:
        out->u.i = *(const int32_t *)v;
        break;
    case SQL_C_ULONG:
        out->u.i = *(const uint32_t *)v;
        break;
    case SQL_C_SBIGINT:
        out->u.i = *(const int64_t *)v;
        break;
    case SQL_C_UBIGINT: {
        uint64_t u = *(const uint64_t *)v;
        if (u > INT64_MAX)
            return drv_diag_add(h, SQL_ERROR, "22003", "parameter %u: %" PRIu64 " is out of range",
                                index, u);
        out->u.i = (int64_t)u;
        break;
    }
    case SQL_C_DOUBLE:
        out->type = ENG_TYPE_DOUBLE;
        out->u.d = *(const double *)v;
        return SQL_SUCCESS;
    case SQL_C_FLOAT:
        out->type = ENG_TYPE_DOUBLE;
        out->u.d = *(const float *)v;
        return SQL_SUCCESS;
    case SQL_C_TYPE_DATE:
    case SQL_C_DATE: {
        const SQL_DATE_STRUCT *d = v;
        if (!cv_valid_date(d->year, d->month, d->day))
            return cv_bad_datetime(h, index);
        out->type = ENG_TYPE_DATE;
        out->u.i = eng_days_from_civil(d->year, d->month, d->day);
        return SQL_SUCCESS;
    }
    case SQL_C_TYPE_TIME:
    case SQL_C_TIME: {
        const SQL_TIME_STRUCT *t = v;
        if (!cv_valid_time(t->hour, t->minute, t->second, 0))
            return cv_bad_datetime(h, index);
        out->type = ENG_TYPE_TIME;
        out->u.i = ((int64_t)t->hour * 3600 + t->minute * 60 + t->second) * 1000000;
        return SQL_SUCCESS;
    }
    case SQL_C_TYPE_TIMESTAMP:
    case SQL_C_TIMESTAMP: {
        const SQL_TIMESTAMP_STRUCT *t = v;
        if (!cv_valid_date(t->year, t->month, t->day) ||
            !cv_valid_time(t->hour, t->minute, t->second, t->fraction))
            return cv_bad_datetime(h, index);
        out->type = ENG_TYPE_TIMESTAMP;
        out->u.i = eng_days_from_civil(t->year, t->month, t->day) * 86400000000LL +
                   ((int64_t)t->hour * 3600 + t->minute * 60 + t->second) * 1000000 +
                   t->fraction / 1000;
        return SQL_SUCCESS;
    }
    case SQL_C_NUMERIC: {
        const SQL_NUMERIC_STRUCT *num = v;
        unsigned __int128 mag = 0, limit = 1;
        for (int i = SQL_MAX_NUMERIC_LEN - 1; i >= 0; i--)
            mag = mag << 8 | num->val[i];
        for (int i = 0; i < 38; i++)
            limit *= 10;
        if (num->scale < 0 || num->scale > 38 || mag >= limit) /* DECIMAL holds 38 digits */
            return drv_diag_add(h, SQL_ERROR, "22003", "parameter %u: numeric value out of range",
                                index);
        __int128 s = (__int128)mag;
        if (!num->sign)
            s = -s;
        out->type = ENG_TYPE_DECIMAL;
        out->scale = (uint8_t)num->scale;
        memcpy(&out->u.dec, &s, sizeof s);
        return SQL_SUCCESS;
    }
    default:
        return drv_diag_add(h, SQL_ERROR, "07006", "parameter %u: C type %d is not supported yet",
                            index, c_type);
    }
    out->type = ENG_TYPE_BIGINT;
    return SQL_SUCCESS;
}
