/*
 * The exported descriptor functions, ANSI and W: SQLGetDescField(W), SQLSetDescField(W),
 * SQLGetDescRec(W), SQLSetDescRec, SQLCopyDesc. A statement's own descriptor is guarded by
 * its statement's lock (statement functions change it too), an allocated one by its own.
 */
#include "drv.h"

#include "desc.h"

#include <stdlib.h>
#include <string.h>

static drv_desc *drv_desc_enter(SQLHDESC h)
{
    if (!drv_valid(h, DRV_MAGIC_DESC))
        return NULL;
    drv_desc *d = h;
    if (!d->explicit_alloc)
        pthread_mutex_lock(&d->stmt->h.lock);
    drv_enter(h, DRV_MAGIC_DESC);
    return d;
}

static SQLRETURN drv_desc_leave(drv_desc *d, SQLRETURN rc)
{
    bool own = d->explicit_alloc;
    drv_stmt *st = d->stmt;
    rc = drv_leave(&d->h, rc);
    if (!own)
        pthread_mutex_unlock(&st->h.lock);
    return rc;
}

#define DESC_ENTER(var, handle)                                                                    \
    drv_desc *var = drv_desc_enter(handle);                                                        \
    if (!var)                                                                                      \
        return SQL_INVALID_HANDLE;

static bool drv_desc_is_str(SQLSMALLINT field)
{
    switch (field) {
    case SQL_DESC_BASE_COLUMN_NAME:
    case SQL_DESC_BASE_TABLE_NAME:
    case SQL_DESC_CATALOG_NAME:
    case SQL_DESC_LABEL:
    case SQL_DESC_LITERAL_PREFIX:
    case SQL_DESC_LITERAL_SUFFIX:
    case SQL_DESC_LOCAL_TYPE_NAME:
    case SQL_DESC_NAME:
    case SQL_DESC_SCHEMA_NAME:
    case SQL_DESC_TABLE_NAME:
    case SQL_DESC_TYPE_NAME:
        return true;
    default:
        return false;
    }
}

/* The width of a numeric field's value, as the reference types it. */
static size_t drv_desc_width(SQLSMALLINT field)
{
    switch (field) {
    case SQL_DESC_ARRAY_STATUS_PTR:
    case SQL_DESC_BIND_OFFSET_PTR:
    case SQL_DESC_DATA_PTR:
    case SQL_DESC_INDICATOR_PTR:
    case SQL_DESC_OCTET_LENGTH_PTR:
    case SQL_DESC_ROWS_PROCESSED_PTR:
        return sizeof(SQLPOINTER);
    case SQL_DESC_ARRAY_SIZE:
    case SQL_DESC_LENGTH:
        return sizeof(SQLULEN);
    case SQL_DESC_DISPLAY_SIZE:
    case SQL_DESC_OCTET_LENGTH:
        return sizeof(SQLLEN);
    case SQL_DESC_AUTO_UNIQUE_VALUE:
    case SQL_DESC_BIND_TYPE:
    case SQL_DESC_CASE_SENSITIVE:
    case SQL_DESC_DATETIME_INTERVAL_PRECISION:
    case SQL_DESC_NUM_PREC_RADIX:
        return sizeof(SQLINTEGER);
    default:
        return sizeof(SQLSMALLINT);
    }
}

static void drv_desc_put_num(SQLSMALLINT field, SQLLEN num, SQLPOINTER value, SQLINTEGER *len)
{
    size_t w = drv_desc_width(field);
    if (value) {
        if (w == sizeof(SQLSMALLINT))
            *(SQLSMALLINT *)value = (SQLSMALLINT)num;
        else if (w == sizeof(SQLINTEGER))
            *(SQLINTEGER *)value = (SQLINTEGER)num;
        else
            *(SQLLEN *)value = num; /* pointers and lengths share the width */
    }
    if (len)
        *len = (SQLINTEGER)w;
}

static SQLRETURN drv_desc_get(drv_desc *d, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                              SQLINTEGER cap, SQLINTEGER *len, bool wide)
{
    const char *str;
    SQLLEN num;
    SQLRETURN rc = drv_desc_get_field(d, &d->h, rec, field, &str, &num);
    if (rc != SQL_SUCCESS)
        return rc;
    if (drv_desc_is_str(field))
        return drv_put_str_int(&d->h, str ? str : "", wide, true, value, cap, len);
    drv_desc_put_num(field, num, value, len);
    return SQL_SUCCESS;
}

