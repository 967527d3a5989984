/*
 * The configuration file: pool and open settings per database and per account, in INI
 * form, below the connection string and the DSN (docs/pooling.md#the-configuration-file).
 */
#ifndef EIDER_CONFIG_H
#define EIDER_CONFIG_H

#include "connstr.h"

#include <stddef.h>

typedef struct drv_config drv_config;

/* The configuration for a connection: the file `config_file` names (the ConfigFile key,
 * "~/" expanded), or without one the first of $XDG_CONFIG_HOME/eider/eider.ini
 * (~/.config/eider/eider.ini) and /etc/eider/eider.ini that exists. Sets *out (NULL when
 * there is no file) and returns 0; returns -1 with a message naming the file, the line and
 * the key when the file cannot be read or holds an invalid setting. *out stays valid until
 * this thread's next call. */
int drv_config_get(const char *config_file, const drv_config **out, char *msg, size_t size);

/* Adds the settings that apply to a connection to the database at `path` (as the
 * connection names it) with `account` (or NULL), keeping keys l already has: first the
 * [account NAME] section, then the [database LABEL] section whose Path is that file, then
 * [pool]. Returns 0, or -1 when out of memory. */
int drv_config_merge(const drv_config *c, const char *path, const char *account, cs_list *l);

#endif
