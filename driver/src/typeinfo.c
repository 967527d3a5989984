/*
 * SQLGetTypeInfo: one row per (type name, ODBC data type) Eider accepts in CREATE TABLE,
 * ordered by DATA_TYPE. Column sizes are finite (VARCHAR's and BLOB's are the largest n
 * accepted), which BI tools need to size their buffers. Sizes, scales and radixes come
 * from the same functions as SQLColumns' and SQLDescribeCol's (typedesc.c, convert.c).
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
    const char *name; /* NULL: the engine's name of the type */
    const char *create_params;
    const char *prefix; /* of a literal (the suffix is a quote when there is a prefix) */
} drv_type_row;

/* Every name CREATE TABLE accepts under the ODBC type it is described as, the types an
 * application may ask for by another ODBC name (NUMERIC, FLOAT, LONGVARBINARY, WVARCHAR)
 * included. Within one DATA_TYPE, the closest match comes first. */
static const drv_type_row drv_types[] = {
    {{ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, SQL_WVARCHAR, NULL, "max length", "'"},
    {{ENG_TYPE_BOOLEAN, 0}, SQL_BIT, NULL, NULL, NULL},
    {{ENG_TYPE_BIGINT, 0}, SQL_BIGINT, NULL, NULL, NULL},
    {{ENG_TYPE_BLOB, ENG_VARCHAR_MAX}, SQL_LONGVARBINARY, NULL, "max length", "'\\x"},
    {{ENG_TYPE_BLOB, ENG_VARCHAR_MAX}, SQL_VARBINARY, NULL, "max length", "'\\x"},
    {{ENG_TYPE_DECIMAL, ENG_DECIMAL_WIDTH(ENG_DECIMAL_MAX_PRECISION, 0)},
     SQL_NUMERIC,
     "NUMERIC",
     "precision,scale",
     NULL},
    {{ENG_TYPE_DECIMAL, ENG_DECIMAL_WIDTH(ENG_DECIMAL_MAX_PRECISION, 0)},
     SQL_DECIMAL,
     NULL,
     "precision,scale",
     NULL},
    {{ENG_TYPE_INTEGER, 0}, SQL_INTEGER, NULL, NULL, NULL},
    {{ENG_TYPE_SMALLINT, 0}, SQL_SMALLINT, NULL, NULL, NULL},
    {{ENG_TYPE_DOUBLE, 0}, SQL_FLOAT, "FLOAT", NULL, NULL},
    {{ENG_TYPE_DOUBLE, 0}, SQL_DOUBLE, NULL, NULL, NULL},
    {{ENG_TYPE_VARCHAR, ENG_VARCHAR_MAX}, SQL_VARCHAR, NULL, "max length", "'"},
    {{ENG_TYPE_INTERVAL, 0}, SQL_VARCHAR, NULL, NULL, "'"}, /* described as its text */
    {{ENG_TYPE_DATE, 0}, SQL_TYPE_DATE, NULL, NULL, "'"},
    {{ENG_TYPE_TIME, 0}, SQL_TYPE_TIME, NULL, NULL, "'"},
    {{ENG_TYPE_TIMESTAMP, 0}, SQL_TYPE_TIMESTAMP, NULL, NULL, "'"},
};

/* ODBC 2 applications ask for dates and times by their ODBC 2 codes. */
static SQLSMALLINT drv_odbc3_type(SQLSMALLINT type)
{
    switch (type) {
    case SQL_DATE:
        return SQL_TYPE_DATE;
    case SQL_TIME:
        return SQL_TYPE_TIME;
    case SQL_TIMESTAMP:
        return SQL_TYPE_TIMESTAMP;
    default:
        return type;
    }
}

static eng_value drv_bool_or_null(bool applies, bool v)
{
    return applies ? drv_val_int(v ? SQL_TRUE : SQL_FALSE) : drv_val_null();
}

SQLRETURN drv_get_type_info(drv_stmt *st, SQLSMALLINT type, bool wide)
{
    (void)wide; /* both the VARCHAR and the WVARCHAR rows are listed */
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, drv_typeinfo_cols, 19, &rows);
    if (rc != SQL_SUCCESS)
        return rc;
    bool odbc2 = drv_odbc2_app(st);
    type = drv_odbc3_type(type);
    for (size_t i = 0; i < sizeof drv_types / sizeof *drv_types; i++) {
        const drv_type_row *t = &drv_types[i];
        if (type != SQL_ALL_TYPES && type != t->data_type)
            continue;
        eng_type_id id = t->type.id;
        bool text = id == ENG_TYPE_VARCHAR || id == ENG_TYPE_INTERVAL; /* as SQLColAttribute's */
        bool number = drv_num_prec_radix(t->type) != 0;
        bool scaled = drv_has_decimal_digits(t->type); /* MINIMUM_SCALE, MAXIMUM_SCALE */
        int64_t max_scale =
            id == ENG_TYPE_DECIMAL ? ENG_DECIMAL_MAX_PRECISION : drv_decimal_digits(t->type);
        int64_t min_scale = id == ENG_TYPE_DECIMAL ? 0 : max_scale;
        const char *name = t->name ? t->name : eng_type_name(id);
        eng_value row[] = {
            drv_val_str(name),
            drv_val_int(drv_cat_sql_type(t->data_type, false, odbc2)),
            drv_val_int((int64_t)drv_column_size(t->type)),
            drv_val_str(t->prefix),
            drv_val_str(t->prefix ? "'" : NULL),
            drv_val_str(t->create_params),
            drv_val_int(SQL_NULLABLE),
            drv_val_int(text ? SQL_TRUE : SQL_FALSE),
            drv_val_int(text ? SQL_SEARCHABLE : SQL_PRED_BASIC),
            drv_bool_or_null(number, false),
            drv_val_int(SQL_FALSE), /* DECIMAL's scale varies; no money type */
            drv_bool_or_null(number, false),
            drv_val_str(name),
            scaled ? drv_val_int(min_scale) : drv_val_null(),
            scaled ? drv_val_int(max_scale) : drv_val_null(),
            drv_val_int(drv_verbose_type(t->data_type)),
            drv_val_nonzero(drv_datetime_sub(t->data_type)),
            drv_val_nonzero(drv_num_prec_radix(t->type)),
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
