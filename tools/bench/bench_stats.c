/*
 * bench_stats.c: the latency histogram of bench_stats.h.
 *
 * Bucket layout: values 0 .. 2^B-1 (B = HIST_SUB_BITS) have one bucket each. A larger value v
 * with highest set bit m is shifted right by e = m - B + 1, which leaves a mantissa in
 * [2^(B-1), 2^B); the bucket is 2^B + (e-1) * 2^(B-1) + (mantissa - 2^(B-1)). Its lower bound is
 * mantissa << e, its width 1 << e. A quantile reports the middle of its bucket.
 */
#include "bench_stats.h"

#include <assert.h>
#include <string.h>

static unsigned bucket_of(uint64_t v)
{
    if (v < (1u << HIST_SUB_BITS))
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned e = msb - HIST_SUB_BITS + 1u;
    unsigned idx = (1u << HIST_SUB_BITS) + (e - 1u) * HIST_HALF + (unsigned)(v >> e) - HIST_HALF;
    return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1u;
}

/* Middle of bucket idx, the inverse of bucket_of. */
static double bucket_mid(unsigned idx)
{
    if (idx < (1u << HIST_SUB_BITS))
        return (double)idx;
    unsigned rel = idx - (1u << HIST_SUB_BITS);
    unsigned e = rel / HIST_HALF + 1u;
    uint64_t mantissa = HIST_HALF + rel % HIST_HALF;
    return (double)(mantissa << e) + (double)(1ull << e) / 2.0;
}

void hist_reset(struct hist *h)
{
    memset(h, 0, sizeof *h);
}

void hist_record(struct hist *h, uint64_t ns)
{
    h->buckets[bucket_of(ns)]++;
    h->count++;
    if (ns > h->max_ns)
        h->max_ns = ns;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        into->buckets[i] += from->buckets[i];
    into->count += from->count;
    if (from->max_ns > into->max_ns)
        into->max_ns = from->max_ns;
}

double hist_quantile(const struct hist *h, double q)
{
    assert(q >= 0.0 && q <= 1.0);
    if (h->count == 0)
        return 0.0;
    /* The rank of the wanted value, 1-based: p50 of 4 values is the 2nd, p99 of 10 the 10th. */
    uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            double mid = bucket_mid(i);
            return mid > (double)h->max_ns ? (double)h->max_ns : mid;
        }
    }
    return (double)h->max_ns;
}
