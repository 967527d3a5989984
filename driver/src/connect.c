/*
 * SQLConnect / SQLDriverConnect / SQLDisconnect / SQLEndTran.
 *
 * Settings come from the connection string first, then from the DSN's section in odbc.ini
 * (read with SQLGetPrivateProfileString, so unixODBC's ODBCINI/ODBCSYSINI apply). Unknown
 * keys are reported as 01S00 warnings, invalid values as 08001 errors naming the key.
 * Without a Database key the connection uses the user's default database,
 * $XDG_DATA_HOME/eider/default.eider (~/.local/share/eider/default.eider).
 */
#include "drv.h"

#include "config.h"
#include "connstr.h"
#include "dsn_cache.h"
#include "keys.h"

#include <errno.h>
#include <odbcinst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Adds the DSN's keys (those the connection string did not give). */
static SQLRETURN drv_merge_dsn(drv_dbc *dbc, cs_list *l, const char *dsn)
{
    const cs_list *pairs = drv_dsn_lookup(dsn);
    if (!pairs)
        return drv_diag_nomem(&dbc->h);
    for (size_t i = 0; i < pairs->n; i++) {
        if (drv_key_dsn_only(pairs->pairs[i].key))
            continue;
        if (cs_set_default(l, pairs->pairs[i].key, pairs->pairs[i].value) != CS_OK)
            return drv_diag_nomem(&dbc->h);
    }
    return SQL_SUCCESS;
}

static SQLRETURN drv_bad_value(drv_dbc *dbc, const char *key, const char *value,
                               const char *expected)
{
    return drv_diag_add(&dbc->h, SQL_ERROR, "08001", "invalid value \"%s\" for %s: expected %s",
                        value, key, expected);
}

/* Checks every key and value; fills the engine's open options and the pool's settings. */
static SQLRETURN drv_check_keys(drv_dbc *dbc, const cs_list *l, pool_request *req)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *k = l->pairs[i].key, *v = l->pairs[i].value;
        if (!drv_key_known(k)) {
            drv_diag_add(&dbc->h, SQL_SUCCESS_WITH_INFO, "01S00",
                         "unknown connection attribute \"%s\" ignored (see docs/dsn-keys.md)", k);
            continue;
        }
        const char *expect = drv_key_apply(k, v, req);
        if (expect)
            return drv_bad_value(dbc, k, v, expect);
    }
    if (req->config.min_idle > req->config.max_sessions)
        req->config.min_idle = req->config.max_sessions;
    return SQL_SUCCESS;
}

/* The database path: the Database key with ~ expanded, or the per-user default (whose
 * folder is created on first use). Returns a malloc'd path or NULL with a diagnostic. */
static char *drv_database_path(drv_dbc *dbc, const char *db)
{
    const char *home = getenv("HOME");
    char path[4200];
    if (db && *db) {
        if (db[0] == '~' && db[1] == '/' && home)
            snprintf(path, sizeof path, "%s/%s", home, db + 2);
        else
            snprintf(path, sizeof path, "%s", db);
        return strdup(path);
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    char dir[4096];
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/eider", xdg);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/share/eider", home);
    else {
        drv_diag_add(&dbc->h, SQL_ERROR, "08001",
                     "no Database given and no HOME to put the default database in");
        return NULL;
    }
    for (char *p = dir + 1; *p; p++) { /* mkdir -p */
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        drv_diag_add(&dbc->h, SQL_ERROR, "08001",
                     "cannot create the default database folder %s: %s", dir, strerror(errno));
        return NULL;
    }
    snprintf(path, sizeof path, "%s/default.eider", dir);
    return strdup(path);
}

/* Adds the configuration file's settings for this database and account. */
static SQLRETURN drv_merge_config(drv_dbc *dbc, cs_list *l, const char *path)
{
    const drv_config *cfg;
    char msg[1024];
    if (drv_config_get(cs_get(l, "ConfigFile"), &cfg, msg, sizeof msg) != 0)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08001", "%s", msg);
    if (cfg && drv_config_merge(cfg, path, cs_get(l, "UID"), l) != 0)
        return drv_diag_nomem(&dbc->h);
    return SQL_SUCCESS;
}

static SQLRETURN drv_open(drv_dbc *dbc, cs_list *l)
{
    char *path = drv_database_path(dbc, cs_get(l, "Database"));
    if (!path)
        return SQL_ERROR;
    pool_request req = {0};
    pool_config_defaults(&req.config);
    SQLRETURN rc = drv_merge_config(dbc, l, path);
    if (rc != SQL_ERROR)
        rc = drv_check_keys(dbc, l, &req);
    if (rc == SQL_ERROR) {
        free(path);
        return rc;
    }
    const char *uid = cs_get(l, "UID");
    const char *pwd = cs_get(l, "PWD");
    req.path = path;
    req.account = uid && *uid ? uid : NULL;
    req.password = pwd;
    req.password_len = pwd ? strlen(pwd) : 0;
    eng_error err;
    pool_lease *lease;
    int prc = pool_connect(&req, &lease, &err);
    free(path);
    if (prc != 0)
        return drv_diag_engine(&dbc->h, &err);
    const char *dsn = cs_get(l, "DSN");
    dbc->dsn = strdup(dsn ? dsn : "");
    dbc->database = strdup(pool_lease_path(lease));
    dbc->read_only = dbc->dsn_read_only = req.open.read_only;
    dbc->autocommit = SQL_AUTOCOMMIT_ON;
    dbc->lease = lease;
    dbc->session = pool_lease_session(lease);
    if (dbc->session)
        eng_session_set_read_only(dbc->session, dbc->read_only);
    if (!dbc->dsn || !dbc->database) {
        drv_disconnect(dbc);
        return drv_diag_nomem(&dbc->h);
    }
    return SQL_SUCCESS;
}

