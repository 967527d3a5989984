/*
 * ODBC escape-sequence translation tests (driver/src/escape.c): every escape kind, every
 * function of the table, nesting, text the translator must not touch, parameter markers,
 * every error with its SQLSTATE and position, and the SQLGetInfo masks.
 */
#include "../common/test_main.h"
#include "escape.h"

#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    const char *in, *out;
} pair;

/* Translates in and compares with want; prints both when they differ. */
static void check(const char *in, const char *want)
{
    char *out = (char *)"unset";
    size_t n = 12345;
    esc_error e;
    int rc = esc_translate(in, strlen(in), &out, &n, &e);
    if (rc != ESC_TRANSLATED || strcmp(out, want) != 0 || n != strlen(want))
        fprintf(stderr, "\n  in:   %s\n  want: %s\n  got:  %s (rc %d%s%s)\n", in, want,
                rc == ESC_TRANSLATED ? out : "-", rc, rc == ESC_ERROR ? ", " : "",
                rc == ESC_ERROR ? e.message : "");
    CU_ASSERT_EQUAL(rc, ESC_TRANSLATED);
    if (rc == ESC_TRANSLATED) {
        CU_ASSERT_STRING_EQUAL(out, want);
        CU_ASSERT_EQUAL(n, strlen(want));
        CU_ASSERT_EQUAL(out[n], '\0');
        free(out);
    }
}

static void check_all(const pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check(p[i].in, p[i].out);
}

static void check_unchanged_len(const char *in, size_t len)
{
    char *out = (char *)"unset";
    size_t n = 12345;
    esc_error e;
    int rc = esc_translate(in, len, &out, &n, &e);
    if (rc != ESC_UNCHANGED)
        fprintf(stderr, "\n  expected no change: %s (rc %d)\n", in, rc);
    CU_ASSERT_EQUAL(rc, ESC_UNCHANGED);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(n, len);
}

static void check_unchanged(const char *in)
{
    check_unchanged_len(in, strlen(in));
}

/* Expects an error with this SQLSTATE at this byte offset, whose message contains text. */
static void check_error(const char *in, const char *state, size_t pos, const char *text)
{
    char *out = (char *)"unset";
    size_t n;
    esc_error e;
    int rc = esc_translate(in, strlen(in), &out, &n, &e);
    if (rc != ESC_ERROR || strcmp(e.sqlstate, state) != 0 || e.pos != pos ||
        !strstr(e.message, text))
        fprintf(stderr, "\n  in: %s\n  want: %s at %zu, \"%s\"\n  got: rc %d, %s at %zu, \"%s\"\n",
                in, state, pos, text, rc, rc == ESC_ERROR ? e.sqlstate : "-",
                rc == ESC_ERROR ? e.pos : 0, rc == ESC_ERROR ? e.message : "");
    CU_ASSERT_EQUAL_FATAL(rc, ESC_ERROR);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_STRING_EQUAL(e.sqlstate, state);
    CU_ASSERT_EQUAL(e.pos, pos);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, text));
    char where[40];
    snprintf(where, sizeof where, "(position %zu)", pos + 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, where));
}

static void test_fast_path(void)
{
    check_unchanged("SELECT * FROM t WHERE a = ? AND b = 'x'");
    check_unchanged("");
    check_unchanged_len("SELECT 1\0{d", 8); /* only the first len bytes count */
    check_unchanged_len("a\0b", 3);         /* NUL bytes are ordinary text */
    /* a "{" only where escapes cannot be: scanned, still nothing to change */
    check_unchanged("SELECT '{d ''x''}', \"{fn\" FROM t");
    check_unchanged("SELECT 1 -- {fn NOW()}\n");
    check_unchanged("SELECT /* {oj */ 1");
    check_unchanged("SELECT 1 --(* not the long form *)--");
    check_unchanged("SELECT '{' }");
}

