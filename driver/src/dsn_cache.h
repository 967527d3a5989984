/*
 * The settings of a DSN (its odbc.ini section), cached per thread and checked against
 * the files on every lookup (dsn_cache.c).
 */
#ifndef EIDER_DSN_CACHE_H
#define EIDER_DSN_CACHE_H

#include "connstr.h"

/* The DSN's keys and values (valid until this thread's next lookup), or NULL when out of
 * memory. A DSN that does not exist has no pairs. */
const cs_list *drv_dsn_lookup(const char *dsn);

#endif
