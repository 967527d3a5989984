/*
 * SQLGetDescField, SQLSetDescField and SQLCopyDesc on the four kinds of descriptor. The
 * IRD is not stored: its fields are the result's column attributes (results.c), so it can
 * never disagree with SQLColAttribute.
 */
#include "desc.h"

#include <stdlib.h>
#include <string.h>

static SQLRETURN drv_desc_header(drv_desc *d, SQLSMALLINT field, SQLLEN *num)
{
    switch (field) {
    case SQL_DESC_ALLOC_TYPE:
        *num = d->explicit_alloc ? SQL_DESC_ALLOC_USER : SQL_DESC_ALLOC_AUTO;
        return SQL_SUCCESS;
    case SQL_DESC_ARRAY_SIZE:
        *num = (SQLLEN)d->array_size;
        return SQL_SUCCESS;
    case SQL_DESC_ARRAY_STATUS_PTR:
        *num = (SQLLEN)(intptr_t)d->array_status_ptr;
        return SQL_SUCCESS;
    case SQL_DESC_BIND_OFFSET_PTR:
        *num = (SQLLEN)(intptr_t)d->bind_offset_ptr;
        return SQL_SUCCESS;
    case SQL_DESC_BIND_TYPE:
        *num = (SQLLEN)d->bind_type;
        return SQL_SUCCESS;
    case SQL_DESC_ROWS_PROCESSED_PTR:
        *num = (SQLLEN)(intptr_t)d->rows_processed_ptr;
        return SQL_SUCCESS;
    case SQL_DESC_COUNT:
        if (d->kind == DRV_IRD)
            *num = d->stmt ? (SQLLEN)drv_result_ncols(d->stmt) : 0;
        else
            *num = d->count;
        return SQL_SUCCESS;
    default:
        return SQL_NO_DATA; /* not a header field */
    }
}

static SQLRETURN drv_ird_field(drv_desc *d, drv_handle *diag, SQLSMALLINT rec, SQLSMALLINT field,
                               const char **str, SQLLEN *num)
{
    drv_stmt *st = d->stmt;
    if (!drv_result_known(st))
        return drv_diag_add(diag, SQL_ERROR, "HY007", "the statement has not been prepared");
    if (rec > (SQLSMALLINT)drv_result_ncols(st))
        return SQL_NO_DATA;
    SQLRETURN rc = drv_col_attribute(st, (SQLUSMALLINT)rec, (SQLUSMALLINT)field, str, num);
    if (rc == SQL_ERROR) { /* results.c reported on the statement: repeat it here */
        drv_diag_clear(&st->h);
        return drv_diag_add(diag, SQL_ERROR, "HY091", "field %d is not defined for an IRD", field);
    }
    return rc;
}

