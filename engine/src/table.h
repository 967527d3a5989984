/*
 * Columnar table storage. Rows live in segments of TBL_SEG_ROWS (one vector per column,
 * with a null flag per row) and every row carries two MVCC stamps: who inserted it and who
 * deleted it (a transaction id while uncommitted, the commit timestamp after). Strings
 * are kept out of line in the table's append-only heap.
 *
 * Concurrency: appends hold the table's append lock; readers take none. A reader loads the
 * published row count (acquire) and decides per row from the stamps (see txn.h), so rows
 * being appended or restamped are simply invisible to it. Segments and the heap are never
 * moved or freed while the table lives, so pointers handed to a reader stay valid.
 */
#ifndef EIDER_TABLE_H
#define EIDER_TABLE_H

#include "eider/engine.h"
#include "index.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define TBL_SEG_ROWS   ENG_VECTOR_SIZE
#define TBL_DIR_FANOUT 1024 /* segments per directory block; blocks per table */
#define TBL_MAX_ROWS   ((uint64_t)TBL_DIR_FANOUT * TBL_DIR_FANOUT * TBL_SEG_ROWS)

/* Stamp of a row nobody may see (its inserter rolled back) or nobody deleted. */
#define STAMP_NONE UINT64_MAX

typedef struct tbl_column {
    char *name;
    eng_type type;
    bool not_null;
    bool has_default;
    eng_value default_value; /* of the column's type; strings live in the table's heap */
} tbl_column;

/* A PRIMARY KEY or UNIQUE constraint and its index. */
typedef struct tbl_key {
    bool primary;
    uint32_t ncols;
    uint32_t *cols;
    idx_index *index;
} tbl_key;

typedef struct tbl_segment {
    uint32_t count; /* rows published; read with acquire */
    uint32_t dead;  /* rows no snapshot can see any more, index entries removed (gc_lock) */
    /* A summary that lets a scan skip the stamps (tbl_all_visible): rows whose ins became a
     * commit timestamp, the newest such timestamp, and flags that never clear once set: a
     * del stamp was written, or an ins stamp stopped being a commit timestamp. Updated
     * after the stamps they describe, with release. */
    uint32_t settled;
    uint8_t has_del, unsettled;
    uint64_t ins_max;
    uint64_t ins[TBL_SEG_ROWS];
    uint64_t del[TBL_SEG_ROWS];
    void **data;     /* per column: TBL_SEG_ROWS values of the column's width */
    uint8_t **nulls; /* per column: one byte per row, 1 = NULL. Bytes, not bits, so that
                        writing a row never touches memory a concurrent reader reads. */
} tbl_segment;

typedef struct tbl_heap_block tbl_heap_block;

/* A row version waiting to be reclaimed: dead for every snapshot >= stamp. */
typedef struct tbl_garbage {
    uint64_t row;
    uint64_t stamp;
} tbl_garbage;

/* An unlinked segment, freed once no snapshot older than tag remains. */
typedef struct tbl_limbo {
    struct tbl_limbo *next;
    tbl_segment *seg;
    uint64_t tag;
} tbl_limbo;

typedef struct tbl_table {
    uint64_t id; /* stable across restarts: the log refers to tables by id */
    char *name;
    uint32_t ncols;
    tbl_column *cols;
    uint32_t nkeys;
    tbl_key *keys;
    /* MVCC stamps of the table itself in the catalog. */
    uint64_t created;
    uint64_t dropped;
    uint64_t last_write; /* atomic: newest commit timestamp that changed rows (commit lock) */
    int refs;            /* atomic; the catalog holds one */

    pthread_mutex_t append_lock;
    uint64_t nrows; /* published rows; atomic */
    tbl_segment **dir[TBL_DIR_FANOUT];
    tbl_heap_block *heap; /* newest block first */

    /* Reclaiming (gc.c), under gc_lock. */
    pthread_mutex_t gc_lock;
    tbl_garbage *garbage;
    size_t ngarbage, garbage_cap;
    tbl_limbo *limbo;
    uint64_t segments_live; /* atomic: allocated and not freed */
    tbl_segment *spare;     /* atomic: a freed segment kept for the next one (table.c) */
} tbl_table;