DRV_API SQLRETURN SQL_API SQLGetDescField(SQLHDESC hdesc, SQLSMALLINT rec, SQLSMALLINT field,
                                          SQLPOINTER value, SQLINTEGER cap, SQLINTEGER *len)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_get(d, rec, field, value, cap, len, false));
}

DRV_API SQLRETURN SQL_API SQLGetDescFieldW(SQLHDESC hdesc, SQLSMALLINT rec, SQLSMALLINT field,
                                           SQLPOINTER value, SQLINTEGER cap, SQLINTEGER *len)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_get(d, rec, field, value, cap, len, true));
}

static SQLRETURN drv_desc_set(drv_desc *d, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                              SQLINTEGER len, bool wide)
{
    if (!drv_desc_is_str(field))
        return drv_desc_set_field(d, rec, field, value, NULL);
    if (field != SQL_DESC_NAME)
        return drv_diag_add(&d->h, SQL_ERROR, "HY091", "descriptor field %d is read-only", field);
    char *s =
        wide ? drv_wstr_in(value, len == SQL_NTS ? SQL_NTS : len / (SQLINTEGER)sizeof(SQLWCHAR))
             : drv_str_in(value, len);
    if (!s && value)
        return drv_diag_nomem(&d->h);
    SQLRETURN rc = drv_desc_set_field(d, rec, field, value, s);
    free(s);
    return rc;
}

DRV_API SQLRETURN SQL_API SQLSetDescField(SQLHDESC hdesc, SQLSMALLINT rec, SQLSMALLINT field,
                                          SQLPOINTER value, SQLINTEGER len)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_set(d, rec, field, value, len, false));
}

DRV_API SQLRETURN SQL_API SQLSetDescFieldW(SQLHDESC hdesc, SQLSMALLINT rec, SQLSMALLINT field,
                                           SQLPOINTER value, SQLINTEGER len)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_set(d, rec, field, value, len, true));
}

static SQLRETURN drv_desc_get_rec(drv_desc *d, SQLSMALLINT rec, SQLPOINTER name, SQLSMALLINT cap,
                                  SQLSMALLINT *name_len, SQLSMALLINT *type, SQLSMALLINT *subtype,
                                  SQLLEN *length, SQLSMALLINT *precision, SQLSMALLINT *scale,
                                  SQLSMALLINT *nullable, bool wide)
{
    static const SQLSMALLINT fields[] = {SQL_DESC_TYPE,         SQL_DESC_DATETIME_INTERVAL_CODE,
                                         SQL_DESC_OCTET_LENGTH, SQL_DESC_PRECISION,
                                         SQL_DESC_SCALE,        SQL_DESC_NULLABLE};
    SQLLEN out[6] = {0};
    const char *str;
    SQLRETURN rc = drv_desc_get_field(d, &d->h, rec, SQL_DESC_NAME, &str, &out[0]);
    if (rc == SQL_ERROR && (d->kind == DRV_ARD || d->kind == DRV_APD)) {
        drv_diag_clear(&d->h); /* application descriptors have no names */
        str = "";
        rc = SQL_SUCCESS;
    }
    if (rc != SQL_SUCCESS)
        return rc;
    SQLRETURN name_rc = drv_put_str_small(&d->h, str ? str : "", wide, false, name, cap, name_len);
    for (size_t i = 0; i < 6; i++) {
        rc = drv_desc_get_field(d, &d->h, rec, fields[i], &str, &out[i]);
        if (rc == SQL_ERROR && fields[i] == SQL_DESC_NULLABLE) {
            drv_diag_clear(&d->h);
            out[i] = SQL_NULLABLE_UNKNOWN, rc = SQL_SUCCESS;
        }
        if (rc != SQL_SUCCESS)
            return rc;
    }
    if (type)
        *type = (SQLSMALLINT)out[0];
    if (subtype)
        *subtype = (SQLSMALLINT)out[1];
    if (length)
        *length = out[2];
    if (precision)
        *precision = (SQLSMALLINT)out[3];
    if (scale)
        *scale = (SQLSMALLINT)out[4];
    if (nullable)
        *nullable = (SQLSMALLINT)out[5];
    return name_rc;
}

