/*
 * Session pools: borrowing and returning sessions, waiting in line, authentication with a
 * credential cache, leases, and statistics.
 *
 * Each pool has one mutex and takes no other lock on borrow and return (opening the
 * database the first time takes the instance registry's lock, under the pool's). A
 * returning session goes straight to the longest-waiting connection, so no waiter
 * starves; otherwise onto the idle stack, whose top (the warmest session) is borrowed
 * first.
 */
#include "pool_int.h"

#include <errno.h>
#include <stdarg.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pool_config_defaults(pool_config *c)
{
    *c = (pool_config){.pooling = true,
                       .mode = POOL_MODE_SESSION,
                       .max_sessions = 100,
                       .min_idle = 0,
                       .idle_timeout_ms = 60000,
                       .acquire_timeout_ms = 30000,
                       .max_lifetime_ms = 1800000};
}

uint64_t pool_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static uint64_t pool_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static int pool_err(eng_error *err, eng_errcode code, const char *state, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int pool_err(eng_error *err, eng_errcode code, const char *state, const char *fmt, ...)
{
    err->code = code;
    memcpy(err->sqlstate, state, 6);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t pool_total(const pool *p)
{
    return (uint64_t)p->n_idle + p->n_active;
}

void pool_destroy_session(pool *p, pool_session *s)
{
    eng_session_close(s->es);
    free(s);
    p->destroyed++;
}

void pool_release_instance_if_unused(pool *p)
{
    if (p->inst && pool_total(p) == 0 && p->n_waiting == 0) {
        pool_instance_release(p->inst);
        p->inst = NULL;
    }
}

static int pool_ensure_instance(pool *p, eng_error *err)
{
    if (p->inst)
        return 0;
    if (pool_instance_acquire(p->key_path, &p->open, &p->inst, err) != 0)
        return -1;
    if (!p->canonical)
        p->canonical = strdup(pool_instance_path(p->inst));
    return 0;
}

int pool_create_session(pool *p, pool_session **out, eng_error *err)
{
    if (pool_ensure_instance(p, err) != 0)
        return -1;
    pool_session *s = calloc(1, sizeof *s);
    if (!s)
        return pool_err(err, ENG_E_NOMEM, "HY001", "out of memory creating a session");
    if (eng_session_open(pool_instance_db(p->inst), &s->es, err) != 0) {
        free(s);
        return -1;
    }
    s->created_ms = pool_now_ms();
    p->created++;
    *out = s;
    return 0;
}

static bool pool_expired(const pool *p, const pool_session *s, uint64_t now)
{
    return p->cfg.max_lifetime_ms && now - s->created_ms >= p->cfg.max_lifetime_ms;
}

static void pool_record_wait(pool *p, uint64_t started_us)
{
    uint64_t us = pool_now_us() - started_us;
    int b = 0;
    while (b < POOL_HISTOGRAM - 1 && us >= (1ull << b))
        b++;
    p->hist[b]++;
    p->acquired++;
}

/* Borrows a session: idle, new, or handed over after waiting. Caller holds p->lock. */
static int pool_borrow_locked(pool *p, pool_session **out, eng_error *err)
{
    uint64_t started = pool_now_us();
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(p->cfg.acquire_timeout_ms / 1000);
    deadline.tv_nsec += (long)(p->cfg.acquire_timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        uint64_t now = pool_now_ms();
        while (p->idle) {
            pool_session *s = p->idle;
            p->idle = s->next;
            p->n_idle--;
            if (pool_expired(p, s, now)) {
                pool_destroy_session(p, s);
                continue;
            }
            p->n_active++;
            pool_record_wait(p, started);
            *out = s;
            return 0;
        }
        if (pool_total(p) < p->cfg.max_sessions) {
            p->n_active++; /* the slot is ours while the session is made */
            int rc = pool_create_session(p, out, err);
            if (rc != 0) {
                p->n_active--;
                pool_release_instance_if_unused(p);
                return -1;
            }
            pool_record_wait(p, started);
            return 0;
        }
        /* Full: wait in line for a session someone returns. */
        pool_waiter w = {.next = NULL};
        sem_init(&w.sem, 0, 0);
        if (p->wait_tail)
            p->wait_tail->next = &w;
        else
            p->wait_head = &w;
        p->wait_tail = &w;
        p->n_waiting++;
        pthread_mutex_unlock(&p->lock);
        bool timed_out = false;
        while (sem_clockwait(&w.sem, CLOCK_MONOTONIC, &deadline) != 0)
            if (errno == ETIMEDOUT) {
                timed_out = true;
                break;
            }
        pthread_mutex_lock(&p->lock);
        p->n_waiting--;
        if (timed_out && (w.granted || w.retry)) {
            /* Served just as the wait ended: the post is on its way; take it first. */
            pthread_mutex_unlock(&p->lock);
            while (sem_wait(&w.sem) != 0)
                ;
            pthread_mutex_lock(&p->lock);
        }
        sem_destroy(&w.sem);
        if (w.granted) { /* already counted active by the giver */
            pool_record_wait(p, started);
            *out = w.granted;
            return 0;
        }
        if (!w.retry) { /* timed out: still in line, leave it */
            pool_waiter **q = &p->wait_head;
            pool_waiter *prev = NULL;
            while (*q && *q != &w) {
                prev = *q;
                q = &(*q)->next;
            }
            if (*q)
                *q = w.next;
            if (p->wait_tail == &w)
                p->wait_tail = prev;
            p->timeouts++;
            return pool_err(err, ENG_E_TIMEOUT, "HYT00",
                            "timeout: all %u sessions of the pool for database %s%s%s%s are "
                            "busy and none came free within %llu ms (PoolMaxSessions, "
                            "PoolAcquireTimeout)",
                            p->cfg.max_sessions, p->canonical ? p->canonical : p->key_path,
                            p->account[0] ? ", account \"" : "", p->account,
                            p->account[0] ? "\"" : "",
                            (unsigned long long)p->cfg.acquire_timeout_ms);
        }
        /* retry: a slot was freed for us; loop to take it */
    }
}

/* Gives a session back: to the first waiter, onto the idle stack, or closed. Caller holds
 * p->lock; the session has been reset. Returns the waiter served, whose semaphore the
 * caller posts (pool_wake) once it has let go of the lock, or NULL. */
static pool_waiter *pool_return_locked(pool *p, pool_session *s)
{
    uint64_t now = pool_now_ms();
    bool keep = p->cfg.pooling && !pool_expired(p, s, now);
    pool_waiter *w = p->wait_head; /* the first in line gets the session or its slot */
    if (w) {
        p->wait_head = w->next;
        if (!p->wait_head)
            p->wait_tail = NULL;
    }
    if (keep && w) {
        w->granted = s; /* stays counted active */
        return w;
    }
    p->n_active--;
    if (!keep) {
        pool_destroy_session(p, s);
        if (w)
            w->retry = true;
        pool_release_instance_if_unused(p);
        return w;
    }
    s->idle_since_ms = now;
    s->next = p->idle;
    p->idle = s;
    p->n_idle++;
    return NULL;
}

static void pool_wake(pool_waiter *w)
{
    if (w)
        sem_post(&w->sem);
}

/* Checks who connects. The expensive PBKDF2 runs only when the cache cannot vouch, and
 * outside the pool's lock. Caller holds p->lock; it is released and retaken. */
static int pool_authenticate(pool *p, pool_lease *l, const pool_request *req, eng_error *err)
{
    eng_db *db = pool_instance_db(p->inst);
    uint64_t version = eng_db_accounts_version(db);
    bool cached = p->auth_valid && p->auth_version == version;
    if (cached && !p->auth_has_accounts) { /* an open database: nothing to check */
        l->has_account = false;
        l->role = ENG_ROLE_OWNER;
        return 0;
    }
    unsigned char mac[32];
    pool_mac(req->password ? req->password : "", req->password ? req->password_len : 0, mac);
    if (cached && CRYPTO_memcmp(mac, p->auth_mac, sizeof mac) == 0) {
        l->has_account = true;
        l->role = p->auth_role;
        OPENSSL_cleanse(mac, sizeof mac);
        return 0;
    }
    pthread_mutex_unlock(&p->lock);
    bool has = eng_db_has_accounts(db);
    eng_role role = ENG_ROLE_OWNER;
    int rc = 0;
    if (has && !p->account[0])
        rc = pool_err(err, ENG_E_AUTH, "28000",
                      "database %s has accounts: connect with UID and PWD", p->canonical);
    else if (has)
        rc = eng_db_authenticate(db, p->account, req->password ? req->password : "",
                                 req->password ? req->password_len : 0, &role, err);
    pthread_mutex_lock(&p->lock);
    if (rc != 0) {
        p->auth_failures++;
        OPENSSL_cleanse(mac, sizeof mac);
        return -1;
    }
    p->auth_valid = true;
    p->auth_version = version;
    p->auth_has_accounts = has;
    p->auth_role = role;
    memcpy(p->auth_mac, mac, sizeof mac);
    OPENSSL_cleanse(mac, sizeof mac);
    l->has_account = has;
    l->role = role;
    return 0;
}

static void pool_lease_bind(pool_lease *l)
{
    eng_session_set_account(l->s->es, l->has_account ? l->p->account : NULL, l->role);
}

int pool_connect(const pool_request *req, pool_lease **out, eng_error *err)
{
    memset(err, 0, sizeof *err);
    pool *p = pool_directory_get(req, err);
    if (!p)
        return -1;
    pthread_mutex_lock(&p->lock);
    if (!p->inst)
        p->open = req->open; /* nothing open yet: this connection decides */
    bool mismatch = p->open.read_only && !req->open.read_only;
    pthread_mutex_unlock(&p->lock);
    if (mismatch)
        return pool_err(err, ENG_E_CONNECT, "08001",
                        "database %s is open read-only in this process; a read-write "
                        "connection must wait until its read-only connections have closed "
                        "(and PoolIdleTimeout has passed)",
                        req->path);
    pool_lease *l = calloc(1, sizeof *l);
    if (!l)
        return pool_err(err, ENG_E_NOMEM, "HY001", "out of memory connecting");
    l->p = p;
    pthread_mutex_lock(&p->lock);
    /* A session keeps the database open while the credentials are checked. */
    int rc = pool_borrow_locked(p, &l->s, err);
    pool_waiter *served = NULL;
    if (rc == 0 && (rc = pool_authenticate(p, l, req, err)) != 0) {
        eng_session_reset(l->s->es);
        served = pool_return_locked(p, l->s);
        l->s = NULL;
    }
    if (rc == 0 && p->cfg.mode == POOL_MODE_TRANSACTION) {
        served = pool_return_locked(p, l->s); /* borrowed again for each transaction */
        l->s = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    pool_wake(served);
    if (rc != 0) {
        free(l);
        return -1;
    }
    if (l->s)
        pool_lease_bind(l);
    *out = l;
    return 0;
}

void pool_disconnect(pool_lease *l)
{
    if (!l)
        return;
    pool_lease_give_back(l);
    free(l);
}

int pool_lease_borrow(pool_lease *l, eng_error *err)
{
    if (l->s)
        return 0;
    pool *p = l->p;
    pthread_mutex_lock(&p->lock);
    int rc = pool_borrow_locked(p, &l->s, err);
    pthread_mutex_unlock(&p->lock);
    if (rc == 0)
        pool_lease_bind(l);
    return rc;
}

void pool_lease_give_back(pool_lease *l)
{
    if (!l->s)
        return;
    eng_session_reset(l->s->es); /* outside the lock: it may roll back a transaction */
    pool *p = l->p;
    pthread_mutex_lock(&p->lock);
    pool_waiter *served = pool_return_locked(p, l->s);
    pthread_mutex_unlock(&p->lock);
    pool_wake(served);
    l->s = NULL;
}

eng_session *pool_lease_session(const pool_lease *l)
{
    return l->s ? l->s->es : NULL;
}

eng_db *pool_lease_db(const pool_lease *l)
{
    return l->s ? eng_session_db(l->s->es) : NULL;
}

const char *pool_lease_path(const pool_lease *l)
{
    return l->p->canonical ? l->p->canonical : l->p->key_path;
}

pool_mode pool_lease_mode(const pool_lease *l)
{
    return l->p->cfg.mode;
}

void pool_lease_note_conflict(pool_lease *l)
{
    pthread_mutex_lock(&l->p->lock);
    l->p->conflicts++;
    pthread_mutex_unlock(&l->p->lock);
}
