/*
 * Prepared statements: parse and bind at prepare, rebind at execute when the catalog
 * changed underneath, cast parameters, pick the transaction the statement runs in, and
 * make a failed statement leave nothing behind (its autocommit transaction is rolled
 * back; an explicit one is marked aborted until ROLLBACK).
 */
#include "stmt.h"

#include "errors.h"
#include "parser.h"
#include "value.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int stmt_bind(eng_stmt *st, const txn *t, eng_error *err)
{
    plan_release(&st->plan);
    arena_reset(&st->plan_arena);
    return bind_statement(st->ast, st->sql, &st->session->db->catalog, t, &st->plan_arena,
                          &st->plan, err);
}

/* A view of the catalog to bind with: the session's transaction, or the newest commit.
 * Binding reads only catalog entries (reference-counted), so it holds no snapshot. */
static const txn *stmt_view(eng_stmt *st, txn *scratch)
{
    if (st->session->txn)
        return st->session->txn;
    db_snapshot(db_commit_ts(st->session->db), scratch);
    return scratch;
}

int eng_prepare(eng_session *s, const char *sql, size_t len, eng_stmt **out, eng_error *err)
{
    err_clear(err);
    eng_stmt *st = calloc(1, sizeof *st);
    if (!st || !(st->sql = malloc(len + 1))) {
        free(st);
        return err_set(err, ENG_E_NOMEM, "out of memory preparing a statement");
    }
    memcpy(st->sql, sql, len);
    st->sql[len] = '\0';
    st->sql_len = len;
    st->session = s;
    st->row_count = -1;
    arena_init(&st->parse_arena, 4096);
    arena_init(&st->plan_arena, 4096);
    arena_init(&st->exec_arena, 4096);
    arena_init(&st->chunk_arena, 64 * 1024);
    txn scratch;
    if (parse_statement(&st->parse_arena, st->sql, len, &st->ast, err) != 0 ||
        stmt_bind(st, stmt_view(st, &scratch), err) != 0) {
        eng_stmt_free(st);
        return -1;
    }
    *out = st;
    return 0;
}

void eng_stmt_free(eng_stmt *st)
{
    if (!st)
        return;
    stmt_wipe_secrets(st);
    eng_stmt_close_cursor(st);
    plan_release(&st->plan);
    arena_free(&st->parse_arena);
    arena_free(&st->plan_arena);
    arena_free(&st->exec_arena);
    arena_free(&st->chunk_arena);
    free(st->sql);
    free(st);
}

void eng_stmt_set_session(eng_stmt *st, eng_session *s)
{
    assert(!st->cursor.open && s->db == st->session->db);
    st->session = s; /* the plan depends on the catalog only, which the sessions share */
}

uint32_t eng_stmt_param_count(const eng_stmt *st)
{
    return st->ast->nparams;
}

eng_type eng_stmt_param_type(const eng_stmt *st, uint32_t index)
{
    eng_type none = {ENG_TYPE_NULL, 0};
    return index < st->plan.nparams ? st->plan.param_types[index] : none;
}

uint32_t eng_stmt_column_count(const eng_stmt *st)
{
    return st->ast->kind == STMT_SELECT ? st->plan.u.select.ncols : 0;
}

const eng_column *eng_stmt_column(const eng_stmt *st, uint32_t index)
{
    return index < eng_stmt_column_count(st) ? &st->plan.u.select.cols[index] : NULL;
}

int64_t eng_stmt_row_count(const eng_stmt *st)
{
    return st->row_count;
}

/* The plan is stale when DDL happened since it was bound, or its table is not visible to
 * this transaction (bound inside another transaction that created it). */
static bool stmt_plan_stale(const eng_stmt *st, const txn *t)
{
    if (st->plan.catalog_version != cat_version(&st->session->db->catalog))
        return true;
    const tbl_table *tb = plan_table(&st->plan);
    return tb && !cat_table_visible(tb, t);
}

static int stmt_cast_params(eng_stmt *st, const eng_value *params, uint32_t n, eng_error *err)
{
    st->params = NULL;
    if (n == 0)
        return 0;
    st->params = arena_alloc(&st->exec_arena, n * sizeof *st->params);
    if (!st->params)
        return err_set(err, ENG_E_NOMEM, "out of memory binding parameters");
    for (uint32_t i = 0; i < n; i++) {
        if (val_cast(&params[i], st->plan.param_types[i], &st->exec_arena, &st->params[i], err) !=
            0) {
            char msg[ENG_MAX_MESSAGE];
            memcpy(msg, err->message, sizeof msg);
            snprintf(err->message, sizeof err->message, "parameter %u: %.480s", i + 1, msg);
            return -1;
        }
    }
    return 0;
}

