/*
 * Describing engine types the ODBC way, beyond the concise type, column size, decimal
 * digits and display size that convert.c answers: the transfer octet length, the radix,
 * whether decimal digits apply at all, the verbose type and datetime subcode, and the
 * ODBC 2 codes for dates and times (ODBC reference, Appendix D). SQLColumns,
 * SQLSpecialColumns, SQLGetTypeInfo and SQLColAttribute all answer from here, so a column
 * is described the same way everywhere.
 */
#include "drv.h"

SQLLEN drv_octet_length(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return 2;
    case ENG_TYPE_INTEGER:
        return 4;
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_DOUBLE:
        return 8;
    case ENG_TYPE_DECIMAL: /* as text, the reference's rule: a sign, the digits, a point */
        return (SQLLEN)ENG_DECIMAL_PRECISION(t) + 2;
    case ENG_TYPE_DATE:
        return sizeof(SQL_DATE_STRUCT);
    case ENG_TYPE_TIME:
        return sizeof(SQL_TIME_STRUCT);
    case ENG_TYPE_TIMESTAMP:
        return sizeof(SQL_TIMESTAMP_STRUCT);
    case ENG_TYPE_BLOB:
    case ENG_TYPE_INTERVAL: /* its text is ASCII */
        return (SQLLEN)drv_column_size(t);
    default:
        return (SQLLEN)drv_column_size(t) * 4; /* UTF-8: up to 4 bytes a character */
    }
}

SQLSMALLINT drv_num_prec_radix(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_SMALLINT:
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_DECIMAL:
    case ENG_TYPE_DOUBLE: /* COLUMN_SIZE 15 counts decimal digits, as SQLDescribeCol's */
        return 10;
    default:
        return 0;
    }
}

bool drv_has_decimal_digits(eng_type t)
{
    switch (t.id) {
    case ENG_TYPE_SMALLINT:
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_DECIMAL:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        return true;
    default: /* approximate numbers, dates, text, binary: not applicable */
        return false;
    }
}

SQLSMALLINT drv_verbose_type(SQLSMALLINT concise)
{
    switch (concise) {
    case SQL_TYPE_DATE:
    case SQL_TYPE_TIME:
    case SQL_TYPE_TIMESTAMP:
        return SQL_DATETIME;
    default:
        return concise;
    }
}

SQLSMALLINT drv_datetime_sub(SQLSMALLINT concise)
{
    switch (concise) {
    case SQL_TYPE_DATE:
        return SQL_CODE_DATE;
    case SQL_TYPE_TIME:
        return SQL_CODE_TIME;
    case SQL_TYPE_TIMESTAMP:
        return SQL_CODE_TIMESTAMP;
    default:
        return 0;
    }
}

SQLSMALLINT drv_odbc2_type(SQLSMALLINT concise)
{
    switch (concise) {
    case SQL_TYPE_DATE:
        return SQL_DATE;
    case SQL_TYPE_TIME:
        return SQL_TIME;
    case SQL_TYPE_TIMESTAMP:
        return SQL_TIMESTAMP;
    default:
        return concise;
    }
}

bool drv_odbc2_app(const drv_stmt *st)
{
    return st->dbc->env && st->dbc->env->odbc_version == SQL_OV_ODBC2;
}