SQLRETURN drv_connect(drv_dbc *dbc, const char *conn_str, char **out_conn_str)
{
    if (dbc->lease)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08002", "the connection is already open");
    cs_list l;
    size_t pos = 0;
    cs_status st = cs_parse(conn_str ? conn_str : "", &l, &pos);
    if (st == CS_NOMEM) {
        cs_free(&l);
        return drv_diag_nomem(&dbc->h);
    }
    if (st != CS_OK) {
        cs_free(&l);
        return drv_diag_add(&dbc->h, SQL_ERROR, "08001",
                            "malformed connection string at position %zu: %s", pos + 1,
                            cs_status_text(st));
    }
    SQLRETURN rc = SQL_SUCCESS;
    const char *dsn = cs_get(&l, "DSN");
    if (dsn && *dsn)
        rc = drv_merge_dsn(dbc, &l, dsn);
    if (rc != SQL_ERROR)
        rc = drv_open(dbc, &l);
    if (rc != SQL_ERROR && out_conn_str) {
        /* The password is not echoed back: it would outlive the call in the caller's buffer. */
        for (size_t i = 0; i < l.n; i++)
            if (strcasecmp(l.pairs[i].key, "PWD") == 0)
                l.pairs[i].value[0] = '\0';
        *out_conn_str = cs_format(&l);
    }
    for (size_t i = 0; i < l.n; i++)
        if (strcasecmp(l.pairs[i].key, "PWD") == 0)
            memset(l.pairs[i].value, 0, strlen(l.pairs[i].value));
    cs_free(&l);
    return rc;
}

SQLRETURN drv_disconnect(drv_dbc *dbc)
{
    if (!dbc->lease)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08003", "the connection is not open");
    pthread_mutex_lock(&dbc->session_lock);
    /* Statements stay allocated (the application or driver manager frees them) but lose
     * their engine state, which belongs to the session. */
    for (drv_stmt *st = dbc->stmts; st; st = st->next)
        drv_stmt_reset(st);
    pool_disconnect(dbc->lease); /* rolls back, resets and returns the session */
    dbc->lease = NULL;
    dbc->session = NULL;
    dbc->open_cursors = 0;
    pthread_mutex_unlock(&dbc->session_lock);
    free(dbc->dsn);
    free(dbc->database);
    dbc->dsn = dbc->database = NULL;
    return SQL_SUCCESS;
}

static SQLRETURN drv_end_tran_dbc(drv_dbc *dbc, SQLSMALLINT completion)
{
    if (!dbc->lease)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08003", "the connection is not open");
    if (completion != SQL_COMMIT && completion != SQL_ROLLBACK)
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY012", "invalid transaction operation code %d",
                            completion);
    eng_error err;
    eng_commit *pending = NULL;
    int rc = 0;
    pthread_mutex_lock(&dbc->session_lock);
    if (dbc->session) { /* none in transaction mode between transactions: nothing to end */
        rc = completion == SQL_COMMIT ? eng_session_commit_start(dbc->session, &pending, &err)
                                      : eng_session_rollback(dbc->session, &err);
        drv_session_settle(dbc);
        /* In session mode the commit finishes before anything else runs on the session;
         * in transaction mode the session went back to the pool above, and another
         * connection's transaction runs on it while this commit waits for its log sync. */
        if (rc == 0 && dbc->session) {
            rc = eng_commit_wait(pending, &err);
            pending = NULL;
        }
    }
    if (pending)
        dbc->commits_in_flight++;
    pthread_mutex_unlock(&dbc->session_lock);
    if (pending) {
        rc = eng_commit_wait(pending, &err);
        pthread_mutex_lock(&dbc->session_lock);
        if (--dbc->commits_in_flight == 0)
            pthread_cond_broadcast(&dbc->committed);
        pthread_mutex_unlock(&dbc->session_lock);
    }
    return rc == 0 ? SQL_SUCCESS : drv_diag_engine(&dbc->h, &err);
}

SQLRETURN drv_end_tran(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT completion)
{
    if (type == SQL_HANDLE_DBC)
        return drv_end_tran_dbc(h, completion);
    drv_env *env = h;
    SQLRETURN result = SQL_SUCCESS;
    for (drv_dbc *dbc = env->dbcs; dbc; dbc = dbc->next) {
        if (!dbc->lease)
            continue;
        pthread_mutex_lock(&dbc->h.lock);
        drv_diag_clear(&dbc->h);
        SQLRETURN rc = drv_end_tran_dbc(dbc, completion);
        if (rc == SQL_ERROR && dbc->h.diag.n > 0)
            drv_diag_add(&env->h, SQL_ERROR, dbc->h.diag.recs[0].state, "%s",
                         dbc->h.diag.recs[0].message + strlen("[Eider]"));
        pthread_mutex_unlock(&dbc->h.lock);
        if (rc == SQL_ERROR)
            result = SQL_ERROR;
    }
    return result;
}
