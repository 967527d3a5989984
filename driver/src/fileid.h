/*
 * Whether a settings file changed: its identity (device, inode, size, modification time)
 * as stat() sees it. The DSN cache and the config-file cache reuse what they read while
 * the identity stays the same, and look again at most every DRV_RECHECK_NS.
 */
#ifndef EIDER_FILEID_H
#define EIDER_FILEID_H

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#define DRV_RECHECK_NS 250000000LL

typedef struct drv_file_id {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    bool exists;
} drv_file_id;

void drv_file_identify(const char *path, drv_file_id *id);
bool drv_file_same(const drv_file_id *a, const drv_file_id *b);
/* Nanoseconds from `then` to `now` (CLOCK_MONOTONIC_COARSE readings). */
long long drv_ns_since(const struct timespec *then, const struct timespec *now);

#endif
