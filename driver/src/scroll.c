/*
 * Static scrollable cursors (SQL_ATTR_CURSOR_TYPE = SQL_CURSOR_STATIC, or
 * SQL_ATTR_CURSOR_SCROLLABLE): the first fetch reads the whole result from the engine into
 * copies of its chunks, so the rows stay as they were (a static cursor sees no later
 * change, which MVCC gives anyway) and SQLFetchScroll can move anywhere: NEXT, PRIOR,
 * FIRST, LAST, ABSOLUTE and RELATIVE, with the reference's rules at both ends. The
 * engine's cursor is closed at once, which also hands a transaction-mode session back.
 * The cost is memory for the whole result.
 */
#include "drv.h"

#include "desc.h"

#include <stdlib.h>
#include <string.h>

typedef struct drv_kept {
    eng_chunk chunk;
    eng_vector *vecs;
    void **data;
    uint8_t **nulls;
    char *text; /* the bytes of every string of the chunk */
} drv_kept;

struct drv_scroll {
    drv_kept *chunks;
    uint32_t n, cap;
    uint64_t rows;
    uint64_t *starts; /* first row number of each chunk */
};

/* The width of one value of a vector, and whether it is an eng_str. */
static size_t drv_width(eng_type_id t, bool *is_str)
{
    *is_str = false;
    switch (t) {
    case ENG_TYPE_BOOLEAN:
        return 1;
    case ENG_TYPE_SMALLINT:
        return sizeof(int16_t);
    case ENG_TYPE_INTEGER:
    case ENG_TYPE_DATE:
        return sizeof(int32_t);
    case ENG_TYPE_BIGINT:
    case ENG_TYPE_TIME:
    case ENG_TYPE_TIMESTAMP:
        return sizeof(int64_t);
    case ENG_TYPE_DOUBLE:
        return sizeof(double);
    case ENG_TYPE_DECIMAL:
        return sizeof(eng_int128);
    case ENG_TYPE_INTERVAL:
        return sizeof(eng_interval);
    case ENG_TYPE_VARCHAR:
    case ENG_TYPE_BLOB:
        *is_str = true;
        return sizeof(eng_str);
    default:
        return 0; /* a type this driver does not know how to keep */
    }
}

static void drv_kept_free(drv_kept *k)
{
    for (uint32_t c = 0; k->data && c < k->chunk.ncols; c++) {
        free(k->data[c]);
        free(k->nulls[c]);
    }
    free(k->data);
    free(k->nulls);
    free(k->vecs);
    free(k->text);
}

void drv_scroll_free(drv_scroll *sc)
{
    if (!sc)
        return;
    for (uint32_t i = 0; i < sc->n; i++)
        drv_kept_free(&sc->chunks[i]);
    free(sc->chunks);
    free(sc->starts);
    free(sc);
}

/* A deep copy of a chunk the engine lent. 0, -1 out of memory, -2 an unknown type. */
static int drv_keep(drv_kept *k, const eng_chunk *ch)
{
    memset(k, 0, sizeof *k);
    uint32_t n = ch->count, nc = ch->ncols;
    k->chunk = (eng_chunk){n, nc, NULL};
    k->vecs = calloc(nc ? nc : 1, sizeof *k->vecs);
    k->data = calloc(nc ? nc : 1, sizeof *k->data);
    k->nulls = calloc(nc ? nc : 1, sizeof *k->nulls);
    if (!k->vecs || !k->data || !k->nulls)
        return -1;
    size_t text = 0;
    for (uint32_t c = 0; c < nc; c++) {
        bool is_str;
        if (!drv_width(ch->cols[c].type.id, &is_str))
            return -2;
        for (uint32_t r = 0; is_str && r < n; r++)
            if (!eng_vector_is_null(&ch->cols[c], r))
                text += ((const eng_str *)ch->cols[c].data)[r].len;
    }
    if (!(k->text = malloc(text ? text : 1)))
        return -1;
    size_t used = 0;
    for (uint32_t c = 0; c < nc; c++) {
        const eng_vector *v = &ch->cols[c];
        bool is_str;
        size_t w = drv_width(v->type.id, &is_str);
        k->data[c] = malloc(w * (n ? n : 1));
        k->nulls[c] = calloc(n ? n : 1, 1);
        if (!k->data[c] || !k->nulls[c])
            return -1;
        memcpy(k->data[c], v->data, w * n);
        for (uint32_t r = 0; r < n; r++)
            k->nulls[c][r] = eng_vector_is_null(v, r);
        for (uint32_t r = 0; is_str && r < n; r++) {
            eng_str *s = &((eng_str *)k->data[c])[r];
            if (k->nulls[c][r] || !s->len)
                continue;
            memcpy(k->text + used, s->ptr, s->len);
            s->ptr = k->text + used;
            used += s->len;
        }
        k->vecs[c] = (eng_vector){v->type, k->data[c], k->nulls[c]};
    }
    k->chunk.cols = k->vecs;
    return 0;
}

