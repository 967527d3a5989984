/*
 * Hash indexes on PRIMARY KEY and UNIQUE columns. An index maps a key to the positions of
 * the row versions that carry it (several while a row is being updated or re-inserted);
 * which of them a transaction sees is decided by the rows' MVCC stamps, not by the index.
 *
 * Keys are not copied: an entry is (hash, row position), and candidates are confirmed by
 * comparing the row's stored values, which never change once written. The index is split
 * into shards by hash, each with its own mutex, so concurrent writers and point lookups
 * rarely meet. Rows with a NULL in the key are not indexed (they match nothing and never
 * conflict, as SQL's UNIQUE requires).
 */
#ifndef EIDER_INDEX_H
#define EIDER_INDEX_H

#include "eider/engine.h"

#include <stdbool.h>
#include <stdint.h>

struct tbl_table;
struct txn;

typedef struct idx_index idx_index;

idx_index *idx_create(uint32_t ncols, const uint32_t *cols);
void idx_free(idx_index *ix);

/* Adds row `row` (already written and stamped by t). With `unique`, first checks that no
 * other version with the same key is live or could become live: 23000 for a committed
 * row or one of t's own, 40001 for one another running transaction inserted or holds
 * (deleting or updating it). Returns 0, or -1 with err set (nothing added). */
int idx_add(idx_index *ix, struct tbl_table *tb, uint64_t row, const struct txn *t, bool unique,
            eng_error *err);
/* Adds a row without checks (log replay, rebuilding). */
int idx_add_unchecked(idx_index *ix, struct tbl_table *tb, uint64_t row);
/* Positions of versions whose key equals `key` (values of the key columns, already of the
 * columns' types). Returns how many there are; fills up to cap of them. */
uint32_t idx_lookup(idx_index *ix, const struct tbl_table *tb, const eng_value *key, uint64_t *out,
                    uint32_t cap);
/* Removes the entry of a version that no snapshot can see any more. */
void idx_remove(idx_index *ix, const struct tbl_table *tb, uint64_t row);
uint64_t idx_entry_count(idx_index *ix);

#endif
