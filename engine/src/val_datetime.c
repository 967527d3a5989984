/*
 * Dates, times, timestamps and intervals: the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil), ISO text forms in and out, month arithmetic (a month added to
 * January 31st gives the last day of February), and the fields EXTRACT and DATE_TRUNC
 * know. Text input accepts years 1 to 9999.
 */
#include "value.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DT_DAY_US  86400000000LL
#define DT_HOUR_US 3600000000LL
#define DT_MIN_US  60000000LL
#define DT_SEC_US  1000000LL

int64_t dt_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t dt_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dt_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int dt_days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads 1 to `max` digits. */
static bool dt_digits(const char **p, const char *end, int max, int64_t *out)
{
    int n = 0;
    int64_t v = 0;
    while (*p < end && isdigit((unsigned char)**p) && n < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n > 0;
}

static void dt_trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* YYYY-MM-DD at *p; -1 bad format, -2 a field out of range. */
static int dt_read_date(const char **p, const char *end, int64_t *days)
{
    int64_t y, m, d;
    if (!dt_digits(p, end, 5, &y) || *p >= end || **p != '-')
        return -1;
    (*p)++;
    if (!dt_digits(p, end, 2, &m) || *p >= end || **p != '-')
        return -1;
    (*p)++;
    if (!dt_digits(p, end, 2, &d))
        return -1;
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > dt_days_in_month(y, (int)m))
        return -2;
    *days = dt_days_from_civil(y, (int)m, (int)d);
    return 0;
}

/* HH:MM[:SS[.ffffff]] at *p. */
static int dt_read_time(const char **p, const char *end, int64_t *us)
{
    int64_t h, mi, sec = 0, frac = 0;
    if (!dt_digits(p, end, 2, &h) || *p >= end || **p != ':')
        return -1;
    (*p)++;
    if (!dt_digits(p, end, 2, &mi))
        return -1;
    if (*p < end && **p == ':') {
        (*p)++;
        if (!dt_digits(p, end, 2, &sec))
            return -1;
        if (*p < end && **p == '.') {
            (*p)++;
            int n = 0;
            while (*p < end && isdigit((unsigned char)**p)) {
                if (n < 6)
                    frac = frac * 10 + (**p - '0');
                else if (n == 6 && **p >= '5')
                    frac++; /* round to the microsecond */
                n++;
                (*p)++;
            }
            if (n == 0)
                return -1;
            for (; n < 6; n++)
                frac *= 10;
        }
    }
    if (h > 23 || mi > 59 || sec > 59)
        return -2;
    *us = h * DT_HOUR_US + mi * DT_MIN_US + sec * DT_SEC_US + frac;
    return 0;
}

int dt_parse_date(const char *s, size_t len, int32_t *out)
{
    dt_trim(&s, &len);
    const char *p = s, *end = s + len;
    int64_t days;
    int rc = dt_read_date(&p, end, &days);
    if (rc)
        return rc;
    if (p < end && (*p == ' ' || *p == 'T')) { /* a time part is allowed and dropped */
        p++;
        int64_t us;
        if ((rc = dt_read_time(&p, end, &us)) != 0)
            return rc;
    }
    if (p != end)
        return -1;
    *out = (int32_t)days;
    return 0;
}

int dt_parse_time(const char *s, size_t len, int64_t *out)
{
    dt_trim(&s, &len);
    const char *p = s, *end = s + len;
    int rc = dt_read_time(&p, end, out);
    return rc ? rc : p == end ? 0 : -1;
}

int dt_parse_timestamp(const char *s, size_t len, int64_t *out)
{
    dt_trim(&s, &len);
    const char *p = s, *end = s + len;
    int64_t days, us = 0;
    int rc = dt_read_date(&p, end, &days);
    if (rc)
        return rc;
    if (p < end && (*p == ' ' || *p == 'T')) {
        p++;
        if ((rc = dt_read_time(&p, end, &us)) != 0)
            return rc;
    }
    /* A time zone suffix is accepted and ignored: TIMESTAMP has no time zone. */
    if (p < end && (*p == 'Z' || *p == 'z'))
        p++;
    else if (p < end && (*p == '+' || *p == '-')) {
        int64_t tz;
        p++;
        if (!dt_digits(&p, end, 2, &tz))
            return -1;
        if (p < end && *p == ':')
            p++;
        dt_digits(&p, end, 2, &tz);
    }
    if (p != end)
        return -1;
    *out = days * DT_DAY_US + us;
    return 0;
}

