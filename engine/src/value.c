/*
 * Scalar casts. Text to number accepts surrounding spaces, as PostgreSQL does; double to
 * integer rounds half away from zero and checks the range; booleans read the usual words.
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

bool val_castable(eng_type_id from, eng_type_id to)
{
    if (from == ENG_TYPE_NULL || from == to || from == ENG_TYPE_VARCHAR || to == ENG_TYPE_VARCHAR)
        return true;
    if (from == ENG_TYPE_BOOLEAN)
        return to == ENG_TYPE_INTEGER || to == ENG_TYPE_BIGINT;
    if (to == ENG_TYPE_BOOLEAN)
        return from == ENG_TYPE_INTEGER || from == ENG_TYPE_BIGINT;
    return to != ENG_TYPE_NULL;
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
    return err_set(err, ENG_E_TYPE_MISMATCH, "invalid input for type %s: \"%.*s%s\"",
                   eng_type_name(to), shown, s->ptr, s->len > 60 ? "..." : "");
}

static int val_range(eng_type_id to, eng_error *err)
{
    return err_set(err, ENG_E_OUT_OF_RANGE, "value out of range for type %s", eng_type_name(to));
}

static int val_text_to_int(const eng_str *s, eng_type_id to, int64_t *out, eng_error *err)
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
            return val_bad_text(s, to, err);
        d = round(d);
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return val_range(to, err);
        v = (long long)d;
    } else if (errno == ERANGE) {
        return val_range(to, err);
    }
    if (to == ENG_TYPE_INTEGER && (v < INT32_MIN || v > INT32_MAX))
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
        return val_range(ENG_TYPE_DOUBLE, err);
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

static int val_to_text(const eng_value *in, arena *a, eng_value *out, eng_error *err)
{
    char buf[64];
    int n;
    switch (in->type) {
    case ENG_TYPE_BOOLEAN:
        n = snprintf(buf, sizeof buf, "%s", in->u.b ? "true" : "false");
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
        n = snprintf(buf, sizeof buf, "%" PRId64, in->u.i);
        break;
    case ENG_TYPE_DOUBLE:
        n = val_format_double(in->u.d, buf, sizeof buf);
        break;
    default:
        out->u.s = in->u.s;
        return 0;
    }
    char *p = arena_strndup(a, buf, (size_t)n);
    if (!p)
        return err_set(err, ENG_E_NOMEM, "out of memory");
    out->u.s.ptr = p;
    out->u.s.len = (uint32_t)n;
    return 0;
}

static int val_double_to_int(double d, eng_type_id to, int64_t *out, eng_error *err)
{
    if (!isfinite(d))
        return val_range(to, err);
    d = round(d);
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return val_range(to, err);
    int64_t v = (int64_t)d;
    if (to == ENG_TYPE_INTEGER && (v < INT32_MIN || v > INT32_MAX))
        return val_range(to, err);
    *out = v;
    return 0;
}

int val_cast(const eng_value *in, eng_type to, arena *a, eng_value *out, eng_error *err)
{
    eng_value v = {.type = to.id};
    if (in->is_null || in->type == ENG_TYPE_NULL) {
        v.is_null = true;
        *out = v;
        return 0;
    }
    if (in->type == to.id) {
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
    case ENG_TYPE_BOOLEAN:
        if (in->type == ENG_TYPE_VARCHAR)
            rc = val_text_to_bool(&in->u.s, &v.u.b, err);
        else
            v.u.b = in->u.i != 0;
        break;
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
        if (in->type == ENG_TYPE_VARCHAR) {
            rc = val_text_to_int(&in->u.s, to.id, &v.u.i, err);
        } else if (in->type == ENG_TYPE_DOUBLE) {
            rc = val_double_to_int(in->u.d, to.id, &v.u.i, err);
        } else if (in->type == ENG_TYPE_BOOLEAN) {
            v.u.i = in->u.b;
        } else {
            v.u.i = in->u.i;
            if (to.id == ENG_TYPE_INTEGER && (v.u.i < INT32_MIN || v.u.i > INT32_MAX))
                rc = val_range(to.id, err);
        }
        break;
    case ENG_TYPE_DOUBLE:
        if (in->type == ENG_TYPE_VARCHAR)
            rc = val_text_to_double(&in->u.s, &v.u.d, err);
        else
            v.u.d = (double)in->u.i;
        break;
    case ENG_TYPE_NULL:
        v.is_null = true;
        break;
    }
    if (rc == 0)
        *out = v;
    return rc;
}

const char *eng_type_name(eng_type_id id)
{
    switch (id) {
    case ENG_TYPE_NULL:
        return "NULL";
    case ENG_TYPE_BOOLEAN:
        return "BOOLEAN";
    case ENG_TYPE_INTEGER:
        return "INTEGER";
    case ENG_TYPE_BIGINT:
        return "BIGINT";
    case ENG_TYPE_DOUBLE:
        return "DOUBLE";
    case ENG_TYPE_VARCHAR:
        return "VARCHAR";
    }
    return "UNKNOWN";
}
