/*
 * bench_data.c: deterministic rows for bench_kv and lineitem, and TPC-H Q1/Q6 computed in C.
 *
 * Every column of row i is drawn from hash(seed, column, i) (splitmix64's finalizer), never
 * from a sequential generator, so loaders can split the rows among threads or batches and still
 * agree with each other and with gen_expect_compute. Money is DOUBLE PRECISION in every system
 * (see docs/benchmarks.md); prices are whole cents divided by 100 so that the values travel
 * through text protocols (psqlODBC sends parameters as text) without changing.
 */
#include "bench_data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* TPC-H constants (dbgen's dss.h): the generated date range and the "current date". */
#define START_DAYS   gen_days_from_civil(1992, 1, 1)
#define END_DAYS     gen_days_from_civil(1998, 12, 31)
#define CURRENT_DAYS gen_days_from_civil(1995, 6, 17)

enum { COL_ORDERDATE = 1, COL_SHIP, COL_RECEIPT, COL_QTY, COL_PART, COL_DISC, COL_TAX, COL_FLAG };

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static uint64_t draw(uint64_t seed, uint64_t column, uint64_t i)
{
    return mix(seed ^ mix(column * 0x9e3779b97f4a7c15ull + i));
}

uint64_t gen_next(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return mix(*state);
}

int64_t gen_kv_val(uint64_t seed, int64_t id)
{
    return (int64_t)(draw(seed, 100, (uint64_t)(id - 1)) % 1000000u);
}

void gen_kv_row(uint64_t seed, long i, struct gen_kv *r)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    uint64_t h = draw(seed, 100, (uint64_t)i);
    r->id = (int32_t)(i + 1);
    r->val = gen_kv_val(seed, r->id);
    for (int k = 0; k < GEN_PAD_LEN; k++) {
        if (k % 10 == 0)
            h = draw(seed, 101 + (uint64_t)k, (uint64_t)i);
        r->pad[k] = alphabet[h % 36u];
        h /= 36u;
    }
    r->pad[GEN_PAD_LEN] = '\0';
}

void gen_ins_val(int64_t id, char out[GEN_VAL_LEN + 1])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "ins-%016llx-%016llx", (unsigned long long)id,
             (unsigned long long)mix((uint64_t)id));
    memcpy(out, tmp, GEN_VAL_LEN);
    out[GEN_VAL_LEN] = '\0';
}

void gen_lineitem_row(uint64_t seed, long i, struct gen_lineitem *r)
{
    uint64_t row = (uint64_t)i;
    r->orderkey = (int64_t)(row / 4u + 1u);
    r->linenumber = (int32_t)(row % 4u + 1u);

    /* dbgen: orders are dated so that every line ships (121 days) before END_DAYS - 30. */
    int32_t span = END_DAYS - 151 - START_DAYS + 1;
    int32_t orderdate =
        START_DAYS + (int32_t)(draw(seed, COL_ORDERDATE, (uint64_t)r->orderkey) % (uint64_t)span);
    int32_t ship = orderdate + 1 + (int32_t)(draw(seed, COL_SHIP, row) % 121u);
    int32_t receipt = ship + 1 + (int32_t)(draw(seed, COL_RECEIPT, row) % 30u);
    r->shipdate = ship;

    int64_t qty = 1 + (int64_t)(draw(seed, COL_QTY, row) % 50u);
    int64_t partkey = 1 + (int64_t)(draw(seed, COL_PART, row) % 200000u);
    int64_t retail_cents = 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
    r->quantity = (double)qty;
    r->extendedprice = (double)(qty * retail_cents) / 100.0;
    r->discount = (double)(draw(seed, COL_DISC, row) % 11u) / 100.0;
    r->tax = (double)(draw(seed, COL_TAX, row) % 9u) / 100.0;

    if (receipt <= CURRENT_DAYS)
        r->returnflag[0] = (draw(seed, COL_FLAG, row) & 1u) ? 'R' : 'A';
    else
        r->returnflag[0] = 'N';
    r->linestatus[0] = ship > CURRENT_DAYS ? 'O' : 'F';
    r->returnflag[1] = r->linestatus[1] = '\0';
}

