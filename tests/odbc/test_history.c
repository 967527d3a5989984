/*
 * Unit tests of the history checker (history.c), no database involved: one small
 * hand-written history per anomaly class that it must find, valid histories it must
 * accept (serial, write skew, failed and unknown transactions), and an in-process model of
 * a snapshot-isolation store run with random interleavings, which the checker must accept
 * as it is and fault once first-updater-wins is switched off.
 */
#include "../common/test_main.h"
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hist_history H;
static char report[1 << 16];

/* Adds a transaction written as space-separated ops: "a1=5" appends 5 to key 1, "r1=5.6"
 * reads key 1 as [5, 6], "r1=" reads it empty. */
static void tx(int thread, hist_outcome outcome, const char *ops)
{
    hist_txn *t = hist_begin(&H, thread);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    for (const char *p = ops; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char kind = *p++;
        char *end;
        int key = (int)strtol(p, &end, 10);
        CU_ASSERT_EQUAL_FATAL(*end, '=');
        p = end + 1;
        if (kind == 'a') {
            CU_ASSERT_EQUAL(hist_append(&H, t, key, strtol(p, &end, 10)), 0);
            p = end;
            continue;
        }
        long list[64];
        size_t n = 0;
        while (*p >= '0' && *p <= '9') {
            list[n++] = strtol(p, &end, 10);
            p = *end == '.' ? end + 1 : end;
        }
        CU_ASSERT_EQUAL(hist_read(&H, t, key, list, n), 0);
    }
    hist_end(t, outcome);
}

static void final_read(const char *ops)
{
    tx(-1, HIST_OK, ops);
    H.txns[H.n_txns - 1]->final = true;
}

/* Checks H, expecting `count` anomalies and the report to mention `what`; starts the next
 * history. */
static void expect(int count, const char *what)
{
    int n = hist_check(&H, report, sizeof report);
    if (n != count || (what && !strstr(report, what)))
        printf("\nexpected %d anomalies (%s), got %d:\n%s", count, what ? what : "-", n, report);
    CU_ASSERT_EQUAL(n, count);
    if (what)
        CU_ASSERT_PTR_NOT_NULL(strstr(report, what));
    hist_free(&H);
}

static void test_serial_history(void)
{
    tx(0, HIST_OK, "a1=1 a2=2");
    tx(1, HIST_OK, "r1=1 a1=3 r1=1.3");
    tx(0, HIST_OK, "r2=2 a2=4 a2=5 r2=2.4.5");
    tx(1, HIST_OK, "r1=1.3 r2=2.4.5 r3=");
    final_read("r1=1.3 r2=2.4.5 r3=");
    expect(0, "0 anomalies");
}

static void test_write_skew_is_allowed(void)
{
    /* T1 and T2 each read both keys and append to a different one: two rw edges. */
    tx(0, HIST_OK, "a1=1 a2=2");
    tx(1, HIST_OK, "r1=1 r2=2 a1=10");
    tx(2, HIST_OK, "r1=1 r2=2 a2=20");
    final_read("r1=1.10 r2=2.20");
    expect(0, "2 rw");
}

static void test_failed_and_unknown_are_allowed(void)
{
    /* A failed transaction sees its own appends; unknown ones may or may not land. */
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_FAILED, "a1=5 r1=1.5 a2=6");
    tx(2, HIST_UNKNOWN, "a1=7");
    tx(3, HIST_UNKNOWN, "a2=8");
    tx(4, HIST_FAILED, "r1=1.7 a1=9");
    final_read("r1=1.7 r2=");
    expect(0, NULL);
}

static void test_aborted_read(void)
{
    tx(0, HIST_FAILED, "a1=1");
    tx(1, HIST_OK, "r1=1");
    expect(1, "G1a aborted read: T1 read key 1 and saw 1, appended by T0");
}

static void test_aborted_value_in_final_read(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_FAILED, "a1=2");
    final_read("r1=1.2");
    expect(1, "(in the final read)");
}

static void test_intermediate_read(void)
{
    tx(0, HIST_OK, "a1=1 a1=2");
    tx(1, HIST_OK, "r1=1");
    expect(1, "G1b intermediate read: T1 read key 1 ending in 1, but T0");
}

static void test_incompatible_orders(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "a1=2");
    tx(2, HIST_OK, "r1=1.2");
    tx(3, HIST_OK, "r1=2.1");
    expect(1, "incompatible order: key 1 read by T3");
}

static void test_non_repeatable_read(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "r1= r1=1");
    final_read("r1=1");
    expect(1, "non-repeatable read: T1");
}

