/*
 * bench_data.h: the deterministic data every system gets, and the answers it must give.
 *
 * Row i of a table is a pure function of (seed, i): any backend, any loader thread, any run
 * produces the same bytes without shared state, and the expected TPC-H results are computed in
 * C from the same function. lineitem follows TPC-H dbgen's distributions (order dates over
 * 1992-01-01 .. 1998-08-02, ship 1..121 days later, receipt 1..30 days after that, flags from
 * the 1995-06-17 "current date", quantity 1..50, discount 0..0.10, tax 0..0.08, extended price
 * = quantity x the part's retail price); orders have four lines each.
 */
#ifndef EIDER_BENCH_DATA_H
#define EIDER_BENCH_DATA_H

#include <stddef.h>
#include <stdint.h>

#define GEN_PAD_LEN 60 /* bench_kv.pad is VARCHAR(100); the generator writes 60 characters */
#define GEN_VAL_LEN 40 /* bench_ins.val is VARCHAR(50) */

struct gen_kv {
    int32_t id; /* 1 .. rows */
    int64_t val;
    char pad[GEN_PAD_LEN + 1];
};

struct gen_lineitem {
    int64_t orderkey;
    int32_t linenumber;
    double quantity;
    double extendedprice;
    double discount;
    double tax;
    char returnflag[2];
    char linestatus[2];
    int32_t shipdate; /* days since 1970-01-01 */
};

struct gen_q1_group {
    char returnflag;
    char linestatus;
    double sum_qty, sum_base_price, sum_disc_price, sum_charge;
    double avg_qty, avg_price, avg_disc;
    int64_t count_order;
};

#define GEN_Q1_MAX 8

struct gen_expect {
    long rows;
    int q1_groups;
    struct gen_q1_group q1[GEN_Q1_MAX];
    double q6_revenue;
};

/* splitmix64: the per-thread random stream of the workloads (which id to read or update). */
uint64_t gen_next(uint64_t *state);

void gen_kv_row(uint64_t seed, long i, struct gen_kv *r);

/* bench_kv.val as loaded for id (1-based); the update workload only ever adds to it. */
int64_t gen_kv_val(uint64_t seed, int64_t id);
void gen_lineitem_row(uint64_t seed, long i, struct gen_lineitem *r);

/* The value bench_ins.val gets for key id (insert and bulk workloads). */
void gen_ins_val(int64_t id, char out[GEN_VAL_LEN + 1]);

int32_t gen_days_from_civil(int y, int m, int d);
void gen_civil_from_days(int32_t days, int *y, int *m, int *d);

/* Runs Q1 and Q6 in C over rows 0 .. rows-1. */
void gen_expect_compute(uint64_t seed, long rows, struct gen_expect *e);

/* 0 when the system's answer matches; otherwise -1 and a short description in detail. */
int gen_check_q1(const struct gen_expect *e, const struct gen_q1_group *got, int n, char *detail,
                 size_t len);
int gen_check_q6(const struct gen_expect *e, double revenue, char *detail, size_t len);

#endif