static int stmt_run(eng_stmt *st, txn *t, eng_error *err)
{
    switch (st->ast->kind) {
    case STMT_SELECT:
        return exec_select_open(st, t, err);
    case STMT_INSERT:
        return exec_insert(st, t, err);
    case STMT_UPDATE:
        return exec_update(st, t, err);
    case STMT_DELETE:
        return exec_delete(st, t, err);
    case STMT_CREATE_TABLE:
        return exec_create_table(st, t, err);
    case STMT_DROP_TABLE:
        return exec_drop_table(st, t, err);
    case STMT_ALTER_TABLE:
        return exec_alter_table(st, t, err);
    case STMT_CREATE_USER:
    case STMT_ALTER_USER:
    case STMT_DROP_USER:
        return exec_user(st, t, err);
    case STMT_CREATE_VIEW:
        return exec_create_view(st, t, err);
    case STMT_DROP_VIEW:
        return exec_drop_view(st, t, err);
    default:
        return err_set(err, ENG_E_GENERAL, "statement kind %d is not executable",
                       (int)st->ast->kind);
    }
}

static int stmt_transaction_control(eng_stmt *st, eng_error *err)
{
    eng_session *s = st->session;
    switch (st->ast->kind) {
    case STMT_BEGIN:
        return session_begin(s, err);
    case STMT_COMMIT:
        return eng_session_commit(s, err);
    default:
        return eng_session_rollback(s, err);
    }
}

static const char *stmt_verb(ast_stmt_kind kind)
{
    switch (kind) {
    case STMT_INSERT:
        return "INSERT";
    case STMT_UPDATE:
        return "UPDATE";
    case STMT_DELETE:
        return "DELETE";
    case STMT_CREATE_TABLE:
        return "CREATE TABLE";
    case STMT_DROP_TABLE:
        return "DROP TABLE";
    case STMT_ALTER_TABLE:
        return "ALTER TABLE";
    case STMT_CREATE_USER:
        return "CREATE USER";
    case STMT_ALTER_USER:
        return "ALTER USER";
    case STMT_DROP_USER:
        return "DROP USER";
    case STMT_CREATE_VIEW:
        return "CREATE VIEW";
    case STMT_DROP_VIEW:
        return "DROP VIEW";
    default:
        return "the statement";
    }
}

