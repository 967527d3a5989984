/*
 * Histories of list-append transactions and a checker for snapshot-isolation anomalies, in
 * the spirit of Jepsen's Elle (Kingsbury and Alvaro, "Elle: Inferring Isolation Anomalies
 * from Experimental Observations", VLDB 2020).
 *
 * Each key holds a list of integers. A transaction appends values to keys and reads whole
 * lists. Appended values are unique across a history, so every value names the transaction
 * that wrote it, and the longest committed read of a key gives the order of its versions.
 * From that order the checker derives dependency edges between committed transactions:
 *   ww  T1 -> T2: T2 appended the element right after T1's in the key's version order;
 *   wr  T1 -> T2: T2 read a list whose last element (not its own) T1 appended;
 *   rw  T1 -> T2: T1 read a list up to element i and T2 appended element i+1.
 * Snapshot isolation forbids G0 (a ww cycle), G1a (reading an aborted append), G1b
 * (reading an intermediate state of another transaction), G1c (a cycle of ww and wr
 * edges) and G-single (a cycle with exactly one rw edge: lost update, read skew). It
 * allows G2 (write skew: cycles with two or more rw edges), so the checker accepts those.
 */
#ifndef EIDER_HISTORY_H
#define EIDER_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { HIST_APPEND, HIST_READ } hist_op_kind;

/* How a transaction ended as its client saw it. UNKNOWN: the client cannot tell whether
 * the commit happened (a lost connection, an unexpected error from COMMIT). */
typedef enum { HIST_OK, HIST_FAILED, HIST_UNKNOWN } hist_outcome;

typedef struct {
    hist_op_kind kind;
    int key;
    long value;    /* HIST_APPEND: the value appended */
    long *list;    /* HIST_READ: the list read, in order */
    size_t n_list; /* HIST_READ: its length */
} hist_op;

typedef struct {
    int thread;
    hist_outcome outcome;
    /* The read taken after every other transaction ended: it must hold every
     * acknowledged append. */
    bool final;
    hist_op *ops;
    size_t n_ops, cap_ops;
} hist_txn;

/* Transactions of one thread must appear in the order that thread ran them: the checker
 * relies on it to require that a thread sees its own earlier commits. Transactions are
 * held by pointer, so a hist_txn stays where it is while the history grows. */
typedef struct {
    hist_txn **txns;
    size_t n_txns, cap_txns;
    /* An allocation failed while recording: the history is incomplete and hist_check
     * refuses it. */
    bool oom;
} hist_history;

void hist_init(hist_history *h);
void hist_free(hist_history *h);

/* Starts recording a transaction (outcome HIST_UNKNOWN until hist_end); NULL and
 * h->oom set when out of memory. */
hist_txn *hist_begin(hist_history *h, int thread);
/* Record an operation. An append is recorded before it is attempted, so a value from a
 * failed statement still names its (failed) transaction. Return 0, or -1 and set h->oom. */
int hist_append(hist_history *h, hist_txn *t, int key, long value);
int hist_read(hist_history *h, hist_txn *t, int key, const long *list, size_t n);
void hist_end(hist_txn *t, hist_outcome outcome);

/* Moves every transaction of src to the end of dst, in order, leaving src empty. */
int hist_merge(hist_history *dst, hist_history *src);

/* Checks the history and writes a report naming each anomaly and the transactions
 * involved (truncated to cap), ending with a summary line. Reports:
 *   G1a aborted read, G1b intermediate read;
 *   garbage or duplicate elements in a read (and duplicate appended values);
 *   incompatible order: a read that is not a prefix of the key's longest committed read;
 *   internal inconsistency: a read not ending with the reader's own appends, or not
 *     repeating its earlier read of the key (non-repeatable read);
 *   G0, G1c and G-single cycles (G-single named lost update or read skew when it is);
 *   lost write: an acknowledged append missing from the final read (or no final read of
 *     a key that acknowledged appends went to), once a final transaction exists;
 *   stale read: a read missing what the same thread committed in an earlier transaction.
 * Returns the number of anomalies, or -1 when the history is incomplete or the checker
 * runs out of memory. */
int hist_check(const hist_history *h, char *report, size_t cap);

/* Writes one transaction as text ("T3 thread 1 OK: append(2, 1000004) read(5)=[1, 7]"),
 * shortening long lists. */
void hist_format_txn(const hist_txn *t, size_t index, char *out, size_t cap);

#endif
