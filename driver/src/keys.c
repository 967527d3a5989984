/* Connection keys and their values (see keys.h and docs/dsn-keys.md). */
#include "keys.h"

#include <errno.h>
#include <stdlib.h>
#include <strings.h>

static const char *const key_known[] = {
    "DSN",
    "Driver",
    "Database",
    "AccessMode",
    "UID",
    "PWD",
    "Synchronous",
    "Pooling",
    "PoolMode",
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
static const char *const key_dsn_only[] = {"Setup", "UsageCount", "Threading", "Trace",
                                           "TraceFile"};

static bool key_in(const char *key, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(key, list[i]) == 0)
            return true;
    return false;
}

bool drv_key_known(const char *key)
{
    return key_in(key, key_known, sizeof key_known / sizeof *key_known);
}

bool drv_key_dsn_only(const char *key)
{
    return key_in(key, key_dsn_only, sizeof key_dsn_only / sizeof *key_dsn_only);
}

/* A whole number >= 0 within max; false when v is anything else. */
static bool key_number(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end || errno || n < 0 || !*v || (uint64_t)n > max)
        return false;
    *out = (uint64_t)n;
    return true;
}

/* Sets *flag for `yes`, clears it for `no` (an empty value keeps it). */
static const char *key_choice(const char *v, const char *yes, const char *no, bool *flag,
                              const char *expect)
{
    if (strcasecmp(v, yes) == 0)
        *flag = true;
    else if (strcasecmp(v, no) == 0)
        *flag = false;
    else if (*v)
        return expect;
    return NULL;
}

static const char *key_times(const char *k, const char *v, pool_config *c)
{
    static const char expect[] = "a whole number of milliseconds >= 0";
    uint64_t n;
    if (!key_number(v, UINT64_MAX / 2, &n))
        return expect;
    if (strcasecmp(k, "PoolIdleTimeout") == 0)
        c->idle_timeout_ms = n;
    else if (strcasecmp(k, "PoolAcquireTimeout") == 0)
        c->acquire_timeout_ms = n;
    else
        c->max_lifetime_ms = n;
    return NULL;
}

const char *drv_key_apply(const char *k, const char *v, pool_request *req)
{
    pool_config *c = &req->config;
    uint64_t n;
    if (!*v)
        return NULL; /* an empty value (GUI tools save empty fields): the default stands */
    if (strcasecmp(k, "AccessMode") == 0)
        return key_choice(v, "READ_ONLY", "READ_WRITE", &req->open.read_only,
                          "READ_WRITE or READ_ONLY");
    if (strcasecmp(k, "Synchronous") == 0) {
        if (strcasecmp(v, "NORMAL") == 0)
            req->open.sync = ENG_SYNC_NORMAL;
        else if (strcasecmp(v, "OFF") == 0)
            req->open.sync = ENG_SYNC_OFF;
        else if (strcasecmp(v, "FULL") == 0 || !*v)
            req->open.sync = ENG_SYNC_FULL;
        else
            return "FULL, NORMAL or OFF";
        return NULL;
    }
    if (strcasecmp(k, "Pooling") == 0)
        return key_choice(v, "Yes", "No", &c->pooling, "Yes or No");
    if (strcasecmp(k, "PoolMode") == 0) {
        bool tx = c->mode == POOL_MODE_TRANSACTION;
        const char *e = key_choice(v, "Transaction", "Session", &tx, "Session or Transaction");
        c->mode = tx ? POOL_MODE_TRANSACTION : POOL_MODE_SESSION;
        return e;
    }
    if (strcasecmp(k, "PoolMaxSessions") == 0) {
        if (!key_number(v, 100000, &n) || n == 0)
            return "a number of sessions from 1 to 100000";
        c->max_sessions = (uint32_t)n;
        return NULL;
    }
    if (strcasecmp(k, "PoolMinIdle") == 0) {
        if (!key_number(v, 100000, &n))
            return "a number of sessions from 0 to 100000";
        c->min_idle = (uint32_t)n;
        return NULL;
    }
    if (strcasecmp(k, "PoolIdleTimeout") == 0 || strcasecmp(k, "PoolAcquireTimeout") == 0 ||
        strcasecmp(k, "PoolMaxLifetime") == 0)
        return key_times(k, v, c);
    return NULL;
}
