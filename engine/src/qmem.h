/*
 * Memory of one query: every operator's buffers (hash tables, sort runs, arenas) are
 * counted here against a limit, so a query that would need more fails with 53200
 * instead of taking the machine down, and its peak can be reported.
 */
#ifndef EIDER_QMEM_H
#define EIDER_QMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct qmem {
    uint64_t used; /* atomic: parallel workers share one */
    uint64_t peak;
    uint64_t limit; /* 0: no limit */
    bool exceeded;  /* atomic: a request was refused because of the limit */
} qmem;

void qmem_init(qmem *m);
/* Counts n more bytes; false (nothing counted) when that would pass the limit. */
bool qmem_take(qmem *m, size_t n);
void qmem_give(qmem *m, size_t n);
/* malloc / realloc / free of counted memory; the caller passes the sizes. NULL when the
 * limit or the system refuses. */
void *qmem_alloc(qmem *m, size_t n);
void *qmem_realloc(qmem *m, void *p, size_t old_n, size_t new_n);
void qmem_free(qmem *m, void *p, size_t n);
/* Did a request fail because of the limit? */
bool qmem_exceeded(const qmem *m);
/* The process-wide limit new queries get (eng_set_query_memory_limit). */
uint64_t qmem_default_limit(void);

#endif
