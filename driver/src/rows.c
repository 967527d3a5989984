/* Driver-made result sets (rows.h). */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

struct drv_rows {
    const drv_rows_col *defs;
    uint32_t ncols;
    eng_column *cols;
    eng_value *vals; /* count rows of ncols values; strings malloc'd */
    uint32_t count, cap;
    eng_vector *vecs;
    void **data;
    uint8_t **nulls;
    eng_chunk chunk;
    bool handed_out;
};

eng_value drv_val_str(const char *s)
{
    if (!s)
        return drv_val_null();
    return (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {s, (uint32_t)strlen(s)}};
}

eng_value drv_val_int(int64_t i)
{
    return (eng_value){.type = ENG_TYPE_BIGINT, .u.i = i};
}

eng_value drv_val_null(void)
{
    return (eng_value){.type = ENG_TYPE_NULL, .is_null = true};
}

drv_rows *drv_rows_new(const drv_rows_col *cols, uint32_t ncols)
{
    drv_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->defs = cols;
    r->ncols = ncols;
    r->cols = calloc(ncols, sizeof *r->cols);
    if (!r->cols) {
        free(r);
        return NULL;
    }
    for (uint32_t i = 0; i < ncols; i++)
        r->cols[i] = (eng_column){cols[i].name, "", {cols[i].type, 0}, cols[i].nullable};
    return r;
}

void drv_rows_free(drv_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < (size_t)r->count * r->ncols; i++)
        if (!r->vals[i].is_null && r->vals[i].type == ENG_TYPE_VARCHAR)
            free((char *)r->vals[i].u.s.ptr);
    for (uint32_t c = 0; r->data && c < r->ncols; c++) {
        free(r->data[c]);
        free(r->nulls[c]);
    }
    free(r->data);
    free(r->nulls);
    free(r->vecs);
    free(r->vals);
    free(r->cols);
    free(r);
}

int drv_rows_add(drv_rows *r, const eng_value *row)
{
    if (r->count == r->cap) {
        uint32_t cap = r->cap ? r->cap * 2 : 16;
        eng_value *v = realloc(r->vals, (size_t)cap * r->ncols * sizeof *v);
        if (!v)
            return -1;
        r->vals = v;
        r->cap = cap;
    }
    eng_value *dst = &r->vals[(size_t)r->count * r->ncols];
    for (uint32_t c = 0; c < r->ncols; c++) {
        dst[c] = row[c];
        if (row[c].is_null || row[c].type != ENG_TYPE_VARCHAR)
            continue;
        char *copy = malloc(row[c].u.s.len + 1);
        if (!copy) {
            for (uint32_t k = 0; k < c; k++)
                if (!dst[k].is_null && dst[k].type == ENG_TYPE_VARCHAR)
                    free((char *)dst[k].u.s.ptr);
            return -1;
        }
        memcpy(copy, row[c].u.s.ptr, row[c].u.s.len);
        copy[row[c].u.s.len] = '\0';
        dst[c].u.s.ptr = copy;
    }
    r->count++;
    return 0;
}

static int drv_value_cmp(const eng_value *a, const eng_value *b)
{
    if (a->is_null || b->is_null) /* NULLs first */
        return (int)b->is_null - (int)a->is_null;
    if (a->type == ENG_TYPE_VARCHAR && b->type == ENG_TYPE_VARCHAR) {
        uint32_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
        int c = memcmp(a->u.s.ptr, b->u.s.ptr, n);
        return c ? c : (a->u.s.len > b->u.s.len) - (a->u.s.len < b->u.s.len);
    }
    return (a->u.i > b->u.i) - (a->u.i < b->u.i);
}

/* qsort has no context argument: the sort keys travel in a thread-local. */
static __thread const uint32_t *drv_sort_keys;
static __thread uint32_t drv_sort_nkeys;

static int drv_row_cmp(const void *pa, const void *pb)
{
    const eng_value *a = *(const eng_value *const *)pa, *b = *(const eng_value *const *)pb;
    for (uint32_t k = 0; k < drv_sort_nkeys; k++) {
        int c = drv_value_cmp(&a[drv_sort_keys[k]], &b[drv_sort_keys[k]]);
        if (c)
            return c;
    }
    return a < b ? -1 : a > b; /* stable: keep the order rows were added in */
}