size_t dt_format_date(int64_t days, char *buf, size_t cap)
{
    int64_t y;
    int m, d;
    dt_civil_from_days(days, &y, &m, &d);
    return (size_t)snprintf(buf, cap, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* HH:MM:SS[.ffffff without trailing zeros] */
static size_t dt_format_clock(int64_t us, char *buf, size_t cap)
{
    int64_t h = us / DT_HOUR_US, mi = us / DT_MIN_US % 60, sec = us / DT_SEC_US % 60,
            frac = us % DT_SEC_US;
    int n = snprintf(buf, cap, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, h, mi, sec);
    if (frac) {
        char f[8];
        snprintf(f, sizeof f, "%06" PRId64, frac);
        int k = 6;
        while (k > 0 && f[k - 1] == '0')
            k--;
        n += snprintf(buf + ((size_t)n < cap ? (size_t)n : cap),
                      (size_t)n < cap ? cap - (size_t)n : 0, ".%.*s", k, f);
    }
    return (size_t)n;
}

size_t dt_format_time(int64_t us, char *buf, size_t cap)
{
    return dt_format_clock(us, buf, cap);
}

size_t dt_format_timestamp(int64_t us, char *buf, size_t cap)
{
    int64_t days = dt_floor_div(us, DT_DAY_US);
    size_t n = dt_format_date(days, buf, cap);
    if (n + 1 < cap)
        buf[n] = ' ';
    return n + 1 +
           dt_format_clock(us - days * DT_DAY_US, n + 1 < cap ? buf + n + 1 : NULL,
                           n + 1 < cap ? cap - n - 1 : 0);
}

size_t dt_format_interval(const eng_interval *iv, char *buf, size_t cap)
{
    char out[128];
    size_t n = 0;
    int32_t years = iv->months / 12, months = iv->months % 12;
#define DT_PART(v, unit)                                                                           \
    if (v)                                                                                         \
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%d %s%s", n ? " " : "", (int)(v), unit,      \
                          (v) == 1 ? "" : "s")
    DT_PART(years, "year");
    DT_PART(months, "mon");
    DT_PART(iv->days, "day");
#undef DT_PART
    if (iv->micros || n == 0) {
        int64_t us = iv->micros;
        bool neg = us < 0;
        if (neg)
            us = -us;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", neg ? "-" : "");
        n += dt_format_clock(us, out + n, sizeof out - n);
    }
    return (size_t)snprintf(buf, cap, "%s", out);
}

typedef struct dt_unit {
    const char *name;
    int32_t months, days;
    int64_t micros;
} dt_unit;

static const dt_unit dt_units[] = {
    {"millennium", 12000, 0, 0},
    {"millenniums", 12000, 0, 0},
    {"millennia", 12000, 0, 0},
    {"century", 1200, 0, 0},
    {"centuries", 1200, 0, 0},
    {"decade", 120, 0, 0},
    {"decades", 120, 0, 0},
    {"year", 12, 0, 0},
    {"years", 12, 0, 0},
    {"y", 12, 0, 0},
    {"quarter", 3, 0, 0},
    {"month", 1, 0, 0},
    {"months", 1, 0, 0},
    {"mon", 1, 0, 0},
    {"mons", 1, 0, 0},
    {"week", 0, 7, 0},
    {"weeks", 0, 7, 0},
    {"day", 0, 1, 0},
    {"days", 0, 1, 0},
    {"d", 0, 1, 0},
    {"hour", 0, 0, DT_HOUR_US},
    {"hours", 0, 0, DT_HOUR_US},
    {"h", 0, 0, DT_HOUR_US},
    {"minute", 0, 0, DT_MIN_US},
    {"minutes", 0, 0, DT_MIN_US},
    {"min", 0, 0, DT_MIN_US},
    {"mins", 0, 0, DT_MIN_US},
    {"m", 0, 0, DT_MIN_US},
    {"second", 0, 0, DT_SEC_US},
    {"seconds", 0, 0, DT_SEC_US},
    {"sec", 0, 0, DT_SEC_US},
    {"secs", 0, 0, DT_SEC_US},
    {"s", 0, 0, DT_SEC_US},
    {"millisecond", 0, 0, 1000},
    {"milliseconds", 0, 0, 1000},
    {"ms", 0, 0, 1000},
    {"microsecond", 0, 0, 1},
    {"microseconds", 0, 0, 1},
    {"us", 0, 0, 1},
};

static const dt_unit *dt_find_unit(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof dt_units / sizeof *dt_units; i++)
        if (strlen(dt_units[i].name) == len && strncasecmp(dt_units[i].name, s, len) == 0)
            return &dt_units[i];
    return NULL;
}

/* amount (which may have a fraction) times a unit, added to *iv; false on overflow. */
static bool dt_add_units(eng_interval *iv, double amount, const dt_unit *u)
{
    double months = amount * u->months, days = amount * u->days, us = amount * (double)u->micros;
    /* Fractions of months and days spill into days and microseconds (30-day months). */
    double whole_months = months < 0 ? -floor(-months) : floor(months);
    days += (months - whole_months) * 30;
    double whole_days = days < 0 ? -floor(-days) : floor(days);
    us += (days - whole_days) * (double)DT_DAY_US;
    double m = iv->months + whole_months, d = iv->days + whole_days, x = (double)iv->micros + us;
    if (m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN || x > 9.2e18 ||
        x < -9.2e18)
        return false;
    iv->months = (int32_t)m;
    iv->days = (int32_t)d;
    iv->micros = (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
    return true;
}

int dt_parse_interval(const char *s, size_t len, const char *unit, eng_interval *out)
{
    dt_trim(&s, &len);
    memset(out, 0, sizeof *out);
    const char *p = s, *end = s + len;
    bool any = false;
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p == end)
            break;
        const char *num = p;
        if (*p == '+' || *p == '-')
            p++;
        const char *digits = p;
        while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
            p++;
        if (p == digits)
            return -1;
        if (p < end && *p == ':') { /* [-]HH:MM[:SS[.f]] */
            bool neg = *num == '-';
            const char *t = digits;
            int64_t us;
            int rc = dt_read_time(&t, end, &us);
            if (rc == -2) { /* hours past 23 are fine in an interval */
                t = digits;
                int64_t h, mi = 0, sec = 0;
                dt_digits(&t, end, 9, &h);
                t++;
                dt_digits(&t, end, 2, &mi);
                if (t < end && *t == ':') {
                    t++;
                    dt_digits(&t, end, 2, &sec);
                }
                us = h * DT_HOUR_US + mi * DT_MIN_US + sec * DT_SEC_US;
            } else if (rc) {
                return -1;
            }
            out->micros += neg ? -us : us;
            p = t;
            any = true;
            continue;
        }
        char nbuf[64];
        size_t nl = (size_t)(p - num) < sizeof nbuf - 1 ? (size_t)(p - num) : sizeof nbuf - 1;
        memcpy(nbuf, num, nl);
        nbuf[nl] = '\0';
        char *nend;
        double amount = strtod(nbuf, &nend);
        if (*nend)
            return -1;
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *u = p;
        while (p < end && isalpha((unsigned char)*p))
            p++;
        const dt_unit *unit_def;
        if (p > u)
            unit_def = dt_find_unit(u, (size_t)(p - u));
        else if (unit && *unit)
            unit_def = dt_find_unit(unit, strlen(unit));
        else
            unit_def = dt_find_unit("second", 6);
        if (!unit_def)
            return -1;
        if (!dt_add_units(out, amount, unit_def))
            return -2;
        any = true;
    }
    return any ? 0 : -1;
}

