/*
 * The database file: two alternating checksummed headers, an owner block naming the
 * process that holds it read-write, and the file lock (docs/file-format.md).
 *
 * Locks are open-file-description locks (F_OFD_SETLK): exclusive for read-write, shared
 * for read-only. Unlike classic fcntl locks they are not dropped when the process closes
 * some other descriptor of the same file, and the kernel drops them when the process dies.
 */
#ifndef EIDER_DBFILE_H
#define EIDER_DBFILE_H

#include "eider/engine.h"

#include <stdbool.h>
#include <stdint.h>

#define DBF_HEADER_SIZE    4096
#define DBF_OWNER_OFFSET   (2 * DBF_HEADER_SIZE)
#define DBF_OWNER_SIZE     512
#define DBF_IMAGE_AREA     (3 * DBF_HEADER_SIZE) /* checkpoint images start here or later */
#define DBF_FORMAT_VERSION 1

typedef struct dbf_header {
    uint64_t iteration;
    uint64_t db_uuid;
    uint64_t checkpoint_ts; /* 0: nothing checkpointed yet, all data is in the log */
    uint64_t image_offset;  /* where the checkpoint image starts (0: none) */
    uint64_t image_bytes;   /* its size on disk, block headers included */
} dbf_header;

typedef struct dbf_file {
    int fd;
    bool read_only;
    dbf_header header; /* the newest valid header */
} dbf_file;

/* Opens (creating it if absent and not read-only) and locks the file. */
int dbf_open(const char *path, bool read_only, dbf_file *out, eng_error *err);
void dbf_close(dbf_file *f);
/* Makes h the current header: written, with the next iteration, into the slot that does
 * not hold the current one, and synced. A crash before the sync leaves the old header in
 * force; after it, the new one. */
int dbf_switch_header(dbf_file *f, const char *path, dbf_header h, eng_error *err);

#endif
