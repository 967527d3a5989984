/*
 * The query executor's internals. A bound plan (plan.h) becomes a tree of ex_node at
 * execution; each node is pulled for batches: up to ENG_VECTOR_SIZE rows as column
 * vectors in the node's layout plus an optional selection vector. A batch stays valid
 * until the next pull of the same node (it lives in the node's scratch arena, or points
 * into table segments, or into the node's own buffers).
 *
 * Every operator reads the transaction's snapshot through scan.c; memory an operator
 * keeps (hash tables, sort buffers) is counted in the run's qmem.
 */
#ifndef EIDER_EXEC_INT_H
#define EIDER_EXEC_INT_H

#include "eval.h"
#include "plan.h"
#include "qmem.h"
#include "txn.h"

typedef struct ex_batch {
    uint32_t n;
    ev_vec *cols;        /* by layout position */
    const uint32_t *sel; /* the rows of cols in the batch; NULL: rows 0..n-1 */
} ex_batch;

typedef struct ex_sub ex_sub;

/* What every node of one execution shares. A correlated subquery's nodes get a context of
 * their own that differs only in `outer`. */
typedef struct ex_ctx {
    const txn *t; /* the snapshot (and, for writes, the writer) */
    const eng_value *params;
    const eng_value *outer; /* the enclosing row's values for a correlated subquery */
    ex_sub *subs;           /* run-time state per subquery id */
    uint32_t nsubs;
    qmem *mem;
    arena *arena; /* allocations that live as long as the execution */
    const pl_attr *attrs;
    cat_catalog *cat;     /* information_schema reads it */
    const char *user;     /* CURRENT_USER: the session's account, or NULL */
    const char *database; /* CURRENT_CATALOG */
    int64_t now_us;       /* the statement's time: CURRENT_TIMESTAMP */
} ex_ctx;

typedef struct ex_node ex_node;
struct ex_node {
    const pl_node *pl;
    ex_ctx *ctx;
    ex_node *child, *right;
    arena scratch; /* reset at every pull: the batch handed out lives here */
    void *st;      /* the operator's state */
};

/* exec_node.c: building the tree and dispatching to the operators. */
int ex_build(const pl_node *pl, ex_ctx *ctx, ex_node **out, eng_error *err);
/* Starts (or restarts, for correlated subqueries) a node and its children. */
int ex_open(ex_node *n, eng_error *err);
/* 1: a batch; 0: no more rows; -1: error. */
int ex_next(ex_node *n, ex_batch *out, eng_error *err);
/* Frees what the node and its children hold. */
void ex_close(ex_node *n);
/* The type of column c of a node's batches. */
eng_type ex_layout_type(const ex_ctx *ctx, const pl_node *pl, uint32_t c);
/* An evaluation input over a batch. */
ev_input ex_input(const ex_node *n, const ex_batch *b);
/* Evaluates a constant bigint (LIMIT, OFFSET); -1 stays for NULL (no limit). */
int ex_const_int(ex_node *n, const bexpr *e, const char *what, int64_t *out, eng_error *err);
/* Narrows a batch to the rows where pred is TRUE (new selection in arena a). */
int ex_filter_batch(const bexpr *pred, ex_ctx *ctx, ex_batch *b, arena *a, eng_error *err);
/* Makes every column of a batch dense (no selection vector) in arena a. */
int ex_densify(ex_batch *b, uint32_t ncols, arena *a, eng_error *err);

/* Operators (exec_<name>.c): open, next, close. */
#define EX_OPERATOR(name)                                                                          \
    int ex_##name##_open(ex_node *n, eng_error *err);                                              \
    int ex_##name##_next(ex_node *n, ex_batch *out, eng_error *err);                               \
    void ex_##name##_close(ex_node *n);
EX_OPERATOR(scan)
EX_OPERATOR(filter)
EX_OPERATOR(project)
EX_OPERATOR(agg)
EX_OPERATOR(sort)
EX_OPERATOR(limit)
EX_OPERATOR(join)
EX_OPERATOR(setop)
EX_OPERATOR(window)
EX_OPERATOR(rows)
#undef EX_OPERATOR

