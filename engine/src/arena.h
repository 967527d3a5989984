/*
 * Arena allocation: memory taken in large blocks and freed as a whole, so a statement's
 * parse tree, plan and temporaries need no individual frees and error paths cannot leak
 * (PostgreSQL's memory contexts, reduced to what we use).
 */
#ifndef EIDER_ARENA_H
#define EIDER_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
    size_t block_size;
} arena;

void arena_init(arena *a, size_t block_size);
/* Memory aligned for any type; zero-filled. Returns NULL only when malloc fails. */
void *arena_alloc(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
/* Frees every block but the first, which is kept (zeroing is done per allocation). */
void arena_reset(arena *a);
void arena_free(arena *a);

#endif
