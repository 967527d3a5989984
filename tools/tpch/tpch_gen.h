/*
 * The rows of a TPC-H-like database at a scale factor, after dbgen's distributions
 * (specification 4.2.3): each row is a pure function of (table, row number), so the
 * loader and the answer checks regenerate the same data without storing it.
 */
#ifndef EIDER_TPCH_GEN_H
#define EIDER_TPCH_GEN_H

#include "bench_data.h" /* gen_days_from_civil, gen_civil_from_days: dates as days since 1970 */

#include <stdint.h>

#define TG_TEXT 160 /* longest text column plus its terminator, rounded up */

typedef struct tg_region {
    int64_t regionkey;
    const char *name;
    char comment[TG_TEXT];
} tg_region;

typedef struct tg_nation {
    int64_t nationkey, regionkey;
    const char *name;
    char comment[TG_TEXT];
} tg_nation;

typedef struct tg_supplier {
    int64_t suppkey, nationkey;
    char name[26], address[41], phone[16], comment[TG_TEXT];
    int64_t acctbal; /* cents */
} tg_supplier;

typedef struct tg_customer {
    int64_t custkey, nationkey;
    char name[26], address[41], phone[16], comment[TG_TEXT];
    const char *mktsegment;
    int64_t acctbal; /* cents */
} tg_customer;

typedef struct tg_part {
    int64_t partkey, size;
    char name[56], mfgr[26], brand[11], type[26], container[11], comment[TG_TEXT];
    int64_t retailprice; /* cents */
} tg_part;

typedef struct tg_line {
    int64_t partkey, suppkey, linenumber;
    int64_t quantity, extendedprice, discount, tax; /* quantity whole; others in cents */
    char returnflag, linestatus;
    int32_t shipdate, commitdate, receiptdate;
    const char *shipinstruct, *shipmode;
    char comment[TG_TEXT];
} tg_line;

/* An order with its lines (1 to 7). */
typedef struct tg_order {
    int64_t orderkey, custkey, shippriority;
    char orderstatus;
    int64_t totalprice; /* cents */
    int32_t orderdate;
    const char *orderpriority;
    char clerk[16], comment[TG_TEXT];
    int nlines;
    tg_line lines[7];
} tg_order;

/* Row counts at scale factor sf (at least one row each). */
int64_t tg_suppliers(double sf);
int64_t tg_customers(double sf);
int64_t tg_parts(double sf);
int64_t tg_orders(double sf);

/* Row i (0-based) of each table. */
void tg_region_row(int64_t i, tg_region *r);
void tg_nation_row(int64_t i, tg_nation *r);
void tg_supplier_row(double sf, int64_t i, tg_supplier *r);
void tg_customer_row(double sf, int64_t i, tg_customer *r);
void tg_part_row(double sf, int64_t i, tg_part *r);
void tg_order_row(double sf, int64_t i, tg_order *r);

/* "1995-03-15" into buf (11 bytes). */
void tg_date_text(int32_t days, char *buf);
/* Cents as "-123.45" into buf (24 bytes). */
void tg_money_text(int64_t cents, char *buf);

#endif