static void test_literals(void)
{
    static const pair p[] = {
        {"SELECT {d '2024-02-29'}", "SELECT DATE '2024-02-29'"},
        {"SELECT {t '23:59:59'}", "SELECT TIME '23:59:59'"},
        {"SELECT {ts '2024-02-29 23:59:59.123'}", "SELECT TIMESTAMP '2024-02-29 23:59:59.123'"},
        {"WHERE d >= {D '2024-01-01'} AND t < {TS '2024-01-02 00:00:00'}",
         "WHERE d >= DATE '2024-01-01' AND t < TIMESTAMP '2024-01-02 00:00:00'"},
        {"x={ d  '2024-01-01'  }", "x=DATE '2024-01-01'"},
        {"x={d'2024-01-01'}", "x=DATE '2024-01-01'"},
        {"WHERE a LIKE 'x\\_%' {escape '\\'}", "WHERE a LIKE 'x\\_%' ESCAPE '\\'"},
        {"WHERE a LIKE 'it''s%' {ESCAPE ''''}", "WHERE a LIKE 'it''s%' ESCAPE ''''"},
        {"{INTERVAL '3' DAY}", "INTERVAL '3' DAY"},
        {"{interval +'3' DAY}", "INTERVAL '3' DAY"},
        {"d + {INTERVAL - '1-6' YEAR TO MONTH}", "d + (-INTERVAL '1-6' YEAR TO MONTH)"},
        {"{INTERVAL '10:30' HOUR(2) TO MINUTE}", "INTERVAL '10:30' HOUR(2) TO MINUTE"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_outer_join(void)
{
    static const pair p[] = {
        {"SELECT * FROM {oj a LEFT OUTER JOIN b ON a.id = b.id} WHERE 1",
         "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id WHERE 1"},
        {"FROM {oj a LEFT JOIN b ON a.x = {fn UCASE(b.x)}}",
         "FROM a LEFT JOIN b ON a.x = UPPER(b.x)"},
        {"FROM {oj a RIGHT OUTER JOIN {oj b LEFT JOIN c ON b.k = c.k} ON a.k = b.k}",
         "FROM a RIGHT OUTER JOIN b LEFT JOIN c ON b.k = c.k ON a.k = b.k"},
        {"FROM {oj a LEFT JOIN b ON a.n = 'x}'}", "FROM a LEFT JOIN b ON a.n = 'x}'"},
        /* an escape's words never run into their neighbours */
        {"FROM{oj a LEFT JOIN b ON a.k = b.k}WHERE", "FROM a LEFT JOIN b ON a.k = b.k WHERE"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_string_functions(void)
{
    static const pair p[] = {
        {"{fn ASCII(s)}", "ASCII(s)"},
        {"{fn BIT_LENGTH(s)}", "(OCTET_LENGTH(s) * 8)"},
        {"{fn CHAR(65)}", "CHR(65)"},
        {"{fn CHAR_LENGTH(s)}", "CHAR_LENGTH(s)"},
        {"{fn CHARACTER_LENGTH(s)}", "CHAR_LENGTH(s)"},
        {"{fn CONCAT(a, 'b')}", "(a || 'b')"},
        {"{fn CONCAT(a + 1, f(x))}", "((a + 1) || f(x))"},
        {"{fn CONCAT(t.\"A b\", (x))}", "(t.\"A b\" || (x))"},
        {"{fn INSERT('abcdef', 2, 3, 'XY')}", "OVERLAY('abcdef' PLACING 'XY' FROM 2 FOR 3)"},
        {"{fn LCASE(s)}", "LOWER(s)"},
        {"{fn LEFT(s, 2)}", "LEFT(s, 2)"},
        {"{fn LENGTH(s)}", "CHAR_LENGTH(RTRIM(s))"},
        {"{fn LOCATE('b', s)}", "POSITION('b' IN s)"},
        {"{fn LOCATE(a || b, s)}", "POSITION((a || b) IN s)"},
        {"{fn LOCATE('b', s, 2)}", "LOCATE('b', s, 2)"},
        {"{fn LTRIM(s)}", "LTRIM(s)"},
        {"{fn OCTET_LENGTH(s)}", "OCTET_LENGTH(s)"},
        {"{fn POSITION('b' IN s)}", "POSITION('b' IN s)"},
        {"{fn REPEAT(s, 3)}", "REPEAT(s, 3)"},
        {"{fn REPLACE(s, 'a', 'b')}", "REPLACE(s, 'a', 'b')"},
        {"{fn RIGHT(s, 2)}", "RIGHT(s, 2)"},
        {"{fn RTRIM(s)}", "RTRIM(s)"},
        {"{fn SPACE(3)}", "REPEAT(' ', 3)"},
        {"{fn SUBSTRING(s, 2)}", "SUBSTRING(s FROM 2)"},
        {"{fn SUBSTRING(s, 2, 3)}", "SUBSTRING(s FROM 2 FOR 3)"},
        {"{fn UCASE(s)}", "UPPER(s)"},
        {"{fn ucase ( s ) }", "UPPER(s)"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_numeric_functions(void)
{
    static const pair p[] = {
        {"{fn ABS(-1)}", "ABS(-1)"},
        {"{fn CEILING(x)}", "CEILING(x)"},
        {"{fn DEGREES(x)}", "(x * 57.29577951308232)"},
        {"{fn DEGREES(-x)}", "((-x) * 57.29577951308232)"},
        {"{fn EXP(x)}", "EXP(x)"},
        {"{fn FLOOR(x)}", "FLOOR(x)"},
        {"{fn LOG(x)}", "LN(x)"},
        {"{fn LOG10(x)}", "LOG10(x)"},
        {"{fn MOD(a, 3)}", "MOD(a, 3)"},
        {"{fn PI()}", "3.141592653589793"},
        {"2*{fn PI()}", "2*3.141592653589793"},
        {"{fn POWER(2, 10)}", "POWER(2, 10)"},
        {"{fn RADIANS(180)}", "(180 * 0.017453292519943295)"},
        {"{fn RADIANS(1.5e2)}", "(1.5e2 * 0.017453292519943295)"},
        {"{fn ROUND(x)}", "ROUND(x)"},
        {"{fn ROUND(x, 2)}", "ROUND(x, 2)"},
        {"{fn SIGN(x)}", "SIGN(x)"},
        {"{fn SQRT(x)}", "SQRT(x)"},
        {"{fn TRUNCATE(x)}", "TRUNC(x)"},
        {"{fn TRUNCATE(x, 1)}", "TRUNC(x, 1)"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_timedate_functions(void)
{
    static const pair p[] = {
        {"{fn CURDATE()}", "CURRENT_DATE"},
        {"{fn CURRENT_DATE()}", "CURRENT_DATE"},
        {"{fn CURRENT_DATE}", "CURRENT_DATE"},
        {"{fn CURRENT_TIME()}", "CURRENT_TIME"},
        {"{fn CURRENT_TIME(3)}", "CURRENT_TIME"},
        {"{fn CURRENT_TIMESTAMP()}", "CURRENT_TIMESTAMP"},
        {"{fn CURRENT_TIMESTAMP(6)}", "CURRENT_TIMESTAMP"},
        {"{fn CURTIME()}", "CURRENT_TIME"},
        {"{fn DAYNAME(d)}",
         "CASE EXTRACT(DOW FROM d) WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN "
         "'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' WHEN 6 "
         "THEN 'Saturday' END"},
        {"{fn DAYOFMONTH(d)}", "EXTRACT(DAY FROM d)"},
        {"{fn DAYOFWEEK(d)}", "(EXTRACT(DOW FROM d) + 1)"},
        {"{fn DAYOFYEAR(d)}", "EXTRACT(DOY FROM d)"},
        {"{fn EXTRACT(MONTH FROM d)}", "EXTRACT(MONTH FROM d)"},
        {"{fn HOUR(t)}", "EXTRACT(HOUR FROM t)"},
        {"{fn MINUTE(t)}", "EXTRACT(MINUTE FROM t)"},
        {"{fn MONTH(d)}", "EXTRACT(MONTH FROM d)"},
        {"{fn MONTHNAME(d)}",
         "CASE EXTRACT(MONTH FROM d) WHEN 1 THEN 'January' WHEN 2 THEN 'February' WHEN 3 THEN "
         "'March' WHEN 4 THEN 'April' WHEN 5 THEN 'May' WHEN 6 THEN 'June' WHEN 7 THEN 'July' "
         "WHEN 8 THEN 'August' WHEN 9 THEN 'September' WHEN 10 THEN 'October' WHEN 11 THEN "
         "'November' WHEN 12 THEN 'December' END"},
        {"{fn NOW()}", "CURRENT_TIMESTAMP"},
        {"{fn QUARTER(d)}", "EXTRACT(QUARTER FROM d)"},
        {"{fn SECOND(t)}", "EXTRACT(SECOND FROM t)"},
        {"{fn WEEK(d)}", "EXTRACT(WEEK FROM d)"},
        {"{fn YEAR(d)}", "EXTRACT(YEAR FROM d)"},
        {"{fn TIMESTAMPADD(SQL_TSI_SECOND, 5, ts)}", "(5 * INTERVAL '1' SECOND + ts)"},
        {"{fn TIMESTAMPADD(SQL_TSI_MINUTE, 5, ts)}", "(5 * INTERVAL '1' MINUTE + ts)"},
        {"{fn TIMESTAMPADD(SQL_TSI_HOUR, 5, ts)}", "(5 * INTERVAL '1' HOUR + ts)"},
        {"{fn TIMESTAMPADD(SQL_TSI_DAY, -n, ts)}", "((-n) * INTERVAL '1' DAY + ts)"},
        {"{fn TIMESTAMPADD(SQL_TSI_WEEK, 2, ts)}", "(2 * INTERVAL '7' DAY + ts)"},
        {"{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, ts)}", "(1 * INTERVAL '1' MONTH + ts)"},
        {"{fn TIMESTAMPADD(sql_tsi_quarter, 1, ts)}", "(1 * INTERVAL '3' MONTH + ts)"},
        {"{fn TIMESTAMPADD(YEAR, 1, a - b)}", "(1 * INTERVAL '1' YEAR + (a - b))"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_SECOND, a, b)}", "DATEDIFF('second', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_MINUTE, a, b)}", "DATEDIFF('minute', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_HOUR, a, b)}", "DATEDIFF('hour', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_DAY, a, b)}", "DATEDIFF('day', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_WEEK, a, b)}", "DATEDIFF('week', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_MONTH, a, b)}", "DATEDIFF('month', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_QUARTER, a, b)}", "DATEDIFF('quarter', a, b)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_YEAR, a, b)}", "DATEDIFF('year', a, b)"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_system_and_convert(void)
{
    static const pair p[] = {
        {"{fn DATABASE()}", "CURRENT_CATALOG"},
        {"{fn IFNULL(a, 0)}", "COALESCE(a, 0)"},
        {"{fn USER()}", "CURRENT_USER"},
        {"{fn CONVERT(x, SQL_BIGINT)}", "CAST(x AS BIGINT)"},
        {"{fn CONVERT(x, SQL_BIT)}", "CAST(x AS BOOLEAN)"},
        {"{fn CONVERT(x, SQL_CHAR)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(x, SQL_DATE)}", "CAST(x AS DATE)"},
        {"{fn CONVERT(x, SQL_DOUBLE)}", "CAST(x AS DOUBLE)"},
        {"{fn CONVERT(x, SQL_FLOAT)}", "CAST(x AS DOUBLE)"},
        {"{fn CONVERT(x, SQL_INTEGER)}", "CAST(x AS INTEGER)"},
        {"{fn CONVERT(x, SQL_LONGVARCHAR)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(x, SQL_REAL)}", "CAST(x AS DOUBLE)"},
        {"{fn CONVERT(x, SQL_SMALLINT)}", "CAST(x AS SMALLINT)"},
        {"{fn CONVERT(x, SQL_DECIMAL)}", "CAST(x AS DECIMAL)"},
        {"{fn CONVERT(x, SQL_NUMERIC)}", "CAST(x AS DECIMAL)"},
        {"{fn CONVERT(x, SQL_BINARY)}", "CAST(x AS BLOB)"},
        {"{fn CONVERT(x, SQL_VARBINARY)}", "CAST(x AS BLOB)"},
        {"{fn CONVERT(x, SQL_LONGVARBINARY)}", "CAST(x AS BLOB)"},
        {"{fn CONVERT(x, SQL_TIME)}", "CAST(x AS TIME)"},
        {"{fn CONVERT(x, SQL_TIMESTAMP)}", "CAST(x AS TIMESTAMP)"},
        {"{fn CONVERT(x, SQL_TINYINT)}", "CAST(x AS SMALLINT)"},
        {"{fn CONVERT(x, SQL_TYPE_DATE)}", "CAST(x AS DATE)"},
        {"{fn CONVERT(x, SQL_TYPE_TIME)}", "CAST(x AS TIME)"},
        {"{fn CONVERT(x, SQL_TYPE_TIMESTAMP)}", "CAST(x AS TIMESTAMP)"},
        {"{fn CONVERT(x, SQL_VARCHAR)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(x, SQL_WCHAR)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(x, SQL_WLONGVARCHAR)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(x, sql_wvarchar)}", "CAST(x AS VARCHAR)"},
        {"{fn CONVERT(a + 1, VARCHAR)}", "CAST(a + 1 AS VARCHAR)"},
        /* a function Eider does not translate passes through under its own name */
        {"{fn SOUNDEX(name)}", "SOUNDEX(name)"},
        {"{fn Atan2( y,x )}", "Atan2(y, x)"},
        {"{fn RAND}", "RAND"},
    };
    check_all(p, sizeof p / sizeof *p);
}

static void test_nesting(void)
{
    static const pair p[] = {
        {"SELECT {fn UCASE({fn LTRIM(name)})} FROM t", "SELECT UPPER(LTRIM(name)) FROM t"},
        {"{fn CONCAT({fn CONCAT(a, b)}, c)}", "((a || b) || c)"},
        {"{fn CONCAT({fn DAYNAME({d '2024-01-01'})}, 'x')}",
         "((CASE EXTRACT(DOW FROM DATE '2024-01-01') WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' "
         "WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' WHEN 5 THEN "
         "'Friday' WHEN 6 THEN 'Saturday' END) || 'x')"},
        {"{fn YEAR({fn TIMESTAMPADD(SQL_TSI_DAY, 1, {ts '2024-12-31 00:00:00'})})}",
         "EXTRACT(YEAR FROM (1 * INTERVAL '1' DAY + (TIMESTAMP '2024-12-31 00:00:00')))"},
        {"{fn LEFT(f(a, b), {fn LENGTH(c)})}", "LEFT(f(a, b), CHAR_LENGTH(RTRIM(c)))"},
        {"{fn REPLACE(s, ',', ')')}", "REPLACE(s, ',', ')')"},
        {"{fn UCASE(\"we,ird)\")}", "UPPER(\"we,ird)\")"},
        /* comments inside an escape become a space; -- cannot swallow the ")" */
        {"{fn UCASE(x -- the name\n)}", "UPPER(x)"},
        {"{fn MOD(a /* , */, 3)}", "MOD(a, 3)"},
        {"{fn NOW()}{fn NOW()}", "CURRENT_TIMESTAMP CURRENT_TIMESTAMP"},
        {"x-{oj -y}", "x- -y"},
    };
    check_all(p, sizeof p / sizeof *p);

    /* 32 nested escapes are fine, 33 are not */
    char deep[512] = "", want[512] = "";
    for (int i = 0; i < 32; i++)
        strcat(deep, "{fn ABS(");
    strcat(deep, "1");
    for (int i = 0; i < 32; i++)
        strcat(deep, ")}");
    for (int i = 0; i < 32; i++)
        strcat(want, "ABS(");
    strcat(want, "1");
    for (int i = 0; i < 32; i++)
        strcat(want, ")");
    check(deep, want);
    char deeper[512] = "{fn ABS(";
    strcat(deeper, deep);
    strcat(deeper, ")}");
    check_error(deeper, "42000", 32 * 8, "nested more than 32 deep");
}

static void test_parameter_markers(void)
{
    static const pair p[] = {
        {"SELECT ?, {fn CONCAT(?, ?)} FROM t WHERE a = ? AND d = {d '2024-01-01'}",
         "SELECT ?, (? || ?) FROM t WHERE a = ? AND d = DATE '2024-01-01'"},
        {"{fn TIMESTAMPADD(SQL_TSI_DAY, ?, ?)}", "(? * INTERVAL '1' DAY + ?)"},
        {"{fn TIMESTAMPDIFF(SQL_TSI_DAY, ?, ?)}", "DATEDIFF('day', ?, ?)"},
        {"{fn SUBSTRING(?, ?, ?)}", "SUBSTRING(? FROM ? FOR ?)"},
        /* INSERT reorders its arguments: fine while the markers keep their order */
        {"{fn INSERT(?, 1, 2, ?)}", "OVERLAY(? PLACING ? FROM 1 FOR 2)"},
        {"{fn INSERT(s, ?, ?, 'x')}", "OVERLAY(s PLACING 'x' FROM ? FOR ?)"},
        {"{fn INSERT(s, 1, 2, ?)}", "OVERLAY(s PLACING ? FROM 1 FOR 2)"},
        {"{fn UCASE('?')} = ?", "UPPER('?') = ?"},
    };
    check_all(p, sizeof p / sizeof *p);
    check_error("{fn INSERT(s, ?, 2, ?)}", "HYC00", 4, "parameter markers");
    check_error("SELECT {fn CURRENT_TIME(?)}", "HYC00", 11, "parameter markers");
}

static void test_long_form(void)
{
    static const pair p[] = {
        {"SELECT --(*vendor(Microsoft),product(ODBC) fn UCASE(name)*)-- FROM t",
         "SELECT UPPER(name) FROM t"},
        {"WHERE d = --(*VENDOR(MICROSOFT),PRODUCT(ODBC) d '2024-01-01' *)--",
         "WHERE d = DATE '2024-01-01'"},
        {"FROM --(*vendor(Microsoft),product(ODBC) oj a LEFT JOIN b ON a.k = b.k*)-- WHERE",
         "FROM a LEFT JOIN b ON a.k = b.k WHERE"},
        {"SELECT --(*vendor(Microsoft),product(ODBC) fn COUNT(*)*)--", "SELECT COUNT(*)"},
        {"SELECT {fn UCASE(--(*vendor(Microsoft),product(ODBC) fn LCASE(x)*)--)}",
         "SELECT UPPER(LOWER(x))"},
    };
    check_all(p, sizeof p / sizeof *p);
    /* another vendor's long form is an ordinary comment */
    check_unchanged("SELECT 1 --(*vendor(Other),product(X) fn UCASE(x)*)--");
    check_error("SELECT --(*vendor(Microsoft),product(ODBC) fn NOW()", "42000", 7,
                "has no closing *)--");
    check_error("SELECT --(*vendor(Microsoft),product(ODBC) fn NOW() }", "42000", 52,
                "expected *)-- to end the escape opened at position 8");
}

static void test_errors(void)
{
    check_error("SELECT {", "42000", 8, "expected d, t, ts, fn, oj, escape or interval after {");
    check_error("SELECT {}", "42000", 8, "expected d, t, ts, fn, oj, escape or interval");
    check_error("SELECT {x '1'}", "42000", 8, "unknown escape x");
    check_error("SELECT {d 2024}", "42000", 10, "expected a date in quotes");
    check_error("SELECT {t}", "42000", 9, "expected a time in quotes");
    check_error("SELECT {ts '2024-01-01 00:00:00", "42000", 11, "this string has no closing '");
    check_error("SELECT {d '2024-01-01'", "42000", 7, "the escape opened here has no closing }");
    check_error("SELECT {d '2024-01-01' x}", "42000", 23,
                "expected } to end the escape opened at position 8");
    check_error("WHERE a LIKE 'x' {escape}", "42000", 24, "expected the escape character");
    check_error("SELECT {fn}", "42000", 10, "expected a function name after {fn");
    check_error("SELECT {fn 1()}", "42000", 11, "expected a function name");
    check_error("SELECT {fn NOW x}", "42000", 15, "expected ( after the function name NOW");
    check_error("SELECT {fn UCASE(x}", "42000", 18, "expected ) to close the arguments before }");
    check_error("SELECT {fn UCASE(x", "42000", 7, "has no closing }");
    check_error("SELECT {fn UCASE(x) y}", "42000", 20, "expected }");
    check_error("SELECT {fn UCASE('x)}", "42000", 17, "this string has no closing '");
    check_error("SELECT {fn UCASE(\"x)}", "42000", 17, "this quoted name has no closing \"");
    check_error("SELECT {fn UCASE(x /* )}", "42000", 19, "this comment has no closing */");
    check_error("SELECT {fn MOD(a, )}", "42000", 18, "argument 2 of {fn MOD} is empty");
    check_error("SELECT {fn MOD(, a)}", "42000", 15, "argument 1 of {fn MOD} is empty");
    check_error("SELECT {fn LEFT(s)}", "42000", 11, "{fn LEFT} takes 2 arguments, not 1");
    check_error("SELECT {fn UCASE()}", "42000", 11, "{fn UCASE} takes 1 argument, not 0");
    check_error("SELECT {fn ROUND(a, 1, 2)}", "42000", 11, "{fn ROUND} takes 1 to 2 arguments");
    check_error("SELECT {fn LOCATE(a)}", "42000", 11, "{fn LOCATE} takes 2 to 3 arguments");
    check_error("SELECT {fn TIMESTAMPADD(SQL_TSI_FORTNIGHT, 1, d)}", "42000", 24,
                "unknown interval SQL_TSI_FORTNIGHT");
    check_error("SELECT {fn TIMESTAMPDIFF(?, a, b)}", "42000", 25, "unknown interval ?");
    check_error("SELECT {fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1, d)}", "HYC00", 24,
                "the interval SQL_TSI_FRAC_SECOND is not supported");
    check_error("SELECT {fn CONVERT(x, SQL_STRING)}", "42000", 22, "unknown SQL type SQL_STRING");
    check_error("SELECT {fn CONVERT(x, SQL_GUID)}", "HYC00", 22,
                "CONVERT to SQL_GUID is not supported");
    check_error("SELECT {fn CONVERT(x, SQL_GUID)}", "HYC00", 22, "Eider has no such type");
    check_error("SELECT {fn CONVERT(x, SQL_INTERVAL_DAY_TO_SECOND)}", "HYC00", 22,
                "none of ODBC's interval types");
    check_error("SELECT {oj }", "42000", 10, "expected a join after {oj");
    check_error("SELECT {oj a LEFT JOIN b", "42000", 7, "has no closing }");
    check_error("SELECT {INTERVAL 3 DAY}", "42000", 17, "expected the interval's value in quotes");
    check_error("{call proc(?, ?)}", "HYC00", 1, "procedures are not supported");
    check_error("{ ?= call proc(?)}", "HYC00", 2, "procedures are not supported");
    check_error("{? x}", "42000", 1, "expected = call after {?");
    check_error("SELECT {guid 'a3bc5b9e-39d7-4b4a-8f6e-0d5b7f3b8a11'}", "HYC00", 8,
                "GUID literals are not supported");
    /* an error after a good escape: the position is in the original text */
    check_error("SELECT {fn NOW()}, {fn NOW(1)}", "42000", 23, "{fn NOW} takes 0 arguments");
    /* a very long name is cut in the message, which still ends with the position */
    char longname[400] = "SELECT {fn LEFT(";
    memset(longname + strlen(longname), 'a', 300);
    strcat(longname, ")}");
    check_error(longname, "42000", 11, "{fn LEFT} takes 2 arguments, not 1");
    check_error("SELECT {fn ABC\001()}", "42000", 14, "expected ( after the function name ABC");
}

static void test_masks(void)
{
    uint32_t s = esc_functions_mask(SQL_STRING_FUNCTIONS);
    CU_ASSERT_EQUAL(
        s, SQL_FN_STR_ASCII | SQL_FN_STR_BIT_LENGTH | SQL_FN_STR_CHAR | SQL_FN_STR_CHAR_LENGTH |
               SQL_FN_STR_CHARACTER_LENGTH | SQL_FN_STR_CONCAT | SQL_FN_STR_INSERT |
               SQL_FN_STR_LCASE | SQL_FN_STR_LEFT | SQL_FN_STR_LENGTH | SQL_FN_STR_LOCATE |
               SQL_FN_STR_LOCATE_2 | SQL_FN_STR_LTRIM | SQL_FN_STR_OCTET_LENGTH |
               SQL_FN_STR_POSITION | SQL_FN_STR_REPEAT | SQL_FN_STR_REPLACE | SQL_FN_STR_RIGHT |
               SQL_FN_STR_RTRIM | SQL_FN_STR_SPACE | SQL_FN_STR_SUBSTRING | SQL_FN_STR_UCASE);
    CU_ASSERT_EQUAL(s & (SQL_FN_STR_SOUNDEX | SQL_FN_STR_DIFFERENCE), 0);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_NUMERIC_FUNCTIONS),
                    SQL_FN_NUM_ABS | SQL_FN_NUM_CEILING | SQL_FN_NUM_DEGREES | SQL_FN_NUM_EXP |
                        SQL_FN_NUM_FLOOR | SQL_FN_NUM_LOG | SQL_FN_NUM_LOG10 | SQL_FN_NUM_MOD |
                        SQL_FN_NUM_PI | SQL_FN_NUM_POWER | SQL_FN_NUM_RADIANS | SQL_FN_NUM_ROUND |
                        SQL_FN_NUM_SIGN | SQL_FN_NUM_SQRT | SQL_FN_NUM_TRUNCATE);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_TIMEDATE_FUNCTIONS),
                    SQL_FN_TD_CURDATE | SQL_FN_TD_CURRENT_DATE | SQL_FN_TD_CURRENT_TIME |
                        SQL_FN_TD_CURRENT_TIMESTAMP | SQL_FN_TD_CURTIME | SQL_FN_TD_DAYNAME |
                        SQL_FN_TD_DAYOFMONTH | SQL_FN_TD_DAYOFWEEK | SQL_FN_TD_DAYOFYEAR |
                        SQL_FN_TD_EXTRACT | SQL_FN_TD_HOUR | SQL_FN_TD_MINUTE | SQL_FN_TD_MONTH |
                        SQL_FN_TD_MONTHNAME | SQL_FN_TD_NOW | SQL_FN_TD_QUARTER | SQL_FN_TD_SECOND |
                        SQL_FN_TD_TIMESTAMPADD | SQL_FN_TD_TIMESTAMPDIFF | SQL_FN_TD_WEEK |
                        SQL_FN_TD_YEAR);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_SYSTEM_FUNCTIONS),
                    SQL_FN_SYS_DBNAME | SQL_FN_SYS_IFNULL | SQL_FN_SYS_USERNAME);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_CONVERT_FUNCTIONS), SQL_FN_CVT_CONVERT);
    uint32_t all_but_frac = SQL_FN_TSI_SECOND | SQL_FN_TSI_MINUTE | SQL_FN_TSI_HOUR |
                            SQL_FN_TSI_DAY | SQL_FN_TSI_WEEK | SQL_FN_TSI_MONTH |
                            SQL_FN_TSI_QUARTER | SQL_FN_TSI_YEAR;
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_TIMEDATE_ADD_INTERVALS), all_but_frac);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_TIMEDATE_DIFF_INTERVALS), all_but_frac);
    CU_ASSERT_EQUAL(esc_functions_mask(SQL_DBMS_NAME), 0);
    CU_ASSERT_EQUAL(esc_convert_targets(),
                    SQL_CVT_BIGINT | SQL_CVT_BIT | SQL_CVT_CHAR | SQL_CVT_DATE | SQL_CVT_DOUBLE |
                        SQL_CVT_FLOAT | SQL_CVT_INTEGER | SQL_CVT_LONGVARCHAR | SQL_CVT_REAL |
                        SQL_CVT_SMALLINT | SQL_CVT_TIME | SQL_CVT_TIMESTAMP | SQL_CVT_TINYINT |
                        SQL_CVT_VARCHAR | SQL_CVT_WCHAR | SQL_CVT_WLONGVARCHAR | SQL_CVT_WVARCHAR |
                        SQL_CVT_DECIMAL | SQL_CVT_NUMERIC | SQL_CVT_BINARY | SQL_CVT_VARBINARY |
                        SQL_CVT_LONGVARBINARY);
}

static CU_TestInfo escape_tests[] = {
    {"fast path and untouched text", test_fast_path},
    {"date, time, timestamp, escape, interval", test_literals},
    {"outer joins", test_outer_join},
    {"string functions", test_string_functions},
    {"numeric functions", test_numeric_functions},
    {"time and date functions", test_timedate_functions},
    {"system functions and CONVERT", test_system_and_convert},
    {"nesting", test_nesting},
    {"parameter markers", test_parameter_markers},
    {"long form", test_long_form},
    {"errors", test_errors},
    {"SQLGetInfo masks", test_masks},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"escape", NULL, NULL, NULL, NULL, escape_tests})
