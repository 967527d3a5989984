/*
 * bench_stats.h: a fixed-size latency histogram (log-linear buckets, HdrHistogram in spirit).
 *
 * Each worker thread records into its own histogram without locks; the histograms are merged
 * after the run and the percentiles read from the merge. Values are nanoseconds; a bucket is
 * at most 1/64 (1.6 %) of its value wide, so p50 and p99 are exact to that precision whatever
 * the range, from a cached point select (microseconds) to a TPC-H scan (seconds).
 */
#ifndef EIDER_BENCH_STATS_H
#define EIDER_BENCH_STATS_H

#include <stdint.h>

/* Values below 2^HIST_SUB_BITS are exact; above, each power of two has 2^(HIST_SUB_BITS-1)
 * buckets. 40 powers of two reach 2^46 ns (about 20 hours). */
#define HIST_SUB_BITS 7
#define HIST_HALF     (1u << (HIST_SUB_BITS - 1))
#define HIST_BUCKETS  ((1u << HIST_SUB_BITS) + 40u * HIST_HALF)

struct hist {
    uint64_t count;
    uint64_t max_ns;
    uint64_t buckets[HIST_BUCKETS];
};

void hist_reset(struct hist *h);
void hist_record(struct hist *h, uint64_t ns);
void hist_merge(struct hist *into, const struct hist *from);

/* The value (ns) below which the fraction q (0..1) of the recorded values lie; 0 when empty. */
double hist_quantile(const struct hist *h, double q);

#endif
