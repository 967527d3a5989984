/*
 * The instance registry: a list of open instances keyed by canonical path, guarded by one
 * mutex that is held only while looking up, opening or closing an instance (connect and
 * disconnect), never while a session runs statements.
 */
#include "eider/pool.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pool_instance {
    pool_instance *next;
    char *path;
    eng_db *db;
    bool read_only;
    bool shared; /* registered; private :memory: instances are not */
    unsigned users;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pool_instance *pool_instances;
static unsigned pool_count;

static int pool_error(eng_error *err, eng_errcode code, const char *fmt, const char *a,
                      const char *b)
{
    err->code = code;
    memcpy(err->sqlstate, eng_errcode_sqlstate(code), 6);
    snprintf(err->message, sizeof err->message, fmt, a, b);
    return -1;
}

char *pool_canonical_path(const char *path, eng_error *err)
{
    if (strncmp(path, ":memory:", 8) == 0)
        return strdup(path);
    char *copy1 = strdup(path), *copy2 = strdup(path);
    char *result = NULL;
    if (copy1 && copy2) {
        char *dir = dirname(copy1);
        char *base = basename(copy2);
        char real[PATH_MAX];
        if (!realpath(dir, real)) {
            pool_error(err, ENG_E_CONNECT, "cannot open database %s: folder %s does not exist",
                       path, dir);
        } else if (strcmp(base, "/") == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
            pool_error(err, ENG_E_CONNECT, "cannot open database %s: %s is a folder", path, path);
        } else {
            size_t n = strlen(real) + strlen(base) + 2;
            result = malloc(n);
            if (result)
                snprintf(result, n, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
        }
    }
    if (!result && copy1 && copy2 && err->code == ENG_OK)
        pool_error(err, ENG_E_NOMEM, "out of memory resolving %s%s", path, "");
    free(copy1);
    free(copy2);
    return result;
}

static pool_instance *pool_find_locked(const char *path)
{
    for (pool_instance *i = pool_instances; i; i = i->next)
        if (strcmp(i->path, path) == 0)
            return i;
    return NULL;
}

int pool_instance_acquire(const char *path, const eng_open_opts *opts, pool_instance **out,
                          eng_error *err)
{
    memset(err, 0, sizeof *err);
    char *canon = pool_canonical_path(path, err);
    if (!canon)
        return -1;
    bool shared = strcmp(canon, ":memory:") != 0;
    pthread_mutex_lock(&pool_lock);
    pool_instance *inst = shared ? pool_find_locked(canon) : NULL;
    if (inst) {
        if (inst->read_only && !opts->read_only) {
            pthread_mutex_unlock(&pool_lock);
            pool_error(err, ENG_E_CONNECT,
                       "database %s is open read-only in this process; a read-write connection "
                       "must wait until every read-only connection to it has closed%s",
                       canon, "");
            free(canon);
            return -1;
        }
        inst->users++;
        pthread_mutex_unlock(&pool_lock);
        free(canon);
        *out = inst;
        return 0;
    }
    inst = calloc(1, sizeof *inst);
    if (!inst) {
        pthread_mutex_unlock(&pool_lock);
        free(canon);
        return pool_error(err, ENG_E_NOMEM, "out of memory opening %s%s", path, "");
    }
    if (eng_db_open(canon, opts, &inst->db, err) != 0) {
        pthread_mutex_unlock(&pool_lock);
        free(canon);
        free(inst);
        return -1;
    }
    inst->path = canon;
    inst->read_only = opts->read_only;
    inst->shared = shared;
    inst->users = 1;
    if (shared) {
        inst->next = pool_instances;
        pool_instances = inst;
    }
    pool_count++;
    pthread_mutex_unlock(&pool_lock);
    *out = inst;
    return 0;
}

void pool_instance_release(pool_instance *inst)
{
    if (!inst)
        return;
    pthread_mutex_lock(&pool_lock);
    if (--inst->users > 0) {
        pthread_mutex_unlock(&pool_lock);
        return;
    }
    if (inst->shared) {
        pool_instance **p = &pool_instances;
        while (*p != inst)
            p = &(*p)->next;
        *p = inst->next;
    }
    pool_count--;
    /* Closed under the lock so that a concurrent open of the same file cannot run into our
     * file lock before it is released. */
    eng_db_close(inst->db);
    pthread_mutex_unlock(&pool_lock);
    free(inst->path);
    free(inst);
}

eng_db *pool_instance_db(const pool_instance *inst)
{
    return inst->db;
}

const char *pool_instance_path(const pool_instance *inst)
{
    return inst->path;
}

int pool_instance_each(void (*fn)(const char *path, eng_db *db, bool read_only, void *ctx),
                       void *ctx)
{
    /* Each instance is held open, and fn runs without the registry's lock: fn may wait (for
     * a checkpoint, say), and connects must not wait with it. */
    pthread_mutex_lock(&pool_lock);
    pool_instance **held = malloc((pool_count ? pool_count : 1) * sizeof *held);
    unsigned n = 0;
    for (pool_instance *i = pool_instances; held && i; i = i->next) {
        i->users++;
        held[n++] = i;
    }
    pthread_mutex_unlock(&pool_lock);
    if (!held)
        return -1;
    for (unsigned k = 0; k < n; k++)
        fn(held[k]->path, held[k]->db, held[k]->read_only, ctx);
    for (unsigned k = 0; k < n; k++)
        pool_instance_release(held[k]);
    free(held);
    return 0;
}

unsigned pool_instance_count(void)
{
    pthread_mutex_lock(&pool_lock);
    unsigned n = pool_count;
    pthread_mutex_unlock(&pool_lock);
    return n;
}
