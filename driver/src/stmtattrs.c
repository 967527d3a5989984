/*
 * Statement attributes. Most of them are fields of the statement's descriptors (row and
 * parameter arrays, their status and count pointers, binding offsets), as the ODBC
 * reference defines them; the rest are the statement's own. A value Eider cannot honour
 * is replaced with the nearest one it can (01S02), so the application reads back what is
 * in force.
 */
#include "drv.h"

#include "desc.h"

/* SQL_ATTR_APP_ROW_DESC / SQL_ATTR_APP_PARAM_DESC: an explicit descriptor of the same
 * connection, or NULL for the statement's own. */
static SQLRETURN drv_set_app_desc(drv_stmt *st, drv_desc **slot, drv_desc *own, SQLPOINTER value)
{
    if (!value || value == own) {
        *slot = own;
        return SQL_SUCCESS;
    }
    drv_desc *d = value;
    if (!drv_valid(d, DRV_MAGIC_DESC) || !d->explicit_alloc)
        return drv_diag_add(&st->h, SQL_ERROR, "HY017",
                            "only a descriptor allocated with SQLAllocHandle can be used here");
    if (d->dbc != st->dbc)
        return drv_diag_add(&st->h, SQL_ERROR, "HY024",
                            "the descriptor belongs to another connection");
    *slot = d;
    return SQL_SUCCESS;
}

