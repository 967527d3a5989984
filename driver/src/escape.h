/*
 * ODBC escape sequences: the driver rewrites the vendor-neutral clauses applications put in
 * braces into the SQL Eider's engine parses, before the text reaches it.
 *
 *   {d 'yyyy-mm-dd'}           DATE 'yyyy-mm-dd'       (also {t ...} TIME, {ts ...} TIMESTAMP)
 *   {fn UCASE(name)}           UPPER(name)             (the function table is in escape.c)
 *   {oj a LEFT OUTER JOIN b}   a LEFT OUTER JOIN b
 *   {escape '\'}               ESCAPE '\'              (after LIKE)
 *   {INTERVAL '3' DAY}         INTERVAL '3' DAY
 *   {call p(?)}, {?= call ...} error HYC00: Eider has no stored procedures
 *
 * The long form "--(*vendor(Microsoft),product(ODBC) fn UCASE(x)*)--" is the same escape
 * as "{fn UCASE(x)}". Escapes nest, also inside function arguments. Text inside string
 * literals ('...'), quoted identifiers ("...") and comments is never looked at, and
 * parameter markers (?) come out unchanged and in their original order.
 *
 * The module depends on nothing but libc (and the SQL_FN_* constants of sqlext.h), so that
 * it can be unit-tested and fuzzed on its own.
 */
#ifndef EIDER_ESCAPE_H
#define EIDER_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/* What went wrong, for a diagnostic record. */
typedef struct esc_error {
    char sqlstate[6]; /* 42000 malformed escape, HYC00 unsupported feature, HY001 memory */
    size_t pos;       /* byte offset in the input where the problem was found */
    char message[240];
} esc_error;

enum {
    ESC_ERROR = -1,     /* *err says why; *out is NULL */
    ESC_TRANSLATED = 0, /* *out is a malloc'd, NUL-terminated translation; free() it */
    ESC_UNCHANGED = 1,  /* nothing to translate: use the input as it is; *out is NULL */
};

/*
 * Translates the escapes in sql[0..len) (which need not be NUL-terminated, and may hold
 * NUL bytes). Returns one of the values above; *out_len gets the length of the text to use
 * (len itself for ESC_UNCHANGED). Text with neither "{" nor "--(*" is ESC_UNCHANGED
 * without being scanned further.
 */
int esc_translate(const char *sql, size_t len, char **out, size_t *out_len, esc_error *err);

/*
 * The SQLGetInfo bitmask of what the translator handles, derived from its tables. which is
 * an SQLGetInfo type: SQL_STRING_FUNCTIONS, SQL_NUMERIC_FUNCTIONS, SQL_TIMEDATE_FUNCTIONS,
 * SQL_SYSTEM_FUNCTIONS, SQL_CONVERT_FUNCTIONS (SQL_FN_CVT_CONVERT only: CAST is the
 * engine's), SQL_TIMEDATE_ADD_INTERVALS or SQL_TIMEDATE_DIFF_INTERVALS. 0 for any other.
 */
uint32_t esc_functions_mask(int which);

/* The SQL_CVT_* bits of the types {fn CONVERT(x, SQL_type)} can name. */
uint32_t esc_convert_targets(void);

#endif
