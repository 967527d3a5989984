/*
 * Handle allocation, validation and release. Handles carry a magic number so a NULL,
 * freed or wrong-kind handle is answered with SQL_INVALID_HANDLE instead of a crash.
 * Environments own their connections and connections their statements: freeing a
 * connection still connected is refused (HY010), as the ODBC reference requires.
 */
#include "drv.h"

#include "desc.h"
#include "rows.h"

#include <stdlib.h>
#include <string.h>

bool drv_valid(const void *h, unsigned magic)
{
    return h && ((const drv_handle *)h)->magic == magic;
}

void drv_handle_init(drv_handle *h, unsigned magic)
{
    h->magic = magic;
    pthread_mutex_init(&h->lock, NULL);
}

void drv_handle_destroy(drv_handle *h)
{
    drv_diag_clear(h);
    free(h->diag.recs);
    h->magic = DRV_MAGIC_FREED;
    pthread_mutex_destroy(&h->lock);
}

drv_handle *drv_enter(SQLHANDLE h, unsigned magic)
{
    if (!drv_valid(h, magic))
        return NULL;
    drv_handle *hd = h;
    pthread_mutex_lock(&hd->lock);
    drv_diag_clear(hd);
    return hd;
}

SQLRETURN drv_leave(drv_handle *h, SQLRETURN rc)
{
    rc = drv_finish(h, rc);
    pthread_mutex_unlock(&h->lock);
    return rc;
}

drv_handle *drv_handle_of(SQLSMALLINT type, SQLHANDLE h)
{
    static const unsigned magic[] = {[SQL_HANDLE_ENV] = DRV_MAGIC_ENV,
                                     [SQL_HANDLE_DBC] = DRV_MAGIC_DBC,
                                     [SQL_HANDLE_STMT] = DRV_MAGIC_STMT,
                                     [SQL_HANDLE_DESC] = DRV_MAGIC_DESC};
    if (type < SQL_HANDLE_ENV || type > SQL_HANDLE_DESC || !drv_valid(h, magic[type]))
        return NULL;
    return h;
}

void drv_stmt_reset(drv_stmt *st)
{
    if (st->engine_cursor) { /* counted per connection; the statement goes away here */
        st->engine_cursor = false;
        st->dbc->open_cursors--;
    }
    pthread_mutex_lock(&st->cancel_lock);
    eng_stmt_free(st->es);
    st->es = NULL;
    pthread_mutex_unlock(&st->cancel_lock);
    drv_rows_free(st->rows);
    st->rows = NULL;
    drv_scroll_free(st->scroll);
    st->scroll = NULL;
    drv_dae_clear(st);
    st->rows_affected = -1;
    st->executed = false;
    st->cursor = false;
    st->chunk = NULL;
    st->on_row = false;
}

static SQLRETURN drv_alloc_env(SQLHANDLE *out)
{
    drv_env *env = calloc(1, sizeof *env);
    if (!env)
        return SQL_ERROR;
    drv_handle_init(&env->h, DRV_MAGIC_ENV);
    env->odbc_version = SQL_OV_ODBC3;
    *out = env;
    return SQL_SUCCESS;
}

static SQLRETURN drv_alloc_dbc(drv_env *env, SQLHANDLE *out)
{
    drv_dbc *dbc = calloc(1, sizeof *dbc);
    if (!dbc)
        return drv_diag_nomem(&env->h);
    drv_handle_init(&dbc->h, DRV_MAGIC_DBC);
    pthread_mutex_init(&dbc->session_lock, NULL);
    pthread_cond_init(&dbc->committed, NULL);
    dbc->env = env;
    dbc->autocommit = SQL_AUTOCOMMIT_ON;
    dbc->next = env->dbcs; /* the caller holds env->h.lock */
    env->dbcs = dbc;
    *out = dbc;
    return SQL_SUCCESS;
}

static SQLRETURN drv_alloc_stmt(drv_dbc *dbc, SQLHANDLE *out)
{
    if (!dbc->lease)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08003", "connection is not open");
    drv_stmt *st = calloc(1, sizeof *st);
    drv_desc *impl = malloc(4 * sizeof *impl);
    if (!st || !impl) {
        free(st);
        free(impl);
        return drv_diag_nomem(&dbc->h);
    }
    drv_handle_init(&st->h, DRV_MAGIC_STMT);
    pthread_mutex_init(&st->cancel_lock, NULL);
    st->dbc = dbc;
    for (int k = DRV_ARD; k <= DRV_IPD; k++) {
        drv_desc_init(&impl[k], (drv_desc_kind)k, dbc, st);
        drv_handle_init(&impl[k].h, DRV_MAGIC_DESC);
    }
    st->impl = impl;
    st->ard = &impl[DRV_ARD];
    st->apd = &impl[DRV_APD];
    st->getdata_col = -1;
    st->dae_current = -1;
    st->rows_affected = -1;
    st->cursor_type = SQL_CURSOR_FORWARD_ONLY;
    st->next = dbc->stmts;
    dbc->stmts = st;
    *out = st;
    return SQL_SUCCESS;
}

