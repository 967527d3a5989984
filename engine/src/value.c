/*
 * Scalar casts. Text to number accepts surrounding spaces, as PostgreSQL does; casts to
 * integers round half away from zero and check the range; booleans read the usual words;
 * dates and times read and write the ISO forms; DECIMAL keeps every digit it has room
 * for and refuses (22003) a value with too many before the point.
 */
#include "value.h"

#include "errors.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint32_t val_utf8_chars(const char *s, uint32_t len)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int val_check_width(const eng_str *s, uint32_t width, const char *column, eng_error *err)
{
    if (width == 0 || s->len <= width)
        return 0;
    uint32_t chars = val_utf8_chars(s->ptr, s->len);
    if (chars <= width)
        return 0;
    return err_set(err, ENG_E_TRUNCATION,
                   "value too long for column \"%s\" of type VARCHAR(%u): %u characters", column,
                   width, chars);
}

int val_format_double(double d, char *buf, size_t size)
{
    if (isnan(d))
        return snprintf(buf, size, "NaN");
    if (isinf(d))
        return snprintf(buf, size, d > 0 ? "Infinity" : "-Infinity");
    for (int prec = 15; prec <= 17; prec++) {
        int n = snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return n;
    }
    return snprintf(buf, size, "%.17g", d);
}

bool val_is_integer(eng_type_id id)
{
    return id == ENG_TYPE_SMALLINT || id == ENG_TYPE_INTEGER || id == ENG_TYPE_BIGINT;
}

bool val_is_numeric(eng_type_id id)
{
    return val_is_integer(id) || id == ENG_TYPE_DECIMAL || id == ENG_TYPE_DOUBLE;
}

bool val_is_string(eng_type_id id)
{
    return id == ENG_TYPE_VARCHAR || id == ENG_TYPE_BLOB;
}

bool val_castable(eng_type_id from, eng_type_id to)
{
    if (from == ENG_TYPE_NULL || from == to || from == ENG_TYPE_VARCHAR || to == ENG_TYPE_VARCHAR)
        return to != ENG_TYPE_NULL || from == ENG_TYPE_NULL;
    if (from == ENG_TYPE_BOOLEAN)
        return val_is_integer(to);
    if (to == ENG_TYPE_BOOLEAN)
        return val_is_integer(from);
    if (val_is_numeric(from))
        return val_is_numeric(to);
    if (from == ENG_TYPE_DATE)
        return to == ENG_TYPE_TIMESTAMP;
    if (from == ENG_TYPE_TIMESTAMP)
        return to == ENG_TYPE_DATE || to == ENG_TYPE_TIME;
    return false;
}

/* Copies the text into a NUL-terminated buffer without surrounding spaces. */
static const char *val_trimmed(const eng_str *s, char *buf, size_t size, bool *too_long)
{
    uint32_t b = 0, e = s->len;
    while (b < e && isspace((unsigned char)s->ptr[b]))
        b++;
    while (e > b && isspace((unsigned char)s->ptr[e - 1]))
        e--;
    *too_long = e - b >= size;
    size_t n = *too_long ? size - 1 : e - b;
    memcpy(buf, s->ptr + b, n);
    buf[n] = '\0';
    return buf;
}

static int val_bad_text(const eng_str *s, eng_type_id to, eng_error *err)
{
    int shown = s->len > 60 ? 60 : (int)s->len;
    bool dt = to == ENG_TYPE_DATE || to == ENG_TYPE_TIME || to == ENG_TYPE_TIMESTAMP ||
              to == ENG_TYPE_INTERVAL;
    return err_set(err, dt ? ENG_E_DATETIME_FORMAT : ENG_E_TYPE_MISMATCH,
                   "invalid input for type %s: \"%.*s%s\"", eng_type_name(to), shown, s->ptr,
                   s->len > 60 ? "..." : "");
}

static int val_range(eng_type to, eng_error *err)
{
    if (to.id == ENG_TYPE_DECIMAL)
        return err_set(err, ENG_E_OUT_OF_RANGE, "value out of range for type DECIMAL(%u,%u)",
                       ENG_DECIMAL_PRECISION(to), ENG_DECIMAL_SCALE(to));
    return err_set(err, ENG_E_OUT_OF_RANGE, "value out of range for type %s", eng_type_name(to.id));
}