/* The fields of a qualifier from `from` to `to`, in order. */
static const char *const dt_range_fields[] = {"day", "hour", "minute", "second"};

int dt_parse_interval_range(const char *s, size_t len, const char *from, const char *to,
                            eng_interval *out)
{
    dt_trim(&s, &len);
    memset(out, 0, sizeof *out);
    const char *p = s, *end = s + len;
    bool neg = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    int64_t a, b;
    if (strcmp(from, "year") == 0) { /* 'Y-M' */
        if (strcmp(to, "month") != 0 || !dt_digits(&p, end, 9, &a) || p == end || *p++ != '-' ||
            !dt_digits(&p, end, 2, &b) || p != end)
            return -1;
        if (b > 11)
            return -2;
        out->months = (int32_t)(neg ? -(a * 12 + b) : a * 12 + b);
        return 0;
    }
    int first = -1, last = -1;
    for (int i = 0; i < 4; i++) {
        if (strcmp(from, dt_range_fields[i]) == 0)
            first = i;
        if (strcmp(to, dt_range_fields[i]) == 0)
            last = i;
    }
    if (first < 0 || last <= first)
        return -1;
    static const int64_t unit_us[] = {0, DT_HOUR_US, DT_MIN_US, DT_SEC_US};
    static const int64_t limit[] = {0, 24, 60, 60};
    int64_t days = 0, us = 0;
    for (int f = first; f <= last; f++) {
        if (f > first && (p == end || *p++ != (f == 1 ? ' ' : ':')))
            return -1;
        if (!dt_digits(&p, end, f == first ? 9 : 2, &a))
            return -1;
        if (f > first && a >= limit[f])
            return -2;
        if (f == 0)
            days = a;
        else
            us += a * unit_us[f];
    }
    if (last == 3 && p < end && *p == '.') { /* fractions of a second, to microseconds */
        p++;
        int64_t scale = 100000;
        if (p == end || !isdigit((unsigned char)*p))
            return -1;
        for (; p < end && isdigit((unsigned char)*p); p++, scale /= 10)
            us += (*p - '0') * scale;
    }
    if (p != end)
        return -1;
    out->days = (int32_t)(neg ? -days : days);
    out->micros = neg ? -us : us;
    return 0;
}

