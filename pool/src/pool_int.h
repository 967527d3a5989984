/*
 * Pool internals: the pool of one (database, account), its sessions and waiters, the
 * directory that finds pools without a global lock, and the housekeeper.
 */
#ifndef EIDER_POOL_INT_H
#define EIDER_POOL_INT_H

#include "eider/pool.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct pool_session {
    struct pool_session *next; /* in the idle stack */
    eng_session *es;
    uint64_t created_ms;
    uint64_t idle_since_ms;
} pool_session;

/* A connection waiting for a session: served first come, first served. */
/* A connection waiting for a session. Whoever serves it sets granted or retry and takes
 * it off the line under the pool's lock, then posts its semaphore after letting go of the
 * lock, so the waiter wakes to a free lock instead of into a second wait for it. */
typedef struct pool_waiter {
    struct pool_waiter *next;
    sem_t sem;
    pool_session *granted; /* handed over by a returning connection */
    bool retry;            /* room was made: try to create a session */
} pool_waiter;

typedef struct pool {
    char *key_path; /* the database as connections name it (the directory key) */
    char *account;  /* "" when the connection gave none */
    uint64_t hash;
    pool_config cfg;
    eng_open_opts open;

    pthread_mutex_t lock; /* this pool's only lock: nothing global on borrow/return */
    pool_instance *inst;  /* held while the pool has sessions */
    char *canonical;      /* the instance's path, for statistics */
    pool_session *idle;   /* LIFO: the most recently returned first */
    pool_waiter *wait_head, *wait_tail;
    uint32_t n_idle, n_active, n_waiting;

    /* Credentials verified for this pool's account, valid while the database's accounts
     * version is unchanged: an HMAC of the password (never the password itself). */
    bool auth_valid, auth_has_accounts;
    uint64_t auth_version;
    unsigned char auth_mac[32];
    eng_role auth_role;

    uint64_t acquired, created, destroyed, timeouts, auth_failures, conflicts;
    uint64_t hist[POOL_HISTOGRAM];
} pool;

struct pool_lease {
    pool *p;
    pool_session *s; /* NULL between transactions in transaction mode */
    bool has_account;
    eng_role role;
};

/* The directory (directory.c). */
pool *pool_directory_get(const pool_request *req, eng_error *err);
void pool_directory_each(void (*fn)(pool *p, void *ctx), void *ctx);

/* Sessions of a pool (pool.c). */
uint64_t pool_now_ms(void);
void pool_destroy_session(pool *p, pool_session *s);                  /* caller holds p->lock */
void pool_release_instance_if_unused(pool *p);                        /* caller holds p->lock */
int pool_create_session(pool *p, pool_session **out, eng_error *err); /* caller holds lock */

/* The housekeeper (housekeeper.c): started with the first pool. */
void pool_housekeeper_start(void);

/* eider_pool_stats() and eider_db_stats() in SQL (stats_fn.c, dbstats_fn.c): registered
 * with the first pool. */
void pool_register_stats_function(void);
void pool_register_db_stats_function(void);

/* Credentials (credentials.c). */
void pool_mac(const char *password, size_t len, unsigned char out[32]);

#endif