static bool val_int_fits(int64_t v, eng_type_id to)
{
    if (to == ENG_TYPE_SMALLINT)
        return v >= INT16_MIN && v <= INT16_MAX;
    if (to == ENG_TYPE_INTEGER)
        return v >= INT32_MIN && v <= INT32_MAX;
    return true;
}

static int val_text_to_int(const eng_str *s, eng_type to, int64_t *out, eng_error *err)
{
    char buf[64];
    bool too_long;
    const char *t = val_trimmed(s, buf, sizeof buf, &too_long);
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (too_long || end == t || *end != '\0') {
        /* Accept "12.0"-style text by way of double, as an explicit cast would. */
        double d = strtod(t, &end);
        if (too_long || end == t || *end != '\0' || !isfinite(d))
            return val_bad_text(s, to.id, err);
        d = round(d);
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return val_range(to, err);
        v = (long long)d;
    } else if (errno == ERANGE) {
        return val_range(to, err);
    }
    if (!val_int_fits(v, to.id))
        return val_range(to, err);
    *out = v;
    return 0;
}

static int val_text_to_double(const eng_str *s, double *out, eng_error *err)
{
    char buf[512];
    bool too_long;
    const char *t = val_trimmed(s, buf, sizeof buf, &too_long);
    char *end;
    errno = 0;
    double d = strtod(t, &end);
    if (too_long || end == t || *end != '\0')
        return val_bad_text(s, ENG_TYPE_DOUBLE, err);
    if (errno == ERANGE && isinf(d))
        return val_range((eng_type){ENG_TYPE_DOUBLE, 0}, err);
    *out = d;
    return 0;
}

static int val_text_to_bool(const eng_str *s, bool *out, eng_error *err)
{
    static const char *const yes[] = {"true", "t", "yes", "y", "on", "1"};
    static const char *const no[] = {"false", "f", "no", "n", "off", "0"};
    char buf[16];
    bool too_long;
    const char *t = val_trimmed(s, buf, sizeof buf, &too_long);
    for (size_t i = 0; !too_long && i < sizeof yes / sizeof *yes; i++) {
        if (strcasecmp(t, yes[i]) == 0)
            return *out = true, 0;
        if (strcasecmp(t, no[i]) == 0)
            return *out = false, 0;
    }
    return val_bad_text(s, ENG_TYPE_BOOLEAN, err);
}

/* BLOB text: \x followed by hex digits, or the bytes as they are. */
static int val_text_to_blob(const eng_str *s, arena *a, eng_str *out, eng_error *err)
{
    if (s->len < 2 || s->ptr[0] != '\\' || (s->ptr[1] != 'x' && s->ptr[1] != 'X')) {
        *out = *s;
        return 0;
    }
    uint32_t n = (s->len - 2) / 2;
    if ((s->len - 2) % 2)
        return val_bad_text(s, ENG_TYPE_BLOB, err);
    char *p = arena_alloc_raw(a, n ? n : 1);
    if (!p)
        return err_set(err, ENG_E_NOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        char hex[3] = {s->ptr[2 + 2 * i], s->ptr[3 + 2 * i], 0};
        char *end;
        long v = strtol(hex, &end, 16);
        if (*end || !isxdigit((unsigned char)hex[0]))
            return val_bad_text(s, ENG_TYPE_BLOB, err);
        p[i] = (char)v;
    }
    *out = (eng_str){p, n};
    return 0;
}

