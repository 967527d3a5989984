/*
 * Result sets the driver makes itself (the catalog functions): rows of values gathered,
 * sorted, then handed out as one engine-style chunk, so fetching, binding and converting
 * work exactly as for a query.
 */
#ifndef EIDER_ROWS_H
#define EIDER_ROWS_H

#include "drv.h"

typedef struct drv_rows_col {
    const char *name;
    eng_type_id type; /* ENG_TYPE_VARCHAR, _SMALLINT, _INTEGER or _BIGINT */
    bool nullable;
} drv_rows_col;

/* A new, empty result with these columns (the array must outlive the result). */
drv_rows *drv_rows_new(const drv_rows_col *cols, uint32_t ncols);
void drv_rows_free(drv_rows *r);
/* Appends a row of ncols values (strings are copied). Returns 0 or -1 (out of memory). */
int drv_rows_add(drv_rows *r, const eng_value *row);
/* Orders the rows by the given columns (0-based), NULLs first, strings case-sensitively. */
void drv_rows_sort(drv_rows *r, const uint32_t *keys, uint32_t nkeys);
/* Builds the chunk; call once, after the last add. Returns 0 or -1 (out of memory). */
int drv_rows_finish(drv_rows *r);

uint32_t drv_rows_ncols(const drv_rows *r);
const eng_column *drv_rows_column(const drv_rows *r, uint32_t i);
/* The chunk of all rows, the first time; NULL afterwards (the result is used up). */
const eng_chunk *drv_rows_next(drv_rows *r);

/* Values for drv_rows_add. */
eng_value drv_val_str(const char *s); /* NULL s: a NULL value */
eng_value drv_val_int(int64_t i);
eng_value drv_val_null(void);

#endif
