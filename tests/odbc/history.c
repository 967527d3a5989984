/*
 * Recording list-append histories and checking them for snapshot-isolation anomalies (see
 * history.h for the model). The checker works in passes over the whole history:
 *
 *  1. index every appended value: which transaction wrote it, to which key, and whether it
 *     was that transaction's last append to the key;
 *  2. check each read on its own: every element was appended to that key exactly once and
 *     not by a failed transaction (G1a); the state does not end in another transaction's
 *     intermediate append (G1b); it ends with the reader's own appends and repeats the
 *     reader's earlier reads of the key (internal consistency);
 *  3. per key, take the longest committed read as the version order and require every
 *     other read to be a prefix of it (incompatible orders mean lost or reordered data);
 *  4. the final read must hold every acknowledged append, and a thread must see the
 *     appends it committed earlier;
 *  5. derive ww, wr and rw edges and look for cycles: Tarjan's strongly connected
 *     components over ww (G0) and over ww+wr (G1c), and for each rw edge a -> b a search
 *     for a path b -> a over ww+wr edges (G-single).
 *
 * Reads of transactions that did not commit are still observations of the database, so
 * they are checked too, without the reader's own (rolled back) appends. Everything is
 * iterative, so thousands of transactions cannot overflow the stack, and every allocation
 * failure ends the check with -1 instead of a crash.
 */
#include "history.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HC_NONE SIZE_MAX

void hist_init(hist_history *h)
{
    memset(h, 0, sizeof *h);
}

static void hist_txn_free(hist_txn *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_ops; i++)
        free(t->ops[i].list);
    free(t->ops);
    free(t);
}

void hist_free(hist_history *h)
{
    for (size_t i = 0; i < h->n_txns; i++)
        hist_txn_free(h->txns[i]);
    free(h->txns);
    hist_init(h);
}

static int hist_reserve(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

hist_txn *hist_begin(hist_history *h, int thread)
{
    hist_txn *t = calloc(1, sizeof *t);
    if (!t || hist_reserve((void **)&h->txns, &h->cap_txns, h->n_txns + 1, sizeof *h->txns)) {
        free(t);
        h->oom = true;
        return NULL;
    }
    t->thread = thread;
    t->outcome = HIST_UNKNOWN;
    h->txns[h->n_txns++] = t;
    return t;
}

static hist_op *hist_new_op(hist_history *h, hist_txn *t)
{
    if (!t || hist_reserve((void **)&t->ops, &t->cap_ops, t->n_ops + 1, sizeof *t->ops)) {
        h->oom = true;
        return NULL;
    }
    hist_op *op = &t->ops[t->n_ops++];
    memset(op, 0, sizeof *op);
    return op;
}

int hist_append(hist_history *h, hist_txn *t, int key, long value)
{
    hist_op *op = hist_new_op(h, t);
    if (!op)
        return -1;
    op->kind = HIST_APPEND;
    op->key = key;
    op->value = value;
    return 0;
}

int hist_read(hist_history *h, hist_txn *t, int key, const long *list, size_t n)
{
    long *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) {
        h->oom = true;
        return -1;
    }
    if (n)
        memcpy(copy, list, n * sizeof *copy);
    hist_op *op = hist_new_op(h, t);
    if (!op) {
        free(copy);
        return -1;
    }
    op->kind = HIST_READ;
    op->key = key;
    op->list = copy;
    op->n_list = n;
    return 0;
}

void hist_end(hist_txn *t, hist_outcome outcome)
{
    if (t)
        t->outcome = outcome;
}

int hist_merge(hist_history *dst, hist_history *src)
{
    if (hist_reserve((void **)&dst->txns, &dst->cap_txns, dst->n_txns + src->n_txns,
                     sizeof *dst->txns)) {
        dst->oom = true;
        return -1;
    }
    memcpy(dst->txns + dst->n_txns, src->txns, src->n_txns * sizeof *src->txns);
    dst->n_txns += src->n_txns;
    dst->oom |= src->oom;
    free(src->txns);
    hist_init(src);
    return 0;
}

/* Appends to out at *len, keeping it terminated; *len may pass cap, which marks
 * truncation. */
