/*
 * Catalog entries and their visibility. A CREATE that meets an entry of the same name
 * decides between "already exists" (42S01: the other is visible to us) and a conflict
 * (40001: another transaction created it and has not committed, or committed after our
 * snapshot), as PostgreSQL and DuckDB do for catalog write-write conflicts.
 */
#include "catalog.h"

#include "errors.h"

#include <stdlib.h>
#include <strings.h>

void cat_init(cat_catalog *c)
{
    pthread_mutex_init(&c->lock, NULL);
    c->tables = NULL;
    c->n = c->cap = 0;
    c->next_id = 1;
    c->version = 1;
}

void cat_destroy(cat_catalog *c)
{
    for (uint32_t i = 0; i < c->n; i++)
        tbl_unref(c->tables[i]);
    free(c->tables);
    c->tables = NULL;
    c->n = c->cap = 0;
    pthread_mutex_destroy(&c->lock);
}

uint64_t cat_version(const cat_catalog *c)
{
    return __atomic_load_n(&c->version, __ATOMIC_ACQUIRE);
}

void cat_bump_version(cat_catalog *c)
{
    __atomic_add_fetch(&c->version, 1, __ATOMIC_ACQ_REL);
}

bool cat_table_visible(const tbl_table *tb, const txn *t)
{
    uint64_t created = __atomic_load_n(&tb->created, __ATOMIC_ACQUIRE);
    uint64_t dropped = __atomic_load_n(&tb->dropped, __ATOMIC_ACQUIRE);
    return txn_row_visible(created, dropped, t);
}

tbl_table *cat_find(cat_catalog *c, const char *name, const txn *t)
{
    tbl_table *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < c->n && !found; i++) {
        tbl_table *tb = c->tables[i];
        if (strcasecmp(tb->name, name) == 0 && cat_table_visible(tb, t)) {
            tbl_ref(tb);
            found = tb;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

tbl_table *cat_find_by_id(cat_catalog *c, uint64_t id)
{
    tbl_table *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < c->n && !found; i++)
        if (c->tables[i]->id == id)
            found = c->tables[i];
    pthread_mutex_unlock(&c->lock);
    return found;
}

static int cat_append_locked(cat_catalog *c, tbl_table *tb)
{
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        tbl_table **tables = realloc(c->tables, cap * sizeof *tables);
        if (!tables)
            return -1;
        c->tables = tables;
        c->cap = cap;
    }
    c->tables[c->n++] = tb;
    return 0;
}

/* Is there an entry named `name` that stops t from creating one? Caller holds the lock. */
static int cat_check_name_free(cat_catalog *c, const txn *t, const char *name, eng_error *err)
{
    for (uint32_t i = 0; i < c->n; i++) {
        tbl_table *tb = c->tables[i];
        if (strcasecmp(tb->name, name) != 0)
            continue;
        uint64_t created = __atomic_load_n(&tb->created, __ATOMIC_ACQUIRE);
        uint64_t dropped = __atomic_load_n(&tb->dropped, __ATOMIC_ACQUIRE);
        if (created == STAMP_NONE || txn_stamp_visible(dropped, t))
            continue;
        if (txn_stamp_visible(created, t))
            return err_set(err, ENG_E_TABLE_EXISTS, "table \"%s\" already exists", tb->name);
        if (dropped != STAMP_NONE && dropped < TXN_ID_BASE)
            continue; /* created and dropped by others, both after our snapshot */
        return err_set(err, ENG_E_CONFLICT,
                       "Transaction conflict: table \"%s\" was created by a concurrent "
                       "transaction; roll back and retry",
                       name);
    }
    return 0;
}

