/*
 * Descriptor records, array addressing, and explicitly allocated descriptors (desc.h).
 * Field access is in descfield.c.
 */
#include "desc.h"

#include <stdlib.h>
#include <string.h>

void drv_desc_init(drv_desc *d, drv_desc_kind kind, drv_dbc *dbc, drv_stmt *stmt)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->dbc = dbc;
    d->stmt = stmt;
    d->array_size = 1;
    d->bind_type = SQL_BIND_BY_COLUMN;
}

void drv_desc_free_recs(drv_desc *d)
{
    for (SQLSMALLINT i = 0; i <= d->count && d->recs; i++)
        free(d->recs[i].name);
    free(d->recs);
    d->recs = NULL;
    d->count = d->cap = 0;
}

drv_desc_rec *drv_desc_rec_at(drv_desc *d, SQLSMALLINT n)
{
    if (n < 0)
        return NULL;
    if (n >= d->cap) {
        SQLSMALLINT cap = (SQLSMALLINT)(n < 8 ? 16 : n * 2 > 32000 ? 32000 : n * 2);
        if (cap <= n)
            return NULL;
        drv_desc_rec *r = realloc(d->recs, (size_t)cap * sizeof *r);
        if (!r)
            return NULL;
        memset(r + d->cap, 0, (size_t)(cap - d->cap) * sizeof *r);
        d->recs = r;
        d->cap = cap;
    }
    for (SQLSMALLINT i = (SQLSMALLINT)(d->count + 1); i <= n; i++) {
        drv_desc_rec *r = &d->recs[i];
        memset(r, 0, sizeof *r);
        /* The defaults the reference gives for a new record. */
        drv_desc_set_type(r, d->kind == DRV_IPD ? SQL_VARCHAR : SQL_C_DEFAULT);
        r->parameter_type = SQL_PARAM_INPUT;
        r->nullable = SQL_NULLABLE;
    }
    if (n > d->count)
        d->count = n;
    return &d->recs[n];
}

const drv_desc_rec *drv_desc_bound(const drv_desc *d, SQLSMALLINT n)
{
    if (n < 1 || n > d->count)
        return NULL;
    const drv_desc_rec *r = &d->recs[n];
    return r->data_ptr || r->indicator_ptr || r->octet_length_ptr ? r : NULL;
}

void drv_desc_trim(drv_desc *d)
{
    while (d->count > 0 && !drv_desc_bound(d, d->count)) {
        free(d->recs[d->count].name);
        d->recs[d->count].name = NULL;
        d->count--;
    }
}

static void *drv_offset(void *p, SQLLEN bytes)
{
    return p ? (char *)p + bytes : NULL;
}

drv_cell drv_desc_cell(const drv_desc *d, const drv_desc_rec *r, SQLULEN row)
{
    SQLLEN base = d->bind_offset_ptr ? *d->bind_offset_ptr : 0;
    SQLLEN value_step, len_step;
    if (d->bind_type == SQL_BIND_BY_COLUMN) {
        SQLLEN fixed = drv_c_type_size(r->concise_type);
        value_step = fixed ? fixed : r->octet_length;
        len_step = sizeof(SQLLEN);
    } else {
        value_step = len_step = (SQLLEN)d->bind_type;
    }
    SQLLEN i = (SQLLEN)row;
    return (drv_cell){drv_offset(r->data_ptr, base + i * value_step),
                      drv_offset(r->indicator_ptr, base + i * len_step),
                      drv_offset(r->octet_length_ptr, base + i * len_step)};
}

SQLLEN drv_c_type_size(SQLSMALLINT c_type)
{
    switch (c_type) {
    case SQL_C_BIT:
    case SQL_C_TINYINT:
    case SQL_C_STINYINT:
    case SQL_C_UTINYINT:
        return 1;
    case SQL_C_SHORT:
    case SQL_C_SSHORT:
    case SQL_C_USHORT:
        return sizeof(SQLSMALLINT);
    case SQL_C_LONG:
    case SQL_C_SLONG:
    case SQL_C_ULONG:
        return sizeof(SQLINTEGER);
    case SQL_C_FLOAT:
        return sizeof(SQLREAL);
    case SQL_C_DOUBLE:
        return sizeof(SQLDOUBLE);
    case SQL_C_SBIGINT:
    case SQL_C_UBIGINT:
        return sizeof(SQLBIGINT);
    case SQL_C_NUMERIC:
        return sizeof(SQL_NUMERIC_STRUCT);
    case SQL_C_DATE:
    case SQL_C_TYPE_DATE:
        return sizeof(SQL_DATE_STRUCT);
    case SQL_C_TIME:
    case SQL_C_TYPE_TIME:
        return sizeof(SQL_TIME_STRUCT);
    case SQL_C_TIMESTAMP:
    case SQL_C_TYPE_TIMESTAMP:
        return sizeof(SQL_TIMESTAMP_STRUCT);
    case SQL_C_GUID:
        return sizeof(SQLGUID);
    default:
        return 0; /* character, binary, and intervals (whose struct the caller sizes) */
    }
}

void drv_desc_set_type(drv_desc_rec *r, SQLSMALLINT concise)
{
    r->concise_type = concise;
    r->type = concise;
    r->datetime_code = 0;
    switch (concise) {
    case SQL_TYPE_DATE: /* == SQL_C_TYPE_DATE */
        r->type = SQL_DATETIME;
        r->datetime_code = SQL_CODE_DATE;
        break;
    case SQL_TYPE_TIME:
        r->type = SQL_DATETIME;
        r->datetime_code = SQL_CODE_TIME;
        break;
    case SQL_TYPE_TIMESTAMP:
        r->type = SQL_DATETIME;
        r->datetime_code = SQL_CODE_TIMESTAMP;
        break;
    default:
        if (concise >= SQL_INTERVAL_YEAR && concise <= SQL_INTERVAL_MINUTE_TO_SECOND) {
            r->type = SQL_INTERVAL;
            r->datetime_code = (SQLSMALLINT)(concise - SQL_INTERVAL_YEAR + SQL_CODE_YEAR);
        }
    }
}

SQLRETURN drv_desc_alloc(drv_dbc *dbc, SQLHANDLE *out)
{
    if (!dbc->lease)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08003", "the connection is not open");
    drv_desc *d = malloc(sizeof *d);
    if (!d)
        return drv_diag_nomem(&dbc->h);
    drv_desc_init(d, DRV_ARD, dbc, NULL);
    drv_handle_init(&d->h, DRV_MAGIC_DESC);
    d->explicit_alloc = true;
    d->next = dbc->descs; /* the caller holds dbc->h.lock */
    dbc->descs = d;
    *out = d;
    return SQL_SUCCESS;
}

SQLRETURN drv_desc_free(drv_desc *d)
{
    drv_dbc *dbc = d->dbc;
    pthread_mutex_lock(&dbc->h.lock);
    drv_desc **p = &dbc->descs;
    while (*p && *p != d)
        p = &(*p)->next;
    if (*p)
        *p = d->next;
    /* Statements that used it go back to their own descriptors. */
    for (drv_stmt *st = dbc->stmts; st; st = st->next) {
        if (st->ard == d)
            st->ard = &st->impl[DRV_ARD];
        if (st->apd == d)
            st->apd = &st->impl[DRV_APD];
    }
    pthread_mutex_unlock(&dbc->h.lock);
    drv_desc_free_recs(d);
    drv_handle_destroy(&d->h);
    free(d);
    return SQL_SUCCESS;
}