static void hist_put(char *out, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void hist_put(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = *len < cap ? cap - *len : 0;
    int n = vsnprintf(room ? out + *len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n;
}

static void hist_put_list(char *out, size_t cap, size_t *len, const long *list, size_t n)
{
    /* The tail of a list is where concurrent appends land, so it is kept in full. */
    enum { HEAD = 2, TAIL = 6 };
    bool cut = n > HEAD + TAIL + 1;
    hist_put(out, cap, len, "[");
    for (size_t i = 0; i < n; i++) {
        if (cut && i == HEAD) {
            hist_put(out, cap, len, ", ... %zu more ...", n - HEAD - TAIL);
            i = n - TAIL;
        }
        hist_put(out, cap, len, "%s%ld", i ? ", " : "", list[i]);
    }
    hist_put(out, cap, len, "]");
}

static const char *hist_outcome_name(hist_outcome o)
{
    return o == HIST_OK ? "OK" : o == HIST_FAILED ? "FAILED" : "UNKNOWN";
}

void hist_format_txn(const hist_txn *t, size_t index, char *out, size_t cap)
{
    size_t len = 0;
    if (cap)
        out[0] = '\0';
    hist_put(out, cap, &len, "T%zu %s%d %s:", index, t->final ? "final read, thread " : "thread ",
             t->thread, hist_outcome_name(t->outcome));
    for (size_t i = 0; i < t->n_ops; i++) {
        const hist_op *op = &t->ops[i];
        if (op->kind == HIST_APPEND) {
            hist_put(out, cap, &len, " append(%d, %ld)", op->key, op->value);
        } else {
            hist_put(out, cap, &len, " read(%d)=", op->key);
            hist_put_list(out, cap, &len, op->list, op->n_list);
        }
    }
}

/* ---- the checker's working state ---- */

typedef struct {
    size_t txn, op;
    int key;
    bool last_of_key; /* no later append of the same transaction to the same key */
    bool observed;    /* some other transaction read it */
    bool in_final;    /* the final read of its key holds it */
    size_t stamp;     /* the read that last saw it, to find duplicates */
} hc_write;

typedef struct {
    size_t txn, op;
    size_t key;      /* index into hc.keys */
    size_t snap_len; /* length of the part from the snapshot, before the reader's own appends */
    bool usable;     /* internally consistent and made of known values: edges may use it */
} hc_read;

typedef enum { HC_WW = 1, HC_WR = 2, HC_RW = 4 } hc_edge_type;

typedef struct {
    size_t from, to;
    hc_edge_type type;
    int key;
} hc_edge;

typedef struct {
    const long *list; /* the version order: the longest committed read */
    size_t n;
    size_t read; /* which read it is */
    size_t final_read;
} hc_key;

typedef struct {
    const hist_history *h;
    char *out;
    size_t cap, len;
    int anomalies;

    hc_write *writes;
    size_t n_writes;
    size_t *slots; /* open addressing: write index + 1, or 0 */
    size_t mask;

    int *keys;
    size_t n_keys;
    hc_key *key_info;

    hc_read *reads;
    size_t n_reads, cap_reads;

    bool *committed;
    hc_edge *edges;
    size_t n_edges, cap_edges;
} hc;

#define HC_SAY(c, ...) hist_put((c)->out, (c)->cap, &(c)->len, __VA_ARGS__)

static void hc_anomaly(hc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void hc_anomaly(hc *c, const char *fmt, ...)
{
    c->anomalies++;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    HC_SAY(c, "%s\n", line);
}

static void hc_show_txn(hc *c, size_t t)
{
    char line[2048];
    hist_format_txn(c->h->txns[t], t, line, sizeof line);
    HC_SAY(c, "    %s\n", line);
}

static size_t hc_hash(long v)
{
    uint64_t x = (uint64_t)v * 0x9E3779B97F4A7C15u;
    return (size_t)(x ^ (x >> 29));
}

/* The write that appended v, or HC_NONE. */
static size_t hc_lookup(const hc *c, long v)
{
    for (size_t i = hc_hash(v) & c->mask;; i = (i + 1) & c->mask) {
        size_t s = c->slots[i];
        if (!s)
            return HC_NONE;
        const hc_write *w = &c->writes[s - 1];
        if (c->h->txns[w->txn]->ops[w->op].value == v)
            return s - 1;
    }
}

static int hc_int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static size_t hc_key_index(const hc *c, int key)
{
    const int *p = bsearch(&key, c->keys, c->n_keys, sizeof *c->keys, hc_int_cmp);
    return (size_t)(p - c->keys);
}

static const hist_op *hc_op(const hc *c, size_t txn, size_t op)
{
    return &c->h->txns[txn]->ops[op];
}

static size_t hc_writer(const hc *c, long v)
{
    size_t w = hc_lookup(c, v);
    return w == HC_NONE ? HC_NONE : c->writes[w].txn;
}

/* Pass 1: index appended values and keys. */
static int hc_index(hc *c)
{
    const hist_history *h = c->h;
    size_t n_writes = 0, n_keyrefs = 0;
    for (size_t t = 0; t < h->n_txns; t++)
        for (size_t i = 0; i < h->txns[t]->n_ops; i++) {
            n_writes += h->txns[t]->ops[i].kind == HIST_APPEND;
            n_keyrefs++;
        }
    size_t slots = 16;
    while (slots < 2 * n_writes + 2)
        slots *= 2;
    c->writes = calloc(n_writes ? n_writes : 1, sizeof *c->writes);
    c->slots = calloc(slots, sizeof *c->slots);
    c->keys = malloc((n_keyrefs ? n_keyrefs : 1) * sizeof *c->keys);
    if (!c->writes || !c->slots || !c->keys)
        return -1;
    c->mask = slots - 1;
    for (size_t t = 0; t < h->n_txns; t++) {
        const hist_txn *tx = h->txns[t];
        for (size_t i = 0; i < tx->n_ops; i++) {
            const hist_op *op = &tx->ops[i];
            c->keys[c->n_keys++] = op->key;
            if (op->kind != HIST_APPEND)
                continue;
            size_t dup = hc_lookup(c, op->value);
            if (dup != HC_NONE) {
                hc_anomaly(c,
                           "duplicate append: value %ld is appended by T%zu and by T%zu (values "
                           "must be unique; the history is malformed)",
                           op->value, c->writes[dup].txn, t);
                continue;
            }
            hc_write *w = &c->writes[c->n_writes];
            w->txn = t;
            w->op = i;
            w->key = op->key;
            w->last_of_key = true;
            w->stamp = HC_NONE;
            for (size_t j = i + 1; j < tx->n_ops; j++)
                if (tx->ops[j].kind == HIST_APPEND && tx->ops[j].key == op->key)
                    w->last_of_key = false;
            size_t s = hc_hash(op->value) & c->mask;
            while (c->slots[s])
                s = (s + 1) & c->mask;
            c->slots[s] = ++c->n_writes;
        }
    }
    qsort(c->keys, c->n_keys, sizeof *c->keys, hc_int_cmp);
    size_t n = 0;
    for (size_t i = 0; i < c->n_keys; i++)
        if (n == 0 || c->keys[n - 1] != c->keys[i])
            c->keys[n++] = c->keys[i];
    c->n_keys = n;
    c->key_info = calloc(n ? n : 1, sizeof *c->key_info);
    if (!c->key_info)
        return -1;
    for (size_t k = 0; k < n; k++)
        c->key_info[k].read = c->key_info[k].final_read = HC_NONE;
    return 0;
}

/* Pass 2, for one read: its elements, then its agreement with the reader's own appends
 * and earlier reads. */
static void hc_check_read(hc *c, size_t t, size_t i)
{
    const hist_txn *tx = c->h->txns[t];
    const hist_op *op = &tx->ops[i];
    size_t r = c->n_reads;
    hc_read *rd = &c->reads[c->n_reads++];
    rd->txn = t;
    rd->op = i;
    rd->key = hc_key_index(c, op->key);
    rd->usable = true;

    for (size_t e = 0; e < op->n_list; e++) {
        long v = op->list[e];
        size_t wi = hc_lookup(c, v);
        if (wi == HC_NONE || c->writes[wi].key != op->key) {
            hc_anomaly(c,
                       "garbage read: T%zu read key %d and saw %ld, which was never appended "
                       "to that key",
                       t, op->key, v);
            hc_show_txn(c, t);
            rd->usable = false;
            continue;
        }
        hc_write *w = &c->writes[wi];
        if (w->stamp == r) {
            hc_anomaly(c, "duplicate element: T%zu read key %d and saw %ld twice", t, op->key, v);
            hc_show_txn(c, t);
            rd->usable = false;
            continue;
        }
        w->stamp = r;
        if (w->txn == t)
            continue;
        w->observed = true;
        if (c->h->txns[w->txn]->outcome == HIST_FAILED) {
            hc_anomaly(c,
                       "G1a aborted read: T%zu read key %d and saw %ld, appended by T%zu, "
                       "which failed%s",
                       t, op->key, v, w->txn, tx->final ? " (in the final read)" : "");
            hc_show_txn(c, t);
            hc_show_txn(c, w->txn);
        }
    }

    /* The reader's own appends to the key so far must close the list, in order. */
    size_t own = 0;
    for (size_t j = 0; j < i; j++)
        own += tx->ops[j].kind == HIST_APPEND && tx->ops[j].key == op->key;
    bool consistent = own <= op->n_list;
    size_t snap = consistent ? op->n_list - own : 0;
    for (size_t j = 0, e = snap; consistent && j < i; j++)
        if (tx->ops[j].kind == HIST_APPEND && tx->ops[j].key == op->key)
            consistent = op->list[e++] == tx->ops[j].value;
    for (size_t e = 0; consistent && e < snap; e++)
        consistent = hc_writer(c, op->list[e]) != t;
    if (!consistent) {
        hc_anomaly(c,
                   "internal inconsistency: T%zu read key %d, and the list does not end with "
                   "exactly its own %zu earlier append(s) to that key",
                   t, op->key, own);
        hc_show_txn(c, t);
        rd->usable = false;
        return;
    }
    rd->snap_len = snap;

    /* Another transaction's appends are visible all together or not at all. */
    if (snap > 0) {
        size_t wi = hc_lookup(c, op->list[snap - 1]);
        const hc_write *w = wi == HC_NONE ? NULL : &c->writes[wi];
        if (w && w->txn != t && !w->last_of_key && c->h->txns[w->txn]->outcome != HIST_FAILED) {
            hc_anomaly(c,
                       "G1b intermediate read: T%zu read key %d ending in %ld, but T%zu "
                       "appended more to that key after %ld",
                       t, op->key, op->list[snap - 1], w->txn, op->list[snap - 1]);
            hc_show_txn(c, t);
            hc_show_txn(c, w->txn);
        }
    }

    /* A snapshot does not move: an earlier read of the key saw the same committed part. */
    for (size_t p = r; p-- > 0 && c->reads[p].txn == t;) {
        const hc_read *prev = &c->reads[p];
        if (prev->key != rd->key || !prev->usable)
            continue;
        const hist_op *pop = hc_op(c, t, prev->op);
        bool same = prev->snap_len == snap &&
                    (snap == 0 || !memcmp(pop->list, op->list, snap * sizeof *op->list));
        if (!same) {
            hc_anomaly(c,
                       "non-repeatable read: T%zu read key %d twice and the part not written "
                       "by itself changed between the reads",
                       t, op->key);
            hc_show_txn(c, t);
            rd->usable = false;
        }
        break;
    }
}

/* The part of a read that must be a prefix of the version order: a committed reader's own
 * appends belong to the order (first updater wins kept others out), a failed one's do
 * not. */
static size_t hc_view_len(const hc *c, const hc_read *rd)
{
    const hist_op *op = hc_op(c, rd->txn, rd->op);
    return c->h->txns[rd->txn]->outcome == HIST_OK ? op->n_list : rd->snap_len;
}

/* Pass 3: version orders, and every read against them. */
static void hc_orders(hc *c)
{
    for (size_t r = 0; r < c->n_reads; r++) {
        const hc_read *rd = &c->reads[r];
        if (!rd->usable || c->h->txns[rd->txn]->outcome != HIST_OK)
            continue;
        hc_key *k = &c->key_info[rd->key];
        size_t n = hc_view_len(c, rd);
        if (k->read == HC_NONE || n > k->n) {
            k->read = r;
            k->list = hc_op(c, rd->txn, rd->op)->list;
            k->n = n;
        }
    }
    for (size_t r = 0; r < c->n_reads; r++) {
        hc_read *rd = &c->reads[r];
        const hc_key *k = &c->key_info[rd->key];
        if (!rd->usable || k->read == HC_NONE || r == k->read)
            continue;
        const hist_op *op = hc_op(c, rd->txn, rd->op);
        size_t n = hc_view_len(c, rd), m = n < k->n ? n : k->n, d = 0;
        while (d < m && op->list[d] == k->list[d])
            d++;
        if (d == m)
            continue;
        const hc_read *longest = &c->reads[k->read];
        hc_anomaly(c,
                   "incompatible order: key %d read by T%zu is not a prefix of its read by "
                   "T%zu: they differ at position %zu (%ld vs %ld)",
                   op->key, rd->txn, longest->txn, d, op->list[d], k->list[d]);
        hc_show_txn(c, rd->txn);
        hc_show_txn(c, longest->txn);
        rd->usable = false;
    }
}

/* Pass 4a: the final read holds every acknowledged append. */
static void hc_final(hc *c)
{
    bool any_final = false;
    for (size_t r = 0; r < c->n_reads; r++) {
        const hc_read *rd = &c->reads[r];
        if (c->h->txns[rd->txn]->final) {
            c->key_info[rd->key].final_read = r;
            any_final = true;
        }
    }
    if (!any_final)
        return;
    for (size_t k = 0; k < c->n_keys; k++) {
        size_t r = c->key_info[k].final_read;
        if (r == HC_NONE)
            continue;
        const hist_op *op = hc_op(c, c->reads[r].txn, c->reads[r].op);
        for (size_t e = 0; e < op->n_list; e++) {
            size_t wi = hc_lookup(c, op->list[e]);
            if (wi != HC_NONE && c->writes[wi].key == op->key)
                c->writes[wi].in_final = true;
        }
    }
    for (size_t k = 0; k < c->n_keys; k++) {
        bool missing_read = false;
        for (size_t wi = 0; wi < c->n_writes; wi++) {
            const hc_write *w = &c->writes[wi];
            if (w->key != c->keys[k] || c->h->txns[w->txn]->outcome != HIST_OK || w->in_final)
                continue;
            if (c->key_info[k].final_read == HC_NONE) {
                missing_read = true;
                continue;
            }
            const hist_op *op = hc_op(c, w->txn, w->op);
            hc_anomaly(c,
                       "lost write: T%zu committed append(%d, %ld), but the final read of key "
                       "%d does not hold it",
                       w->txn, w->key, op->value, w->key);
            hc_show_txn(c, w->txn);
            const hc_read *fr = &c->reads[c->key_info[k].final_read];
            hc_show_txn(c, fr->txn);
        }
        if (missing_read)
            hc_anomaly(c, "no final read of key %d, which committed transactions appended to",
                       c->keys[k]);
    }
}

typedef struct {
    int thread;
    size_t txn;
} hc_session;

static int hc_session_cmp(const void *a, const void *b)
{
    const hc_session *x = a, *y = b;
    if (x->thread != y->thread)
        return (x->thread > y->thread) - (x->thread < y->thread);
    return (x->txn > y->txn) - (x->txn < y->txn);
}

/* Pass 4b: a transaction sees what its own thread committed before it began. */
static int hc_sessions(hc *c)
{
    const hist_history *h = c->h;
    hc_session *order = malloc((h->n_txns ? h->n_txns : 1) * sizeof *order);
    long *last = malloc((c->n_keys ? c->n_keys : 1) * sizeof *last);
    size_t *last_txn = malloc((c->n_keys ? c->n_keys : 1) * sizeof *last_txn);
    if (!order || !last || !last_txn) {
        free(order);
        free(last);
        free(last_txn);
        return -1;
    }
    size_t n = 0;
    for (size_t t = 0; t < h->n_txns; t++)
        if (!h->txns[t]->final)
            order[n++] = (hc_session){h->txns[t]->thread, t};
    qsort(order, n, sizeof *order, hc_session_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || order[i].thread != order[i - 1].thread)
            for (size_t k = 0; k < c->n_keys; k++)
                last_txn[k] = HC_NONE;
        size_t t = order[i].txn;
        const hist_txn *tx = h->txns[t];
        for (size_t j = 0; j < tx->n_ops; j++) {
            const hist_op *op = &tx->ops[j];
            size_t k = hc_key_index(c, op->key);
            if (op->kind != HIST_READ || last_txn[k] == HC_NONE)
                continue;
            bool seen = false;
            for (size_t e = 0; e < op->n_list && !seen; e++)
                seen = op->list[e] == last[k];
            if (!seen) {
                hc_anomaly(c,
                           "stale read: T%zu (thread %d) read key %d without %ld, which the "
                           "same thread committed earlier in T%zu",
                           t, tx->thread, op->key, last[k], last_txn[k]);
                hc_show_txn(c, last_txn[k]);
                hc_show_txn(c, t);
            }
        }
        if (tx->outcome != HIST_OK)
            continue;
        for (size_t j = 0; j < tx->n_ops; j++) {
            const hist_op *op = &tx->ops[j];
            if (op->kind != HIST_APPEND)
                continue;
            size_t k = hc_key_index(c, op->key);
            last[k] = op->value;
            last_txn[k] = t;
        }
    }
    free(order);
    free(last);
    free(last_txn);
    return 0;
}

static int hc_edge_add(hc *c, size_t from, size_t to, hc_edge_type type, int key)
{
    if (from == to || !c->committed[from] || !c->committed[to])
        return 0;
    if (hist_reserve((void **)&c->edges, &c->cap_edges, c->n_edges + 1, sizeof *c->edges))
        return -1;
    c->edges[c->n_edges++] = (hc_edge){from, to, type, key};
    return 0;
}

static int hc_edge_cmp(const void *a, const void *b)
{
    const hc_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->type != y->type)
        return (x->type > y->type) - (x->type < y->type);
    return (x->key > y->key) - (x->key < y->key);
}

/* Whether two edges join the same transactions with the same type (0 if so). */
static int hc_pair_cmp(const hc_edge *x, const hc_edge *y)
{
    return x->from != y->from || x->to != y->to || x->type != y->type;
}

/* Pass 5a: who committed, and the dependency edges between them. */
static int hc_build_edges(hc *c)
{
    const hist_history *h = c->h;
    c->committed = calloc(h->n_txns ? h->n_txns : 1, sizeof *c->committed);
    if (!c->committed)
        return -1;
    for (size_t t = 0; t < h->n_txns; t++)
        c->committed[t] = h->txns[t]->outcome == HIST_OK;
    /* An UNKNOWN transaction committed if anyone saw its appends. */
    for (size_t wi = 0; wi < c->n_writes; wi++)
        if (c->writes[wi].observed && h->txns[c->writes[wi].txn]->outcome == HIST_UNKNOWN)
            c->committed[c->writes[wi].txn] = true;

    for (size_t k = 0; k < c->n_keys; k++) {
        const hc_key *ki = &c->key_info[k];
        for (size_t e = 1; e < ki->n; e++) {
            size_t a = hc_writer(c, ki->list[e - 1]), b = hc_writer(c, ki->list[e]);
            if (a != HC_NONE && b != HC_NONE && hc_edge_add(c, a, b, HC_WW, c->keys[k]))
                return -1;
        }
    }
    for (size_t r = 0; r < c->n_reads; r++) {
        const hc_read *rd = &c->reads[r];
        const hc_key *ki = &c->key_info[rd->key];
        if (!rd->usable)
            continue;
        const hist_op *op = hc_op(c, rd->txn, rd->op);
        if (rd->snap_len > 0) {
            size_t w = hc_writer(c, op->list[rd->snap_len - 1]);
            if (w != HC_NONE && hc_edge_add(c, w, rd->txn, HC_WR, op->key))
                return -1;
        }
        if (rd->snap_len < ki->n) {
            size_t w = hc_writer(c, ki->list[rd->snap_len]);
            if (w != HC_NONE && hc_edge_add(c, rd->txn, w, HC_RW, op->key))
                return -1;
        }
    }
    if (c->n_edges) {
        qsort(c->edges, c->n_edges, sizeof *c->edges, hc_edge_cmp);
        size_t n = 1;
        for (size_t i = 1; i < c->n_edges; i++)
            if (hc_edge_cmp(&c->edges[i], &c->edges[n - 1]) != 0)
                c->edges[n++] = c->edges[i];
        c->n_edges = n;
    }
    return 0;
}

/* Adjacency over the edges of some types: the out-edges of node v are
 * adj[off[v] .. off[v + 1]), as indexes into the edge list. */
typedef struct {
    size_t *off, *adj;
} hc_graph;

static void hc_graph_free(hc_graph *g)
{
    free(g->off);
    free(g->adj);
    g->off = g->adj = NULL;
}

static int hc_graph_build(const hc *c, unsigned types, hc_graph *g)
{
    size_t n = c->h->n_txns;
    g->off = calloc(n + 1, sizeof *g->off);
    g->adj = malloc((c->n_edges ? c->n_edges : 1) * sizeof *g->adj);
    if (!g->off || !g->adj) {
        hc_graph_free(g);
        return -1;
    }
    /* The edges are sorted by source, so each node's edges are already contiguous. */
    size_t m = 0;
    for (size_t v = 0, e = 0; v < n; v++) {
        g->off[v] = m;
        for (; e < c->n_edges && c->edges[e].from == v; e++)
            if (c->edges[e].type & types)
                g->adj[m++] = e;
    }
    g->off[n] = m;
    return 0;
}

/* Tarjan's strongly connected components without recursion. comp[v] numbers components
 * in reverse topological order: an edge between two components goes from the higher
 * number to the lower. */
static int hc_tarjan(const hc *c, const hc_graph *g, size_t *comp, size_t *size)
{
    size_t n = c->h->n_txns;
    size_t *index = malloc((n ? n : 1) * sizeof *index);
    size_t *low = malloc((n ? n : 1) * sizeof *low);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t *call = malloc((n ? n : 1) * sizeof *call);
    size_t *next = malloc((n ? n : 1) * sizeof *next);
    bool *on = calloc(n ? n : 1, sizeof *on);
    int rc = -1;
    if (!index || !low || !stack || !call || !next || !on)
        goto out;
    for (size_t v = 0; v < n; v++) {
        index[v] = HC_NONE;
        size[v] = 0;
    }
    size_t counter = 0, sp = 0, cp = 0, ncomp = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != HC_NONE)
            continue;
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on[root] = true;
        call[cp] = root;
        next[cp++] = g->off[root];
        while (cp > 0) {
            size_t v = call[cp - 1];
            if (next[cp - 1] < g->off[v + 1]) {
                size_t w = c->edges[g->adj[next[cp - 1]++]].to;
                if (index[w] == HC_NONE) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on[w] = true;
                    call[cp] = w;
                    next[cp++] = g->off[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (low[v] == index[v]) {
                size_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                    size[ncomp]++;
                } while (w != v);
                ncomp++;
            }
            if (cp > 0 && low[v] < low[call[cp - 1]])
                low[call[cp - 1]] = low[v];
        }
    }
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(next);
    free(on);
    return rc;
}