DRV_API SQLRETURN SQL_API SQLGetDescRec(SQLHDESC hdesc, SQLSMALLINT rec, SQLCHAR *name,
                                        SQLSMALLINT cap, SQLSMALLINT *name_len, SQLSMALLINT *type,
                                        SQLSMALLINT *subtype, SQLLEN *length,
                                        SQLSMALLINT *precision, SQLSMALLINT *scale,
                                        SQLSMALLINT *nullable)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_get_rec(d, rec, name, cap, name_len, type, subtype, length,
                                              precision, scale, nullable, false));
}

DRV_API SQLRETURN SQL_API SQLGetDescRecW(SQLHDESC hdesc, SQLSMALLINT rec, SQLWCHAR *name,
                                         SQLSMALLINT cap, SQLSMALLINT *name_len, SQLSMALLINT *type,
                                         SQLSMALLINT *subtype, SQLLEN *length,
                                         SQLSMALLINT *precision, SQLSMALLINT *scale,
                                         SQLSMALLINT *nullable)
{
    DESC_ENTER(d, hdesc);
    return drv_desc_leave(d, drv_desc_get_rec(d, rec, name, cap, name_len, type, subtype, length,
                                              precision, scale, nullable, true));
}

DRV_API SQLRETURN SQL_API SQLSetDescRec(SQLHDESC hdesc, SQLSMALLINT rec, SQLSMALLINT type,
                                        SQLSMALLINT subtype, SQLLEN length, SQLSMALLINT precision,
                                        SQLSMALLINT scale, SQLPOINTER data, SQLLEN *str_len,
                                        SQLLEN *ind)
{
    DESC_ENTER(d, hdesc);
    SQLRETURN rc = drv_desc_set_field(d, rec, SQL_DESC_TYPE, (SQLPOINTER)(intptr_t)type, NULL);
    if (rc == SQL_SUCCESS && (type == SQL_DATETIME || type == SQL_INTERVAL))
        rc = drv_desc_set_field(d, rec, SQL_DESC_DATETIME_INTERVAL_CODE,
                                (SQLPOINTER)(intptr_t)subtype, NULL);
    const struct {
        SQLSMALLINT field;
        SQLPOINTER value;
    } sets[] = {{SQL_DESC_OCTET_LENGTH, (SQLPOINTER)length},
                {SQL_DESC_PRECISION, (SQLPOINTER)(intptr_t)precision},
                {SQL_DESC_SCALE, (SQLPOINTER)(intptr_t)scale},
                {SQL_DESC_DATA_PTR, data},
                {SQL_DESC_OCTET_LENGTH_PTR, str_len},
                {SQL_DESC_INDICATOR_PTR, ind}};
    for (size_t i = 0; i < sizeof sets / sizeof *sets && rc == SQL_SUCCESS; i++) {
        bool app_only =
            sets[i].field == SQL_DESC_OCTET_LENGTH_PTR || sets[i].field == SQL_DESC_INDICATOR_PTR;
        if (app_only && d->kind == DRV_IPD)
            continue;
        rc = drv_desc_set_field(d, rec, sets[i].field, sets[i].value, NULL);
    }
    return drv_desc_leave(d, rc);
}

DRV_API SQLRETURN SQL_API SQLCopyDesc(SQLHDESC src, SQLHDESC dst)
{
    if (!drv_valid(src, DRV_MAGIC_DESC))
        return SQL_INVALID_HANDLE;
    DESC_ENTER(d, dst);
    drv_desc *s = src;
    SQLRETURN rc;
    if (s == d) {
        rc = SQL_SUCCESS;
    } else {
        /* The source is only read, under its own lock (two threads copying two
         * descriptors into each other at once would be a race in the application). */
        pthread_mutex_lock(&s->h.lock);
        rc = drv_desc_copy(s, d);
        pthread_mutex_unlock(&s->h.lock);
    }
    return drv_desc_leave(d, rc);
}
