/*
 * The configuration file (config.h), read with iniparser.
 *
 *   [pool]                      defaults for every pool of the process
 *   [database LABEL]            Path = /srv/sales.eider, and settings for that database
 *   [account NAME]              settings for pools of that account (UID), on any database
 *
 * Every setting is checked when the file is read, with the same checks as a connection
 * string (keys.c), so a typo fails the connection with the file, the line and the key
 * instead of being ignored. Each thread keeps the files it read and looks at them again
 * at most every 250 ms (by identity, fileid.h), like the DSN cache: no lock and no file
 * reading on a warm connect. iniparser lowercases section and key names, so account
 * sections match UID without regard to case; a Path value keeps its case.
 */
#include "config.h"

#include "fileid.h"
#include "keys.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { CFG_POOL, CFG_DATABASE, CFG_ACCOUNT };

typedef struct cfg_section {
    int kind;
    char *name; /* the label or account name (lowercase); "" for [pool] */
    char *path; /* [database]: Path, canonical when its folder exists */
    cs_list pairs;
} cfg_section;

struct drv_config {
    char *key;      /* the ConfigFile value, or "" for the default locations */
    char *paths[2]; /* candidate files, in order */
    drv_file_id ids[2];
    struct timespec checked;
    cfg_section *sections;
    size_t n;
    char *error; /* the file is broken: why */
    bool used;
};

#define CFG_CACHE 2
static __thread drv_config cfg_cache[CFG_CACHE];
static __thread unsigned cfg_next;

/* Settings a configuration file may carry (besides Path in [database]). */
static const char *const cfg_keys[] = {"Pooling",         "PoolMode",        "PoolMaxSessions",
                                       "PoolMinIdle",     "PoolIdleTimeout", "PoolAcquireTimeout",
                                       "PoolMaxLifetime", "Synchronous",     "AccessMode"};

static void cfg_clear(drv_config *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->sections[i].name);
        free(c->sections[i].path);
        cs_free(&c->sections[i].pairs);
    }
    free(c->sections);
    free(c->key);
    free(c->paths[0]);
    free(c->paths[1]);
    free(c->error);
    memset(c, 0, sizeof *c);
}

static char *cfg_expand(const char *p)
{
    const char *home = getenv("HOME");
    char buf[4200];
    if (p[0] == '~' && p[1] == '/' && home)
        snprintf(buf, sizeof buf, "%s/%s", home, p + 2);
    else
        snprintf(buf, sizeof buf, "%s", p);
    return strdup(buf);
}

/* The line of `section` (and of `key` in it, when key is given), 0 if not found. Also
 * copies the key as written into `spelled`. Only for messages: iniparser keeps no lines. */
static int cfg_line_of(const char *file, const char *section, const char *key, char *spelled,
                       size_t size)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return 0;
    char line[4096];
    int no = 0, found = 0;
    bool in = false;
    while (!found && fgets(line, sizeof line, f)) {
        no++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '[') {
            char *end = strchr(s, ']');
            char *b = s + 1;
            while (end && b < end && isspace((unsigned char)*b))
                b++;
            while (end && end > b && isspace((unsigned char)end[-1]))
                end--;
            in = end && (size_t)(end - b) == strlen(section) &&
                 strncasecmp(b, section, strlen(section)) == 0;
            if (in && !key)
                found = no;
        } else if (in && key) {
            size_t n = strcspn(s, "=");
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            if (n == strlen(key) && strncasecmp(s, key, n) == 0) {
                snprintf(spelled, size, "%.*s", (int)n, s);
                found = no;
            }
        }
    }
    fclose(f);
    return found;
}

static int cfg_fail(drv_config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int cfg_fail(drv_config *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(c->error);
    c->error = strdup(buf);
    return -1;
}

/* iniparser reports syntax errors through one process-wide callback. */
static pthread_mutex_t cfg_ini_lock = PTHREAD_MUTEX_INITIALIZER;
static char cfg_ini_msg[1024];

static int cfg_errback(const char *fmt, ...)
{
    if (cfg_ini_msg[0])
        return 0; /* the first error is the one to fix */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cfg_ini_msg, sizeof cfg_ini_msg, fmt, ap);
    va_end(ap);
    for (char *p = cfg_ini_msg; *p; p++)
        if (*p == '\n')
            *p = p[1] ? ' ' : '\0';
    return 0;
}