/* Breadth-first search state, reused across searches: a node is visited in the current
 * search when seen[v] == gen, so nothing is cleared between searches. */
typedef struct {
    size_t *seen, *via, *queue;
    size_t gen;
} hc_search;

/* Finds a path from `from` to `to` over g (within component `only` of comp unless
 * HC_NONE), leaving the edge that entered each node in s->via. */
static bool hc_path(const hc *c, const hc_graph *g, hc_search *s, size_t from, size_t to,
                    const size_t *comp, size_t only)
{
    s->gen++;
    size_t head = 0, tail = 0;
    s->queue[tail++] = from;
    s->seen[from] = s->gen;
    while (head < tail) {
        size_t v = s->queue[head++];
        for (size_t i = g->off[v]; i < g->off[v + 1]; i++) {
            size_t e = g->adj[i], w = c->edges[e].to;
            if (s->seen[w] == s->gen || (only != HC_NONE && comp[w] != only))
                continue;
            s->seen[w] = s->gen;
            s->via[w] = e;
            if (w == to)
                return true;
            s->queue[tail++] = w;
        }
    }
    return false;
}

static const char *hc_edge_name(hc_edge_type t)
{
    return t == HC_WW ? "ww" : t == HC_WR ? "wr" : "rw";
}

/* Reports the cycle made of edge `first` and the path hc_path found back to its source,
 * then the transactions on it. */
