/*
 * Parameters: SQLBindParameter into the APD (the application's buffers) and the IPD (their
 * SQL types), SQLNumParams, SQLDescribeParam, and data at execution (SQLParamData /
 * SQLPutData): a parameter whose length is SQL_DATA_AT_EXEC makes SQLExecute return
 * SQL_NEED_DATA, and the application then sends its value in pieces.
 */
#include "drv.h"

#include "convert.h"
#include "desc.h"

#include <stdlib.h>
#include <string.h>

SQLRETURN drv_bind_parameter(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT io, SQLSMALLINT c_type,
                             SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                             SQLPOINTER value, SQLLEN cap, SQLLEN *ind)
{
    if (n < 1)
        return drv_diag_add(&st->h, SQL_ERROR, "07009", "parameter number %u is invalid", n);
    if (io != SQL_PARAM_INPUT)
        return drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                            "only input parameters are supported (Eider has no procedures)");
    if (cap < 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HY090", "buffer length %ld is invalid", (long)cap);
    drv_desc_rec *a = drv_desc_rec_at(st->apd, (SQLSMALLINT)n);
    drv_desc_rec *i = drv_desc_rec_at(&st->impl[DRV_IPD], (SQLSMALLINT)n);
    if (!a || !i)
        return drv_diag_nomem(&st->h);
    drv_desc_set_type(a, c_type);
    a->data_ptr = value;
    a->octet_length = cap;
    a->indicator_ptr = a->octet_length_ptr = ind;
    drv_desc_set_type(i, sql_type);
    i->length = size;
    i->precision = (SQLSMALLINT)(size > 32767 ? 32767 : size);
    i->scale = digits;
    i->parameter_type = io;
    return SQL_SUCCESS;
}

void drv_param_of(drv_stmt *st, uint32_t index, SQLULEN row, drv_param *p)
{
    const drv_desc_rec *a = &st->apd->recs[index];
    const drv_desc *ipd = &st->impl[DRV_IPD];
    const drv_desc_rec *ip = index <= (uint32_t)ipd->count ? &ipd->recs[index] : NULL;
    drv_cell c = drv_desc_cell(st->apd, a, row);
    /* Separate indicator and length variables: the indicator says NULL, the length the rest. */
    SQLLEN *ind = c.ind ? c.ind : c.len;
    if (c.ind && c.len && c.ind != c.len && *c.ind != SQL_NULL_DATA)
        ind = c.len;
    *p = (drv_param){.bound = true,
                     .io_type = SQL_PARAM_INPUT,
                     .c_type = a->concise_type,
                     .sql_type = ip ? ip->concise_type : SQL_VARCHAR,
                     .column_size = ip ? ip->length : 0,
                     .digits = ip ? ip->scale : 0,
                     .value = c.value,
                     .buffer_length = a->octet_length,
                     .ind = ind};
}

SQLRETURN drv_num_params(drv_stmt *st, SQLSMALLINT *n)
{
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (n)
        *n = (SQLSMALLINT)eng_stmt_param_count(st->es);
    return SQL_SUCCESS;
}

SQLRETURN drv_describe_param(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT *type, SQLULEN *size,
                             SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
    if (!st->es)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "no statement has been prepared");
    if (n < 1 || n > eng_stmt_param_count(st->es))
        return drv_diag_add(&st->h, SQL_ERROR, "07009", "parameter number %u is invalid", n);
    eng_type t = eng_stmt_param_type(st->es, n - 1);
    if (type)
        *type = drv_sql_type(t);
    if (size)
        *size = drv_column_size(t);
    if (digits)
        *digits = drv_decimal_digits(t);
    if (nullable)
        *nullable = SQL_NULLABLE;
    return SQL_SUCCESS;
}

SQLRETURN drv_not_needing_data(drv_stmt *st)
{
    if (!st->need_data)
        return SQL_SUCCESS;
    return drv_diag_add(&st->h, SQL_ERROR, "HY010",
                        "the statement waits for data at execution: call SQLParamData and "
                        "SQLPutData, or SQLCancel");
}

static bool drv_is_dae(const SQLLEN *len)
{
    return len && (*len == SQL_DATA_AT_EXEC || *len <= SQL_LEN_DATA_AT_EXEC_OFFSET);
}