SQLRETURN drv_scroll_open(drv_stmt *st)
{
    drv_scroll *sc = calloc(1, sizeof *sc);
    if (!sc)
        return drv_diag_nomem(&st->h);
    SQLRETURN rc = SQL_SUCCESS;
    drv_cancel_arm(st);
    for (;;) {
        const eng_chunk *ch;
        if (sc->n > 0 && (rc = drv_cancel_check(st)) == SQL_ERROR)
            break;
        int more = drv_pull_chunk(st, &ch);
        if (more == SQL_ERROR) {
            rc = SQL_ERROR;
            break;
        }
        if (more == 0)
            break;
        if (sc->n == sc->cap) {
            uint32_t cap = sc->cap ? sc->cap * 2 : 8;
            drv_kept *c = realloc(sc->chunks, cap * sizeof *c);
            uint64_t *s = realloc(sc->starts, cap * sizeof *s);
            if (c)
                sc->chunks = c;
            if (s)
                sc->starts = s;
            if (!c || !s) {
                rc = drv_diag_nomem(&st->h);
                break;
            }
            sc->cap = cap;
        }
        int kept = drv_keep(&sc->chunks[sc->n], ch);
        sc->starts[sc->n] = sc->rows;
        sc->rows += ch->count;
        sc->n++;
        if (kept == 0 && st->max_rows && sc->rows >= st->max_rows) { /* SQL_ATTR_MAX_ROWS */
            sc->chunks[sc->n - 1].chunk.count -= (uint32_t)(sc->rows - st->max_rows);
            sc->rows = st->max_rows;
            drv_close_engine_cursor(st);
            break;
        }
        if (kept != 0) {
            rc = kept == -1 ? drv_diag_nomem(&st->h)
                            : drv_diag_add(&st->h, SQL_ERROR, "HYC00",
                                           "a column of this result cannot be kept for a "
                                           "scrollable cursor; use a forward-only cursor");
            break;
        }
    }
    if (rc == SQL_ERROR) {
        drv_scroll_free(sc);
        return rc;
    }
    st->scroll = sc;
    st->scroll_pos = -1; /* before the first row */
    return SQL_SUCCESS;
}

/* Points st->chunk and st->row at row number `row` of the kept result. */
static void drv_scroll_seek(drv_stmt *st, uint64_t row)
{
    const drv_scroll *sc = st->scroll;
    uint32_t lo = 0, hi = sc->n;
    while (hi - lo > 1) { /* the last chunk starting at or before row */
        uint32_t mid = (lo + hi) / 2;
        if (sc->starts[mid] <= row)
            lo = mid;
        else
            hi = mid;
    }
    st->chunk = &sc->chunks[lo].chunk;
    st->row = (uint32_t)(row - sc->starts[lo]);
}

uint64_t drv_scroll_rows(const drv_stmt *st)
{
    return st->scroll ? st->scroll->rows : 0;
}

/* Where a fetch in `orientation` puts the rowset's first row: a row number, -1 before the
 * start, or `rows` after the end. *warn: 01S06, the rowset was moved to the first one. */
static int64_t drv_scroll_target(const drv_stmt *st, SQLSMALLINT orientation, SQLLEN offset,
                                 bool *warn)
{
    int64_t rows = (int64_t)st->scroll->rows, size = (int64_t)st->ard->array_size;
    int64_t cur = st->scroll_pos;
    *warn = false;
    switch (orientation) {
    case SQL_FETCH_NEXT:
        return cur < 0 ? 0 : cur + (cur >= rows ? 0 : (int64_t)st->rowset_len);
    case SQL_FETCH_FIRST:
        return 0;
    case SQL_FETCH_LAST:
        return rows > size ? rows - size : 0;
    case SQL_FETCH_PRIOR:
        if (cur < 0 || cur == 0)
            return -1;
        if (cur >= rows)
            return rows > size ? rows - size : 0;
        if (cur - size < 0) {
            *warn = true;
            return 0;
        }
        return cur - size;
    case SQL_FETCH_RELATIVE:
        if (offset == 0)
            return cur;
        if (cur < 0 && offset > 0)
            return offset - 1;
        if (cur >= rows && offset < 0)
            cur = rows;
        if (cur + offset < 0) {
            if (cur > 0 && -offset <= size && cur + offset > -size) {
                *warn = true;
                return 0;
            }
            return -1;
        }
        return cur + offset;
    case SQL_FETCH_ABSOLUTE:
        if (offset > 0)
            return offset - 1;
        if (offset == 0)
            return -1;
        if (-offset <= rows)
            return rows + offset;
        if (-offset <= size) {
            *warn = true;
            return 0;
        }
        return -1;
    default:
        return -2;
    }
}

SQLRETURN drv_scroll_fetch(drv_stmt *st, SQLSMALLINT orientation, SQLLEN offset)
{
    bool warn;
    int64_t at = drv_scroll_target(st, orientation, offset, &warn);
    if (at == -2)
        return drv_diag_add(&st->h, SQL_ERROR, "HY106", "fetch orientation %d is not supported",
                            orientation);
    int64_t rows = (int64_t)st->scroll->rows;
    if (at < 0 || at >= rows) {
        st->scroll_pos = at < 0 ? -1 : rows;
        st->rowset_len = 0;
        st->on_row = false;
        return SQL_NO_DATA;
    }
    st->scroll_pos = at;
    SQLRETURN rc = drv_fill_rowset(st, (uint64_t)at);
    if (warn && rc != SQL_ERROR)
        rc = drv_diag_add(&st->h, SQL_SUCCESS_WITH_INFO, "01S06",
                          "the fetch would start before the first row: the first rowset is "
                          "returned");
    return rc;
}

/* The next row of the rowset being filled, from the kept result. */
int drv_scroll_next_row(drv_stmt *st, uint64_t row)
{
    if (row >= st->scroll->rows)
        return 0;
    drv_scroll_seek(st, row);
    return 1;
}