static void hc_report_cycle(hc *c, const hc_search *s, size_t first, const char *kind)
{
    const hc_edge *f = &c->edges[first];
    size_t path[64], n = 0;
    bool cut = false;
    /* The search tree leads back from the first edge's source to its target. */
    for (size_t v = f->from; v != f->to; v = c->edges[s->via[v]].from) {
        if (n == sizeof path / sizeof *path) {
            cut = true;
            break;
        }
        path[n++] = s->via[v];
    }
    char line[1024];
    size_t len = 0;
    line[0] = '\0';
    hist_put(line, sizeof line, &len, "T%zu -%s(%d)-> T%zu%s", f->from, hc_edge_name(f->type),
             f->key, f->to, cut ? " ..." : "");
    for (size_t i = n; i-- > 0;) {
        const hc_edge *e = &c->edges[path[i]];
        hist_put(line, sizeof line, &len, " -%s(%d)-> T%zu", hc_edge_name(e->type), e->key, e->to);
    }
    hc_anomaly(c, "%s: %s", kind, line);
    hc_show_txn(c, f->from);
    if (!cut)
        hc_show_txn(c, f->to);
    for (size_t i = n; i-- > 1;)
        hc_show_txn(c, c->edges[path[i]].to);
}

/* Pass 5b: cycles. */
static int hc_cycles(hc *c)
{
    size_t n = c->h->n_txns;
    hc_graph ww = {0}, wwr = {0};
    hc_search s = {0};
    size_t *comp = malloc((n ? n : 1) * sizeof *comp);
    size_t *size = malloc((n ? n : 1) * sizeof *size);
    size_t *comp2 = malloc((n ? n : 1) * sizeof *comp2);
    size_t *size2 = malloc((n ? n : 1) * sizeof *size2);
    bool *reported = calloc(n ? n : 1, sizeof *reported);
    s.seen = calloc(n ? n : 1, sizeof *s.seen);
    s.via = malloc((n ? n : 1) * sizeof *s.via);
    s.queue = malloc((n ? n : 1) * sizeof *s.queue);
    int rc = -1;
    if (!comp || !size || !comp2 || !size2 || !reported || !s.seen || !s.via || !s.queue ||
        hc_graph_build(c, HC_WW, &ww) || hc_graph_build(c, HC_WW | HC_WR, &wwr) ||
        hc_tarjan(c, &ww, comp, size) || hc_tarjan(c, &wwr, comp2, size2))
        goto out;

    /* G0: one cycle per component of the ww graph. */
    for (size_t e = 0; e < c->n_edges; e++) {
        const hc_edge *ed = &c->edges[e];
        size_t k = comp[ed->from];
        if (ed->type != HC_WW || comp[ed->to] != k || size[k] < 2 || reported[k])
            continue;
        reported[k] = true;
        if (hc_path(c, &ww, &s, ed->to, ed->from, comp, k))
            hc_report_cycle(c, &s, e, "G0 write cycle");
    }
    /* G1c: one cycle through a wr edge per component of the ww+wr graph. */
    memset(reported, 0, n * sizeof *reported);
    for (size_t e = 0; e < c->n_edges; e++) {
        const hc_edge *ed = &c->edges[e];
        size_t k = comp2[ed->from];
        if (ed->type != HC_WR || comp2[ed->to] != k || size2[k] < 2 || reported[k])
            continue;
        reported[k] = true;
        if (hc_path(c, &wwr, &s, ed->to, ed->from, comp2, k))
            hc_report_cycle(c, &s, e, "G1c circular information flow");
    }
    /* G-single: an rw edge a -> b closed by a ww/wr path b -> a, reported once per pair
     * a, b. Such a path can only run from b's component down to a's, which rules most
     * edges out without a search. */
    for (size_t e = 0; e < c->n_edges; e++) {
        const hc_edge *ed = &c->edges[e];
        if (ed->type != HC_RW || comp2[ed->to] < comp2[ed->from] ||
            (e > 0 && !hc_pair_cmp(ed, &c->edges[e - 1])))
            continue;
        if (!hc_path(c, &wwr, &s, ed->to, ed->from, comp2, HC_NONE))
            continue;
        /* Name the two shapes people know: a rw and a ww edge on one key is a lost update,
         * a rw edge closed by a wr edge is read skew. */
        const char *kind = "G-single";
        size_t first = e;
        for (size_t r = e; r < c->n_edges && !hc_pair_cmp(ed, &c->edges[r]); r++)
            for (size_t i = wwr.off[ed->to]; i < wwr.off[ed->to + 1]; i++) {
                const hc_edge *back = &c->edges[wwr.adj[i]];
                if (back->to != ed->from || strcmp(kind, "G-single (lost update)") == 0)
                    continue;
                if (back->type == HC_WW && back->key == c->edges[r].key)
                    kind = "G-single (lost update)";
                else if (back->type == HC_WR)
                    kind = "G-single (read skew)";
                else
                    continue;
                first = r;
                s.via[ed->from] = wwr.adj[i];
            }
        hc_report_cycle(c, &s, first, kind);
    }
    rc = 0;
out:
    hc_graph_free(&ww);
    hc_graph_free(&wwr);
    free(comp);
    free(size);
    free(comp2);
    free(size2);
    free(reported);
    free(s.seen);
    free(s.via);
    free(s.queue);
    return rc;
}

