/*
 * Diagnostic records on handles (SQLGetDiagRec / SQLGetDiagField). Every function clears
 * its handle's records when it starts; errors from the engine keep their SQLSTATE and
 * message. Messages carry the "[Eider]" component prefix, as ODBC asks of drivers.
 */
#include "drv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void drv_diag_clear(drv_handle *h)
{
    for (int i = 0; i < h->diag.n; i++)
        free(h->diag.recs[i].message);
    h->diag.n = 0;
    h->diag.rc = SQL_SUCCESS;
    h->diag.error_next = 0;
}

static SQLRETURN drv_diag_push(drv_handle *h, SQLRETURN rc, const char *state, char *message)
{
    if (h->diag.n == h->diag.cap) {
        int cap = h->diag.cap ? h->diag.cap * 2 : 4;
        drv_diag_rec *recs = realloc(h->diag.recs, cap * sizeof *recs);
        if (!recs) {
            free(message);
            return rc;
        }
        h->diag.recs = recs;
        h->diag.cap = cap;
    }
    drv_diag_rec *r = &h->diag.recs[h->diag.n++];
    memcpy(r->state, state, 5);
    r->state[5] = '\0';
    r->native = 0;
    r->message = message;
    return rc;
}

SQLRETURN drv_diag_add(drv_handle *h, SQLRETURN rc, const char *state, const char *fmt, ...)
{
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t n = strlen(body) + sizeof "[Eider]";
    char *msg = malloc(n);
    if (msg)
        snprintf(msg, n, "[Eider]%s", body);
    return drv_diag_push(h, rc, state, msg);
}

SQLRETURN drv_diag_engine(drv_handle *h, const eng_error *err)
{
    return drv_diag_add(h, SQL_ERROR, err->sqlstate, "%s", err->message);
}

SQLRETURN drv_diag_nomem(drv_handle *h)
{
    return drv_diag_add(h, SQL_ERROR, "HY001", "out of memory");
}

SQLRETURN drv_finish(drv_handle *h, SQLRETURN rc)
{
    if (rc == SQL_SUCCESS && h->diag.n > 0)
        rc = SQL_SUCCESS_WITH_INFO;
    h->diag.rc = rc;
    return rc;
}

/* ODBC 3 states come from ISO 9075 unless they are ODBC's own (class IM, HY, 01S, 07S...). */
static const char *drv_class_origin(const char *state)
{
    if (strncmp(state, "IM", 2) == 0 || strncmp(state, "HY", 2) == 0)
        return "ODBC 3.0";
    return "ISO 9075";
}

static const char *drv_subclass_origin(const char *state)
{
    static const char *const odbc[] = {"01S", "07S", "08S", "21S", "25S", "42S", "HY", "IM"};
    for (size_t i = 0; i < sizeof odbc / sizeof *odbc; i++)
        if (strncmp(state, odbc[i], strlen(odbc[i])) == 0)
            return "ODBC 3.0";
    return "ISO 9075";
}

SQLRETURN drv_get_diag_field(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLSMALLINT field,
                             drv_diag_value *out)
{
    drv_handle *handle = drv_handle_of(type, h);
    if (!handle)
        return SQL_INVALID_HANDLE;
    const drv_diag *d = &handle->diag;
    switch (field) { /* header fields */
    case SQL_DIAG_NUMBER:
        *out = (drv_diag_value){DV_INT, NULL, d->n};
        return SQL_SUCCESS;
    case SQL_DIAG_RETURNCODE:
        *out = (drv_diag_value){DV_SMALLINT, NULL, d->rc};
        return SQL_SUCCESS;
    case SQL_DIAG_ROW_COUNT:
    case SQL_DIAG_CURSOR_ROW_COUNT: {
        if (type != SQL_HANDLE_STMT)
            return SQL_ERROR;
        const drv_stmt *st = h;
        SQLLEN n = st->es && field == SQL_DIAG_ROW_COUNT ? eng_stmt_row_count(st->es) : -1;
        *out = (drv_diag_value){DV_LEN, NULL, n};
        return SQL_SUCCESS;
    }
    case SQL_DIAG_DYNAMIC_FUNCTION:
        *out = (drv_diag_value){DV_STR, "", 0};
        return SQL_SUCCESS;
    case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
        *out = (drv_diag_value){DV_INT, NULL, SQL_DIAG_UNKNOWN_STATEMENT};
        return SQL_SUCCESS;
    default:
        break;
    }
    if (rec < 1)
        return SQL_ERROR;
    if (rec > d->n)
        return SQL_NO_DATA;
    const drv_diag_rec *r = &d->recs[rec - 1];
    switch (field) {
    case SQL_DIAG_SQLSTATE:
        *out = (drv_diag_value){DV_STR, r->state, 0};
        return SQL_SUCCESS;
    case SQL_DIAG_MESSAGE_TEXT:
        *out = (drv_diag_value){DV_STR, r->message ? r->message : "[Eider]out of memory", 0};
        return SQL_SUCCESS;
    case SQL_DIAG_NATIVE:
        *out = (drv_diag_value){DV_INT, NULL, r->native};
        return SQL_SUCCESS;
    case SQL_DIAG_CLASS_ORIGIN:
        *out = (drv_diag_value){DV_STR, drv_class_origin(r->state), 0};
        return SQL_SUCCESS;
    case SQL_DIAG_SUBCLASS_ORIGIN:
        *out = (drv_diag_value){DV_STR, drv_subclass_origin(r->state), 0};
        return SQL_SUCCESS;
    case SQL_DIAG_CONNECTION_NAME:
    case SQL_DIAG_SERVER_NAME:
        *out = (drv_diag_value){DV_STR, "", 0};
        return SQL_SUCCESS;
    case SQL_DIAG_COLUMN_NUMBER:
        *out = (drv_diag_value){DV_INT, NULL, SQL_COLUMN_NUMBER_UNKNOWN};
        return SQL_SUCCESS;
    case SQL_DIAG_ROW_NUMBER:
        *out = (drv_diag_value){DV_LEN, NULL, SQL_ROW_NUMBER_UNKNOWN};
        return SQL_SUCCESS;
    default:
        return SQL_ERROR;
    }
}