void drv_rows_sort(drv_rows *r, const uint32_t *keys, uint32_t nkeys)
{
    if (r->count < 2)
        return;
    const eng_value **order = malloc(r->count * sizeof *order);
    eng_value *sorted = malloc((size_t)r->count * r->ncols * sizeof *sorted);
    if (!order || !sorted) { /* unsorted rather than nothing */
        free(order);
        free(sorted);
        return;
    }
    for (uint32_t i = 0; i < r->count; i++)
        order[i] = &r->vals[(size_t)i * r->ncols];
    drv_sort_keys = keys, drv_sort_nkeys = nkeys;
    qsort(order, r->count, sizeof *order, drv_row_cmp);
    for (uint32_t i = 0; i < r->count; i++)
        memcpy(&sorted[(size_t)i * r->ncols], order[i], r->ncols * sizeof *sorted);
    free(r->vals);
    free(order);
    r->vals = sorted;
    r->cap = r->count;
}

/* The width of a value of type t in a vector. */
static size_t drv_width(eng_type_id t)
{
    switch (t) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return sizeof(int16_t);
    case ENG_TYPE_INTEGER:
        return sizeof(int32_t);
    case ENG_TYPE_VARCHAR:
        return sizeof(eng_str);
    default:
        return sizeof(int64_t); /* BIGINT */
    }
}

static void drv_store(void *data, uint32_t row, eng_type_id t, const eng_value *v)
{
    switch (t) {
    case ENG_TYPE_BOOLEAN:
        ((uint8_t *)data)[row] = v->is_null ? 0 : (uint8_t)(v->u.i != 0);
        break;
    case ENG_TYPE_SMALLINT:
        ((int16_t *)data)[row] = v->is_null ? 0 : (int16_t)v->u.i;
        break;
    case ENG_TYPE_INTEGER:
        ((int32_t *)data)[row] = v->is_null ? 0 : (int32_t)v->u.i;
        break;
    case ENG_TYPE_VARCHAR:
        ((eng_str *)data)[row] = v->is_null ? (eng_str){"", 0} : v->u.s;
        break;
    default:
        ((int64_t *)data)[row] = v->is_null ? 0 : v->u.i;
    }
}

int drv_rows_finish(drv_rows *r)
{
    r->vecs = calloc(r->ncols, sizeof *r->vecs);
    r->data = calloc(r->ncols, sizeof *r->data);
    r->nulls = calloc(r->ncols, sizeof *r->nulls);
    if (!r->vecs || !r->data || !r->nulls)
        return -1;
    uint32_t n = r->count ? r->count : 1;
    for (uint32_t c = 0; c < r->ncols; c++) {
        eng_type_id t = r->defs[c].type;
        r->data[c] = calloc(n, drv_width(t));
        r->nulls[c] = calloc(n, 1);
        if (!r->data[c] || !r->nulls[c])
            return -1;
        for (uint32_t i = 0; i < r->count; i++) {
            const eng_value *v = &r->vals[(size_t)i * r->ncols + c];
            r->nulls[c][i] = v->is_null;
            drv_store(r->data[c], i, t, v);
        }
        r->vecs[c] = (eng_vector){{t, 0}, r->data[c], r->nulls[c]};
    }
    r->chunk = (eng_chunk){r->count, r->ncols, r->vecs};
    return 0;
}

uint32_t drv_rows_ncols(const drv_rows *r)
{
    return r->ncols;
}

const eng_column *drv_rows_column(const drv_rows *r, uint32_t i)
{
    return &r->cols[i];
}

const eng_chunk *drv_rows_next(drv_rows *r)
{
    if (r->handed_out || r->count == 0)
        return NULL;
    r->handed_out = true;
    return &r->chunk;
}

bool drv_result_known(const drv_stmt *st)
{
    return st->es || st->rows;
}

uint32_t drv_result_ncols(const drv_stmt *st)
{
    return st->rows ? st->rows->ncols : st->es ? eng_stmt_column_count(st->es) : 0;
}

const eng_column *drv_result_column(const drv_stmt *st, uint32_t i)
{
    return st->rows ? &st->rows->cols[i] : eng_stmt_column(st->es, i);
}
