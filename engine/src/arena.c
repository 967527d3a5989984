/*
 * Arena allocator: a linked list of blocks, bump allocation inside the newest one.
 * Requests larger than a block get a block of their own.
 */
#include "arena.h"

#include "qmem.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

#define ARENA_ALIGN (sizeof(max_align_t))

void arena_init(arena *a, size_t block_size)
{
    a->head = NULL;
    a->spare = NULL;
    a->block_size = block_size ? block_size : 8192;
    a->mem = NULL;
}

void arena_init_counted(arena *a, size_t block_size, struct qmem *mem)
{
    arena_init(a, block_size);
    a->mem = mem;
}

static arena_block *arena_new_block(arena *a, size_t need)
{
    if (need <= a->block_size && a->spare) {
        arena_block *b = a->spare;
        a->spare = b->next;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        return b;
    }
    size_t size = need > a->block_size ? need : a->block_size;
    if (a->mem && !qmem_take(a->mem, sizeof(arena_block) + size))
        return NULL;
    arena_block *b = malloc(sizeof(arena_block) + size);
    if (!b) {
        if (a->mem)
            qmem_give(a->mem, sizeof(arena_block) + size);
        return NULL;
    }
    b->size = size;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    return b;
}

void *arena_alloc_raw(arena *a, size_t size)
{
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    arena_block *b = a->head;
    if (!b || b->size - b->used < rounded) {
        /* A big request gets a block of its own behind the current one, so the space
         * left in the current block stays usable. */
        if (b && rounded > a->block_size / 4 && b->size - b->used >= ARENA_ALIGN) {
            arena_block *own = arena_new_block(a, rounded);
            if (!own)
                return NULL;
            a->head = own->next;
            own->next = a->head->next;
            a->head->next = own;
            own->used = rounded;
            return own->data;
        }
        b = arena_new_block(a, rounded);
        if (!b)
            return NULL;
    }
    void *p = (char *)b->data + b->used;
    b->used += rounded;
    return p;
}

void *arena_alloc(arena *a, size_t size)
{
    void *p = arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = arena_alloc_raw(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

static void arena_free_block(arena *a, arena_block *b)
{
    if (a->mem)
        qmem_give(a->mem, sizeof(arena_block) + b->size);
    free(b);
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        if (b->size == a->block_size) {
            b->next = a->spare;
            a->spare = b;
        } else {
            arena_free_block(a, b);
        }
        b = next;
    }
    a->head = NULL;
}

void arena_free(arena *a)
{
    arena_reset(a);
    arena_block *b = a->spare;
    while (b) {
        arena_block *next = b->next;
        arena_free_block(a, b);
        b = next;
    }
    a->spare = NULL;
}
