/*
 * SQLGetTypeInfo: one row per (type name, ODBC data type) Eider accepts in CREATE TABLE,
 * ordered by DATA_TYPE. Column sizes are finite (VARCHAR's is the largest n accepted),
 * which BI tools need to size their buffers.
 */
#include "catalog.h"

#include "convert.h"

static const drv_rows_col drv_typeinfo_cols[] = {
    VC("TYPE_NAME", false),         SI("DATA_TYPE", false),        IN("COLUMN_SIZE", true),
    VC("LITERAL_PREFIX", true),     VC("LITERAL_SUFFIX", true),    VC("CREATE_PARAMS", true),
    SI("NULLABLE", false),          SI("CASE_SENSITIVE", false),   SI("SEARCHABLE", false),
    SI("UNSIGNED_ATTRIBUTE", true), SI("FIXED_PREC_SCALE", false), SI("AUTO_UNIQUE_VALUE", true),
    VC("LOCAL_TYPE_NAME", true),    SI("MINIMUM_SCALE", true),     SI("MAXIMUM_SCALE", true),
    SI("SQL_DATA_TYPE", false),     SI("SQL_DATETIME_SUB", true),  IN("NUM_PREC_RADIX", true),
    SI("INTERVAL_PRECISION", true),
};

typedef struct drv_type_row {
    eng_type type;
    SQLSMALLINT data_type;
    const char *create_params;
} drv_type_row;

static const drv_type_row drv_types[] = {
    {{ENG_TYPE_BOOLEAN, 0}, SQL_BIT, NULL},
    {{ENG_TYPE_BIGINT, 0}, SQL_BIGINT, NULL},
    {{ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, SQL_VARCHAR, "max length"},
    {{ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, SQL_WVARCHAR, "max length"},
    {{ENG_TYPE_INTEGER, 0}, SQL_INTEGER, NULL},
    {{ENG_TYPE_DOUBLE, 0}, SQL_DOUBLE, NULL},
};

SQLRETURN drv_get_type_info(drv_stmt *st, SQLSMALLINT type, bool wide)
{
    (void)wide; /* both the VARCHAR and the WVARCHAR rows are listed */
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, drv_typeinfo_cols, 19, &rows);
    if (rc != SQL_SUCCESS)
        return rc;
    for (size_t i = 0; i < sizeof drv_types / sizeof *drv_types; i++) {
        const drv_type_row *t = &drv_types[i];
        if (type != SQL_ALL_TYPES && type != t->data_type)
            continue;
        bool text = t->type.id == ENG_TYPE_VARCHAR;
        bool number = !text && t->type.id != ENG_TYPE_BOOLEAN;
        eng_value row[] = {
            drv_val_str(eng_type_name(t->type.id)),
            drv_val_int(t->data_type),
            drv_val_int((int64_t)drv_column_size(t->type)),
            drv_val_str(text ? "'" : NULL),
            drv_val_str(text ? "'" : NULL),
            drv_val_str(t->create_params),
            drv_val_int(SQL_NULLABLE),
            drv_val_int(text ? SQL_TRUE : SQL_FALSE),
            drv_val_int(text ? SQL_SEARCHABLE : SQL_PRED_BASIC),
            number ? drv_val_int(SQL_FALSE) : drv_val_null(),
            drv_val_int(SQL_FALSE),
            number ? drv_val_int(SQL_FALSE) : drv_val_null(),
            drv_val_str(eng_type_name(t->type.id)),
            number ? drv_val_int(0) : drv_val_null(),
            number ? drv_val_int(drv_decimal_digits(t->type)) : drv_val_null(),
            drv_val_int(t->data_type),
            drv_val_null(),
            number ? drv_val_int(10) : drv_val_null(),
            drv_val_null(),
        };
        if (drv_rows_add(rows, row) != 0) {
            drv_rows_free(rows);
            return drv_diag_nomem(&st->h);
        }
    }
    static const uint32_t order[] = {1};
    return drv_cat_finish(st, rows, order, 1);
}
