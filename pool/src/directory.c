/*
 * The pool directory: finds the pool of (database, account) without taking a lock. Pools
 * live in a fixed open-addressing table of atomic pointers; a lookup reads slots until it
 * finds its pool or an empty slot. Only creating a pool takes the directory's mutex. Pools
 * are never freed (a process uses a handful), which is what makes lock-free reading safe;
 * a pool without sessions holds no database open.
 */
#include "pool_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR_SLOTS 4096

static pool *dir_slots[DIR_SLOTS];
static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned dir_count;

static uint64_t dir_hash(const char *path, const char *account)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *s = path; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    h = (h ^ 0xff) * 0x100000001b3ull;
    for (const char *s = account; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static pool *dir_find(uint64_t h, const char *path, const char *account)
{
    for (unsigned i = 0; i < DIR_SLOTS; i++) {
        pool *p = __atomic_load_n(&dir_slots[(h + i) % DIR_SLOTS], __ATOMIC_ACQUIRE);
        if (!p)
            return NULL;
        if (p->hash == h && strcmp(p->key_path, path) == 0 && strcmp(p->account, account) == 0)
            return p;
    }
    return NULL;
}

static int dir_error(eng_error *err, eng_errcode code, const char *state, const char *msg)
{
    err->code = code;
    memcpy(err->sqlstate, state, 6);
    snprintf(err->message, sizeof err->message, "%s", msg);
    return -1;
}

pool *pool_directory_get(const pool_request *req, eng_error *err)
{
    const char *account = req->account ? req->account : "";
    uint64_t h = dir_hash(req->path, account);
    pool *p = dir_find(h, req->path, account);
    if (p)
        return p;
    pthread_mutex_lock(&dir_lock);
    p = dir_find(h, req->path, account);
    if (!p && dir_count >= DIR_SLOTS / 2) {
        pthread_mutex_unlock(&dir_lock);
        dir_error(err, ENG_E_GENERAL, "HY000",
                  "too many distinct (database, account) pools in this process");
        return NULL;
    }
    if (!p) {
        p = calloc(1, sizeof *p);
        if (p && (p->key_path = strdup(req->path)) && (p->account = strdup(account))) {
            p->hash = h;
            p->cfg = req->config;
            p->open = req->open;
            pthread_mutex_init(&p->lock, NULL);
            unsigned i = 0;
            while (__atomic_load_n(&dir_slots[(h + i) % DIR_SLOTS], __ATOMIC_RELAXED))
                i++;
            __atomic_store_n(&dir_slots[(h + i) % DIR_SLOTS], p, __ATOMIC_RELEASE);
            dir_count++;
        } else {
            if (p) {
                free(p->key_path);
                free(p);
            }
            p = NULL;
            dir_error(err, ENG_E_NOMEM, "HY001", "out of memory creating a pool");
        }
    }
    pthread_mutex_unlock(&dir_lock);
    if (p) {
        pool_housekeeper_start();
        pool_register_stats_function();
    }
    return p;
}

void pool_directory_each(void (*fn)(pool *p, void *ctx), void *ctx)
{
    for (unsigned i = 0; i < DIR_SLOTS; i++) {
        pool *p = __atomic_load_n(&dir_slots[i], __ATOMIC_ACQUIRE);
        if (p)
            fn(p, ctx);
    }
}

typedef struct dir_stats_ctx {
    void (*fn)(const pool_stats *s, void *ctx);
    void *ctx;
} dir_stats_ctx;

static void dir_stats_one(pool *p, void *arg)
{
    dir_stats_ctx *c = arg;
    pool_stats s;
    pthread_mutex_lock(&p->lock);
    s = (pool_stats){p->canonical ? p->canonical : p->key_path,
                     p->account,
                     p->cfg.mode == POOL_MODE_TRANSACTION ? "transaction" : "session",
                     p->n_active,
                     p->n_idle,
                     p->n_waiting,
                     p->cfg.max_sessions,
                     p->acquired,
                     p->created,
                     p->destroyed,
                     p->timeouts,
                     p->auth_failures,
                     p->conflicts,
                     {0}};
    memcpy(s.acquire_us, p->hist, sizeof s.acquire_us);
    pthread_mutex_unlock(&p->lock);
    c->fn(&s, c->ctx);
}

void pool_for_each_stats(void (*fn)(const pool_stats *s, void *ctx), void *ctx)
{
    dir_stats_ctx c = {fn, ctx};
    pool_directory_each(dir_stats_one, &c);
}