/* Column buffers (exec_colbuf.c): rows appended column-wise into growing arrays counted
 * against the query's memory; strings are copied into the buffer. */
typedef struct cb_col {
    eng_type type;
    size_t width;
    char *data;
    uint8_t *nulls;
} cb_col;

typedef struct colbuf {
    uint32_t ncols;
    cb_col *cols;
    uint64_t n, cap;
    qmem *mem;
    arena strings;
    /* The strings appended live as long as the query (a table scan's point into the
     * table's heap, which the plan's reference keeps): cb_append keeps the references
     * instead of copying the bytes. */
    bool strings_stable;
} colbuf;

int cb_init(colbuf *cb, uint32_t ncols, const eng_type *types, qmem *mem, arena *a, eng_error *err);
/* Appends rows sel[0..n) of cols[map[c]] (map NULL: cols[c]) for each buffer column c. */
int cb_append(colbuf *cb, const ev_vec *cols, const uint32_t *map, const uint32_t *sel, uint32_t n,
              eng_error *err);
/* Appends one row of dense vectors (row i of vecs[c]). */
int cb_append_row(colbuf *cb, const ev_vec *vecs, uint32_t i, eng_error *err);
/* A view of rows [off, off + ...) of column c, pointing into the buffer. */
void cb_view(const colbuf *cb, uint32_t c, uint64_t off, ev_vec *out);
/* Rows rows[0..n) of column c gathered into a dense vector in arena a. */
int cb_gather(const colbuf *cb, uint32_t c, const uint64_t *rows, uint32_t n, arena *a, ev_vec *out,
              eng_error *err);
void cb_free(colbuf *cb);

/* Hash tables of distinct keys (exec_hash.c): each distinct key gets a dense id. */
typedef struct ht_table {
    uint32_t nkeys;
    colbuf keys;      /* one row per id */
    uint64_t *hashes; /* per id */
    uint64_t hcap;    /* ids hashes has room for */
    uint64_t *slots;  /* open addressing: the hash's top 32 bits, then id + 1; 0 when empty */
    uint64_t nslots;
    uint32_t count;
    qmem *mem;
    uint64_t *hbuf; /* per-batch hashes */
    /* Packed keys: when a row's key values fit in 16 bytes (see exec_hash.c), the key is
     * hashed and compared as two words. pk holds each id's packed key (pk_ok[id] = 1) or
     * nothing (0: its key did not fit). */
    bool pack;
    uint8_t pack_null_bytes;
    uint8_t pack_off[8], pack_len[8]; /* per key: offset, and width (strings: most bytes) */
    uint64_t (*pk)[2];
    uint8_t *pk_ok;
    uint64_t pk_cap;
    uint64_t (*pbuf)[2]; /* per-batch packed keys */
    uint8_t *pbuf_ok;
    uint64_t *gbuf; /* per-batch general hashes of keys that do not pack */
} ht_table;

int ht_init(ht_table *ht, uint32_t nkeys, const eng_type *types, qmem *mem, arena *a,
            eng_error *err);
/* Ids of the keys of n rows (dense vectors, one per key), inserting new ones; NULL keys
 * are values like any other (GROUP BY puts NULLs in one group). *added: how many new. */
int ht_insert(ht_table *ht, const ev_vec *keys, uint32_t n, uint32_t *ids, uint32_t *added,
              eng_error *err);
/* The same for rows sel[0..n) of the key vectors (ids[i] is row sel[i]'s); a NULL sel
 * means rows 0..n-1. */
int ht_insert_sel(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint32_t *ids,
                  uint32_t *added, eng_error *err);
/* Ids of existing keys, or UINT32_MAX. */
void ht_find(ht_table *ht, const ev_vec *keys, uint32_t n, uint32_t *ids);
/* The same for rows sel[0..n) of the key vectors (a NULL sel: rows 0..n-1). */
void ht_find_sel(ht_table *ht, const ev_vec *keys, const uint32_t *sel, uint32_t n, uint32_t *ids);
void ht_free(ht_table *ht);