void drv_dae_clear(drv_stmt *st)
{
    for (uint32_t i = 0; st->dae && i < st->dae_n; i++)
        free(st->dae[i].data);
    free(st->dae);
    st->dae = NULL;
    st->dae_n = 0;
    st->dae_current = -1;
    st->need_data = false;
}

SQLRETURN drv_dae_start(drv_stmt *st)
{
    uint32_t n = eng_stmt_param_count(st->es);
    bool any = false;
    for (uint32_t i = 1; i <= n && !any; i++) {
        drv_param p;
        if (drv_desc_bound(st->apd, (SQLSMALLINT)i)) {
            drv_param_of(st, i, 0, &p);
            any = drv_is_dae(p.ind);
        }
    }
    if (!any)
        return SQL_SUCCESS;
    if (st->apd->array_size > 1)
        return drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                            "data at execution cannot be combined with a parameter array");
    drv_dae_clear(st);
    st->dae = calloc(n, sizeof *st->dae);
    if (!st->dae)
        return drv_diag_nomem(&st->h);
    st->dae_n = n;
    for (uint32_t i = 1; i <= n; i++) {
        drv_param p;
        if (drv_desc_bound(st->apd, (SQLSMALLINT)i)) {
            drv_param_of(st, i, 0, &p);
            st->dae[i - 1].active = drv_is_dae(p.ind);
        }
    }
    st->need_data = true;
    return SQL_NEED_DATA;
}

SQLRETURN drv_param_data(drv_stmt *st, SQLPOINTER *token)
{
    if (!st->need_data)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010",
                            "no parameter is waiting for data (SQLExecute did not return "
                            "SQL_NEED_DATA)");
    for (int i = st->dae_current + 1; i < (int)st->dae_n; i++) {
        if (st->dae[i].active) {
            st->dae_current = i;
            if (token)
                *token = st->apd->recs[i + 1].data_ptr;
            return SQL_NEED_DATA;
        }
    }
    st->need_data = false; /* every value is in: run it */
    return drv_execute_now(st);
}

SQLRETURN drv_put_data(drv_stmt *st, SQLPOINTER data, SQLLEN len)
{
    if (!st->need_data || st->dae_current < 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010",
                            "SQLPutData must follow SQLParamData returning SQL_NEED_DATA");
    drv_dae *d = &st->dae[st->dae_current];
    SQLSMALLINT c_type = st->apd->recs[st->dae_current + 1].concise_type;
    bool pieces = c_type == SQL_C_CHAR || c_type == SQL_C_WCHAR || c_type == SQL_C_BINARY ||
                  c_type == SQL_C_DEFAULT;
    if (len == SQL_NULL_DATA) {
        if (d->got)
            return drv_diag_add(&st->h, SQL_ERROR, "HY011", "NULL must be the only piece");
        d->got = true;
        d->len = SQL_NULL_DATA;
        return SQL_SUCCESS;
    }
    if (d->got && (!pieces || d->len == SQL_NULL_DATA))
        return drv_diag_add(&st->h, SQL_ERROR, "HY019",
                            "this parameter's value must be sent in one piece");
    if (len == SQL_NTS)
        len = !data                   ? 0
              : c_type == SQL_C_WCHAR ? (SQLLEN)(drv_wcslen(data) * sizeof(SQLWCHAR))
                                      : (SQLLEN)strlen(data);
    else if (!pieces)
        len = drv_c_type_size(c_type);
    if (len < 0 || (len > 0 && !data))
        return drv_diag_add(&st->h, SQL_ERROR, "HY090", "invalid length %ld", (long)len);
    size_t need = (size_t)d->len + (size_t)len + 2; /* room for a terminator */
    if (need > d->cap) {
        size_t cap = d->cap ? d->cap : 256;
        while (cap < need)
            cap *= 2;
        char *p = realloc(d->data, cap);
        if (!p)
            return drv_diag_nomem(&st->h);
        d->data = p;
        d->cap = cap;
    }
    memcpy(d->data + d->len, data, (size_t)len);
    d->len += len;
    d->got = true;
    return SQL_SUCCESS;
}