int64_t dt_interval_key(const eng_interval *iv)
{
    return ((int64_t)iv->months * 30 + iv->days) * DT_DAY_US + iv->micros;
}

int dt_add_months(int64_t days, int64_t months, int64_t *out)
{
    int64_t y;
    int m, d;
    dt_civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = dt_floor_div(total, 12);
    int nm = (int)(total - ny * 12) + 1;
    if (ny < 1 || ny > 294276)
        return -2;
    int dim = dt_days_in_month(ny, nm);
    *out = dt_days_from_civil(ny, nm, d > dim ? dim : d);
    return 0;
}

int dt_ts_add(int64_t ts, const eng_interval *iv, int sign, int64_t *out)
{
    int64_t days = dt_floor_div(ts, DT_DAY_US), tod = ts - days * DT_DAY_US;
    if (iv->months && dt_add_months(days, (int64_t)iv->months * sign, &days) != 0)
        return -2;
    days += (int64_t)iv->days * sign;
    int64_t r;
    if (__builtin_mul_overflow(days, DT_DAY_US, &r) || __builtin_add_overflow(r, tod, &r) ||
        __builtin_add_overflow(r, iv->micros * sign, &r))
        return -2;
    *out = r;
    return 0;
}

int dt_field(const char *s, size_t len)
{
    static const char *const names[] = {
        [DT_YEAR] = "year",
        [DT_MONTH] = "month",
        [DT_DAY] = "day",
        [DT_HOUR] = "hour",
        [DT_MINUTE] = "minute",
        [DT_SECOND] = "second",
        [DT_MILLISECOND] = "milliseconds",
        [DT_MICROSECOND] = "microseconds",
        [DT_QUARTER] = "quarter",
        [DT_DOW] = "dow",
        [DT_ISODOW] = "isodow",
        [DT_DOY] = "doy",
        [DT_WEEK] = "week",
        [DT_EPOCH] = "epoch",
        [DT_DECADE] = "decade",
        [DT_CENTURY] = "century",
        [DT_MILLENNIUM] = "millennium",
    };
    for (int f = 0; f < DT_FIELD_COUNT; f++)
        if (strlen(names[f]) == len && strncasecmp(names[f], s, len) == 0)
            return f;
    /* plural and short spellings */
    if (len > 1 && (s[len - 1] == 's' || s[len - 1] == 'S'))
        for (int f = 0; f < DT_FIELD_COUNT; f++)
            if (strlen(names[f]) == len - 1 && strncasecmp(names[f], s, len - 1) == 0)
                return f;
    if (len == 11 && strncasecmp(s, "millisecond", 11) == 0)
        return DT_MILLISECOND;
    if (len == 11 && strncasecmp(s, "microsecond", 11) == 0)
        return DT_MICROSECOND;
    return -1;
}

/* The ISO 8601 week number of a date. */
static int dt_iso_week(int64_t days)
{
    int64_t wd = ((days % 7) + 7 + 3) % 7; /* Monday = 0 */
    int64_t thursday = days - wd + 3;
    int64_t ty;
    int tm, td;
    dt_civil_from_days(thursday, &ty, &tm, &td);
    int64_t jan1 = dt_days_from_civil(ty, 1, 1);
    return (int)((thursday - jan1) / 7 + 1);
}

