/*
 * Arena allocation: memory taken in large blocks and freed as a whole, so a statement's
 * parse tree, plan and temporaries need no individual frees and error paths cannot leak
 * (PostgreSQL's memory contexts, reduced to what we use). An arena can count its blocks
 * against a query's memory limit (qmem.h).
 */
#ifndef EIDER_ARENA_H
#define EIDER_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
struct qmem;

typedef struct arena {
    arena_block *head;
    arena_block *spare; /* blocks of block_size kept by arena_reset for reuse */
    size_t block_size;
    struct qmem *mem; /* NULL: not counted */
} arena;

void arena_init(arena *a, size_t block_size);
/* An arena whose blocks count against mem. */
void arena_init_counted(arena *a, size_t block_size, struct qmem *mem);
/* Memory aligned for any type; zero-filled. Returns NULL only when malloc fails (or the
 * arena's memory limit refuses). */
void *arena_alloc(arena *a, size_t size);
/* Like arena_alloc without zero-filling, for buffers the caller fills completely. */
void *arena_alloc_raw(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
/* Empties the arena. Blocks of the standard size are kept for the next allocations (an
 * operator's scratch arena is reset for every batch, and handing its blocks back to malloc
 * each time costs page faults); larger ones are freed. */
void arena_reset(arena *a);
void arena_free(arena *a);

#endif
