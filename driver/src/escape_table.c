/*
 * The escape translator's tables (escape_table.h) and the SQLGetInfo bitmasks derived from
 * them (escape.h), so that what the driver advertises is exactly what it translates.
 */
#include "escape.h"
#include "escape_table.h"

#include <sql.h>
#include <sqlext.h>

/* Short names for the info column. */
enum {
    F_STR = SQL_STRING_FUNCTIONS,
    F_NUM = SQL_NUMERIC_FUNCTIONS,
    F_TD = SQL_TIMEDATE_FUNCTIONS,
    F_SYS = SQL_SYSTEM_FUNCTIONS,
    F_CVT = SQL_CONVERT_FUNCTIONS,
};

const esc_fn esc_fns[] = {
    {F_STR, "ASCII", 1, 1, "ASCII($1)", SQL_FN_STR_ASCII},
    {F_STR, "BIT_LENGTH", 1, 1, "(OCTET_LENGTH($1) * 8)", SQL_FN_STR_BIT_LENGTH},
    {F_STR, "CHAR", 1, 1, "CHR($1)", SQL_FN_STR_CHAR},
    {F_STR, "CHAR_LENGTH", 1, 1, "CHAR_LENGTH($1)", SQL_FN_STR_CHAR_LENGTH},
    {F_STR, "CHARACTER_LENGTH", 1, 1, "CHAR_LENGTH($1)", SQL_FN_STR_CHARACTER_LENGTH},
    {F_STR, "CONCAT", 2, 2, "(@1 || @2)", SQL_FN_STR_CONCAT},
    /* ODBC's argument order is (s, start, length, insert): the one reordering template */
    {F_STR, "INSERT", 4, 4, "OVERLAY($1 PLACING $4 FROM $2 FOR $3)", SQL_FN_STR_INSERT},
    {F_STR, "LCASE", 1, 1, "LOWER($1)", SQL_FN_STR_LCASE},
    {F_STR, "LEFT", 2, 2, "LEFT($1, $2)", SQL_FN_STR_LEFT},
    /* ODBC's LENGTH does not count trailing blanks */
    {F_STR, "LENGTH", 1, 1, "CHAR_LENGTH(RTRIM($1))", SQL_FN_STR_LENGTH},
    /* the engine parses POSITION's needle as a primary: hence @1 */
    {F_STR, "LOCATE", 2, 2, "POSITION(@1 IN $2)", SQL_FN_STR_LOCATE_2},
    {F_STR, "LOCATE", 3, 3, "LOCATE($1, $2, $3)", SQL_FN_STR_LOCATE},
    {F_STR, "LTRIM", 1, 1, "LTRIM($1)", SQL_FN_STR_LTRIM},
    {F_STR, "OCTET_LENGTH", 1, 1, "OCTET_LENGTH($1)", SQL_FN_STR_OCTET_LENGTH},
    /* written {fn POSITION(a IN b)}: one argument as far as commas go */
    {F_STR, "POSITION", 1, 1, "POSITION($1)", SQL_FN_STR_POSITION},
    {F_STR, "REPEAT", 2, 2, "REPEAT($1, $2)", SQL_FN_STR_REPEAT},
    {F_STR, "REPLACE", 3, 3, "REPLACE($1, $2, $3)", SQL_FN_STR_REPLACE},
    {F_STR, "RIGHT", 2, 2, "RIGHT($1, $2)", SQL_FN_STR_RIGHT},
    {F_STR, "RTRIM", 1, 1, "RTRIM($1)", SQL_FN_STR_RTRIM},
    {F_STR, "SPACE", 1, 1, "REPEAT(' ', $1)", SQL_FN_STR_SPACE},
    {F_STR, "SUBSTRING", 2, 2, "SUBSTRING($1 FROM $2)", SQL_FN_STR_SUBSTRING},
    {F_STR, "SUBSTRING", 3, 3, "SUBSTRING($1 FROM $2 FOR $3)", SQL_FN_STR_SUBSTRING},
    {F_STR, "UCASE", 1, 1, "UPPER($1)", SQL_FN_STR_UCASE},

    {F_NUM, "ABS", 1, 1, "ABS($1)", SQL_FN_NUM_ABS},
    {F_NUM, "CEILING", 1, 1, "CEILING($1)", SQL_FN_NUM_CEILING},
    {F_NUM, "DEGREES", 1, 1, "(@1 * 57.29577951308232)", SQL_FN_NUM_DEGREES},
    {F_NUM, "EXP", 1, 1, "EXP($1)", SQL_FN_NUM_EXP},
    {F_NUM, "FLOOR", 1, 1, "FLOOR($1)", SQL_FN_NUM_FLOOR},
    {F_NUM, "LOG", 1, 1, "LN($1)", SQL_FN_NUM_LOG}, /* ODBC's LOG is the natural logarithm */
    {F_NUM, "LOG10", 1, 1, "LOG10($1)", SQL_FN_NUM_LOG10},
    {F_NUM, "MOD", 2, 2, "MOD($1, $2)", SQL_FN_NUM_MOD},
    {F_NUM, "PI", 0, 0, "3.141592653589793", SQL_FN_NUM_PI}, /* the nearest double */
    {F_NUM, "POWER", 2, 2, "POWER($1, $2)", SQL_FN_NUM_POWER},
    {F_NUM, "RADIANS", 1, 1, "(@1 * 0.017453292519943295)", SQL_FN_NUM_RADIANS},
    {F_NUM, "ROUND", 1, 1, "ROUND($1)", SQL_FN_NUM_ROUND},
    {F_NUM, "ROUND", 2, 2, "ROUND($1, $2)", SQL_FN_NUM_ROUND},
    {F_NUM, "SIGN", 1, 1, "SIGN($1)", SQL_FN_NUM_SIGN},
    {F_NUM, "SQRT", 1, 1, "SQRT($1)", SQL_FN_NUM_SQRT},
    {F_NUM, "TRUNCATE", 1, 1, "TRUNC($1)", SQL_FN_NUM_TRUNCATE},
    {F_NUM, "TRUNCATE", 2, 2, "TRUNC($1, $2)", SQL_FN_NUM_TRUNCATE},

    {F_TD, "CURDATE", 0, 0, "CURRENT_DATE", SQL_FN_TD_CURDATE},
    {F_TD, "CURRENT_DATE", 0, 0, "CURRENT_DATE", SQL_FN_TD_CURRENT_DATE},
    /* the optional precision is dropped: Eider keeps the precision it has */
    {F_TD, "CURRENT_TIME", 0, 1, "CURRENT_TIME", SQL_FN_TD_CURRENT_TIME},
    {F_TD, "CURRENT_TIMESTAMP", 0, 1, "CURRENT_TIMESTAMP", SQL_FN_TD_CURRENT_TIMESTAMP},
    {F_TD, "CURTIME", 0, 0, "CURRENT_TIME", SQL_FN_TD_CURTIME},
    {F_TD, "DAYNAME", 1, 1,
     "CASE EXTRACT(DOW FROM $1) WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN "
     "'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' WHEN 6 "
     "THEN 'Saturday' END",
     SQL_FN_TD_DAYNAME},
    {F_TD, "DAYOFMONTH", 1, 1, "EXTRACT(DAY FROM $1)", SQL_FN_TD_DAYOFMONTH},
    /* ODBC counts from Sunday = 1; EXTRACT(DOW) from Sunday = 0 */
    {F_TD, "DAYOFWEEK", 1, 1, "(EXTRACT(DOW FROM $1) + 1)", SQL_FN_TD_DAYOFWEEK},
    {F_TD, "DAYOFYEAR", 1, 1, "EXTRACT(DOY FROM $1)", SQL_FN_TD_DAYOFYEAR},
    /* written {fn EXTRACT(YEAR FROM x)}: one argument as far as commas go */
    {F_TD, "EXTRACT", 1, 1, "EXTRACT($1)", SQL_FN_TD_EXTRACT},
    {F_TD, "HOUR", 1, 1, "EXTRACT(HOUR FROM $1)", SQL_FN_TD_HOUR},
    {F_TD, "MINUTE", 1, 1, "EXTRACT(MINUTE FROM $1)", SQL_FN_TD_MINUTE},
    {F_TD, "MONTH", 1, 1, "EXTRACT(MONTH FROM $1)", SQL_FN_TD_MONTH},
    {F_TD, "MONTHNAME", 1, 1,
     "CASE EXTRACT(MONTH FROM $1) WHEN 1 THEN 'January' WHEN 2 THEN 'February' WHEN 3 THEN "
     "'March' WHEN 4 THEN 'April' WHEN 5 THEN 'May' WHEN 6 THEN 'June' WHEN 7 THEN 'July' "
     "WHEN 8 THEN 'August' WHEN 9 THEN 'September' WHEN 10 THEN 'October' WHEN 11 THEN "
     "'November' WHEN 12 THEN 'December' END",
     SQL_FN_TD_MONTHNAME},
    {F_TD, "NOW", 0, 0, "CURRENT_TIMESTAMP", SQL_FN_TD_NOW},
    {F_TD, "QUARTER", 1, 1, "EXTRACT(QUARTER FROM $1)", SQL_FN_TD_QUARTER},
    {F_TD, "SECOND", 1, 1, "EXTRACT(SECOND FROM $1)", SQL_FN_TD_SECOND},
    /* count * interval + timestamp keeps ODBC's argument order (count, timestamp) */
    {F_TD, "TIMESTAMPADD", 3, 3, "(@2 * INTERVAL $I1 + @3)", SQL_FN_TD_TIMESTAMPADD},
    {F_TD, "TIMESTAMPDIFF", 3, 3, "DATEDIFF($P1, $2, $3)", SQL_FN_TD_TIMESTAMPDIFF},
    {F_TD, "WEEK", 1, 1, "EXTRACT(WEEK FROM $1)", SQL_FN_TD_WEEK},
    {F_TD, "YEAR", 1, 1, "EXTRACT(YEAR FROM $1)", SQL_FN_TD_YEAR},

    {F_SYS, "DATABASE", 0, 0, "CURRENT_CATALOG", SQL_FN_SYS_DBNAME},
    {F_SYS, "IFNULL", 2, 2, "COALESCE($1, $2)", SQL_FN_SYS_IFNULL},
    {F_SYS, "USER", 0, 0, "CURRENT_USER", SQL_FN_SYS_USERNAME},

    {F_CVT, "CONVERT", 2, 2, "CAST($1 AS $T2)", SQL_FN_CVT_CONVERT},
};