static void test_own_appends_missing(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "a1=5 r1=1");
    final_read("r1=1.5");
    expect(1, "internal inconsistency: T1");
}

static void test_g0_write_cycle(void)
{
    tx(1, HIST_OK, "a1=1 a2=4");
    tx(2, HIST_OK, "a1=2 a2=3");
    final_read("r1=1.2 r2=3.4");
    expect(1, "G0 write cycle: T0 -ww(1)-> T1 -ww(2)-> T0");
}

static void test_g1c_cycle(void)
{
    tx(1, HIST_OK, "a1=1 r2=2");
    tx(2, HIST_OK, "a2=2 r1=1");
    final_read("r1=1 r2=2");
    expect(1, "G1c circular information flow");
}

static void test_lost_update(void)
{
    /* Both read [1] and both appended: the second should have failed. */
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "r1=1 a1=2");
    tx(2, HIST_OK, "r1=1 a1=3");
    final_read("r1=1.2.3");
    expect(1, "G-single (lost update): T2 -rw(1)-> T1 -ww(1)-> T2");
}

static void test_read_skew(void)
{
    /* T2 sees key 1 before T1 and key 2 after it. */
    tx(0, HIST_OK, "a1=1 a2=2");
    tx(1, HIST_OK, "a1=3 a2=4");
    tx(2, HIST_OK, "r1=1 r2=2.4");
    final_read("r1=1.3 r2=2.4");
    expect(1, "G-single (read skew): T2 -rw(1)-> T1 -wr(2)-> T2");
}

static void test_longer_g_single(void)
{
    /* T1 misses T2's append to key 1, T2's append to key 2 reaches T3, T3's to key 3
     * reaches T1: one rw edge in a cycle of three. */
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "r1=1 r3=30");
    tx(2, HIST_OK, "a1=2 a2=20");
    tx(3, HIST_OK, "r2=20 a3=30");
    final_read("r1=1.2 r2=20 r3=30");
    expect(1, "G-single: T1 -rw(1)-> T2 -wr(2)-> T3 -wr(3)-> T1");
}

static void test_lost_commit(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "a1=2");
    tx(2, HIST_UNKNOWN, "a1=3");
    final_read("r1=1");
    expect(1, "lost write: T1 committed append(1, 2)");
}

static void test_missing_final_read(void)
{
    tx(0, HIST_OK, "a1=1 a2=2");
    final_read("r1=1");
    expect(1, "no final read of key 2");
}

static void test_stale_session_read(void)
{
    tx(0, HIST_OK, "a1=1");
    tx(0, HIST_OK, "r1=");
    final_read("r1=1");
    expect(1, "stale read: T1 (thread 0) read key 1 without 1");
}

static void test_garbage_and_duplicates(void)
{
    tx(0, HIST_OK, "a1=1 a2=2");
    tx(1, HIST_OK, "r1=1.1 r2=2.99");
    expect(2, "garbage read: T1 read key 2 and saw 99");
    tx(0, HIST_OK, "a1=1");
    tx(1, HIST_OK, "a1=1");
    expect(1, "duplicate append");
}

static void test_incomplete_history(void)
{
    tx(0, HIST_OK, "a1=1");
    H.oom = true;
    expect(-1, "out of memory");
}

/* ---- a model of a snapshot-isolation store ---- */

#define SIM_KEYS  4
#define SIM_SLOTS 5
#define SIM_MAX   2048

typedef struct {
    long list[SIM_MAX]; /* every committed append, in commit order */
    long ts[SIM_MAX];   /* the commit timestamp of each element */
    size_t n;
    int locked_by; /* the running transaction that appended, or -1 */
} sim_key;

typedef struct {
    hist_txn *t;
    long start;
    int ops_left;
    long own[SIM_KEYS][16];
    size_t n_own[SIM_KEYS];
} sim_slot;