static SQLRETURN drv_array_size(drv_stmt *st, drv_desc *d, SQLULEN v)
{
    if (v == 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HY024", "an array size must be at least 1");
    d->array_size = v;
    return SQL_SUCCESS;
}

SQLRETURN drv_set_stmt_attr(drv_stmt *st, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len)
{
    (void)len;
    SQLULEN v = (SQLULEN)value;
    drv_desc *ird = &st->impl[DRV_IRD], *ipd = &st->impl[DRV_IPD];
    switch (attr) {
    case SQL_ATTR_APP_ROW_DESC:
        return drv_set_app_desc(st, &st->ard, &st->impl[DRV_ARD], value);
    case SQL_ATTR_APP_PARAM_DESC:
        return drv_set_app_desc(st, &st->apd, &st->impl[DRV_APD], value);
    case SQL_ATTR_IMP_ROW_DESC:
    case SQL_ATTR_IMP_PARAM_DESC:
        return drv_diag_add(&st->h, SQL_ERROR, "HY017",
                            "implementation descriptors cannot be replaced");
    case SQL_ATTR_ROW_ARRAY_SIZE:
        return drv_array_size(st, st->ard, v);
    case SQL_ROWSET_SIZE:
        if (v == 0)
            return drv_diag_add(&st->h, SQL_ERROR, "HY024", "the rowset size must be at least 1");
        st->rowset_size2 = v;
        return SQL_SUCCESS;
    case SQL_ATTR_ROW_BIND_TYPE:
        st->ard->bind_type = v;
        return SQL_SUCCESS;
    case SQL_ATTR_ROW_BIND_OFFSET_PTR:
        st->ard->bind_offset_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_ROW_OPERATION_PTR:
        st->ard->array_status_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_ROW_STATUS_PTR:
        ird->array_status_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_ROWS_FETCHED_PTR:
        ird->rows_processed_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_PARAMSET_SIZE:
        return drv_array_size(st, st->apd, v);
    case SQL_ATTR_PARAM_BIND_TYPE:
        st->apd->bind_type = v;
        return SQL_SUCCESS;
    case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
        st->apd->bind_offset_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_PARAM_OPERATION_PTR:
        st->apd->array_status_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_PARAM_STATUS_PTR:
        ipd->array_status_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_PARAMS_PROCESSED_PTR:
        ipd->rows_processed_ptr = value;
        return SQL_SUCCESS;
    case SQL_ATTR_MAX_LENGTH:
        st->max_length = v;
        return SQL_SUCCESS;
    case SQL_ATTR_MAX_ROWS:
        st->max_rows = v;
        return SQL_SUCCESS;
    case SQL_ATTR_NOSCAN:
        st->noscan = v == SQL_NOSCAN_ON;
        return SQL_SUCCESS;
    case SQL_ATTR_METADATA_ID:
        st->metadata_id = v == SQL_TRUE;
        return SQL_SUCCESS;
    case SQL_ATTR_QUERY_TIMEOUT: /* seconds; the engine polls it once per vector */
        st->query_timeout = v;
        pthread_mutex_lock(&st->cancel_lock);
        if (st->es)
            eng_stmt_set_timeout(st->es, (uint64_t)v * 1000u);
        pthread_mutex_unlock(&st->cancel_lock);
        return SQL_SUCCESS;
    case SQL_ATTR_CURSOR_TYPE:
        if (st->cursor)
            return drv_diag_add(&st->h, SQL_ERROR, "24000", "a cursor is open on this statement");
        st->cursor_type = v == SQL_CURSOR_FORWARD_ONLY ? v : SQL_CURSOR_STATIC;
        return v == SQL_CURSOR_FORWARD_ONLY || v == SQL_CURSOR_STATIC
                   ? SQL_SUCCESS
                   : drv_changed(&st->h, "a keyset-driven or dynamic cursor", "STATIC");
    case SQL_ATTR_CONCURRENCY:
        return v == SQL_CONCUR_READ_ONLY ? SQL_SUCCESS
                                         : drv_changed(&st->h, "an updatable cursor", "READ_ONLY");
    case SQL_ATTR_CURSOR_SCROLLABLE:
        if (st->cursor)
            return drv_diag_add(&st->h, SQL_ERROR, "24000", "a cursor is open on this statement");
        st->cursor_type = v == SQL_NONSCROLLABLE ? SQL_CURSOR_FORWARD_ONLY : SQL_CURSOR_STATIC;
        return SQL_SUCCESS;
    case SQL_ATTR_CURSOR_SENSITIVITY:
        return v == SQL_UNSPECIFIED || v == SQL_INSENSITIVE
                   ? SQL_SUCCESS
                   : drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                                  "sensitive cursors are not supported");
    case SQL_ATTR_RETRIEVE_DATA:
        return v == SQL_RD_ON ? SQL_SUCCESS : drv_changed(&st->h, "RETRIEVE_DATA off", "on");
    case SQL_ATTR_ENABLE_AUTO_IPD:
        return v == SQL_FALSE ? SQL_SUCCESS
                              : drv_changed(&st->h, "automatic IPD population", "off");
    case SQL_ATTR_ASYNC_ENABLE:
        return v == SQL_ASYNC_ENABLE_OFF
                   ? SQL_SUCCESS
                   : drv_changed(&st->h, "asynchronous execution", "synchronous");
    case SQL_ATTR_KEYSET_SIZE:
    case SQL_ATTR_SIMULATE_CURSOR:
        return v == 0 ? SQL_SUCCESS : drv_changed(&st->h, "this cursor option", "0");
    case SQL_ATTR_USE_BOOKMARKS:
        return v == SQL_UB_OFF
                   ? SQL_SUCCESS
                   : drv_diag_add(&st->h, SQL_ERROR, "HYC00", "bookmarks are not supported");
    case SQL_ATTR_ROW_NUMBER:
        return drv_diag_add(&st->h, SQL_ERROR, "HY024", "SQL_ATTR_ROW_NUMBER is read-only");
    default:
        return drv_diag_add(&st->h, SQL_ERROR, "HY092", "unknown statement attribute %d",
                            (int)attr);
    }
}