const esc_tsi esc_intervals[] = {
    /* ODBC's fractions are billionths of a second, finer than any Eider timestamp */
    {"FRAC_SECOND", SQL_FN_TSI_FRAC_SECOND, NULL, NULL},
    {"SECOND", SQL_FN_TSI_SECOND, "'1' SECOND", "'second'"},
    {"MINUTE", SQL_FN_TSI_MINUTE, "'1' MINUTE", "'minute'"},
    {"HOUR", SQL_FN_TSI_HOUR, "'1' HOUR", "'hour'"},
    {"DAY", SQL_FN_TSI_DAY, "'1' DAY", "'day'"},
    {"WEEK", SQL_FN_TSI_WEEK, "'7' DAY", "'week'"},
    {"MONTH", SQL_FN_TSI_MONTH, "'1' MONTH", "'month'"},
    {"QUARTER", SQL_FN_TSI_QUARTER, "'3' MONTH", "'quarter'"},
    {"YEAR", SQL_FN_TSI_YEAR, "'1' YEAR", "'year'"},
};

const esc_type esc_types[] = {
    {"BIGINT", SQL_CVT_BIGINT, "BIGINT"},
    {"BINARY", SQL_CVT_BINARY, "BLOB"},
    {"BIT", SQL_CVT_BIT, "BOOLEAN"},
    {"CHAR", SQL_CVT_CHAR, "VARCHAR"},
    {"DATE", SQL_CVT_DATE, "DATE"},
    {"DECIMAL", SQL_CVT_DECIMAL, "DECIMAL"},
    {"DOUBLE", SQL_CVT_DOUBLE, "DOUBLE"},
    {"FLOAT", SQL_CVT_FLOAT, "DOUBLE"},
    {"GUID", SQL_CVT_GUID, NULL},
    {"INTEGER", SQL_CVT_INTEGER, "INTEGER"},
    {"LONGVARBINARY", SQL_CVT_LONGVARBINARY, "BLOB"},
    {"LONGVARCHAR", SQL_CVT_LONGVARCHAR, "VARCHAR"},
    {"NUMERIC", SQL_CVT_NUMERIC, "DECIMAL"},
    {"REAL", SQL_CVT_REAL, "DOUBLE"},
    {"SMALLINT", SQL_CVT_SMALLINT, "SMALLINT"},
    {"TIME", SQL_CVT_TIME, "TIME"},
    {"TIMESTAMP", SQL_CVT_TIMESTAMP, "TIMESTAMP"},
    {"TINYINT", SQL_CVT_TINYINT, "SMALLINT"},
    {"TYPE_DATE", SQL_CVT_DATE, "DATE"},
    {"TYPE_TIME", SQL_CVT_TIME, "TIME"},
    {"TYPE_TIMESTAMP", SQL_CVT_TIMESTAMP, "TIMESTAMP"},
    {"VARBINARY", SQL_CVT_VARBINARY, "BLOB"},
    {"VARCHAR", SQL_CVT_VARCHAR, "VARCHAR"},
    {"WCHAR", SQL_CVT_WCHAR, "VARCHAR"},
    {"WLONGVARCHAR", SQL_CVT_WLONGVARCHAR, "VARCHAR"},
    {"WVARCHAR", SQL_CVT_WVARCHAR, "VARCHAR"},
};

const size_t esc_nfns = sizeof esc_fns / sizeof *esc_fns;
const size_t esc_nintervals = sizeof esc_intervals / sizeof *esc_intervals;
const size_t esc_ntypes = sizeof esc_types / sizeof *esc_types;

uint32_t esc_functions_mask(int which)
{
    uint32_t mask = 0;
    if (which == SQL_TIMEDATE_ADD_INTERVALS || which == SQL_TIMEDATE_DIFF_INTERVALS) {
        for (size_t i = 0; i < esc_nintervals; i++)
            if (which == SQL_TIMEDATE_ADD_INTERVALS ? esc_intervals[i].add != NULL
                                                    : esc_intervals[i].diff != NULL)
                mask |= esc_intervals[i].bit;
        return mask;
    }
    for (size_t i = 0; i < esc_nfns; i++)
        if (esc_fns[i].info == which)
            mask |= esc_fns[i].bit;
    return mask;
}

uint32_t esc_convert_targets(void)
{
    uint32_t mask = 0;
    for (size_t i = 0; i < esc_ntypes; i++)
        if (esc_types[i].eider)
            mask |= esc_types[i].cvt;
    return mask;
}