SQLRETURN drv_desc_get_field(drv_desc *d, drv_handle *diag, SQLSMALLINT rec, SQLSMALLINT field,
                             const char **str, SQLLEN *num)
{
    *str = NULL;
    *num = 0;
    SQLRETURN rc = drv_desc_header(d, field, num);
    if (rc != SQL_NO_DATA)
        return rc;
    if (rec == 0)
        return drv_diag_add(diag, SQL_ERROR, "07009",
                            "record 0 is the bookmark record; "
                            "bookmarks are not supported");
    if (rec < 0)
        return drv_diag_add(diag, SQL_ERROR, "07009", "record number %d is invalid", rec);
    if (d->kind == DRV_IRD)
        return drv_ird_field(d, diag, rec, field, str, num);
    if (rec > d->count)
        return SQL_NO_DATA;
    const drv_desc_rec *r = &d->recs[rec];
    bool app = d->kind == DRV_ARD || d->kind == DRV_APD;
    switch (field) {
    case SQL_DESC_TYPE:
        *num = r->type;
        break;
    case SQL_DESC_CONCISE_TYPE:
        *num = r->concise_type;
        break;
    case SQL_DESC_DATETIME_INTERVAL_CODE:
        *num = r->datetime_code;
        break;
    case SQL_DESC_LENGTH:
        *num = (SQLLEN)r->length;
        break;
    case SQL_DESC_OCTET_LENGTH:
        *num = r->octet_length;
        break;
    case SQL_DESC_PRECISION:
        *num = r->precision;
        break;
    case SQL_DESC_SCALE:
        *num = r->scale;
        break;
    case SQL_DESC_DATA_PTR:
    case SQL_DESC_INDICATOR_PTR:
    case SQL_DESC_OCTET_LENGTH_PTR:
        if (!app)
            return drv_diag_add(diag, SQL_ERROR, "HY091",
                                "field %d belongs to application "
                                "descriptors",
                                field);
        *num = (SQLLEN)(intptr_t)(field == SQL_DESC_DATA_PTR        ? r->data_ptr
                                  : field == SQL_DESC_INDICATOR_PTR ? (void *)r->indicator_ptr
                                                                    : (void *)r->octet_length_ptr);
        break;
    case SQL_DESC_PARAMETER_TYPE:
    case SQL_DESC_NULLABLE:
    case SQL_DESC_UNNAMED:
    case SQL_DESC_NAME:
        if (app)
            return drv_diag_add(diag, SQL_ERROR, "HY091",
                                "field %d belongs to implementation "
                                "descriptors",
                                field);
        if (field == SQL_DESC_NAME)
            *str = r->name ? r->name : "";
        else
            *num = field == SQL_DESC_PARAMETER_TYPE ? r->parameter_type
                   : field == SQL_DESC_NULLABLE     ? r->nullable
                   : r->name && *r->name            ? SQL_NAMED
                                                    : SQL_UNNAMED;
        break;
    case SQL_DESC_NUM_PREC_RADIX:
        *num = 0;
        break;
    default:
        return drv_diag_add(diag, SQL_ERROR, "HY091", "unknown descriptor field %d", field);
    }
    return SQL_SUCCESS;
}

static SQLRETURN drv_desc_set_header(drv_desc *d, SQLSMALLINT field, SQLPOINTER value)
{
    switch (field) {
    case SQL_DESC_ARRAY_SIZE:
        if ((SQLULEN)value == 0)
            return drv_diag_add(&d->h, SQL_ERROR, "HY024", "the array size must be at least 1");
        d->array_size = (SQLULEN)value;
        return SQL_SUCCESS;
    case SQL_DESC_ARRAY_STATUS_PTR:
        d->array_status_ptr = value;
        return SQL_SUCCESS;
    case SQL_DESC_BIND_OFFSET_PTR:
        d->bind_offset_ptr = value;
        return SQL_SUCCESS;
    case SQL_DESC_BIND_TYPE:
        d->bind_type = (SQLULEN)value;
        return SQL_SUCCESS;
    case SQL_DESC_ROWS_PROCESSED_PTR:
        d->rows_processed_ptr = value;
        return SQL_SUCCESS;
    case SQL_DESC_COUNT: {
        SQLSMALLINT n = (SQLSMALLINT)(intptr_t)value;
        if (n < 0)
            return drv_diag_add(&d->h, SQL_ERROR, "07009", "a count below 0 is invalid");
        if (n > d->count && !drv_desc_rec_at(d, n))
            return drv_diag_nomem(&d->h);
        d->count = n;
        return SQL_SUCCESS;
    }
    case SQL_DESC_ALLOC_TYPE:
        return drv_diag_add(&d->h, SQL_ERROR, "HY091", "SQL_DESC_ALLOC_TYPE is read-only");
    default:
        return SQL_NO_DATA;
    }
}