/* Howard Hinnant's civil-calendar algorithms (proleptic Gregorian). */
int32_t gen_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gen_civil_from_days(int32_t days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static struct gen_q1_group *q1_group(struct gen_expect *e, char rf, char ls)
{
    for (int g = 0; g < e->q1_groups; g++)
        if (e->q1[g].returnflag == rf && e->q1[g].linestatus == ls)
            return &e->q1[g];
    if (e->q1_groups == GEN_Q1_MAX)
        return NULL;
    struct gen_q1_group *n = &e->q1[e->q1_groups++];
    memset(n, 0, sizeof *n);
    n->returnflag = rf;
    n->linestatus = ls;
    return n;
}

static int q1_order(const struct gen_q1_group *a, const struct gen_q1_group *b)
{
    if (a->returnflag != b->returnflag)
        return a->returnflag < b->returnflag ? -1 : 1;
    return a->linestatus < b->linestatus ? -1 : (a->linestatus > b->linestatus);
}

void gen_expect_compute(uint64_t seed, long rows, struct gen_expect *e)
{
    memset(e, 0, sizeof *e);
    e->rows = rows;
    int32_t q1_cut = gen_days_from_civil(1998, 9, 2); /* 1998-12-01 - 90 days */
    int32_t q6_from = gen_days_from_civil(1994, 1, 1);
    int32_t q6_to = gen_days_from_civil(1995, 1, 1);
    for (long i = 0; i < rows; i++) {
        struct gen_lineitem r;
        gen_lineitem_row(seed, i, &r);
        if (r.shipdate <= q1_cut) {
            struct gen_q1_group *g = q1_group(e, r.returnflag[0], r.linestatus[0]);
            double disc_price = r.extendedprice * (1 - r.discount);
            g->sum_qty += r.quantity;
            g->sum_base_price += r.extendedprice;
            g->sum_disc_price += disc_price;
            g->sum_charge += disc_price * (1 + r.tax);
            g->avg_disc += r.discount; /* a sum until the division below */
            g->count_order++;
        }
        if (r.shipdate >= q6_from && r.shipdate < q6_to && r.discount >= 0.05 &&
            r.discount <= 0.07 && r.quantity < 24)
            e->q6_revenue += r.extendedprice * r.discount;
    }
    for (int g = 0; g < e->q1_groups; g++) {
        struct gen_q1_group *x = &e->q1[g];
        x->avg_qty = x->sum_qty / (double)x->count_order;
        x->avg_price = x->sum_base_price / (double)x->count_order;
        x->avg_disc /= (double)x->count_order;
    }
    /* ORDER BY l_returnflag, l_linestatus: at most 8 groups, insertion sort. */
    for (int a = 1; a < e->q1_groups; a++)
        for (int b = a; b > 0 && q1_order(&e->q1[b], &e->q1[b - 1]) < 0; b--) {
            struct gen_q1_group t = e->q1[b];
            e->q1[b] = e->q1[b - 1];
            e->q1[b - 1] = t;
        }
}

/* Sums of a million doubles in another order differ in the last digits; 1e-9 is far above that
 * and far below any real mistake (one row more or less moves a sum by more than 1e-6). */
static int close_enough(double want, double got)
{
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    return fabs(want - got) <= 1e-9 * scale;
}

int gen_check_q1(const struct gen_expect *e, const struct gen_q1_group *got, int n, char *detail,
                 size_t len)
{
    if (n != e->q1_groups) {
        snprintf(detail, len, "q1 returned %d groups, expected %d", n, e->q1_groups);
        return -1;
    }
    for (int g = 0; g < n; g++) {
        const struct gen_q1_group *w = &e->q1[g], *h = &got[g];
        const char *bad = NULL;
        if (w->returnflag != h->returnflag || w->linestatus != h->linestatus)
            bad = "group key";
        else if (w->count_order != h->count_order)
            bad = "count_order";
        else if (!close_enough(w->sum_qty, h->sum_qty) || !close_enough(w->avg_qty, h->avg_qty))
            bad = "sum_qty/avg_qty";
        else if (!close_enough(w->sum_base_price, h->sum_base_price) ||
                 !close_enough(w->avg_price, h->avg_price))
            bad = "sum_base_price/avg_price";
        else if (!close_enough(w->sum_disc_price, h->sum_disc_price))
            bad = "sum_disc_price";
        else if (!close_enough(w->sum_charge, h->sum_charge))
            bad = "sum_charge";
        else if (!close_enough(w->avg_disc, h->avg_disc))
            bad = "avg_disc";
        if (bad) {
            snprintf(detail, len, "q1 group %c%c: %s differs (count %lld vs %lld)", w->returnflag,
                     w->linestatus, bad, (long long)h->count_order, (long long)w->count_order);
            return -1;
        }
    }
    return 0;
}

int gen_check_q6(const struct gen_expect *e, double revenue, char *detail, size_t len)
{
    if (close_enough(e->q6_revenue, revenue))
        return 0;
    snprintf(detail, len, "q6 revenue %.4f, expected %.4f", revenue, e->q6_revenue);
    return -1;
}