int cat_name_free(cat_catalog *c, const txn *t, const char *name, eng_error *err)
{
    pthread_mutex_lock(&c->lock);
    int rc = cat_check_name_free(c, t, name, err);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

uint32_t cat_find_all(cat_catalog *c, const char *name, tbl_table **out, uint32_t cap)
{
    uint32_t n = 0;
    pthread_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < c->n && n < cap; i++) {
        tbl_table *tb = c->tables[i];
        uint64_t created = __atomic_load_n(&tb->created, __ATOMIC_ACQUIRE);
        uint64_t dropped = __atomic_load_n(&tb->dropped, __ATOMIC_ACQUIRE);
        if (strcasecmp(tb->name, name) != 0 || created == STAMP_NONE ||
            (dropped != STAMP_NONE && dropped < TXN_ID_BASE))
            continue;
        tbl_ref(tb);
        out[n++] = tb;
    }
    pthread_mutex_unlock(&c->lock);
    return n;
}

int cat_create_table(cat_catalog *c, txn *t, const char *name, uint32_t ncols,
                     const tbl_column *cols, uint32_t nkeys, const tbl_key *keys, eng_error *err)
{
    pthread_mutex_lock(&c->lock);
    if (cat_check_name_free(c, t, name, err) != 0) {
        pthread_mutex_unlock(&c->lock);
        return -1;
    }
    tbl_table *tb = tbl_create(c->next_id, name, ncols, cols, nkeys, keys);
    if (!tb || cat_append_locked(c, tb) != 0) {
        pthread_mutex_unlock(&c->lock);
        tbl_unref(tb);
        return err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", name);
    }
    c->next_id++;
    tb->created = t->id;
    cat_bump_version(c);
    pthread_mutex_unlock(&c->lock);
    if (txn_add_op(t, TXOP_CREATE, tb, 0, 0) != 0) {
        __atomic_store_n(&tb->created, STAMP_NONE, __ATOMIC_RELEASE);
        return err_set(err, ENG_E_NOMEM, "out of memory creating table \"%s\"", name);
    }
    return 0;
}

int cat_drop_table(cat_catalog *c, txn *t, tbl_table *tb, bool rewrite, eng_error *err)
{
    uint64_t expected = STAMP_NONE;
    if (!__atomic_compare_exchange_n(&tb->dropped, &expected, t->id, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return err_set(err, ENG_E_CONFLICT,
                       "Transaction conflict: table \"%s\" was dropped by a concurrent "
                       "transaction; roll back and retry",
                       tb->name);
    if (txn_add_op(t, TXOP_DROP, tb, 0, 0) != 0) {
        __atomic_store_n(&tb->dropped, STAMP_NONE, __ATOMIC_RELEASE);
        return err_set(err, ENG_E_NOMEM, "out of memory dropping table \"%s\"", tb->name);
    }
    t->ops[t->nops - 1].rewrite = rewrite;
    cat_bump_version(c);
    return 0;
}

int cat_restore_table(cat_catalog *c, uint64_t id, const char *name, uint32_t ncols,
                      const tbl_column *cols, uint32_t nkeys, const tbl_key *keys, uint64_t stamp,
                      eng_error *err)
{
    tbl_table *tb = tbl_create(id, name, ncols, cols, nkeys, keys);
    pthread_mutex_lock(&c->lock);
    if (!tb || cat_append_locked(c, tb) != 0) {
        pthread_mutex_unlock(&c->lock);
        tbl_unref(tb);
        return err_set(err, ENG_E_NOMEM, "out of memory restoring table \"%s\"", name);
    }
    tb->created = stamp;
    if (id >= c->next_id)
        c->next_id = id + 1;
    cat_bump_version(c);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

void cat_purge(cat_catalog *c, uint64_t oldest)
{
    pthread_mutex_lock(&c->lock);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        tbl_table *tb = c->tables[i];
        uint64_t dropped = __atomic_load_n(&tb->dropped, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&tb->created, __ATOMIC_ACQUIRE) == STAMP_NONE || dropped <= oldest)
            tbl_unref(tb);
        else
            c->tables[kept++] = tb;
    }
    if (kept != c->n)
        cat_bump_version(c);
    c->n = kept;
    pthread_mutex_unlock(&c->lock);
}

void cat_for_each(cat_catalog *c, void (*fn)(tbl_table *tb, void *ctx), void *ctx)
{
    pthread_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < c->n; i++)
        fn(c->tables[i], ctx);
    pthread_mutex_unlock(&c->lock);
}
