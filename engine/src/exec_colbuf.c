/*
 * Column buffers: the rows an operator keeps (sort input, hash keys, join build side),
 * stored column-wise in arrays that double as they fill. Their memory counts against the
 * query's limit. Strings are copied into the buffer's own arena, because a batch's
 * strings may live in a scratch arena that the next pull resets; a buffer whose strings
 * come from a table's heap (strings_stable) keeps the references.
 */
#include "exec_int.h"

#include "errors.h"
#include "value.h"

#include <string.h>

int cb_init(colbuf *cb, uint32_t ncols, const eng_type *types, qmem *mem, arena *a, eng_error *err)
{
    memset(cb, 0, sizeof *cb);
    cb->ncols = ncols;
    cb->mem = mem;
    cb->cols = arena_alloc(a, (ncols ? ncols : 1) * sizeof *cb->cols);
    if (!cb->cols)
        return err_set(err, ENG_E_NOMEM, "out of memory buffering rows");
    for (uint32_t c = 0; c < ncols; c++) {
        cb->cols[c].type = types[c];
        cb->cols[c].width = ev_width(types[c].id);
    }
    arena_init_counted(&cb->strings, 64 * 1024, mem);
    return 0;
}

static int cb_nomem(colbuf *cb, eng_error *err)
{
    if (qmem_exceeded(cb->mem))
        return err_set(err, ENG_E_QUERY_MEMORY, "query memory limit reached");
    return err_set(err, ENG_E_NOMEM, "out of memory buffering rows");
}

static int cb_reserve(colbuf *cb, uint64_t need, eng_error *err)
{
    if (need <= cb->cap)
        return 0;
    uint64_t cap = cb->cap ? cb->cap : 1024;
    while (cap < need)
        cap *= 2;
    for (uint32_t c = 0; c < cb->ncols; c++) {
        cb_col *col = &cb->cols[c];
        char *d = qmem_realloc(cb->mem, col->data, cb->cap * col->width, cap * col->width);
        if (!d)
            return cb_nomem(cb, err);
        col->data = d;
        uint8_t *nl = qmem_realloc(cb->mem, col->nulls, cb->cap, cap);
        if (!nl)
            return cb_nomem(cb, err);
        col->nulls = nl;
    }
    cb->cap = cap;
    return 0;
}

static int cb_copy_strings(colbuf *cb, cb_col *col, uint64_t from, uint32_t n, eng_error *err)
{
    eng_str *s = (eng_str *)col->data + from;
    for (uint32_t i = 0; i < n; i++) {
        if (col->nulls[from + i] || s[i].len == 0)
            continue;
        char *p = arena_alloc_raw(&cb->strings, s[i].len);
        if (!p)
            return cb_nomem(cb, err);
        memcpy(p, s[i].ptr, s[i].len);
        s[i].ptr = p;
    }
    return 0;
}

int cb_append(colbuf *cb, const ev_vec *cols, const uint32_t *map, const uint32_t *sel, uint32_t n,
              eng_error *err)
{
    if (cb_reserve(cb, cb->n + n, err) != 0)
        return -1;
    for (uint32_t c = 0; c < cb->ncols; c++) {
        cb_col *col = &cb->cols[c];
        const ev_vec *src = &cols[map ? map[c] : c];
        size_t w = col->width;
        char *to = col->data + cb->n * w;
        uint8_t *tn = col->nulls + cb->n;
        const char *from = src->data;
        if (!sel) {
            memcpy(to, from, (size_t)n * w);
            if (src->nulls)
                memcpy(tn, src->nulls, n);
            else
                memset(tn, 0, n);
        } else {
            for (uint32_t i = 0; i < n; i++)
                memcpy(to + i * w, from + (size_t)sel[i] * w, w);
            for (uint32_t i = 0; i < n; i++)
                tn[i] = src->nulls ? src->nulls[sel[i]] : 0;
        }
        if (val_is_string(col->type.id) && !cb->strings_stable &&
            cb_copy_strings(cb, col, cb->n, n, err) != 0)
            return -1;
    }
    cb->n += n;
    return 0;
}

int cb_append_row(colbuf *cb, const ev_vec *vecs, uint32_t i, eng_error *err)
{
    uint32_t sel = i;
    if (cb_reserve(cb, cb->n + 1, err) != 0)
        return -1;
    for (uint32_t c = 0; c < cb->ncols; c++) {
        cb_col *col = &cb->cols[c];
        const ev_vec *src = &vecs[c];
        memcpy(col->data + cb->n * col->width, (const char *)src->data + (size_t)sel * col->width,
               col->width);
        col->nulls[cb->n] = src->nulls ? src->nulls[sel] : 0;
        if (val_is_string(col->type.id) && cb_copy_strings(cb, col, cb->n, 1, err) != 0)
            return -1;
    }
    cb->n++;
    return 0;
}

void cb_view(const colbuf *cb, uint32_t c, uint64_t off, ev_vec *out)
{
    const cb_col *col = &cb->cols[c];
    out->type = col->type;
    out->data = col->data + off * col->width;
    out->nulls = col->nulls + off;
}

int cb_gather(const colbuf *cb, uint32_t c, const uint64_t *rows, uint32_t n, arena *a, ev_vec *out,
              eng_error *err)
{
    const cb_col *col = &cb->cols[c];
    size_t w = col->width;
    out->type = col->type;
    out->data = arena_alloc_raw(a, (n ? n : 1) * w);
    out->nulls = arena_alloc_raw(a, n ? n : 1);
    if (!out->data || !out->nulls)
        return err_set(err, ENG_E_NOMEM, "out of memory reading buffered rows");
    char *to = out->data;
    switch (w) {
    case 8:
        for (uint32_t i = 0; i < n; i++)
            ((uint64_t *)to)[i] = ((const uint64_t *)col->data)[rows[i]];
        break;
    case 4:
        for (uint32_t i = 0; i < n; i++)
            ((uint32_t *)to)[i] = ((const uint32_t *)col->data)[rows[i]];
        break;
    default:
        for (uint32_t i = 0; i < n; i++)
            memcpy(to + i * w, col->data + rows[i] * w, w);
        break;
    }
    for (uint32_t i = 0; i < n; i++)
        out->nulls[i] = col->nulls[rows[i]];
    return 0;
}

void cb_free(colbuf *cb)
{
    if (!cb->cols)
        return;
    for (uint32_t c = 0; c < cb->ncols; c++) {
        qmem_free(cb->mem, cb->cols[c].data, cb->cap * cb->cols[c].width);
        qmem_free(cb->mem, cb->cols[c].nulls, cb->cap);
        cb->cols[c].data = NULL;
        cb->cols[c].nulls = NULL;
    }
    arena_free(&cb->strings);
    cb->n = cb->cap = 0;
}
