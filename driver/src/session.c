/*
 * The connection's engine session. In the pool's session mode a connection holds one
 * session from connect to disconnect. In transaction mode it holds one only while work
 * needs it: borrowed when a statement is prepared or executed, handed back when no
 * transaction is open and no cursor is reading (autocommit: after each statement). The
 * connection's attributes (autocommit, access mode) are applied to every session it
 * borrows, and prepared statements follow it from session to session.
 */
#include "drv.h"

#include <string.h>

eng_session *drv_session(drv_dbc *dbc, drv_handle *h)
{
    if (!dbc->lease) {
        drv_diag_add(h, SQL_ERROR, "08003", "the connection is not open");
        return NULL;
    }
    if (dbc->session)
        return dbc->session;
    while (dbc->commits_in_flight) /* our own commit must be visible to what runs next */
        pthread_cond_wait(&dbc->committed, &dbc->session_lock);
    eng_error err;
    if (pool_lease_borrow(dbc->lease, &err) != 0) {
        drv_diag_engine(h, &err);
        return NULL;
    }
    eng_session *s = pool_lease_session(dbc->lease);
    eng_session_set_autocommit(s, dbc->autocommit == SQL_AUTOCOMMIT_ON, &err);
    eng_session_set_read_only(s, dbc->read_only);
    dbc->session = s;
    return s;
}

void drv_session_settle(drv_dbc *dbc)
{
    if (!dbc->lease || !dbc->session || pool_lease_mode(dbc->lease) != POOL_MODE_TRANSACTION ||
        dbc->open_cursors > 0 || eng_session_in_transaction(dbc->session))
        return;
    pool_lease_give_back(dbc->lease);
    dbc->session = NULL;
}

void drv_cursor_opened(drv_stmt *st)
{
    if (!st->engine_cursor) {
        st->engine_cursor = true;
        st->dbc->open_cursors++;
    }
}

void drv_cursor_closed(drv_stmt *st)
{
    if (st->engine_cursor) {
        st->engine_cursor = false;
        st->dbc->open_cursors--;
        drv_session_settle(st->dbc);
    }
}

void drv_note_engine_error(drv_dbc *dbc, const eng_error *err)
{
    if (dbc->lease && strcmp(err->sqlstate, "40001") == 0)
        pool_lease_note_conflict(dbc->lease);
}

SQLRETURN drv_reset_connection(drv_dbc *dbc)
{
    pthread_mutex_lock(&dbc->session_lock);
    for (drv_stmt *st = dbc->stmts; st; st = st->next)
        drv_stmt_reset(st);
    dbc->autocommit = SQL_AUTOCOMMIT_ON;
    dbc->read_only = dbc->dsn_read_only;
    if (dbc->session) {
        eng_session_reset(dbc->session);
        eng_session_set_read_only(dbc->session, dbc->read_only);
    }
    drv_session_settle(dbc);
    pthread_mutex_unlock(&dbc->session_lock);
    return SQL_SUCCESS;
}

void drv_cancel_arm(drv_stmt *st)
{
    __atomic_store_n(&st->cancel_requested, false, __ATOMIC_RELEASE);
}

SQLRETURN drv_cancel_check(drv_stmt *st)
{
    if (!__atomic_load_n(&st->cancel_requested, __ATOMIC_ACQUIRE))
        return SQL_SUCCESS;
    return drv_diag_add(&st->h, SQL_ERROR, "HY008", "operation canceled (SQLCancel)");
}
