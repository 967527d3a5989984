/*
 * A per-thread cache of DSN sections. Reading a DSN through unixODBC's
 * SQLGetPrivateProfileString costs about 250 us inside a connect (the driver manager's own
 * ini reads evict the library's one-file cache), more than the rest of a pooled connect.
 * So each thread keeps the last DSNs it read. An entry is used for at most 250 ms before
 * it is checked again: neither odbc.ini file unixODBC reads may have changed (inode, size,
 * modification time), nor the environment naming them. An edited DSN takes effect within a
 * quarter of a second. Thread-local, so connecting threads share no lock.
 */
#include "dsn_cache.h"

#include "fileid.h"

#include <odbcinst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define DSN_CACHE_ENTRIES 4
typedef struct dsn_entry {
    char *name;
    char *env; /* ODBCINI, ODBCSYSINI and HOME when read */
    drv_file_id files[2];
    cs_list pairs;
    bool used;
    struct timespec checked; /* CLOCK_MONOTONIC_COARSE */
} dsn_entry;

static __thread dsn_entry dsn_cache[DSN_CACHE_ENTRIES];
static __thread unsigned dsn_next;

/* The two files unixODBC reads DSNs from: the user's and the system's odbc.ini. */
static void dsn_files(char paths[2][1024])
{
    const char *ini = getenv("ODBCINI"), *sys = getenv("ODBCSYSINI"), *home = getenv("HOME");
    if (ini && *ini)
        snprintf(paths[0], 1024, "%s", ini);
    else
        snprintf(paths[0], 1024, "%s/.odbc.ini", home ? home : "");
    snprintf(paths[1], 1024, "%s/odbc.ini", sys && *sys ? sys : "/etc");
}

/* The environment variables that decide which files unixODBC reads, joined into buf. */
static void dsn_env(char *buf, size_t size)
{
    const char *names[] = {"ODBCINI", "ODBCSYSINI", "HOME", "ODBCSEARCH"};
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof *names && n < size; i++) {
        const char *v = getenv(names[i]);
        n += (size_t)snprintf(buf + n, size - n, "%s\x1f", v ? v : "");
    }
}

static void dsn_identify(drv_file_id ids[2])
{
    char paths[2][1024];
    dsn_files(paths);
    for (int i = 0; i < 2; i++)
        drv_file_identify(paths[i], &ids[i]);
}

static void dsn_clear(dsn_entry *e)
{
    free(e->name);
    free(e->env);
    cs_free(&e->pairs);
    memset(e, 0, sizeof *e);
}

/* Reads a DSN section through unixODBC into e->pairs. */
static bool dsn_read(dsn_entry *e, const char *dsn)
{
    char keys[4096];
    int n = SQLGetPrivateProfileString(dsn, NULL, "", keys, sizeof keys, "odbc.ini");
    for (const char *k = keys; n > 0 && *k && k < keys + sizeof keys; k += strlen(k) + 1) {
        char value[4096];
        SQLGetPrivateProfileString(dsn, k, "", value, sizeof value, "odbc.ini");
        if (cs_set_default(&e->pairs, k, value) != CS_OK)
            return false;
    }
    return true;
}

const cs_list *drv_dsn_lookup(const char *dsn)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    dsn_entry *hit = NULL;
    for (unsigned i = 0; i < DSN_CACHE_ENTRIES && !hit; i++)
        if (dsn_cache[i].used && strcasecmp(dsn_cache[i].name, dsn) == 0)
            hit = &dsn_cache[i];
    if (hit && drv_ns_since(&hit->checked, &now) < DRV_RECHECK_NS)
        return &hit->pairs;
    char env[4096];
    dsn_env(env, sizeof env);
    drv_file_id files[2];
    dsn_identify(files);
    if (hit && strcmp(hit->env, env) == 0 && drv_file_same(&hit->files[0], &files[0]) &&
        drv_file_same(&hit->files[1], &files[1])) {
        hit->checked = now;
        return &hit->pairs;
    }
    dsn_entry *e = hit ? hit : &dsn_cache[dsn_next++ % DSN_CACHE_ENTRIES];
    dsn_clear(e);
    e->name = strdup(dsn);
    e->env = strdup(env);
    memcpy(e->files, files, sizeof files);
    e->checked = now;
    if (!e->name || !e->env || !dsn_read(e, dsn)) {
        dsn_clear(e);
        return NULL;
    }
    e->used = true;
    return &e->pairs;
}
