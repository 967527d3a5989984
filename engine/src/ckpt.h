/*
 * Checkpoint images: every table as one snapshot sees it, written into the database file
 * as a stream of checksummed blocks (docs/file-format.md, "Checkpoint image"). Rows keep
 * their physical positions, so log records written after the snapshot still find them.
 */
#ifndef EIDER_CKPT_H
#define EIDER_CKPT_H

#include "catalog.h"
#include "dbfile.h"

#define CKPT_BLOCK (256u * 1024u) /* bytes on disk per block, header included */

/* Writes the image of snapshot ts at `offset`; *bytes gets its size on disk. With a
 * nonzero `limit` the image must end at or before it: if it would not, the function
 * stops and returns 1 (the caller writes it elsewhere). 0 on success, -1 on error. */
int ckpt_write(int fd, const char *path, cat_catalog *cat, uint64_t ts, uint64_t offset,
               uint64_t limit, uint64_t *bytes, eng_error *err);
/* Loads the image a header points at into an empty catalog; the rows and tables it holds
 * are stamped as committed at the header's checkpoint timestamp. */
int ckpt_load(int fd, const char *path, const dbf_header *h, cat_catalog *cat, eng_error *err);

#endif
