/*
 * Describing result sets: SQLNumResultCols, SQLDescribeCol, SQLColAttribute. Available
 * after SQLPrepare, before execution, as the engine binds at prepare time.
 */
#include "drv.h"

static SQLRETURN drv_column(drv_stmt *st, SQLUSMALLINT col, const eng_column **out)
{
    if (!drv_result_known(st))
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    uint32_t n = drv_result_ncols(st);
    if (col < 1 || col > n)
        return drv_diag_add(&st->h, SQL_ERROR, "07009",
                            "column %u does not exist (the result has %u columns)", col, n);
    *out = drv_result_column(st, col - 1);
    return SQL_SUCCESS;
}

SQLRETURN drv_num_result_cols(drv_stmt *st, SQLSMALLINT *n)
{
    if (!drv_result_known(st))
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (n)
        *n = (SQLSMALLINT)drv_result_ncols(st);
    return SQL_SUCCESS;
}

SQLRETURN drv_describe_col(drv_stmt *st, SQLUSMALLINT col, const char **name, SQLSMALLINT *type,
                           SQLULEN *size, SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
    const eng_column *c;
    SQLRETURN rc = drv_column(st, col, &c);
    if (rc != SQL_SUCCESS)
        return rc;
    *name = c->name;
    if (type)
        *type = drv_sql_type(c->type);
    if (size)
        *size = drv_column_size(c->type);
    if (digits)
        *digits = drv_decimal_digits(c->type);
    if (nullable)
        *nullable = c->nullable ? SQL_NULLABLE : SQL_NO_NULLS;
    return SQL_SUCCESS;
}

SQLRETURN drv_col_attribute(drv_stmt *st, SQLUSMALLINT col, SQLUSMALLINT field, const char **str,
                            SQLLEN *num)
{
    *str = NULL;
    *num = 0;
    if (field == SQL_DESC_COUNT || field == SQL_COLUMN_COUNT) {
        if (!drv_result_known(st))
            return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
        *num = (SQLLEN)drv_result_ncols(st);
        return SQL_SUCCESS;
    }
    const eng_column *c;
    SQLRETURN rc = drv_column(st, col, &c);
    if (rc != SQL_SUCCESS)
        return rc;
    bool text = c->type.id == ENG_TYPE_VARCHAR || c->type.id == ENG_TYPE_INTERVAL;
    bool number = c->type.id == ENG_TYPE_SMALLINT || c->type.id == ENG_TYPE_INTEGER ||
                  c->type.id == ENG_TYPE_BIGINT || c->type.id == ENG_TYPE_DOUBLE ||
                  c->type.id == ENG_TYPE_DECIMAL;
    bool datetime = c->type.id == ENG_TYPE_DATE || c->type.id == ENG_TYPE_TIME ||
                    c->type.id == ENG_TYPE_TIMESTAMP;
    switch (field) {
    case SQL_DESC_NAME:
    case SQL_COLUMN_NAME:
    case SQL_DESC_LABEL: /* also SQL_COLUMN_LABEL */
        *str = c->name;
        break;
    case SQL_DESC_BASE_COLUMN_NAME:
        *str = c->table[0] ? c->name : "";
        break;
    case SQL_DESC_TABLE_NAME:
    case SQL_DESC_BASE_TABLE_NAME:
        *str = c->table;
        break;
    case SQL_DESC_CATALOG_NAME:
    case SQL_DESC_SCHEMA_NAME:
        *str = "";
        break;
    case SQL_DESC_TYPE_NAME:
    case SQL_DESC_LOCAL_TYPE_NAME:
        *str = eng_type_name(c->type.id);
        break;
    case SQL_DESC_LITERAL_PREFIX:
    case SQL_DESC_LITERAL_SUFFIX: /* as SQLGetTypeInfo's; BLOB literals are '\x0a1b' */
        *str = text || datetime || c->type.id == ENG_TYPE_BLOB ? "'" : "";
        if (c->type.id == ENG_TYPE_BLOB && field == SQL_DESC_LITERAL_PREFIX)
            *str = "'\\x";
        break;
    case SQL_DESC_CONCISE_TYPE: /* also ODBC 2's SQL_COLUMN_TYPE */
        *num = drv_sql_type(c->type);
        break;
    case SQL_DESC_TYPE: /* the verbose type: SQL_DATETIME for dates and times */
        *num = drv_verbose_type(drv_sql_type(c->type));
        break;
    case SQL_DESC_DATETIME_INTERVAL_CODE:
        *num = drv_datetime_sub(drv_sql_type(c->type));
        break;
    case SQL_DESC_LENGTH:
    case SQL_DESC_PRECISION:
    case SQL_COLUMN_PRECISION:
        *num = field == SQL_DESC_PRECISION && datetime ? drv_decimal_digits(c->type)
                                                       : (SQLLEN)drv_column_size(c->type);
        break;
    case SQL_DESC_OCTET_LENGTH:
    case SQL_COLUMN_LENGTH: /* ODBC 2: the transfer length in bytes */
        *num = drv_octet_length(c->type);
        break;
    case SQL_DESC_SCALE:
    case SQL_COLUMN_SCALE:
        *num = drv_decimal_digits(c->type);
        break;
    case SQL_DESC_DISPLAY_SIZE:
        *num = drv_display_size(c->type);
        break;
    case SQL_DESC_NULLABLE:
    case SQL_COLUMN_NULLABLE:
        *num = c->nullable ? SQL_NULLABLE : SQL_NO_NULLS;
        break;
    case SQL_DESC_UNSIGNED:
        *num = number ? SQL_FALSE : SQL_TRUE;
        break;
    case SQL_DESC_NUM_PREC_RADIX:
        *num = drv_num_prec_radix(c->type);
        break;
    case SQL_DESC_AUTO_UNIQUE_VALUE:
    case SQL_DESC_FIXED_PREC_SCALE:
        *num = SQL_FALSE;
        break;
    case SQL_DESC_CASE_SENSITIVE:
        *num = text ? SQL_TRUE : SQL_FALSE;
        break;
    case SQL_DESC_SEARCHABLE:
        *num = text ? SQL_PRED_SEARCHABLE : SQL_PRED_BASIC;
        break;
    case SQL_DESC_UPDATABLE:
        *num = SQL_ATTR_READONLY;
        break;
    case SQL_DESC_UNNAMED:
        *num = SQL_NAMED;
        break;
    default:
        return drv_diag_add(&st->h, SQL_ERROR, "HY091", "unknown column attribute %u", field);
    }
    return SQL_SUCCESS;
}
