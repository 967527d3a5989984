/*
 * Scalar values: casts between the engine's types with the SQL standard's errors
 * (22018 invalid text for the target type, 22003 out of range, 22007 an invalid date or
 * time), the text forms of every type, and the helpers for DECIMAL (val_decimal.c) and
 * dates and times (val_datetime.c).
 */
#ifndef EIDER_VALUE_H
#define EIDER_VALUE_H

#include "arena.h"
#include "eider/engine.h"

#include <stdbool.h>
#include <string.h>

/* Casts `in` to type `to`; strings produced are allocated in `a`. A NULL stays NULL.
 * VARCHAR(n) targets are not length-checked here (see val_check_width). */
int val_cast(const eng_value *in, eng_type to, arena *a, eng_value *out, eng_error *err);
/* Characters (not bytes) in a UTF-8 string. */
uint32_t val_utf8_chars(const char *s, uint32_t len);
/* 22001 when a string is longer than VARCHAR(width) allows (what an INSERT checks). */
int val_check_width(const eng_str *s, uint32_t width, const char *column, eng_error *err);
/* Writes the canonical text of a double (shortest form that reads back the same). */
int val_format_double(double d, char *buf, size_t size);
/* Can a value of type `from` be cast to `to` at all? */
bool val_castable(eng_type_id from, eng_type_id to);
/* The text of a value of a type error messages quote (dates, decimals, ...): true and
 * the text, or false for the other types. */
bool val_key_text(const eng_value *v, char *buf, size_t cap);
/* Type classes. */
bool val_is_integer(eng_type_id id); /* SMALLINT, INTEGER, BIGINT */
bool val_is_numeric(eng_type_id id); /* integers, DECIMAL, DOUBLE */
bool val_is_string(eng_type_id id);  /* VARCHAR, BLOB: eng_str in the heap */

/* DECIMAL: values scaled by 10^scale in 128 bits. */
typedef __int128 dec128;
extern const dec128 dec_pow10_table[]; /* 10^0 .. 10^38 */
static inline dec128 dec_pow10(uint32_t n)
{
    return dec_pow10_table[n > 38 ? 38 : n];
}
/* |v| < 10^precision */
static inline bool dec_fits(dec128 v, uint32_t precision)
{
    dec128 lim = dec_pow10(precision);
    return v < lim && v > -lim;
}
/* From one scale to another, rounding half away from zero; false on overflow. */
bool dec_rescale(dec128 v, uint32_t from, uint32_t to, dec128 *out);
/* Text to DECIMAL(precision, scale): 0, -1 not a number, -2 out of range. */
int dec_parse(const char *s, size_t len, uint32_t precision, uint32_t scale, dec128 *out);
size_t dec_format(dec128 v, uint32_t scale, char *buf, size_t cap);
double dec_to_double(dec128 v, uint32_t scale);
int dec_from_double(double d, uint32_t precision, uint32_t scale, dec128 *out);
/* Unaligned loads and stores (vectors of DECIMAL are not 16-byte aligned). */
static inline dec128 dec_load(const void *p)
{
    dec128 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void dec_store(void *p, dec128 v)
{
    memcpy(p, &v, sizeof v);
}

/* Dates and times. */
enum {
    DT_YEAR,
    DT_MONTH,
    DT_DAY,
    DT_HOUR,
    DT_MINUTE,
    DT_SECOND,
    DT_MILLISECOND,
    DT_MICROSECOND,
    DT_QUARTER,
    DT_DOW,
    DT_ISODOW,
    DT_DOY,
    DT_WEEK,
    DT_EPOCH,
    DT_DECADE,
    DT_CENTURY,
    DT_MILLENNIUM,
    DT_FIELD_COUNT
};
#define DT_DAY_MICROS 86400000000LL
int64_t dt_floor_div(int64_t a, int64_t b);
int64_t dt_days_from_civil(int64_t y, int m, int d);
void dt_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
int dt_days_in_month(int64_t y, int m);
/* Text to a value: 0, -1 bad format, -2 a field out of range. */
int dt_parse_date(const char *s, size_t len, int32_t *out);
int dt_parse_time(const char *s, size_t len, int64_t *out);
int dt_parse_timestamp(const char *s, size_t len, int64_t *out);
/* '1 year 2 months', '3 days 04:00:00', or a number of `unit` (INTERVAL '3' DAY). */
int dt_parse_interval(const char *s, size_t len, const char *unit, eng_interval *out);
/* The standard's INTERVAL '1-2' YEAR TO MONTH, '3 04:05:06.5' DAY TO SECOND, '04:05' HOUR
 * TO MINUTE, ...: every field from `from` to `to` (singular unit names), signed as a whole. */
int dt_parse_interval_range(const char *s, size_t len, const char *from, const char *to,
                            eng_interval *out);
size_t dt_format_date(int64_t days, char *buf, size_t cap);
size_t dt_format_time(int64_t us, char *buf, size_t cap);
size_t dt_format_timestamp(int64_t us, char *buf, size_t cap);
size_t dt_format_interval(const eng_interval *iv, char *buf, size_t cap);
/* An interval's length for ordering (a month counts 30 days, as in PostgreSQL). */
int64_t dt_interval_key(const eng_interval *iv);
/* days + months (the day clamped to the month's end): 0, or -2 out of range. */
int dt_add_months(int64_t days, int64_t months, int64_t *out);
/* ts + sign * interval: 0, or -2 out of range. */
int dt_ts_add(int64_t ts, const eng_interval *iv, int sign, int64_t *out);
/* A field name ("year", "month", ...) to its DT_ number, or -1. */
int dt_field(const char *s, size_t len);
/* A field of a DATE (days), TIMESTAMP or TIME (microseconds); false when the type has no
 * such field. */
bool dt_extract(int field, eng_type_id type, int64_t v, double *out);
/* A timestamp truncated to a field's precision; false for fields that cannot truncate. */
bool dt_trunc(int field, int64_t ts, int64_t *out);

#endif
