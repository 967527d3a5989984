/*
 * The process-wide registry of table functions (tablefn.c), which eng_register_table_function
 * fills and the binder reads.
 */
#ifndef EIDER_TABLEFN_H
#define EIDER_TABLEFN_H

#include "eider/engine.h"

#define TF_MAX      64
#define TF_MAX_NAME 64
#define TF_MAX_COLS 64

typedef struct tf_entry {
    char name[TF_MAX_NAME];
    uint32_t ncols;
    eng_column cols[TF_MAX_COLS];
    char col_names[TF_MAX_COLS][TF_MAX_NAME];
    eng_table_fn fn;
    void *ctx;
} tf_entry;

/* A copy of the entry named `name` (case-insensitive); false when there is none. */
bool tf_find(const char *name, tf_entry *out);

#endif
