/*
 * Table functions: a fixed-size registry guarded by a mutex. Lookups copy the entry, so
 * a function replaced while a query binds never changes under that query.
 */
#include "tablefn.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static pthread_mutex_t tf_lock = PTHREAD_MUTEX_INITIALIZER;
static tf_entry tf_entries[TF_MAX];
static uint32_t tf_count;

int eng_register_table_function(const char *name, uint32_t ncols, const eng_column *cols,
                                eng_table_fn fn, void *ctx)
{
    if (!name || !*name || strlen(name) >= TF_MAX_NAME || !fn || ncols == 0 || ncols > TF_MAX_COLS)
        return -1;
    for (uint32_t c = 0; c < ncols; c++)
        if (!cols[c].name || strlen(cols[c].name) >= TF_MAX_NAME)
            return -1;
    pthread_mutex_lock(&tf_lock);
    uint32_t i = 0;
    while (i < tf_count && strcasecmp(tf_entries[i].name, name) != 0)
        i++;
    int rc = 0;
    if (i == TF_MAX) {
        rc = -1;
    } else {
        tf_entry *e = &tf_entries[i];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%s", name);
        e->ncols = ncols;
        for (uint32_t c = 0; c < ncols; c++) {
            snprintf(e->col_names[c], sizeof e->col_names[c], "%s", cols[c].name);
            e->cols[c] = cols[c];
            e->cols[c].name = e->col_names[c];
            e->cols[c].table = "";
            if (e->cols[c].type.id == ENG_TYPE_VARCHAR && !e->cols[c].type.width)
                e->cols[c].type.width = ENG_VARCHAR_MAX;
        }
        e->fn = fn;
        e->ctx = ctx;
        if (i == tf_count)
            tf_count++;
    }
    pthread_mutex_unlock(&tf_lock);
    return rc;
}

bool tf_find(const char *name, tf_entry *out)
{
    bool found = false;
    pthread_mutex_lock(&tf_lock);
    for (uint32_t i = 0; i < tf_count && !found; i++) {
        if (strcasecmp(tf_entries[i].name, name) == 0) {
            *out = tf_entries[i];
            for (uint32_t c = 0; c < out->ncols; c++)
                out->cols[c].name = out->col_names[c];
            found = true;
        }
    }
    pthread_mutex_unlock(&tf_lock);
    return found;
}