/* The text of a value of a non-string type into buf; returns its length. */
static size_t val_text(const eng_value *in, char *buf, size_t cap)
{
    switch (in->type) {
    case ENG_TYPE_BOOLEAN:
        return (size_t)snprintf(buf, cap, "%s", in->u.b ? "true" : "false");
    case ENG_TYPE_SMALLINT:
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
        return (size_t)snprintf(buf, cap, "%" PRId64, in->u.i);
    case ENG_TYPE_DOUBLE:
        return (size_t)val_format_double(in->u.d, buf, cap);
    case ENG_TYPE_DECIMAL: {
        dec128 v;
        memcpy(&v, &in->u.dec, sizeof v);
        return dec_format(v, in->scale, buf, cap);
    }
    case ENG_TYPE_DATE:
        return dt_format_date(in->u.i, buf, cap);
    case ENG_TYPE_TIME:
        return dt_format_time(in->u.i, buf, cap);
    case ENG_TYPE_TIMESTAMP:
        return dt_format_timestamp(in->u.i, buf, cap);
    case ENG_TYPE_INTERVAL:
        return dt_format_interval(&in->u.iv, buf, cap);
    default:
        return 0;
    }
}

bool val_key_text(const eng_value *v, char *buf, size_t cap)
{
    switch (v->type) {
    case ENG_TYPE_DECIMAL:
    case ENG_TYPE_DATE:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
    case ENG_TYPE_INTERVAL:
        val_text(v, buf, cap);
        return true;
    case ENG_TYPE_BLOB:
        snprintf(buf, cap, "(%u bytes)", v->u.s.len);
        return true;
    default:
        return false;
    }
}

static int val_to_text(const eng_value *in, arena *a, eng_value *out, eng_error *err)
{
    if (in->type == ENG_TYPE_VARCHAR) {
        out->u.s = in->u.s;
        return 0;
    }
    if (in->type == ENG_TYPE_BLOB) {
        char *p = arena_alloc_raw(a, 2 + 2 * (size_t)in->u.s.len + 1);
        if (!p)
            return err_set(err, ENG_E_NOMEM, "out of memory");
        p[0] = '\\';
        p[1] = 'x';
        for (uint32_t i = 0; i < in->u.s.len; i++)
            snprintf(p + 2 + 2 * i, 3, "%02x", (unsigned char)in->u.s.ptr[i]);
        out->u.s = (eng_str){p, 2 + 2 * in->u.s.len};
        return 0;
    }
    char buf[128];
    size_t n = val_text(in, buf, sizeof buf);
    char *p = arena_strndup(a, buf, n);
    if (!p)
        return err_set(err, ENG_E_NOMEM, "out of memory");
    out->u.s.ptr = p;
    out->u.s.len = (uint32_t)n;
    return 0;
}

static int val_double_to_int(double d, eng_type to, int64_t *out, eng_error *err)
{
    if (!isfinite(d))
        return val_range(to, err);
    d = round(d);
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return val_range(to, err);
    int64_t v = (int64_t)d;
    if (!val_int_fits(v, to.id))
        return val_range(to, err);
    *out = v;
    return 0;
}

/* Any number to DECIMAL(p,s). */
static int val_to_decimal(const eng_value *in, eng_type to, eng_value *out, eng_error *err)
{
    uint32_t p = ENG_DECIMAL_PRECISION(to), s = ENG_DECIMAL_SCALE(to);
    dec128 v;
    switch (in->type) {
    case ENG_TYPE_VARCHAR: {
        int rc = dec_parse(in->u.s.ptr, in->u.s.len, p, s, &v);
        if (rc == -1)
            return val_bad_text(&in->u.s, ENG_TYPE_DECIMAL, err);
        if (rc == -2)
            return val_range(to, err);
        break;
    }
    case ENG_TYPE_DOUBLE:
        if (dec_from_double(in->u.d, p, s, &v) != 0)
            return val_range(to, err);
        break;
    case ENG_TYPE_DECIMAL:
        memcpy(&v, &in->u.dec, sizeof v);
        if (!dec_rescale(v, in->scale, s, &v) || !dec_fits(v, p))
            return val_range(to, err);
        break;
    default: /* integers and booleans */
        if (!dec_rescale(in->type == ENG_TYPE_BOOLEAN ? in->u.b : in->u.i, 0, s, &v) ||
            !dec_fits(v, p))
            return val_range(to, err);
        break;
    }
    memcpy(&out->u.dec, &v, sizeof v);
    out->scale = (uint8_t)s;
    return 0;
}