static unsigned long sim_rand(unsigned long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void sim_release(sim_key *keys, sim_slot *sl, int slot)
{
    for (int k = 0; k < SIM_KEYS; k++) {
        if (keys[k].locked_by == slot)
            keys[k].locked_by = -1;
        sl->n_own[k] = 0;
    }
    sl->t = NULL;
}

/* Runs `txns` transactions interleaved at random over SIM_SLOTS slots, then a final read.
 * With first_updater_wins off, appends never conflict: a broken store. */
static void simulate(unsigned long seed, int txns, bool first_updater_wins)
{
    static sim_key keys[SIM_KEYS];
    sim_slot slots[SIM_SLOTS];
    memset(keys, 0, sizeof keys);
    memset(slots, 0, sizeof slots);
    for (int k = 0; k < SIM_KEYS; k++)
        keys[k].locked_by = -1;
    long commit_ts = 1, value = 0;
    int started = 0, running = 0;
    while (started < txns || running > 0) {
        int s = (int)(sim_rand(&seed) % SIM_SLOTS);
        sim_slot *sl = &slots[s];
        if (!sl->t) {
            if (started == txns)
                continue;
            sl->t = hist_begin(&H, s);
            CU_ASSERT_PTR_NOT_NULL_FATAL(sl->t);
            sl->start = commit_ts;
            sl->ops_left = 1 + (int)(sim_rand(&seed) % 4);
            started++;
            running++;
            continue;
        }
        int k = (int)(sim_rand(&seed) % SIM_KEYS);
        if (sl->ops_left == 0) {
            /* Now and then a commit fails on its own, as 25S03 or an I/O error would. */
            bool ok = sim_rand(&seed) % 20 != 0;
            for (int j = 0; ok && j < SIM_KEYS; j++) {
                commit_ts += j == 0;
                for (size_t i = 0; i < sl->n_own[j]; i++) {
                    keys[j].ts[keys[j].n] = commit_ts;
                    keys[j].list[keys[j].n++] = sl->own[j][i];
                }
            }
            hist_end(sl->t, ok ? HIST_OK : HIST_FAILED);
            sim_release(keys, sl, s);
            running--;
        } else if (sim_rand(&seed) % 2) {
            value++;
            hist_append(&H, sl->t, k, value);
            bool newer = keys[k].n > 0 && keys[k].ts[keys[k].n - 1] > sl->start;
            bool held = keys[k].locked_by != -1 && keys[k].locked_by != s;
            if (first_updater_wins && (newer || held)) {
                hist_end(sl->t, HIST_FAILED);
                sim_release(keys, sl, s);
                running--;
                continue;
            }
            keys[k].locked_by = s;
            sl->own[k][sl->n_own[k]++] = value;
            sl->ops_left--;
        } else {
            long list[SIM_MAX + 16];
            size_t n = 0;
            while (n < keys[k].n && keys[k].ts[n] <= sl->start)
                n++;
            memcpy(list, keys[k].list, n * sizeof *list);
            memcpy(list + n, sl->own[k], sl->n_own[k] * sizeof *list);
            hist_read(&H, sl->t, k, list, n + sl->n_own[k]);
            sl->ops_left--;
        }
    }
    hist_txn *f = hist_begin(&H, -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    f->final = true;
    for (int k = 0; k < SIM_KEYS; k++)
        hist_read(&H, f, k, keys[k].list, keys[k].n);
    hist_end(f, HIST_OK);
}

static void test_model_of_snapshot_isolation(void)
{
    for (unsigned long seed = 1; seed <= 20; seed++) {
        simulate(seed * 7919, 300, true);
        int n = hist_check(&H, report, sizeof report);
        if (n != 0)
            printf("\nseed %lu:\n%s", seed * 7919, report);
        CU_ASSERT_EQUAL(n, 0);
        hist_free(&H);
    }
}

static void test_model_without_first_updater_wins(void)
{
    simulate(42, 300, false);
    int n = hist_check(&H, report, sizeof report);
    CU_ASSERT(n > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "G-single (lost update)"));
    hist_free(&H);
}

static CU_TestInfo tests[] = {
    {"a serial history is valid", test_serial_history},
    {"write skew (G2) is allowed", test_write_skew_is_allowed},
    {"failed and unknown transactions", test_failed_and_unknown_are_allowed},
    {"G1a aborted read", test_aborted_read},
    {"G1a in the final read", test_aborted_value_in_final_read},
    {"G1b intermediate read", test_intermediate_read},
    {"incompatible orders", test_incompatible_orders},
    {"non-repeatable read in a transaction", test_non_repeatable_read},
    {"read without its own appends", test_own_appends_missing},
    {"G0 write cycle", test_g0_write_cycle},
    {"G1c ww/wr cycle", test_g1c_cycle},
    {"G-single lost update", test_lost_update},
    {"G-single read skew", test_read_skew},
    {"G-single over three transactions", test_longer_g_single},
    {"lost acknowledged commit", test_lost_commit},
    {"missing final read", test_missing_final_read},
    {"stale read in a session", test_stale_session_read},
    {"garbage and duplicate values", test_garbage_and_duplicates},
    {"incomplete history", test_incomplete_history},
    {"model of snapshot isolation", test_model_of_snapshot_isolation},
    {"model without first updater wins", test_model_without_first_updater_wins},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"history", NULL, NULL, NULL, NULL, tests})
