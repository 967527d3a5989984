/*
 * Fetching: SQLFetch walks the rows of the chunks the engine hands out, filling the
 * columns bound in the ARD for a whole rowset (block cursors: SQL_ATTR_ROW_ARRAY_SIZE,
 * column- or row-wise, with row status and rows-fetched pointers); SQLGetData reads the
 * current row's columns, long values in pieces.
 */
#include "drv.h"

#include "convert.h"
#include "desc.h"
#include "rows.h"

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
    drv_desc *ard = st->ard;
    if (!value && !ind) { /* unbinding */
        if (col <= ard->count) {
            drv_desc_rec *r = &ard->recs[col];
            r->data_ptr = NULL;
            r->indicator_ptr = r->octet_length_ptr = NULL;
            drv_desc_trim(ard);
        }
        return SQL_SUCCESS;
    }
    drv_desc_rec *r = drv_desc_rec_at(ard, (SQLSMALLINT)col);
    if (!r)
        return drv_diag_nomem(&st->h);
    drv_desc_set_type(r, c_type);
    r->data_ptr = value;
    r->octet_length = cap;
    r->indicator_ptr = r->octet_length_ptr = ind;
    return SQL_SUCCESS;
}

/* Writes one value into a bound cell. The indicator and the length may be separate
 * variables (SQLSetDescField): NULL goes to the indicator, a length to the other. */
static SQLRETURN drv_cell_out(drv_stmt *st, const eng_vector *v, uint32_t row,
                              const drv_desc_rec *r, drv_cell cell)
{
    if (cell.ind == cell.len || !cell.ind || !cell.len) {
        SQLLEN *both = cell.ind ? cell.ind : cell.len;
        if (!cell.ind && eng_vector_is_null(v, row))
            both = NULL; /* a length variable alone cannot say NULL: 22002 */
        return drv_value_out(&st->h, v, row, r->concise_type, cell.value, r->octet_length, both,
                             NULL);
    }
    SQLLEN got = 0;
    SQLRETURN rc =
        drv_value_out(&st->h, v, row, r->concise_type, cell.value, r->octet_length, &got, NULL);
    if (rc != SQL_ERROR) {
        *cell.ind = got == SQL_NULL_DATA ? SQL_NULL_DATA : 0;
        if (got != SQL_NULL_DATA)
            *cell.len = got;
    }
    return rc;
}

/* Fills row i of the rowset from the current row of the current chunk. */
static SQLRETURN drv_fill_row(drv_stmt *st, SQLULEN i)
{
    SQLRETURN result = SQL_SUCCESS;
    const drv_desc *ard = st->ard;
    for (SQLSMALLINT c = 1; c <= ard->count && (uint32_t)c <= st->chunk->ncols; c++) {
        const drv_desc_rec *r = drv_desc_bound(ard, c);
        if (!r)
            continue;
        SQLRETURN rc =
            drv_cell_out(st, &st->chunk->cols[c - 1], st->row, r, drv_desc_cell(ard, r, i));
        if (rc == SQL_ERROR)
            return rc;
        if (rc == SQL_SUCCESS_WITH_INFO)
            result = rc;
    }
    return result;
}

/* The next chunk of the result: from the driver-made rows, or from the engine. Returns 1
 * with *out set, 0 at the end (the engine's cursor is then closed and the session may go
 * back), or SQL_ERROR. */
int drv_pull_chunk(drv_stmt *st, const eng_chunk **out)
{
    const eng_chunk *ch = NULL;
    eng_error err;
    pthread_mutex_lock(&st->dbc->session_lock);
    int rc = 0;
    if (st->rows)
        rc = (ch = drv_rows_next(st->rows)) != NULL;
    else if (st->es && st->engine_cursor)
        rc = eng_stmt_fetch(st->es, &ch, &err);
    if (rc <= 0)
        drv_cursor_closed(st);
    if (rc < 0)
        drv_note_engine_error(st->dbc, &err);
    pthread_mutex_unlock(&st->dbc->session_lock);
    *out = rc > 0 ? ch : NULL;
    if (rc < 0)
        return drv_diag_engine(&st->h, &err);
    return rc > 0 ? 1 : 0;
}

/* Moves to the next row, asking for the next chunk when this one is used up. Returns 1 on
 * a row, 0 at the end, or SQL_ERROR. */
static int drv_next_row(drv_stmt *st)
{
    if (st->max_rows && st->rows_fetched >= st->max_rows)
        return 0; /* SQL_ATTR_MAX_ROWS: the rest of the result is not handed out */
    if (st->chunk && st->row + 1 < st->chunk->count) {
        st->row++;
        return 1;
    }
    int rc = drv_pull_chunk(st, &st->chunk);
    st->row = 0;
    return rc;
}

/* Fills one rowset: from the engine, row after row (forward-only cursors), or from the kept
 * result starting at row `start` (static cursors, scroll.c). */