bool dt_extract(int field, eng_type_id type, int64_t v, double *out)
{
    int64_t days = 0, tod = 0;
    if (type == ENG_TYPE_DATE) {
        days = v;
    } else if (type == ENG_TYPE_TIMESTAMP) {
        days = dt_floor_div(v, DT_DAY_US);
        tod = v - days * DT_DAY_US;
    } else { /* TIME */
        tod = v;
        if (field <= DT_DAY || (field >= DT_QUARTER && field != DT_EPOCH))
            return false;
    }
    int64_t y;
    int m, d;
    dt_civil_from_days(days, &y, &m, &d);
    switch (field) {
    case DT_YEAR:
        *out = (double)y;
        return true;
    case DT_MONTH:
        *out = m;
        return true;
    case DT_DAY:
        *out = d;
        return true;
    case DT_HOUR:
        *out = (double)(tod / DT_HOUR_US);
        return true;
    case DT_MINUTE:
        *out = (double)(tod / DT_MIN_US % 60);
        return true;
    case DT_SECOND:
        *out = (double)(tod % DT_MIN_US) / 1e6;
        return true;
    case DT_MILLISECOND:
        *out = (double)(tod % DT_MIN_US) / 1e3;
        return true;
    case DT_MICROSECOND:
        *out = (double)(tod % DT_MIN_US);
        return true;
    case DT_QUARTER:
        *out = (m - 1) / 3 + 1;
        return true;
    case DT_DOW:
        *out = (double)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
        return true;
    case DT_ISODOW: {
        int64_t dow = ((days % 7) + 7 + 4) % 7;
        *out = dow == 0 ? 7 : (double)dow;
        return true;
    }
    case DT_DOY:
        *out = (double)(days - dt_days_from_civil(y, 1, 1) + 1);
        return true;
    case DT_WEEK:
        *out = dt_iso_week(days);
        return true;
    case DT_EPOCH:
        *out = type == ENG_TYPE_TIME ? (double)tod / 1e6 : (double)days * 86400 + (double)tod / 1e6;
        return true;
    case DT_DECADE:
        *out = (double)dt_floor_div(y, 10);
        return true;
    case DT_CENTURY:
        *out = (double)(y > 0 ? (y + 99) / 100 : -((99 - y) / 100));
        return true;
    case DT_MILLENNIUM:
        *out = (double)(y > 0 ? (y + 999) / 1000 : -((999 - y) / 1000));
        return true;
    default:
        return false;
    }
}

bool dt_trunc(int field, int64_t ts, int64_t *out)
{
    int64_t days = dt_floor_div(ts, DT_DAY_US), tod = ts - days * DT_DAY_US;
    int64_t y;
    int m, d;
    dt_civil_from_days(days, &y, &m, &d);
    switch (field) {
    case DT_MICROSECOND:
        *out = ts;
        return true;
    case DT_MILLISECOND:
        *out = ts - (tod % 1000);
        return true;
    case DT_SECOND:
        *out = ts - (tod % DT_SEC_US);
        return true;
    case DT_MINUTE:
        *out = ts - (tod % DT_MIN_US);
        return true;
    case DT_HOUR:
        *out = ts - (tod % DT_HOUR_US);
        return true;
    case DT_DAY:
        *out = days * DT_DAY_US;
        return true;
    case DT_WEEK: /* ISO weeks start on Monday */
        *out = (days - (((days % 7) + 7 + 3) % 7)) * DT_DAY_US;
        return true;
    case DT_MONTH:
        *out = dt_days_from_civil(y, m, 1) * DT_DAY_US;
        return true;
    case DT_QUARTER:
        *out = dt_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1) * DT_DAY_US;
        return true;
    case DT_YEAR:
        *out = dt_days_from_civil(y, 1, 1) * DT_DAY_US;
        return true;
    case DT_DECADE:
        *out = dt_days_from_civil(dt_floor_div(y, 10) * 10, 1, 1) * DT_DAY_US;
        return true;
    case DT_CENTURY:
        *out = dt_days_from_civil((y - 1) / 100 * 100 + 1, 1, 1) * DT_DAY_US;
        return true;
    case DT_MILLENNIUM:
        *out = dt_days_from_civil((y - 1) / 1000 * 1000 + 1, 1, 1) * DT_DAY_US;
        return true;
    default:
        return false;
    }
}

int64_t eng_days_from_civil(int64_t year, int month, int day)
{
    return dt_days_from_civil(year, month, day);
}

void eng_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    dt_civil_from_days(days, year, month, day);
}
