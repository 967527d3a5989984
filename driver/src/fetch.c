/*
 * Fetching: SQLFetch walks the rows of the chunks the engine hands out, filling bound
 * columns; SQLGetData reads the current row's columns, long values in pieces.
 */
#include "drv.h"

#include "convert.h"

#include <stdlib.h>
#include <string.h>

SQLRETURN drv_bind_col(drv_stmt *st, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                       SQLLEN cap, SQLLEN *ind)
{
    if (col < 1)
        return drv_diag_add(&st->h, SQL_ERROR, "07009",
                            "column 0 is the bookmark column; bookmarks are not supported");
    if (cap < 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HY090", "buffer length %ld is invalid", (long)cap);
    if (col > st->ncols_bound) {
        if (!value && !ind)
            return SQL_SUCCESS; /* unbinding a column that was never bound */
        drv_col_binding *b = realloc(st->cols, col * sizeof *b);
        if (!b)
            return drv_diag_nomem(&st->h);
        memset(b + st->ncols_bound, 0, (col - st->ncols_bound) * sizeof *b);
        st->cols = b;
        st->ncols_bound = col;
    }
    st->cols[col - 1] = (drv_col_binding){c_type, value, cap, ind};
    return SQL_SUCCESS;
}

static SQLRETURN drv_fill_bound(drv_stmt *st)
{
    SQLRETURN result = SQL_SUCCESS;
    uint32_t ncols = st->chunk->ncols;
    for (uint32_t c = 0; c < st->ncols_bound && c < ncols; c++) {
        drv_col_binding *b = &st->cols[c];
        if (!b->value && !b->ind)
            continue;
        SQLRETURN rc = drv_value_out(&st->h, &st->chunk->cols[c], st->row, b->c_type, b->value,
                                     b->buffer_length, b->ind, NULL);
        if (rc == SQL_ERROR)
            return rc;
        if (rc == SQL_SUCCESS_WITH_INFO)
            result = rc;
    }
    return result;
}

SQLRETURN drv_fetch(drv_stmt *st)
{
    if (!st->executed)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "the statement has not been executed");
    if (!st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "no result set is open (the statement returned no rows)");
    st->getdata_col = -1;
    st->getdata_off = 0;
    if (st->chunk && st->row + 1 < st->chunk->count) {
        st->row++;
    } else {
        const eng_chunk *ch = NULL;
        eng_error err;
        pthread_mutex_lock(&st->dbc->session_lock);
        int rc = st->es && st->engine_cursor ? eng_stmt_fetch(st->es, &ch, &err) : 0;
        if (rc <= 0) /* the engine closed its cursor: the session may go back */
            drv_cursor_closed(st);
        if (rc < 0)
            drv_note_engine_error(st->dbc, &err);
        pthread_mutex_unlock(&st->dbc->session_lock);
        st->chunk = NULL;
        st->on_row = false;
        if (rc < 0)
            return drv_diag_engine(&st->h, &err);
        if (rc == 0)
            return SQL_NO_DATA;
        st->chunk = ch;
        st->row = 0;
    }
    st->on_row = true;
    return drv_fill_bound(st);
}

SQLRETURN drv_get_data(drv_stmt *st, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                       SQLLEN cap, SQLLEN *ind)
{
    if (!st->cursor || !st->on_row)
        return drv_diag_add(&st->h, SQL_ERROR, "24000", "the cursor is not positioned on a row");
    if (col < 1 || col > st->chunk->ncols)
        return drv_diag_add(&st->h, SQL_ERROR, "07009",
                            "column %u does not exist (the result has %u columns)", col,
                            st->chunk->ncols);
    if (cap < 0)
        return drv_diag_add(&st->h, SQL_ERROR, "HY090", "buffer length %ld is invalid", (long)cap);
    if (st->getdata_col != col) {
        st->getdata_col = col;
        st->getdata_off = 0;
    }
    return drv_value_out(&st->h, &st->chunk->cols[col - 1], st->row, c_type, value, cap, ind,
                         &st->getdata_off);
}

SQLRETURN drv_close_cursor(drv_stmt *st, bool must_be_open)
{
    if (!st->cursor) {
        if (must_be_open)
            return drv_diag_add(&st->h, SQL_ERROR, "24000", "no cursor is open");
        return SQL_SUCCESS;
    }
    pthread_mutex_lock(&st->dbc->session_lock);
    if (st->es)
        eng_stmt_close_cursor(st->es);
    drv_cursor_closed(st);
    pthread_mutex_unlock(&st->dbc->session_lock);
    st->cursor = false;
    st->chunk = NULL;
    st->on_row = false;
    return SQL_SUCCESS;
}

SQLRETURN drv_free_stmt(drv_stmt *st, SQLUSMALLINT option)
{
    switch (option) {
    case SQL_CLOSE:
        return drv_close_cursor(st, false);
    case SQL_UNBIND:
        free(st->cols);
        st->cols = NULL;
        st->ncols_bound = 0;
        return SQL_SUCCESS;
    case SQL_RESET_PARAMS:
        free(st->params);
        st->params = NULL;
        st->nparams = 0;
        return SQL_SUCCESS;
    default:
        return drv_diag_add(&st->h, SQL_ERROR, "HY092", "invalid SQLFreeStmt option %u", option);
    }
}

SQLRETURN drv_more_results(drv_stmt *st)
{
    drv_close_cursor(st, false);
    return SQL_NO_DATA; /* one statement, one result */
}