SQLRETURN drv_desc_set_field(drv_desc *d, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                             const char *str)
{
    if (d->kind == DRV_IRD)
        return drv_diag_add(&d->h, SQL_ERROR, "HY016",
                            "the implementation row descriptor cannot be modified");
    bool app = d->kind == DRV_ARD || d->kind == DRV_APD;
    if ((field == SQL_DESC_ARRAY_SIZE || field == SQL_DESC_BIND_TYPE ||
         field == SQL_DESC_BIND_OFFSET_PTR) &&
        !app)
        return drv_diag_add(&d->h, SQL_ERROR, "HY091",
                            "field %d belongs to application "
                            "descriptors",
                            field);
    SQLRETURN rc = drv_desc_set_header(d, field, value);
    if (rc != SQL_NO_DATA)
        return rc;
    if (rec <= 0)
        return drv_diag_add(&d->h, SQL_ERROR, "07009", "record number %d is invalid%s", rec,
                            rec == 0 ? " (bookmarks are not supported)" : "");
    drv_desc_rec *r = drv_desc_rec_at(d, rec);
    if (!r)
        return drv_diag_nomem(&d->h);
    SQLLEN n = (SQLLEN)(intptr_t)value;
    switch (field) {
    case SQL_DESC_TYPE:
    case SQL_DESC_CONCISE_TYPE:
        drv_desc_set_type(r, (SQLSMALLINT)n);
        break;
    case SQL_DESC_DATETIME_INTERVAL_CODE:
        r->datetime_code = (SQLSMALLINT)n;
        break;
    case SQL_DESC_LENGTH:
        r->length = (SQLULEN)n;
        break;
    case SQL_DESC_OCTET_LENGTH:
        r->octet_length = n;
        break;
    case SQL_DESC_PRECISION:
        r->precision = (SQLSMALLINT)n;
        break;
    case SQL_DESC_SCALE:
        r->scale = (SQLSMALLINT)n;
        break;
    case SQL_DESC_DATA_PTR:
        if (d->kind == DRV_IPD)
            break; /* allowed: it only triggers a consistency check */
        r->data_ptr = value;
        break;
    case SQL_DESC_INDICATOR_PTR:
    case SQL_DESC_OCTET_LENGTH_PTR:
        if (!app)
            return drv_diag_add(&d->h, SQL_ERROR, "HY091",
                                "field %d belongs to application "
                                "descriptors",
                                field);
        if (field == SQL_DESC_INDICATOR_PTR)
            r->indicator_ptr = value;
        else
            r->octet_length_ptr = value;
        break;
    case SQL_DESC_PARAMETER_TYPE:
        if (n != SQL_PARAM_INPUT)
            return drv_diag_add(&d->h, SQL_ERROR, "HYC00",
                                "only input parameters are supported (Eider has no procedures)");
        r->parameter_type = (SQLSMALLINT)n;
        break;
    case SQL_DESC_NAME: {
        char *copy = strdup(str ? str : "");
        if (!copy)
            return drv_diag_nomem(&d->h);
        free(r->name);
        r->name = copy;
        break;
    }
    case SQL_DESC_UNNAMED:
        if (n == SQL_UNNAMED) {
            free(r->name);
            r->name = NULL;
        }
        break;
    default:
        return drv_diag_add(&d->h, SQL_ERROR, "HY091", "descriptor field %d cannot be set", field);
    }
    return SQL_SUCCESS;
}

SQLRETURN drv_desc_copy(drv_desc *src, drv_desc *dst)
{
    if (dst->kind == DRV_IRD)
        return drv_diag_add(&dst->h, SQL_ERROR, "HY016",
                            "the implementation row descriptor cannot be a copy target");
    if (src->kind == DRV_IRD) {
        return drv_diag_add(&dst->h, SQL_ERROR, "HYC00",
                            "copying from an implementation row descriptor is not supported");
    }
    drv_desc copy = *src;
    copy.recs = NULL;
    copy.cap = copy.count = 0;
    if (src->count && !drv_desc_rec_at(&copy, src->count))
        return drv_diag_nomem(&dst->h);
    for (SQLSMALLINT i = 1; i <= src->count; i++) {
        copy.recs[i] = src->recs[i];
        copy.recs[i].name = src->recs[i].name ? strdup(src->recs[i].name) : NULL;
    }
    drv_desc_free_recs(dst);
    dst->array_size = copy.array_size;
    dst->array_status_ptr = copy.array_status_ptr;
    dst->rows_processed_ptr = copy.rows_processed_ptr;
    dst->bind_type = copy.bind_type;
    dst->bind_offset_ptr = copy.bind_offset_ptr;
    dst->recs = copy.recs;
    dst->count = copy.count;
    dst->cap = copy.cap;
    return SQL_SUCCESS;
}
