/*
 * Reclaiming row versions no snapshot can see (engine/README.md, "Reclaiming").
 *
 * Committed deletes (and inserts that rolled back) are recorded per table with the stamp
 * from which they are invisible to everyone. Once the oldest snapshot any session holds
 * has passed that stamp, the version's index entries are removed and it counts as dead in
 * its segment; a full segment whose rows are all dead is unlinked from the table (its
 * positions stay reserved) and freed once every reader that might still hold a pointer to
 * it has finished, i.e. once the oldest snapshot has passed the moment of unlinking.
 */
#ifndef EIDER_GC_H
#define EIDER_GC_H

#include "table.h"

#define GC_THRESHOLD 1024 /* garbage entries that make a committer collect */

/* Records rows that are dead for every snapshot >= stamp. */
void gc_add_rows(tbl_table *tb, const uint64_t *rows, uint64_t n, uint64_t stamp);
void gc_add_range(tbl_table *tb, uint64_t first, uint64_t count, uint64_t stamp);
bool gc_due(const tbl_table *tb);
/* Reclaims what the oldest snapshot allows; `now` is the current commit timestamp.
 * Skips the work if another thread is collecting this table. */
void gc_collect(tbl_table *tb, uint64_t oldest, uint64_t now);

#endif