static dictionary *cfg_load_ini(drv_config *c, const char *file)
{
    pthread_mutex_lock(&cfg_ini_lock);
    cfg_ini_msg[0] = '\0';
    iniparser_set_error_callback(cfg_errback);
    dictionary *d = iniparser_load(file);
    iniparser_set_error_callback(NULL);
    /* iniparser says "syntax error in FILE (LINE): -> TEXT"; say it our way. */
    const char *open_paren = strrchr(cfg_ini_msg, '('), *text = strstr(cfg_ini_msg, "-> ");
    if (!d && strstr(cfg_ini_msg, "syntax error") && open_paren && text)
        cfg_fail(c, "configuration file %s line %d: not a setting, a [section] or a comment: %s",
                 file, atoi(open_paren + 1), text + 3);
    else if (!d)
        cfg_fail(c, "configuration file %s cannot be read: %s", file,
                 cfg_ini_msg[0] ? cfg_ini_msg + (strncmp(cfg_ini_msg, "iniparser: ", 11) ? 0 : 11)
                                : strerror(errno));
    pthread_mutex_unlock(&cfg_ini_lock);
    return d;
}

/* One section: its kind from its name, then every key checked and kept. */
static int cfg_section_read(drv_config *c, const char *file, dictionary *d, const char *sec)
{
    cfg_section *cs = &c->sections[c->n];
    memset(cs, 0, sizeof *cs);
    int line = cfg_line_of(file, sec, NULL, NULL, 0);
    if (strcmp(sec, "pool") == 0)
        cs->kind = CFG_POOL;
    else if (strncmp(sec, "database ", 9) == 0 && sec[9])
        cs->kind = CFG_DATABASE;
    else if (strncmp(sec, "account ", 8) == 0 && sec[8])
        cs->kind = CFG_ACCOUNT;
    else
        return cfg_fail(c,
                        "configuration file %s line %d: unknown section [%s] (expected [pool], "
                        "[database LABEL] or [account NAME])",
                        file, line, sec);
    cs->name = strdup(cs->kind == CFG_POOL ? "" : strchr(sec, ' ') + 1);
    c->n++;
    if (!cs->name)
        return cfg_fail(c, "out of memory");
    int nkeys = iniparser_getsecnkeys(d, sec);
    const char **keys = nkeys > 0 ? calloc((size_t)nkeys, sizeof *keys) : NULL;
    if (nkeys > 0 && (!keys || !iniparser_getseckeys(d, sec, keys)))
        return free(keys), cfg_fail(c, "out of memory");
    pool_request scratch = {0};
    pool_config_defaults(&scratch.config);
    int rc = 0;
    for (int i = 0; i < nkeys && rc == 0; i++) {
        const char *k = keys[i] + strlen(sec) + 1, *v = iniparser_getstring(d, keys[i], "");
        char spelled[256];
        snprintf(spelled, sizeof spelled, "%s", k);
        int kline = cfg_line_of(file, sec, k, spelled, sizeof spelled);
        const char *expect = NULL;
        if (cs->kind == CFG_DATABASE && strcasecmp(k, "Path") == 0) {
            eng_error err;
            char *raw = cfg_expand(v);
            cs->path = raw ? pool_canonical_path(raw, &err) : NULL;
            if (!cs->path) /* a folder that does not exist (yet): match the path as written */
                cs->path = raw, raw = NULL;
            free(raw);
            continue;
        }
        bool allowed = false;
        for (size_t j = 0; j < sizeof cfg_keys / sizeof *cfg_keys; j++)
            allowed = allowed || strcasecmp(k, cfg_keys[j]) == 0;
        if (!allowed)
            rc = cfg_fail(c,
                          "configuration file %s line %d: unknown key \"%s\" in [%s] (see "
                          "docs/pooling.md)",
                          file, kline, spelled, sec);
        else if ((expect = drv_key_apply(k, v, &scratch)))
            rc = cfg_fail(c,
                          "configuration file %s line %d: invalid value \"%s\" for %s: expected %s",
                          file, kline, v, spelled, expect);
        else if (cs_set_default(&cs->pairs, spelled, v) != CS_OK)
            rc = cfg_fail(c, "out of memory");
    }
    free(keys);
    if (rc == 0 && cs->kind == CFG_DATABASE && !cs->path)
        rc = cfg_fail(c, "configuration file %s line %d: [%s] has no Path (the database file)",
                      file, line, sec);
    return rc;
}

