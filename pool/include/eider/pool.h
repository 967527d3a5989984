/*
 * Eider pool: database instances and session pools.
 *
 * Instances: every connection to one database file in a process shares one engine
 * instance (the file is opened and locked once). ":memory:" gives each caller a private
 * in-memory database; ":memory:NAME" is shared by name within the process.
 *
 * Session pools: one per (database, account). Connecting borrows a warm session (the most
 * recently returned one) or creates one up to the pool's limit, and otherwise waits, first
 * come first served, up to the acquire timeout (then HYT00). Disconnecting resets the
 * session and returns it. A housekeeper evicts sessions idle too long or past their
 * lifetime, keeps the minimum idle, and lets go of a database (and its file lock) once no
 * session uses it. In transaction mode a connection borrows a session only for the length
 * of each transaction. See pool/README.md and docs/pooling.md.
 */
#ifndef EIDER_POOL_H
#define EIDER_POOL_H

#include "eider/engine.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pool_instance pool_instance;

/* Finds or opens the instance for `path`. A read-write request on an instance this
 * process opened read-only is refused (08001); the reverse shares the instance. */
int pool_instance_acquire(const char *path, const eng_open_opts *opts, pool_instance **out,
                          eng_error *err);
void pool_instance_release(pool_instance *inst);
eng_db *pool_instance_db(const pool_instance *inst);
/* The canonical path the instance is registered under. */
const char *pool_instance_path(const pool_instance *inst);
/* Calls fn for every shared open instance (not private :memory: ones), each held open
 * meanwhile, without the registry's lock. Returns 0, or -1 when out of memory. */
int pool_instance_each(void (*fn)(const char *path, eng_db *db, bool read_only, void *ctx),
                       void *ctx);
/* Instances currently open in this process (for tests and statistics). */
unsigned pool_instance_count(void);

/* The canonical form of a database path: absolute, symlinks resolved in the folder part.
 * Returns a malloc'd string, or NULL with err set (missing folder: 08001). */
char *pool_canonical_path(const char *path, eng_error *err);

typedef enum pool_mode {
    POOL_MODE_SESSION = 0, /* a connection keeps one session from connect to disconnect */
    POOL_MODE_TRANSACTION, /* a connection borrows a session for each transaction */
} pool_mode;

/* Pool settings. A pool takes them from the connection that creates it. */
typedef struct pool_config {
    bool pooling; /* false: every connect gets a fresh session, closed after */
    pool_mode mode;
    uint32_t max_sessions;       /* sessions open at once, busy or idle */
    uint32_t min_idle;           /* idle sessions kept warm */
    uint64_t idle_timeout_ms;    /* an idle session beyond min_idle closes after this */
    uint64_t acquire_timeout_ms; /* a connect waits this long for a session, then HYT00 */
    uint64_t max_lifetime_ms;    /* a session is replaced after this (0: never) */
} pool_config;

/* The defaults: 100 sessions, none kept idle, 60 seconds idle (a process lets go of a
 * database, and its file lock, a minute after its last connection), 30 seconds to acquire,
 * 30 minutes lifetime. */
void pool_config_defaults(pool_config *c);

typedef struct pool_request {
    const char *path; /* as the connection gave it */
    eng_open_opts open;
    const char *account;  /* UID, or NULL */
    const char *password; /* PWD (not copied; the caller wipes it), or NULL */
    size_t password_len;
    pool_config config;
} pool_request;

typedef struct pool_lease pool_lease;

/* Connects: finds (or creates) the pool, authenticates when the database has accounts
 * (28000 on failure), and borrows a session unless the pool is in transaction mode.
 * Errors: 08001 (cannot open), 28000 (authentication), HYT00 (pool exhausted). */
int pool_connect(const pool_request *req, pool_lease **out, eng_error *err);
/* Returns the session (reset) and ends the lease. */
void pool_disconnect(pool_lease *l);
eng_db *pool_lease_db(const pool_lease *l);
const char *pool_lease_path(const pool_lease *l);
pool_mode pool_lease_mode(const pool_lease *l);
/* The session the lease holds now, or NULL (transaction mode between transactions). */
eng_session *pool_lease_session(const pool_lease *l);
/* Transaction mode: borrows a session (waiting up to the acquire timeout: HYT00) and
 * hands it back. In session mode these do nothing. */
int pool_lease_borrow(pool_lease *l, eng_error *err);
void pool_lease_give_back(pool_lease *l);
/* Counts a transaction conflict (40001) in the pool's statistics. */
void pool_lease_note_conflict(pool_lease *l);

/* Statistics of every pool, HikariCP-style. */
#define POOL_HISTOGRAM 16 /* acquire time buckets: < 1, 2, 4 ... 2^15 microseconds, more */
typedef struct pool_stats {
    const char *database;
    const char *account; /* "" for none */
    const char *mode;    /* "session" or "transaction" */
    uint32_t active, idle, waiting, max;
    uint64_t acquired, created, destroyed, timeouts, auth_failures, conflicts;
    uint64_t acquire_us[POOL_HISTOGRAM];
} pool_stats;
/* Calls fn for every pool with a copy of its counters, holding no lock. */
void pool_for_each_stats(void (*fn)(const pool_stats *s, void *ctx), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
