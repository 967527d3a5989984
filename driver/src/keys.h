/*
 * Connection keys: which the driver knows and what values they take. One place checks a
 * value, whether it came from a connection string, a DSN or the configuration file.
 */
#ifndef EIDER_KEYS_H
#define EIDER_KEYS_H

#include "eider/pool.h"

#include <stdbool.h>

/* Whether the driver understands the key (an unknown one gets warning 01S00). */
bool drv_key_known(const char *key);
/* Keys a DSN section carries for the driver manager or tools, not for the driver. */
bool drv_key_dsn_only(const char *key);
/* Applies key=value to req. Returns NULL, or (for an invalid value) what it should be.
 * Keys that do not set an open option or a pool setting are accepted as they are. */
const char *drv_key_apply(const char *key, const char *value, pool_request *req);

#endif