void eng_stmt_interrupt(eng_stmt *st)
{
    uint32_t running = TXN_RUNNING;
    __atomic_compare_exchange_n(&st->stop.state, &running, TXN_CANCELED, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
}

void eng_stmt_set_timeout(eng_stmt *st, uint64_t ms)
{
    st->timeout_ns = ms * 1000000u;
}

/* Arms the stop for one call into the statement: an interrupt that came before it is
 * forgotten (there was nothing running to cancel), the timeout counts from now. */
static void stmt_arm(eng_stmt *st)
{
    __atomic_store_n(&st->stop.state, TXN_RUNNING, __ATOMIC_RELAXED);
    st->stop.deadline = 0;
    if (st->timeout_ns) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        st->stop.deadline =
            (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + st->timeout_ns;
    }
}

/* A statement whose scans were stopped must not hand out or keep what they produced. */
static int stmt_stopped(eng_stmt *st, eng_error *err)
{
    switch (__atomic_load_n(&st->stop.state, __ATOMIC_RELAXED)) {
    case TXN_CANCELED:
        return err_set(err, ENG_E_CANCELED, "the statement was canceled while it ran");
    case TXN_TIMED_OUT:
        return err_set(err, ENG_E_TIMEOUT, "the statement ran longer than its timeout of %llu ms",
                       (unsigned long long)(st->timeout_ns / 1000000u));
    default:
        return 0;
    }
}

int eng_stmt_execute(eng_stmt *st, const eng_value *params, uint32_t nparams, eng_error *err)
{
    err_clear(err);
    eng_stmt_close_cursor(st);
    arena_reset(&st->exec_arena);
    st->row_count = -1;
    eng_session *s = st->session;
    if (nparams != st->ast->nparams)
        return err_set(err, ENG_E_PARAM_COUNT,
                       "the statement has %u parameter markers but %u values were supplied",
                       st->ast->nparams, nparams);
    ast_stmt_kind kind = st->ast->kind;
    if (kind == STMT_BEGIN || kind == STMT_COMMIT || kind == STMT_ROLLBACK)
        return stmt_transaction_control(st, err);
    if (kind == STMT_CHECKPOINT) /* works beside transactions, not in one */
        return db_checkpoint(s->db, err);
    if (kind != STMT_SELECT && eng_session_read_only(s)) {
        if (!s->read_only && !s->db->opts.read_only) /* the account's role */
            return err_set(err, ENG_E_READ_ONLY, "cannot execute %s: account \"%s\" is read-only",
                           stmt_verb(kind), s->account);
        return err_set(err, ENG_E_READ_ONLY,
                       "cannot execute %s: the %s is read-only (AccessMode=READ_ONLY)",
                       stmt_verb(kind), s->db->opts.read_only ? "database" : "connection");
    }
    if (s->txn && s->txn->aborted)
        return err_set(err, ENG_E_TXN_STATE,
                       "current transaction is aborted, commands ignored until end of "
                       "transaction block (ROLLBACK)");

    /* Pick the transaction: the open one; or, in autocommit mode, a snapshot for a read and
     * a statement-level transaction for a write; or, in manual-commit mode, a new one. */
    txn *t = s->txn;
    bool statement_txn = false, cursor_holds = false;
    if (!t && s->autocommit && kind == STMT_SELECT) {
        db_snapshot(session_hold(s), &st->snapshot);
        t = &st->snapshot;
        cursor_holds = true; /* released when the cursor closes */
    } else if (!t) {
        uint64_t start = session_hold(s);
        if (db_begin(s->db, start, &t, err) != 0) {
            session_release(s);
            return -1;
        }
        if (s->autocommit)
            statement_txn = true;
        else
            s->txn = t;
    }
    if (kind == STMT_SELECT && t == s->txn) {
        /* The cursor may outlive the transaction (it is preserved across COMMIT): it holds
         * the session's snapshot floor on its own, so the reclaimer never frees what it
         * may still read. */
        session_hold(s);
        cursor_holds = true;
    }
    int rc = 0;
    if (stmt_plan_stale(st, t))
        rc = stmt_bind(st, t, err);
    if (rc == 0)
        rc = stmt_cast_params(st, params, nparams, err);
    /* A query's cursor may outlive its transaction (cursors are preserved across COMMIT), so
     * it reads with a copy of the transaction's snapshot that lives in the statement. */
    txn *run = t;
    if (kind == STMT_SELECT) {
        if (t != &st->snapshot)
            st->snapshot = (txn){.id = t->id, .start = t->start};
        run = &st->snapshot;
    }
    stmt_arm(st);
    run->stop = &st->stop;
    if (rc == 0)
        rc = stmt_run(st, run, err);
    if (rc == 0)
        rc = stmt_stopped(st, err);
    if (run == s->txn)
        run->stop = NULL; /* the session's transaction outlives this statement */
    if (cursor_holds) {
        if (st->cursor.open)
            st->cursor.holds = true;
        else
            session_release(s);
    }
    if (statement_txn) {
        if (rc == 0)
            rc = session_commit_txn(s, t, err);
        else
            session_rollback_txn(s, t);
    } else if (rc != 0 && t == s->txn) {
        t->aborted = true;
    }
    if (rc != 0)
        eng_stmt_close_cursor(st);
    return rc;
}

int eng_stmt_fetch(eng_stmt *st, const eng_chunk **out, eng_error *err)
{
    if (!st->cursor.open)
        return 0;
    stmt_arm(st); /* the cursor's snapshot (st->snapshot) points at st->stop */
    int rc = exec_select_next(st, err);
    if (rc >= 0 && stmt_stopped(st, err) != 0)
        rc = -1;
    if (rc == 1) {
        *out = &st->cursor.chunk;
        return 1;
    }
    eng_stmt_close_cursor(st);
    if (rc < 0 && st->session->txn)
        st->session->txn->aborted = true; /* as for any statement failing in a transaction */
    return rc;
}

void eng_stmt_close_cursor(eng_stmt *st)
{
    exec_select_close(st);
    if (st->cursor.holds) {
        st->cursor.holds = false;
        session_release(st->session);
    }
    st->cursor.open = false;
    arena_reset(&st->chunk_arena);
}