SQLRETURN drv_alloc_handle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE *output)
{
    if (type == SQL_HANDLE_ENV) {
        if (!output)
            return SQL_ERROR;
        *output = SQL_NULL_HANDLE;
        return drv_alloc_env(output);
    }
    drv_handle *parent =
        drv_handle_of(type == SQL_HANDLE_DBC ? SQL_HANDLE_ENV : SQL_HANDLE_DBC, input);
    if (type == SQL_HANDLE_DESC)
        parent = drv_handle_of(SQL_HANDLE_DBC, input);
    else if (type != SQL_HANDLE_DBC && type != SQL_HANDLE_STMT)
        return drv_handle_of(SQL_HANDLE_ENV, input) || drv_handle_of(SQL_HANDLE_DBC, input)
                   ? SQL_ERROR /* the driver manager checks the type (HY092) first */
                   : SQL_INVALID_HANDLE;
    if (!parent)
        return SQL_INVALID_HANDLE;
    pthread_mutex_lock(&parent->lock);
    drv_diag_clear(parent);
    SQLRETURN rc;
    if (!output)
        rc = drv_diag_add(parent, SQL_ERROR, "HY009", "the output handle pointer is NULL");
    else if (type == SQL_HANDLE_DBC)
        rc = drv_alloc_dbc((drv_env *)parent, output);
    else if (type == SQL_HANDLE_DESC)
        rc = drv_desc_alloc((drv_dbc *)parent, output);
    else
        rc = drv_alloc_stmt((drv_dbc *)parent, output);
    pthread_mutex_unlock(&parent->lock);
    return rc;
}

static void drv_unlink_stmt(drv_stmt *st)
{
    drv_stmt **p = &st->dbc->stmts;
    while (*p && *p != st)
        p = &(*p)->next;
    if (*p)
        *p = st->next;
}

static void drv_destroy_stmt(drv_stmt *st)
{
    drv_stmt_reset(st);
    for (int k = DRV_ARD; k <= DRV_IPD; k++) {
        drv_desc_free_recs(&st->impl[k]);
        drv_handle_destroy(&st->impl[k].h);
    }
    free(st->impl);
    pthread_mutex_destroy(&st->cancel_lock);
    drv_handle_destroy(&st->h);
    free(st);
}

static SQLRETURN drv_free_dbc(drv_dbc *dbc)
{
    pthread_mutex_lock(&dbc->h.lock);
    if (dbc->lease) {
        drv_diag_clear(&dbc->h);
        SQLRETURN rc = drv_diag_add(&dbc->h, SQL_ERROR, "HY010",
                                    "the connection is still open; call SQLDisconnect first");
        pthread_mutex_unlock(&dbc->h.lock);
        return rc;
    }
    while (dbc->stmts) {
        drv_stmt *st = dbc->stmts;
        dbc->stmts = st->next;
        drv_destroy_stmt(st);
    }
    pthread_mutex_unlock(&dbc->h.lock);
    while (dbc->descs)
        drv_desc_free(dbc->descs);
    drv_env *env = dbc->env;
    pthread_mutex_lock(&env->h.lock);
    drv_dbc **p = &env->dbcs;
    while (*p && *p != dbc)
        p = &(*p)->next;
    if (*p)
        *p = dbc->next;
    pthread_mutex_unlock(&env->h.lock);
    free(dbc->dsn);
    free(dbc->database);
    pthread_mutex_destroy(&dbc->session_lock);
    pthread_cond_destroy(&dbc->committed);
    drv_handle_destroy(&dbc->h);
    free(dbc);
    return SQL_SUCCESS;
}

SQLRETURN drv_free_handle(SQLSMALLINT type, SQLHANDLE h)
{
    drv_handle *handle = drv_handle_of(type, h);
    if (!handle)
        return SQL_INVALID_HANDLE;
    if (type == SQL_HANDLE_ENV) {
        drv_env *env = h;
        pthread_mutex_lock(&env->h.lock);
        if (env->dbcs) {
            drv_diag_clear(&env->h);
            SQLRETURN rc = drv_diag_add(&env->h, SQL_ERROR, "HY010",
                                        "connections of this environment are still allocated");
            pthread_mutex_unlock(&env->h.lock);
            return rc;
        }
        pthread_mutex_unlock(&env->h.lock);
        drv_handle_destroy(&env->h);
        free(env);
        return SQL_SUCCESS;
    }
    if (type == SQL_HANDLE_DBC)
        return drv_free_dbc(h);
    if (type == SQL_HANDLE_DESC) {
        drv_desc *d = h;
        if (!d->explicit_alloc) {
            pthread_mutex_lock(&d->h.lock);
            drv_diag_clear(&d->h);
            SQLRETURN rc = drv_diag_add(&d->h, SQL_ERROR, "HY017",
                                        "a statement's own descriptor cannot be freed");
            pthread_mutex_unlock(&d->h.lock);
            return rc;
        }
        return drv_desc_free(d);
    }
    drv_stmt *st = h;
    drv_dbc *dbc = st->dbc;
    pthread_mutex_lock(&dbc->h.lock);
    drv_unlink_stmt(st);
    pthread_mutex_unlock(&dbc->h.lock);
    pthread_mutex_lock(&dbc->session_lock);
    drv_destroy_stmt(st);
    pthread_mutex_unlock(&dbc->session_lock);
    return SQL_SUCCESS;
}