static void hc_free(hc *c)
{
    free(c->writes);
    free(c->slots);
    free(c->keys);
    free(c->key_info);
    free(c->reads);
    free(c->committed);
    free(c->edges);
}

static void hc_summary(hc *c)
{
    size_t ok = 0, failed = 0, unknown = 0, ww = 0, wr = 0, rw = 0;
    for (size_t t = 0; t < c->h->n_txns; t++) {
        hist_outcome o = c->h->txns[t]->outcome;
        ok += o == HIST_OK;
        failed += o == HIST_FAILED;
        unknown += o == HIST_UNKNOWN;
    }
    for (size_t e = 0; e < c->n_edges; e++) {
        ww += c->edges[e].type == HC_WW;
        wr += c->edges[e].type == HC_WR;
        rw += c->edges[e].type == HC_RW;
    }
    HC_SAY(c,
           "%d anomalies in %zu transactions (%zu ok, %zu failed, %zu unknown) over %zu keys; "
           "edges: %zu ww, %zu wr, %zu rw\n",
           c->anomalies, c->h->n_txns, ok, failed, unknown, c->n_keys, ww, wr, rw);
}

int hist_check(const hist_history *h, char *report, size_t cap)
{
    hc c = {.h = h, .out = report, .cap = cap};
    if (cap)
        report[0] = '\0';
    if (h->oom) {
        HC_SAY(&c, "the history is incomplete: recording it ran out of memory\n");
        return -1;
    }
    size_t n_reads = 0;
    for (size_t t = 0; t < h->n_txns; t++)
        for (size_t i = 0; i < h->txns[t]->n_ops; i++)
            n_reads += h->txns[t]->ops[i].kind == HIST_READ;
    if (hc_index(&c) || !(c.reads = calloc(n_reads ? n_reads : 1, sizeof *c.reads)))
        goto oom;
    for (size_t t = 0; t < h->n_txns; t++)
        for (size_t i = 0; i < h->txns[t]->n_ops; i++)
            if (h->txns[t]->ops[i].kind == HIST_READ)
                hc_check_read(&c, t, i);
    hc_orders(&c);
    hc_final(&c);
    if (hc_sessions(&c) || hc_build_edges(&c) || hc_cycles(&c))
        goto oom;
    hc_summary(&c);
    if (cap && c.len >= cap && cap > 32)
        strcpy(report + cap - 32, "\n... (report truncated)\n");
    hc_free(&c);
    return c.anomalies;
oom:
    hc_free(&c);
    c.len = 0;
    HC_SAY(&c, "the checker ran out of memory\n");
    return -1;
}
