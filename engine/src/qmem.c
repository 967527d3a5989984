/*
 * Query memory accounting. The limit comes from eng_set_query_memory_limit, else the
 * environment (EIDER_QUERY_MEMORY_LIMIT, bytes with an optional K/M/G suffix), else half
 * of the machine's physical memory.
 */
#include "qmem.h"

#include "eider/engine.h"

#include <stdlib.h>
#include <unistd.h>

static uint64_t qmem_configured; /* atomic; 0: not set */

void qmem_init(qmem *m)
{
    m->used = 0;
    m->peak = 0;
    m->limit = qmem_default_limit();
    m->exceeded = false;
}

static uint64_t qmem_parse(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    switch (*end) {
    case 'k':
    case 'K':
        return v << 10;
    case 'm':
    case 'M':
        return v << 20;
    case 'g':
    case 'G':
        return v << 30;
    default:
        return v;
    }
}

uint64_t qmem_default_limit(void)
{
    uint64_t v = __atomic_load_n(&qmem_configured, __ATOMIC_RELAXED);
    if (v)
        return v;
    const char *env = getenv("EIDER_QUERY_MEMORY_LIMIT");
    if (env && *env && (v = qmem_parse(env)) > 0)
        return v;
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && size > 0)
        return (uint64_t)pages * (uint64_t)size / 2;
    return 0;
}

void eng_set_query_memory_limit(uint64_t bytes)
{
    __atomic_store_n(&qmem_configured, bytes, __ATOMIC_RELAXED);
}

uint64_t eng_query_memory_limit(void)
{
    return qmem_default_limit();
}

bool qmem_take(qmem *m, size_t n)
{
    uint64_t used = __atomic_add_fetch(&m->used, n, __ATOMIC_RELAXED);
    if (m->limit && used > m->limit) {
        __atomic_sub_fetch(&m->used, n, __ATOMIC_RELAXED);
        __atomic_store_n(&m->exceeded, true, __ATOMIC_RELAXED);
        return false;
    }
    uint64_t peak = __atomic_load_n(&m->peak, __ATOMIC_RELAXED);
    while (used > peak && !__atomic_compare_exchange_n(&m->peak, &peak, used, true,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return true;
}

bool qmem_exceeded(const qmem *m)
{
    return __atomic_load_n(&m->exceeded, __ATOMIC_RELAXED);
}

void qmem_give(qmem *m, size_t n)
{
    __atomic_sub_fetch(&m->used, n, __ATOMIC_RELAXED);
}

void *qmem_alloc(qmem *m, size_t n)
{
    if (!qmem_take(m, n))
        return NULL;
    void *p = malloc(n ? n : 1);
    if (!p)
        qmem_give(m, n);
    return p;
}

void *qmem_realloc(qmem *m, void *p, size_t old_n, size_t new_n)
{
    if (new_n > old_n && !qmem_take(m, new_n - old_n))
        return NULL;
    void *q = realloc(p, new_n ? new_n : 1);
    if (!q) {
        if (new_n > old_n)
            qmem_give(m, new_n - old_n);
        return NULL;
    }
    if (new_n < old_n)
        qmem_give(m, old_n - new_n);
    return q;
}

void qmem_free(qmem *m, void *p, size_t n)
{
    if (!p)
        return;
    free(p);
    qmem_give(m, n);
}