SQLRETURN drv_fill_rowset(drv_stmt *st, uint64_t start)
{
    st->getdata_col = -1;
    st->getdata_off = 0;
    st->on_row = false;
    st->rowset_pos = 0;
    drv_desc *ird = &st->impl[DRV_IRD];
    SQLULEN size = st->ard->array_size, got = 0, errors = 0;
    SQLRETURN result = SQL_SUCCESS;
    while (got < size) {
        int more = st->scroll ? drv_scroll_next_row(st, start + got) : drv_next_row(st);
        if (more == SQL_ERROR && got == 0)
            return SQL_ERROR;
        if (more == SQL_ERROR) /* the rows so far stand; the diagnostic says why no more */
            result = SQL_SUCCESS_WITH_INFO;
        if (more != 1)
            break;
        st->rows_fetched++;
        SQLRETURN rc = drv_fill_row(st, got);
        if (rc != SQL_SUCCESS)
            result = SQL_SUCCESS_WITH_INFO;
        if (rc == SQL_ERROR)
            errors++;
        if (ird->array_status_ptr)
            ird->array_status_ptr[got] = rc == SQL_SUCCESS             ? SQL_ROW_SUCCESS
                                         : rc == SQL_SUCCESS_WITH_INFO ? SQL_ROW_SUCCESS_WITH_INFO
                                                                       : SQL_ROW_ERROR;
        got++;
    }
    for (SQLULEN i = got; ird->array_status_ptr && i < size; i++)
        ird->array_status_ptr[i] = SQL_ROW_NOROW;
    if (ird->rows_processed_ptr)
        *ird->rows_processed_ptr = got;
    st->rowset_len = got;
    if (got == 0)
        return SQL_NO_DATA;
    st->on_row = true;
    return errors == got ? SQL_ERROR : result;
}

static SQLRETURN drv_fetch_check(drv_stmt *st)
{
    if (drv_not_needing_data(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (!st->executed)
        return drv_diag_add(&st->h, SQL_ERROR, "HY010", "the statement has not been executed");
    if (!st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "no result set is open (the statement returned no rows)");
    return SQL_SUCCESS;
}

SQLRETURN drv_fetch(drv_stmt *st)
{
    if (drv_fetch_check(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (st->scroll)
        return drv_scroll_fetch(st, SQL_FETCH_NEXT, 0);
    return drv_fill_rowset(st, 0);
}

SQLRETURN drv_fetch_scroll(drv_stmt *st, SQLSMALLINT orientation, SQLLEN offset)
{
    if (drv_fetch_check(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (st->scroll)
        return drv_scroll_fetch(st, orientation, offset);
    if (orientation != SQL_FETCH_NEXT)
        return drv_diag_add(&st->h, SQL_ERROR, "HY106",
                            "the cursor is forward-only: only SQL_FETCH_NEXT is allowed (set "
                            "SQL_ATTR_CURSOR_TYPE to SQL_CURSOR_STATIC to scroll)");
    return drv_fill_rowset(st, 0);
}

SQLRETURN drv_get_data(drv_stmt *st, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                       SQLLEN cap, SQLLEN *ind)
{
    if (!st->cursor || !st->on_row)
        return drv_diag_add(&st->h, SQL_ERROR, "24000", "the cursor is not positioned on a row");
    if (st->rowset_len > 1)
        return drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                            "SQLGetData on a rowset of more than one row is not supported: bind "
                            "the columns, or fetch one row at a time");
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

void drv_close_engine_cursor(drv_stmt *st)
{
    pthread_mutex_lock(&st->dbc->session_lock);
    if (st->es && st->engine_cursor)
        eng_stmt_close_cursor(st->es);
    drv_cursor_closed(st);
    pthread_mutex_unlock(&st->dbc->session_lock);
}

SQLRETURN drv_result_opened(drv_stmt *st)
{
    st->scroll_pos = -1;
    if (!st->cursor || st->cursor_type != SQL_CURSOR_STATIC)
        return SQL_SUCCESS;
    SQLRETURN rc = drv_scroll_open(st);
    if (rc == SQL_SUCCESS)
        st->rows_affected = (SQLLEN)drv_scroll_rows(st); /* a static cursor knows its size */
    return rc;
}

SQLRETURN drv_close_cursor(drv_stmt *st, bool must_be_open)
{
    if (!st->cursor) {
        if (must_be_open)
            return drv_diag_add(&st->h, SQL_ERROR, "24000", "no cursor is open");
        return SQL_SUCCESS;
    }
    drv_close_engine_cursor(st);
    drv_scroll_free(st->scroll);
    st->scroll = NULL;
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
        for (SQLSMALLINT c = 1; c <= st->ard->count; c++) {
            drv_desc_rec *r = &st->ard->recs[c];
            r->data_ptr = NULL;
            r->indicator_ptr = r->octet_length_ptr = NULL;
        }
        drv_desc_trim(st->ard);
        return SQL_SUCCESS;
    case SQL_RESET_PARAMS:
        drv_desc_free_recs(st->apd);
        drv_desc_free_recs(&st->impl[DRV_IPD]);
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