/* exec_sort.c: orders rows 0..n-1 of buffered key columns into perm. */
typedef struct ex_sort_key {
    ev_vec col; /* the whole buffer column */
    bool desc, nulls_first;
} ex_sort_key;
void ex_sort_perm(uint64_t *perm, uint64_t n, const ex_sort_key *keys, uint32_t nkeys);

/* exec_aggfn.c: aggregate states, shared by the hash aggregation and window functions. */
typedef struct agg_state {
    const pl_agg *agg;
    size_t width; /* of one value state */
    char *vals;   /* per group: sum / min / max */
    int64_t *cnt; /* per group: rows counted (non-NULL ones) */
    uint64_t cap;
    uint64_t ngroups; /* the most agg_grow was asked for */
    qmem *mem;
    arena strings;  /* MIN/MAX of strings keep their bytes here */
    ht_table *seen; /* DISTINCT: (group, value) pairs already counted */
} agg_state;

int agg_init(agg_state *s, const pl_agg *agg, qmem *mem, arena *a, eng_error *err);
/* Makes room for groups [0, ngroups). */
int agg_grow(agg_state *s, uint64_t ngroups, eng_error *err);
/* Adds n values of arg (NULL for COUNT(*)) to the groups ids[]: value i is arg's row i, or
 * its row vidx[i] when vidx is given. */
int agg_update(agg_state *s, const uint32_t *ids, const ev_vec *arg, const uint32_t *vidx,
               uint32_t n, arena *scratch, eng_error *err);
/* Results of groups [first, first + n) into a dense vector. */
int agg_result(const agg_state *s, uint64_t first, uint32_t n, arena *a, ev_vec *out,
               eng_error *err);
/* Folds group src_id of `src` (another worker's state of the same aggregate) into group
 * dst_id of s. Not for DISTINCT. */
int agg_merge(agg_state *s, uint64_t dst_id, const agg_state *src, uint64_t src_id, eng_error *err);
/* The result of one group as a value. */
void agg_value(const agg_state *s, uint64_t group, eng_value *out);
void agg_free(agg_state *s);

/* exec_subquery.c */
struct ex_sub {
    ex_node *root;      /* built on first use */
    bool done;          /* uncorrelated: the result is cached */
    eng_value scalar;   /* scalar result */
    bool exists;        /* EXISTS result */
    ht_table *set;      /* IN: the subquery's values */
    bool set_has_null;  /* IN, ANY, ALL: a NULL among them */
    ev_vec least, most; /* ANY, ALL: the smallest and largest values that are not NULL */
    bool have_range;    /* ANY, ALL: least and most are set */
    ex_ctx ctx;         /* correlated: the subquery's context */
    eng_value *outer;   /* correlated: the current enclosing row */
};
void ex_subs_close(ex_ctx *ctx);

/* One execution of a query (exec_select.c): its memory, context and operator tree. */
typedef struct ex_run {
    qmem mem;
    arena arena;
    ex_ctx ctx;
    /* The snapshot ctx.t points at: a copy of the caller's id and start, because an
     * autocommit SELECT's snapshot lives on the stack of the execute call, and scans of
     * subqueries and join sides open later, during fetches. */
    txn snapshot;
    ex_node *root;
    const char *explain; /* EXPLAIN: the rest of the plan text still to hand out */
} ex_run;

/* Starts executing a bound query (root may be NULL: only subqueries of an UPDATE or
 * DELETE). The run is malloc'd; ex_run_free ends it. */
int ex_run_start(struct eng_session *s, const plan_select *ps, const pl_attr *attrs,
                 const pl_node *root, uint32_t nsubs, const txn *t, const eng_value *params,
                 ex_run **out, eng_error *err);
void ex_run_free(ex_run *run);
/* Turns an out-of-memory error of a run that hit its limit into 53200 with the limit. */
int ex_run_error(ex_run *run, eng_error *err);

#endif