size_t tbl_type_width(eng_type_id id);

/* Creates an empty table with an index per key; takes copies of name, columns (with their
 * default values) and keys. NULL when out of memory. */
tbl_table *tbl_create(uint64_t id, const char *name, uint32_t ncols, const tbl_column *cols,
                      uint32_t nkeys, const tbl_key *keys);
void tbl_ref(tbl_table *t);
void tbl_unref(tbl_table *t);

uint64_t tbl_row_count(const tbl_table *t); /* published rows, committed or not */
/* The segment holding rows [seg_index * TBL_SEG_ROWS, ...); NULL once reclaimed (every
 * row in it was dead for every snapshot). */
tbl_segment *tbl_segment_at(const tbl_table *t, uint64_t seg_index);
/* Unlinks a fully dead segment; the caller frees it when no reader can hold it. */
tbl_segment *tbl_unlink_segment(tbl_table *t, uint64_t seg_index);
void tbl_free_segment(tbl_table *t, tbl_segment *s);
size_t tbl_segment_bytes(const tbl_table *t);

/*
 * Appending: the caller holds append_lock between tbl_append_reserve and tbl_append_publish,
 * writes the values of rows [first, first + n) with tbl_set_* and stamps them.
 */
int tbl_append_reserve(tbl_table *t, uint64_t n, uint64_t *first, eng_error *err);
void tbl_append_publish(tbl_table *t, uint64_t end);
/* Copies a string into the heap; NULL when out of memory. */
const char *tbl_heap_copy(tbl_table *t, const char *s, uint32_t len);
/* Stores one value (already of the column's type) into row `row` of column `col`. */
void tbl_store(tbl_table *t, uint64_t row, uint32_t col, const eng_value *v);
void tbl_set_ins(tbl_table *t, uint64_t row, uint64_t stamp);
/* tbl_set_ins for rows [first, first + n), with one summary update per segment. */
void tbl_set_ins_range(tbl_table *t, uint64_t first, uint64_t n, uint64_t stamp);
void tbl_set_del(tbl_table *t, uint64_t row, uint64_t stamp);
/* Claims a row for deletion by transaction `id`: succeeds when nobody has (del was
 * STAMP_NONE); otherwise *holder gets the stamp found. */
bool tbl_claim(tbl_table *t, uint64_t row, uint64_t id, uint64_t *holder);
/* Are rows [0, to) of s all visible to a snapshot taken before the scan read the table's
 * row count (to <= that count), with rows [to, ...) of the segment appended after it? True
 * when every one of them has a commit timestamp <= start as ins and none was ever marked
 * deleted: then no stamp needs reading. False says nothing (read the stamps). Rows
 * committed after the snapshot have timestamps above start, so counting them among the
 * settled rows cannot hide an unsettled row: ins_max is then above start. */
static inline bool tbl_all_visible(const tbl_segment *s, uint32_t to, uint64_t start)
{
    return __atomic_load_n(&s->settled, __ATOMIC_ACQUIRE) == to &&
           __atomic_load_n(&s->ins_max, __ATOMIC_ACQUIRE) <= start &&
           !__atomic_load_n(&s->has_del, __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&s->unsettled, __ATOMIC_ACQUIRE);
}
/* Reads one stored value (strings point into the table's heap). */
void tbl_get(const tbl_table *t, uint64_t row, uint32_t col, eng_value *out);
/* "(a, b)=(1, 'x')" for the key columns of a row, for error messages. */
void tbl_describe_key(const tbl_table *t, uint64_t row, uint32_t ncols, const uint32_t *cols,
                      char *buf, size_t size);
/* The primary key, or NULL. */
const tbl_key *tbl_primary_key(const tbl_table *t);

#endif