static int cfg_read(drv_config *c, const char *file)
{
    dictionary *d = cfg_load_ini(c, file);
    if (!d)
        return -1;
    int nsec = iniparser_getnsec(d);
    c->sections = nsec > 0 ? calloc((size_t)nsec, sizeof *c->sections) : NULL;
    int rc = nsec > 0 && !c->sections ? cfg_fail(c, "out of memory") : 0;
    for (int i = 0; i < nsec && rc == 0; i++)
        rc = cfg_section_read(c, file, d, iniparser_getsecname(d, i));
    iniparser_freedict(d);
    return rc;
}

/* Fills the candidate files of an entry for ConfigFile `key` ("" for the defaults). */
static int cfg_candidates(drv_config *c, const char *key)
{
    if (*key) {
        c->paths[0] = cfg_expand(key);
        return c->paths[0] ? 0 : -1;
    }
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char buf[4200];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/eider/eider.ini", xdg);
    else
        snprintf(buf, sizeof buf, "%s/.config/eider/eider.ini", home ? home : "");
    c->paths[0] = strdup(buf);
    c->paths[1] = strdup("/etc/eider/eider.ini");
    return c->paths[0] && c->paths[1] ? 0 : -1;
}

static bool cfg_unchanged(drv_config *c)
{
    for (int i = 0; i < 2 && c->paths[i]; i++) {
        drv_file_id id;
        drv_file_identify(c->paths[i], &id);
        if (!drv_file_same(&id, &c->ids[i]))
            return false;
    }
    return true;
}

/* (Re)reads an entry: the first candidate that exists, or nothing. */
static void cfg_load(drv_config *c, const char *key)
{
    cfg_clear(c);
    c->used = true;
    if (!(c->key = strdup(key)) || cfg_candidates(c, key) != 0) {
        cfg_fail(c, "out of memory");
        return;
    }
    for (int i = 0; i < 2 && c->paths[i]; i++)
        drv_file_identify(c->paths[i], &c->ids[i]);
    for (int i = 0; i < 2 && c->paths[i]; i++)
        if (c->ids[i].exists) {
            cfg_read(c, c->paths[i]);
            return;
        }
    if (*key)
        cfg_fail(c, "configuration file %s (ConfigFile) does not exist", c->paths[0]);
}

int drv_config_get(const char *config_file, const drv_config **out, char *msg, size_t size)
{
    const char *key = config_file ? config_file : "";
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    drv_config *c = NULL;
    for (unsigned i = 0; i < CFG_CACHE && !c; i++)
        if (cfg_cache[i].used && cfg_cache[i].key && strcmp(cfg_cache[i].key, key) == 0)
            c = &cfg_cache[i];
    if (!c) {
        c = &cfg_cache[cfg_next++ % CFG_CACHE];
        cfg_load(c, key);
    } else if (drv_ns_since(&c->checked, &now) >= DRV_RECHECK_NS && !cfg_unchanged(c)) {
        cfg_load(c, key);
    }
    c->checked = now;
    *out = c->error || c->n == 0 ? NULL : c;
    if (c->error)
        snprintf(msg, size, "%s", c->error);
    return c->error ? -1 : 0;
}

static int cfg_add(const cfg_section *s, cs_list *l)
{
    for (size_t i = 0; i < s->pairs.n; i++)
        if (cs_set_default(l, s->pairs.pairs[i].key, s->pairs.pairs[i].value) != CS_OK)
            return -1;
    return 0;
}

int drv_config_merge(const drv_config *c, const char *path, const char *account, cs_list *l)
{
    char *canonical = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->sections[i].kind == CFG_ACCOUNT && account &&
            strcasecmp(c->sections[i].name, account) == 0 && cfg_add(&c->sections[i], l) != 0)
            return -1;
    for (size_t i = 0; i < c->n; i++) {
        const cfg_section *s = &c->sections[i];
        if (s->kind != CFG_DATABASE)
            continue;
        if (!canonical) {
            eng_error err;
            canonical = pool_canonical_path(path, &err);
            if (!canonical && !(canonical = strdup(path)))
                return -1;
        }
        if (strcmp(s->path, canonical) == 0 && cfg_add(s, l) != 0)
            return free(canonical), -1;
    }
    free(canonical);
    for (size_t i = 0; i < c->n; i++)
        if (c->sections[i].kind == CFG_POOL && cfg_add(&c->sections[i], l) != 0)
            return -1;
    return 0;
}
