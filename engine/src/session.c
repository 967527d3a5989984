/*
 * Sessions: autocommit and the open transaction. With autocommit on, each statement runs
 * in its own transaction unless BEGIN opened one; with autocommit off, the first statement
 * opens a transaction that lasts until COMMIT or ROLLBACK (ODBC's manual-commit mode).
 */
#include "stmt.h"

#include "errors.h"

#include <stdlib.h>
#include <string.h>

int eng_session_open(eng_db *db, eng_session **out, eng_error *err)
{
    eng_session *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(err, ENG_E_NOMEM, "out of memory opening a session");
    s->db = db;
    s->autocommit = true;
    s->floor = STAMP_NONE;
    db_register_session(db, s);
    *out = s;
    return 0;
}

void eng_session_close(eng_session *s)
{
    if (!s)
        return;
    if (s->txn)
        session_rollback_txn(s, s->txn);
    db_unregister_session(s->db, s);
    free(s->account);
    free(s);
}

void eng_session_set_account(eng_session *s, const char *name, eng_role role)
{
    free(s->account);
    s->account = name ? strdup(name) : NULL;
    s->role = role;
}

uint64_t session_hold(eng_session *s)
{
    if (s->holders++ == 0)
        __atomic_store_n(&s->floor, db_commit_ts(s->db), __ATOMIC_SEQ_CST);
    return db_commit_ts(s->db);
}

void session_release(eng_session *s)
{
    if (--s->holders == 0)
        __atomic_store_n(&s->floor, STAMP_NONE, __ATOMIC_RELEASE);
}

int session_commit_txn(eng_session *s, txn *t, eng_error *err)
{
    int rc = db_commit(s->db, t, err);
    session_release(s);
    return rc;
}

void session_rollback_txn(eng_session *s, txn *t)
{
    db_rollback(s->db, t);
    session_release(s);
}

int session_begin(eng_session *s, eng_error *err)
{
    if (s->txn)
        return err_set(err, ENG_E_TXN_STATE,
                       "a transaction is already in progress; COMMIT or ROLLBACK it first");
    uint64_t start = session_hold(s);
    if (db_begin(s->db, start, &s->txn, err) != 0) {
        session_release(s);
        return -1;
    }
    return 0;
}

int eng_session_commit_start(eng_session *s, eng_commit **out, eng_error *err)
{
    txn *t = s->txn;
    s->txn = NULL;
    *out = NULL;
    if (!t)
        return 0;
    if (t->aborted) {
        session_rollback_txn(s, t);
        return err_set(err, ENG_E_ROLLED_BACK,
                       "the transaction was aborted by an earlier error and has been rolled "
                       "back; nothing was committed");
    }
    /* The transaction reads nothing more: its snapshot no longer holds back reclaiming. */
    int rc = db_commit_start(s->db, t, out, err);
    session_release(s);
    return rc;
}

int eng_commit_wait(eng_commit *c, eng_error *err)
{
    return c ? db_commit_wait(c, err) : 0;
}

int eng_session_commit(eng_session *s, eng_error *err)
{
    eng_commit *c;
    if (eng_session_commit_start(s, &c, err) != 0)
        return -1;
    return eng_commit_wait(c, err);
}

int eng_session_rollback(eng_session *s, eng_error *err)
{
    (void)err;
    if (s->txn)
        session_rollback_txn(s, s->txn);
    s->txn = NULL;
    return 0;
}

int eng_session_set_autocommit(eng_session *s, bool on, eng_error *err)
{
    if (on == s->autocommit)
        return 0;
    s->autocommit = on;
    return on ? eng_session_commit(s, err) : 0;
}

bool eng_session_autocommit(const eng_session *s)
{
    return s->autocommit;
}

bool eng_session_in_transaction(const eng_session *s)
{
    return s->txn != NULL;
}

void eng_session_set_read_only(eng_session *s, bool on)
{
    s->read_only = on;
}

bool eng_session_read_only(const eng_session *s)
{
    return s->read_only || s->db->opts.read_only || (s->account && s->role == ENG_ROLE_READ_ONLY);
}

void eng_session_reset(eng_session *s)
{
    if (s->txn)
        session_rollback_txn(s, s->txn);
    s->txn = NULL;
    s->autocommit = true;
    s->read_only = false;
}

eng_db *eng_session_db(const eng_session *s)
{
    return s->db;
}
