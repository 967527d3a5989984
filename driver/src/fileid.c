/* Identities of settings files (see fileid.h). */
#include "fileid.h"

#include <string.h>

void drv_file_identify(const char *path, drv_file_id *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    if (stat(path, &st) == 0)
        *id = (drv_file_id){st.st_dev, st.st_ino, st.st_size, st.st_mtim, true};
}

bool drv_file_same(const drv_file_id *a, const drv_file_id *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

long long drv_ns_since(const struct timespec *then, const struct timespec *now)
{
    return (now->tv_sec - then->tv_sec) * 1000000000LL + (now->tv_nsec - then->tv_nsec);
}