/* DECIMAL to an integer type, rounding half away from zero. */
static int val_decimal_to_int(const eng_value *in, eng_type to, int64_t *out, eng_error *err)
{
    dec128 v;
    memcpy(&v, &in->u.dec, sizeof v);
    dec_rescale(v, in->scale, 0, &v);
    if (v > INT64_MAX || v < INT64_MIN || !val_int_fits((int64_t)v, to.id))
        return val_range(to, err);
    *out = (int64_t)v;
    return 0;
}

static int val_to_number(const eng_value *in, eng_type to, arena *a, eng_value *v, eng_error *err)
{
    (void)a;
    if (to.id == ENG_TYPE_DECIMAL)
        return val_to_decimal(in, to, v, err);
    if (to.id == ENG_TYPE_DOUBLE) {
        if (in->type == ENG_TYPE_VARCHAR)
            return val_text_to_double(&in->u.s, &v->u.d, err);
        if (in->type == ENG_TYPE_DECIMAL) {
            dec128 d;
            memcpy(&d, &in->u.dec, sizeof d);
            v->u.d = dec_to_double(d, in->scale);
        } else {
            v->u.d = (double)in->u.i;
        }
        return 0;
    }
    switch (in->type) { /* to SMALLINT, INTEGER or BIGINT */
    case ENG_TYPE_VARCHAR:
        return val_text_to_int(&in->u.s, to, &v->u.i, err);
    case ENG_TYPE_DOUBLE:
        return val_double_to_int(in->u.d, to, &v->u.i, err);
    case ENG_TYPE_DECIMAL:
        return val_decimal_to_int(in, to, &v->u.i, err);
    case ENG_TYPE_BOOLEAN:
        v->u.i = in->u.b;
        return 0;
    default:
        v->u.i = in->u.i;
        return val_int_fits(v->u.i, to.id) ? 0 : val_range(to, err);
    }
}

static int val_to_datetime(const eng_value *in, eng_type to, eng_value *v, eng_error *err)
{
    if (in->type == ENG_TYPE_VARCHAR) {
        int32_t d;
        int rc;
        const char *s = in->u.s.ptr;
        size_t len = in->u.s.len;
        switch (to.id) {
        case ENG_TYPE_DATE:
            rc = dt_parse_date(s, len, &d);
            v->u.i = d;
            break;
        case ENG_TYPE_TIME:
            rc = dt_parse_time(s, len, &v->u.i);
            break;
        case ENG_TYPE_TIMESTAMP:
            rc = dt_parse_timestamp(s, len, &v->u.i);
            break;
        default:
            rc = dt_parse_interval(s, len, NULL, &v->u.iv);
            break;
        }
        return rc == 0 ? 0 : val_bad_text(&in->u.s, to.id, err);
    }
    if (in->type == ENG_TYPE_DATE && to.id == ENG_TYPE_TIMESTAMP) {
        v->u.i = in->u.i * DT_DAY_MICROS;
        return 0;
    }
    if (in->type == ENG_TYPE_TIMESTAMP && to.id == ENG_TYPE_DATE) {
        v->u.i = dt_floor_div(in->u.i, DT_DAY_MICROS);
        return 0;
    }
    if (in->type == ENG_TYPE_TIMESTAMP && to.id == ENG_TYPE_TIME) {
        v->u.i = in->u.i - dt_floor_div(in->u.i, DT_DAY_MICROS) * DT_DAY_MICROS;
        return 0;
    }
    return err_set(err, ENG_E_TYPE_MISMATCH, "cannot cast %s to %s", eng_type_name(in->type),
                   eng_type_name(to.id));
}