SQLRETURN drv_get_stmt_attr(drv_stmt *st, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER cap,
                            SQLINTEGER *len)
{
    (void)cap;
    SQLULEN v = 0;
    void *p = NULL;
    bool is_ptr = false;
    drv_desc *ird = &st->impl[DRV_IRD], *ipd = &st->impl[DRV_IPD];
    switch (attr) {
    case SQL_ATTR_APP_ROW_DESC:
        p = st->ard, is_ptr = true;
        break;
    case SQL_ATTR_APP_PARAM_DESC:
        p = st->apd, is_ptr = true;
        break;
    case SQL_ATTR_IMP_ROW_DESC:
        p = ird, is_ptr = true;
        break;
    case SQL_ATTR_IMP_PARAM_DESC:
        p = ipd, is_ptr = true;
        break;
    case SQL_ATTR_ROW_BIND_OFFSET_PTR:
        p = st->ard->bind_offset_ptr, is_ptr = true;
        break;
    case SQL_ATTR_ROW_OPERATION_PTR:
        p = st->ard->array_status_ptr, is_ptr = true;
        break;
    case SQL_ATTR_ROW_STATUS_PTR:
        p = ird->array_status_ptr, is_ptr = true;
        break;
    case SQL_ATTR_ROWS_FETCHED_PTR:
        p = ird->rows_processed_ptr, is_ptr = true;
        break;
    case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
        p = st->apd->bind_offset_ptr, is_ptr = true;
        break;
    case SQL_ATTR_PARAM_OPERATION_PTR:
        p = st->apd->array_status_ptr, is_ptr = true;
        break;
    case SQL_ATTR_PARAM_STATUS_PTR:
        p = ipd->array_status_ptr, is_ptr = true;
        break;
    case SQL_ATTR_PARAMS_PROCESSED_PTR:
        p = ipd->rows_processed_ptr, is_ptr = true;
        break;
    case SQL_ATTR_ROW_ARRAY_SIZE:
        v = st->ard->array_size;
        break;
    case SQL_ROWSET_SIZE:
        v = st->rowset_size2 ? st->rowset_size2 : 1;
        break;
    case SQL_ATTR_ROW_BIND_TYPE:
        v = st->ard->bind_type;
        break;
    case SQL_ATTR_PARAMSET_SIZE:
        v = st->apd->array_size;
        break;
    case SQL_ATTR_PARAM_BIND_TYPE:
        v = st->apd->bind_type;
        break;
    case SQL_ATTR_MAX_LENGTH:
        v = st->max_length;
        break;
    case SQL_ATTR_MAX_ROWS:
        v = st->max_rows;
        break;
    case SQL_ATTR_NOSCAN:
        v = st->noscan ? SQL_NOSCAN_ON : SQL_NOSCAN_OFF;
        break;
    case SQL_ATTR_METADATA_ID:
        v = st->metadata_id ? SQL_TRUE : SQL_FALSE;
        break;
    case SQL_ATTR_ROW_NUMBER:
        if (st->on_row && st->scroll)
            v = (SQLULEN)st->scroll_pos + st->rowset_pos + 1;
        else
            v = st->on_row ? st->rows_fetched - st->rowset_len + st->rowset_pos + 1 : 0;
        break;
    case SQL_ATTR_CURSOR_TYPE:
        v = st->cursor_type;
        break;
    case SQL_ATTR_CONCURRENCY:
        v = SQL_CONCUR_READ_ONLY;
        break;
    case SQL_ATTR_CURSOR_SCROLLABLE:
        v = st->cursor_type == SQL_CURSOR_STATIC ? SQL_SCROLLABLE : SQL_NONSCROLLABLE;
        break;
    case SQL_ATTR_CURSOR_SENSITIVITY:
        v = SQL_INSENSITIVE;
        break;
    case SQL_ATTR_RETRIEVE_DATA:
        v = SQL_RD_ON;
        break;
    case SQL_ATTR_USE_BOOKMARKS:
        v = SQL_UB_OFF;
        break;
    case SQL_ATTR_ASYNC_ENABLE:
        v = SQL_ASYNC_ENABLE_OFF;
        break;
    case SQL_ATTR_ENABLE_AUTO_IPD:
        v = SQL_FALSE;
        break;
    case SQL_ATTR_QUERY_TIMEOUT:
        v = st->query_timeout;
        break;
    case SQL_ATTR_KEYSET_SIZE:
    case SQL_ATTR_SIMULATE_CURSOR:
        v = 0;
        break;
    default:
        return drv_diag_add(&st->h, SQL_ERROR, "HY092", "unknown statement attribute %d",
                            (int)attr);
    }
    if (value) {
        if (is_ptr)
            *(SQLPOINTER *)value = p;
        else
            *(SQLULEN *)value = v;
    }
    if (len)
        *len = is_ptr ? (SQLINTEGER)sizeof(SQLPOINTER) : (SQLINTEGER)sizeof(SQLULEN);
    return SQL_SUCCESS;
}
