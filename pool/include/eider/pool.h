/*
 * Eider pool: the process-wide registry of database instances.
 *
 * Every connection to the same database file in a process shares one engine instance (the
 * file is opened and locked once); the instance closes when its last user releases it.
 * ":memory:" gives each caller a private in-memory database; ":memory:NAME" is shared by
 * name within the process.
 */
#ifndef EIDER_POOL_H
#define EIDER_POOL_H

#include "eider/engine.h"

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
/* Instances currently open in this process (for tests and statistics). */
unsigned pool_instance_count(void);

/* The canonical form of a database path: absolute, symlinks resolved in the folder part.
 * Returns a malloc'd string, or NULL with err set (missing folder: 08001). */
char *pool_canonical_path(const char *path, eng_error *err);

#ifdef __cplusplus
}
#endif
#endif