int val_cast(const eng_value *in, eng_type to, arena *a, eng_value *out, eng_error *err)
{
    eng_value v = {.type = to.id};
    if (in->is_null || in->type == ENG_TYPE_NULL) {
        v.is_null = true;
        if (to.id == ENG_TYPE_DECIMAL)
            v.scale = (uint8_t)ENG_DECIMAL_SCALE(to);
        *out = v;
        return 0;
    }
    if (in->type == to.id && to.id != ENG_TYPE_DECIMAL) {
        *out = *in;
        return 0;
    }
    if (!val_castable(in->type, to.id))
        return err_set(err, ENG_E_TYPE_MISMATCH, "cannot cast %s to %s", eng_type_name(in->type),
                       eng_type_name(to.id));
    int rc = 0;
    switch (to.id) {
    case ENG_TYPE_VARCHAR:
        rc = val_to_text(in, a, &v, err);
        break;
    case ENG_TYPE_BLOB:
        rc = val_text_to_blob(&in->u.s, a, &v.u.s, err);
        break;
    case ENG_TYPE_BOOLEAN:
        if (in->type == ENG_TYPE_VARCHAR)
            rc = val_text_to_bool(&in->u.s, &v.u.b, err);
        else
            v.u.b = in->u.i != 0;
        break;
    case ENG_TYPE_SMALLINT:
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_DOUBLE:
    case ENG_TYPE_DECIMAL:
        rc = val_to_number(in, to, a, &v, err);
        break;
    case ENG_TYPE_DATE:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
    case ENG_TYPE_INTERVAL:
        rc = val_to_datetime(in, to, &v, err);
        break;
    case ENG_TYPE_NULL:
        v.is_null = true;
        break;
    }
    if (rc == 0)
        *out = v;
    return rc;
}

size_t eng_vector_text(const eng_vector *v, uint32_t row, char *buf, size_t cap)
{
    eng_value in = {.type = v->type.id};
    const void *d = v->data;
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        in.u.b = ((const uint8_t *)d)[row];
        break;
    case ENG_TYPE_SMALLINT:
        in.u.i = ((const int16_t *)d)[row];
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        in.u.i = ((const int32_t *)d)[row];
        break;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        in.u.i = ((const int64_t *)d)[row];
        break;
    case ENG_TYPE_DOUBLE:
        in.u.d = ((const double *)d)[row];
        break;
    case ENG_TYPE_DECIMAL:
        memcpy(&in.u.dec, (const char *)d + (size_t)row * sizeof(eng_int128), sizeof in.u.dec);
        in.scale = (uint8_t)ENG_DECIMAL_SCALE(v->type);
        break;
    case ENG_TYPE_INTERVAL:
        memcpy(&in.u.iv, (const char *)d + (size_t)row * sizeof(eng_interval), sizeof in.u.iv);
        break;
    case ENG_TYPE_BLOB: {
        eng_str s = ((const eng_str *)d)[row];
        size_t n = 2 + 2 * (size_t)s.len;
        for (size_t i = 0; i < cap && i < n; i++) {
            if (i < 2)
                buf[i] = i ? 'x' : '\\';
            else
                buf[i] =
                    "0123456789abcdef"[((unsigned char)s.ptr[(i - 2) / 2] >> ((i % 2) ? 0 : 4)) &
                                       15];
        }
        if (cap)
            buf[n < cap ? n : cap - 1] = '\0';
        return n;
    }
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_NULL: {
        eng_str s = v->type.id == ENG_TYPE_VARCHAR ? ((const eng_str *)d)[row] : (eng_str){"", 0};
        return (size_t)snprintf(buf, cap, "%.*s", (int)s.len, s.ptr);
    }
    }
    char tmp[128];
    size_t n = val_text(&in, tmp, sizeof tmp);
    snprintf(buf, cap, "%s", tmp);
    return n;
}

const char *eng_type_name(eng_type_id id)
{
    switch (id) {
    case ENG_TYPE_NULL:
        return "NULL";
    case ENG_TYPE_BOOLEAN:
        return "BOOLEAN";
    case ENG_TYPE_SMALLINT:
        return "SMALLINT";
    case ENG_TYPE_INTEGER:
        return "INTEGER";
    case ENG_TYPE_BIGINT:
        return "BIGINT";
    case ENG_TYPE_DOUBLE:
        return "DOUBLE";
    case ENG_TYPE_DECIMAL:
        return "DECIMAL";
    case ENG_TYPE_VARCHAR:
        return "VARCHAR";
    case ENG_TYPE_DATE:
        return "DATE";
    case ENG_TYPE_TIME:
        return "TIME";
    case ENG_TYPE_TIMESTAMP:
        return "TIMESTAMP";
    case ENG_TYPE_INTERVAL:
        return "INTERVAL";
    case ENG_TYPE_BLOB:
        return "BLOB";
    }
    return "UNKNOWN";
}
