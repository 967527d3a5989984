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

#include "connstr.h"
#include "dsn_cache.h"

#include <errno.h>
#include <odbcinst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Keys this driver understands; the pool keys take effect with the session pool. */
static const char *const drv_known_keys[] = {
    "DSN",
    "Driver",
    "Database",
    "AccessMode",
    "UID",
    "PWD",
    "Synchronous",
    "Pooling",
    "PoolMaxSessions",
    "PoolMinIdle",
    "PoolIdleTimeout",
    "PoolAcquireTimeout",
    "PoolMaxLifetime",
    "ConfigFile",
    "Description",
    "FileUsage",
    "SaveFile",
    "FileDSN",
};
/* Keys a DSN section may carry for the driver manager or tools, not for us. */
static const char *const drv_dsn_only_keys[] = {"Setup", "UsageCount", "Threading", "Trace",
                                                "TraceFile"};
static const char *const drv_numeric_keys[] = {"PoolMaxSessions", "PoolMinIdle", "PoolIdleTimeout",
                                               "PoolAcquireTimeout", "PoolMaxLifetime"};

static bool drv_in_list(const char *key, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(key, list[i]) == 0)
            return true;
    return false;
}

#define DRV_IN(key, list) drv_in_list(key, list, sizeof list / sizeof *list)

/* Adds the DSN's keys (those the connection string did not give). */
static SQLRETURN drv_merge_dsn(drv_dbc *dbc, cs_list *l, const char *dsn)
{
    const cs_list *pairs = drv_dsn_lookup(dsn);
    if (!pairs)
        return drv_diag_nomem(&dbc->h);
    for (size_t i = 0; i < pairs->n; i++) {
        if (DRV_IN(pairs->pairs[i].key, drv_dsn_only_keys))
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

static SQLRETURN drv_number(drv_dbc *dbc, const char *k, const char *v, uint64_t *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end || errno || n < 0 || !*v)
        return drv_bad_value(dbc, k, v, "a whole number >= 0 (milliseconds for times)");
    *out = (uint64_t)n;
    return SQL_SUCCESS;
}

/* Checks every key and value; fills the engine's open options and the pool's settings. */
static SQLRETURN drv_check_keys(drv_dbc *dbc, const cs_list *l, pool_request *req)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *k = l->pairs[i].key, *v = l->pairs[i].value;
        pool_config *c = &req->config;
        uint64_t n = 0;
        if (!DRV_IN(k, drv_known_keys)) {
            drv_diag_add(&dbc->h, SQL_SUCCESS_WITH_INFO, "01S00",
                         "unknown connection attribute \"%s\" ignored (see docs/dsn-keys.md)", k);
            continue;
        }
        if (DRV_IN(k, drv_numeric_keys) && drv_number(dbc, k, v, &n) != SQL_SUCCESS)
            return SQL_ERROR;
        if (strcasecmp(k, "AccessMode") == 0) {
            if (strcasecmp(v, "READ_ONLY") == 0)
                req->open.read_only = true;
            else if (strcasecmp(v, "READ_WRITE") != 0 && *v)
                return drv_bad_value(dbc, k, v, "READ_WRITE or READ_ONLY");
        } else if (strcasecmp(k, "Synchronous") == 0) {
            if (strcasecmp(v, "NORMAL") == 0)
                req->open.sync = ENG_SYNC_NORMAL;
            else if (strcasecmp(v, "OFF") == 0)
                req->open.sync = ENG_SYNC_OFF;
            else if (strcasecmp(v, "FULL") != 0 && *v)
                return drv_bad_value(dbc, k, v, "FULL, NORMAL or OFF");
        } else if (strcasecmp(k, "Pooling") == 0) {
            if (strcasecmp(v, "No") == 0)
                c->pooling = false;
            else if (*v && strcasecmp(v, "Yes") != 0)
                return drv_bad_value(dbc, k, v, "Yes or No");
        } else if (strcasecmp(k, "PoolMode") == 0) {
            if (strcasecmp(v, "Transaction") == 0)
                c->mode = POOL_MODE_TRANSACTION;
            else if (*v && strcasecmp(v, "Session") != 0)
                return drv_bad_value(dbc, k, v, "Session or Transaction");
        } else if (strcasecmp(k, "PoolMaxSessions") == 0) {
            if (n == 0 || n > 100000)
                return drv_bad_value(dbc, k, v, "a number of sessions from 1 to 100000");
            c->max_sessions = (uint32_t)n;
        } else if (strcasecmp(k, "PoolMinIdle") == 0) {
            c->min_idle = (uint32_t)(n > 100000 ? 100000 : n);
        } else if (strcasecmp(k, "PoolIdleTimeout") == 0) {
            c->idle_timeout_ms = n;
        } else if (strcasecmp(k, "PoolAcquireTimeout") == 0) {
            c->acquire_timeout_ms = n;
        } else if (strcasecmp(k, "PoolMaxLifetime") == 0) {
            c->max_lifetime_ms = n;
        }
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

static SQLRETURN drv_open(drv_dbc *dbc, const cs_list *l)
{
    pool_request req = {0};
    pool_config_defaults(&req.config);
    SQLRETURN rc = drv_check_keys(dbc, l, &req);
    if (rc == SQL_ERROR)
        return rc;
    char *path = drv_database_path(dbc, cs_get(l, "Database"));
    if (!path)
        return SQL_ERROR;
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
    if (!dbc->session)
        return drv_diag_add(&dbc->h, SQL_ERROR, "08003", "the connection is not open");
    if (completion != SQL_COMMIT && completion != SQL_ROLLBACK)
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY012", "invalid transaction operation code %d",
                            completion);
    eng_error err;
    pthread_mutex_lock(&dbc->session_lock);
    int rc = completion == SQL_COMMIT ? eng_session_commit(dbc->session, &err)
                                      : eng_session_rollback(dbc->session, &err);
    pthread_mutex_unlock(&dbc->session_lock);
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
