/*
 * Version reclamation per table: the garbage list, index cleanup, and unlinking and
 * freeing fully dead segments (see gc.h).
 */
#include "gc.h"

#include <stdlib.h>

static bool gc_reserve(tbl_table *tb, uint64_t more)
{
    if (tb->ngarbage + more <= tb->garbage_cap)
        return true;
    size_t cap = tb->garbage_cap ? tb->garbage_cap : 256;
    while (cap < tb->ngarbage + more)
        cap *= 2;
    tbl_garbage *g = realloc(tb->garbage, cap * sizeof *g);
    if (!g)
        return false; /* the versions stay unreclaimed; nothing is lost but memory */
    tb->garbage = g;
    tb->garbage_cap = cap;
    return true;
}

/* ngarbage is written under gc_lock but read without it by gc_due, hence atomics. */
static void gc_set_count(tbl_table *tb, size_t n)
{
    __atomic_store_n(&tb->ngarbage, n, __ATOMIC_RELAXED);
}

void gc_add_rows(tbl_table *tb, const uint64_t *rows, uint64_t n, uint64_t stamp)
{
    pthread_mutex_lock(&tb->gc_lock);
    if (gc_reserve(tb, n)) {
        size_t at = tb->ngarbage;
        for (uint64_t i = 0; i < n; i++)
            tb->garbage[at++] = (tbl_garbage){rows[i], stamp};
        gc_set_count(tb, at);
    }
    pthread_mutex_unlock(&tb->gc_lock);
}

void gc_add_range(tbl_table *tb, uint64_t first, uint64_t count, uint64_t stamp)
{
    pthread_mutex_lock(&tb->gc_lock);
    if (gc_reserve(tb, count)) {
        size_t at = tb->ngarbage;
        for (uint64_t r = first; r < first + count; r++)
            tb->garbage[at++] = (tbl_garbage){r, stamp};
        gc_set_count(tb, at);
    }
    pthread_mutex_unlock(&tb->gc_lock);
}

bool gc_due(const tbl_table *tb)
{
    return __atomic_load_n(&tb->ngarbage, __ATOMIC_RELAXED) >= GC_THRESHOLD;
}

/* A version nobody can see: drop its index entries and count it dead in its segment. */
static void gc_bury(tbl_table *tb, uint64_t row, uint64_t now)
{
    uint64_t seg_index = row / TBL_SEG_ROWS;
    tbl_segment *s = tbl_segment_at(tb, seg_index);
    if (!s)
        return;
    for (uint32_t k = 0; k < tb->nkeys; k++)
        idx_remove(tb->keys[k].index, tb, row);
    if (++s->dead < TBL_SEG_ROWS)
        return;
    tbl_limbo *l = malloc(sizeof *l);
    if (!l)
        return; /* keep the segment; it is only memory */
    l->seg = tbl_unlink_segment(tb, seg_index);
    l->tag = now;
    l->next = tb->limbo;
    tb->limbo = l;
}

void gc_collect(tbl_table *tb, uint64_t oldest, uint64_t now)
{
    if (pthread_mutex_trylock(&tb->gc_lock) != 0)
        return;
    size_t kept = 0;
    for (size_t i = 0; i < tb->ngarbage; i++) {
        tbl_garbage g = tb->garbage[i];
        if (g.stamp > oldest)
            tb->garbage[kept++] = g;
        else
            gc_bury(tb, g.row, now);
    }
    gc_set_count(tb, kept);
    /* Free unlinked segments no reader can still be looking at. */
    for (tbl_limbo **p = &tb->limbo; *p;) {
        tbl_limbo *l = *p;
        if (l->tag < oldest) {
            *p = l->next;
            tbl_free_segment(tb, l->seg);
            free(l);
        } else {
            p = &l->next;
        }
    }
    pthread_mutex_unlock(&tb->gc_lock);
}
