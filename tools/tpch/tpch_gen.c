/*
 * tpch_gen.c: the rows of the TPC-H-like database. Distributions follow dbgen
 * (specification 4.2.3): sparse order keys, customers with custkey % 3 == 0 placing no
 * orders, 1-7 lines per order, ship/commit/receipt dates after the order date, return
 * flag and line status from the "current date" 1995-06-17, extended price = quantity x
 * the part's retail price, supplier keys derived from the part key. Text columns are
 * words from a small vocabulary (dbgen uses a grammar; no query here searches them).
 * Each row draws from its own splitmix64 stream seeded by (table, row).
 */
#include "tpch_gen.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct tg_rng {
    uint64_t s;
} tg_rng;

static uint64_t tg_next(tg_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static tg_rng tg_stream(uint64_t table, int64_t row)
{
    tg_rng r = {table * 0x100000001b3ull ^ ((uint64_t)row * 0xd1342543de82ef95ull)};
    tg_next(&r);
    return r;
}

/* Uniform in [lo, hi]. */
static int64_t tg_uniform(tg_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(tg_next(r) % (uint64_t)(hi - lo + 1));
}

void tg_date_text(int32_t days, char *buf)
{
    int y, m, d;
    gen_civil_from_days(days, &y, &m, &d);
    snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

void tg_money_text(int64_t cents, char *buf)
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, 24, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

enum { T_REGION = 1, T_NATION, T_SUPPLIER, T_CUSTOMER, T_PART, T_ORDER };

static const char *const tg_words[] = {
    "furiously",    "quickly",      "carefully", "blithely",    "slyly",      "ironic",
    "final",        "regular",      "express",   "bold",        "pending",    "special",
    "silent",       "even",         "unusual",   "packages",    "requests",   "accounts",
    "deposits",     "foxes",        "ideas",     "theodolites", "pinto",      "beans",
    "instructions", "dependencies", "excuses",   "platelets",   "asymptotes", "courts",
    "dolphins",     "multipliers",  "sauternes", "warthogs",    "frets",      "dinos",
    "attainments",  "somas",        "sleep",     "wake",        "are",        "haggle",
    "nag",          "use",          "boost",     "affix",       "detect",     "integrate",
    "cajole",       "among",        "across",    "after",       "above",      "about"};
#define TG_NWORDS (sizeof tg_words / sizeof *tg_words)

/* Words up to a random length in [lo, hi] characters. */
static void tg_text(tg_rng *r, int lo, int hi, char *out)
{
    int want = (int)tg_uniform(r, lo, hi), len = 0;
    out[0] = '\0';
    for (;;) {
        const char *w = tg_words[tg_next(r) % TG_NWORDS];
        int wl = (int)strlen(w);
        if (len + (len > 0) + wl > want)
            break;
        if (len > 0)
            out[len++] = ' ';
        memcpy(out + len, w, (size_t)wl + 1);
        len += wl;
    }
    if (len < lo) { /* pad short texts with dots, as a word would not fit */
        memset(out + len, '.', (size_t)(lo - len));
        out[lo] = '\0';
    }
}

/* dbgen's v-string: random alphanumerics, length in [lo, hi]. */
static void tg_vstring(tg_rng *r, int lo, int hi, char *out)
{
    static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,";
    int n = (int)tg_uniform(r, lo, hi);
    for (int i = 0; i < n; i++)
        out[i] = alnum[tg_next(r) % (sizeof alnum - 1)];
    out[n] = '\0';
}

static void tg_phone(tg_rng *r, int64_t nationkey, char *out)
{
    snprintf(out, 16, "%02d-%03d-%03d-%04d", (int)(nationkey + 10), (int)tg_uniform(r, 100, 999),
             (int)tg_uniform(r, 100, 999), (int)tg_uniform(r, 1000, 9999));
}

static int64_t tg_scaled(double sf, double base)
{
    int64_t n = (int64_t)(sf * base);
    return n < 1 ? 1 : n;
}

int64_t tg_suppliers(double sf)
{
    return tg_scaled(sf, 10000);
}

int64_t tg_customers(double sf)
{
    return tg_scaled(sf, 150000);
}

int64_t tg_parts(double sf)
{
    return tg_scaled(sf, 200000);
}

int64_t tg_orders(double sf)
{
    return tg_scaled(sf, 1500000);
}

static const char *const tg_region_names[5] = {"AFRICA", "AMERICA", "ASIA", "EUROPE",
                                               "MIDDLE EAST"};

void tg_region_row(int64_t i, tg_region *r)
{
    tg_rng g = tg_stream(T_REGION, i);
    r->regionkey = i;
    r->name = tg_region_names[i];
    tg_text(&g, 31, 115, r->comment);
}

static const struct {
    const char *name;
    int region;
} tg_nations[25] = {{"ALGERIA", 0},      {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
                    {"EGYPT", 4},        {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
                    {"INDIA", 2},        {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
                    {"JAPAN", 2},        {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
                    {"MOZAMBIQUE", 0},   {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
                    {"SAUDI ARABIA", 4}, {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
                    {"UNITED STATES", 1}};

void tg_nation_row(int64_t i, tg_nation *r)
{
    tg_rng g = tg_stream(T_NATION, i);
    r->nationkey = i;
    r->name = tg_nations[i].name;
    r->regionkey = tg_nations[i].region;
    tg_text(&g, 31, 114, r->comment);
}

void tg_supplier_row(double sf, int64_t i, tg_supplier *r)
{
    (void)sf;
    tg_rng g = tg_stream(T_SUPPLIER, i);
    r->suppkey = i + 1;
    snprintf(r->name, sizeof r->name, "Supplier#%09u", (unsigned)(r->suppkey % 1000000000));
    tg_vstring(&g, 10, 40, r->address);
    r->nationkey = tg_uniform(&g, 0, 24);
    tg_phone(&g, r->nationkey, r->phone);
    r->acctbal = tg_uniform(&g, -99999, 999999);
    tg_text(&g, 25, 100, r->comment);
}

static const char *const tg_segments[5] = {"AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD",
                                           "MACHINERY"};

void tg_customer_row(double sf, int64_t i, tg_customer *r)
{
    (void)sf;
    tg_rng g = tg_stream(T_CUSTOMER, i);
    r->custkey = i + 1;
    snprintf(r->name, sizeof r->name, "Customer#%09u", (unsigned)(r->custkey % 1000000000));
    tg_vstring(&g, 10, 40, r->address);
    r->nationkey = tg_uniform(&g, 0, 24);
    tg_phone(&g, r->nationkey, r->phone);
    r->acctbal = tg_uniform(&g, -99999, 999999);
    r->mktsegment = tg_segments[tg_next(&g) % 5];
    tg_text(&g, 29, 116, r->comment);
}

static const char *const tg_colors[] = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow"};
#define TG_NCOLORS (sizeof tg_colors / sizeof *tg_colors)

static const char *const tg_type1[6] = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
static const char *const tg_type2[5] = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
static const char *const tg_type3[5] = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
static const char *const tg_cont1[5] = {"SM", "LG", "MED", "JUMBO", "WRAP"};
static const char *const tg_cont2[8] = {"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};

/* dbgen's retail price of a part key, in cents. */
static int64_t tg_retailprice(int64_t partkey)
{
    return 90000 + ((partkey / 10) % 20001) + 100 * (partkey % 1000);
}

void tg_part_row(double sf, int64_t i, tg_part *r)
{
    (void)sf;
    tg_rng g = tg_stream(T_PART, i);
    r->partkey = i + 1;
    size_t used[5], len = 0;
    for (int w = 0; w < 5; w++) { /* five distinct colours */
        size_t c;
        bool seen;
        do {
            c = tg_next(&g) % TG_NCOLORS;
            seen = false;
            for (int k = 0; k < w; k++)
                seen |= used[k] == c;
        } while (seen);
        used[w] = c;
        len += (size_t)snprintf(r->name + len, sizeof r->name - len, "%s%s", w ? " " : "",
                                tg_colors[c]);
    }
    int m = (int)tg_uniform(&g, 1, 5);
    snprintf(r->mfgr, sizeof r->mfgr, "Manufacturer#%d", m);
    snprintf(r->brand, sizeof r->brand, "Brand#%d%d", m, (int)tg_uniform(&g, 1, 5));
    snprintf(r->type, sizeof r->type, "%s %s %s", tg_type1[tg_next(&g) % 6],
             tg_type2[tg_next(&g) % 5], tg_type3[tg_next(&g) % 5]);
    r->size = tg_uniform(&g, 1, 50);
    snprintf(r->container, sizeof r->container, "%s %s", tg_cont1[tg_next(&g) % 5],
             tg_cont2[tg_next(&g) % 8]);
    r->retailprice = tg_retailprice(r->partkey);
    tg_text(&g, 5, 22, r->comment);
}

static const char *const tg_priorities[5] = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED",
                                             "5-LOW"};
static const char *const tg_instructs[4] = {"DELIVER IN PERSON", "COLLECT COD", "NONE",
                                            "TAKE BACK RETURN"};
static const char *const tg_modes[7] = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};

void tg_order_row(double sf, int64_t i, tg_order *r)
{
    tg_rng g = tg_stream(T_ORDER, i);
    const int32_t start = gen_days_from_civil(1992, 1, 1), end = gen_days_from_civil(1998, 12, 31);
    const int32_t current = gen_days_from_civil(1995, 6, 17);
    int64_t customers = tg_customers(sf), parts = tg_parts(sf), supps = tg_suppliers(sf);
    int64_t clerks = tg_scaled(sf, 1000);
    r->orderkey = (i / 8) * 32 + (i % 8) + 1; /* dbgen: 8 keys used in every 32 */
    do                                        /* a third of the customers order nothing */
        r->custkey = tg_uniform(&g, 1, customers);
    while (r->custkey % 3 == 0 && customers > 2);
    r->orderdate = (int32_t)tg_uniform(&g, start, end - 151);
    r->orderpriority = tg_priorities[tg_next(&g) % 5];
    snprintf(r->clerk, sizeof r->clerk, "Clerk#%09u",
             (unsigned)(tg_uniform(&g, 1, clerks) % 1000000000));
    r->shippriority = 0;
    tg_text(&g, 19, 78, r->comment);
    r->nlines = (int)tg_uniform(&g, 1, 7);
    r->totalprice = 0;
    int nf = 0;
    for (int k = 0; k < r->nlines; k++) {
        tg_line *l = &r->lines[k];
        l->linenumber = k + 1;
        l->partkey = tg_uniform(&g, 1, parts);
        int64_t j = tg_uniform(&g, 0, 3);
        l->suppkey = (l->partkey + j * (supps / 4 + (l->partkey - 1) / supps)) % supps + 1;
        l->quantity = tg_uniform(&g, 1, 50);
        l->discount = tg_uniform(&g, 0, 10);
        l->tax = tg_uniform(&g, 0, 8);
        l->extendedprice = l->quantity * tg_retailprice(l->partkey);
        l->shipdate = r->orderdate + (int32_t)tg_uniform(&g, 1, 121);
        l->commitdate = r->orderdate + (int32_t)tg_uniform(&g, 30, 90);
        l->receiptdate = l->shipdate + (int32_t)tg_uniform(&g, 1, 30);
        l->returnflag = l->receiptdate <= current ? (tg_next(&g) & 1 ? 'R' : 'A') : 'N';
        l->linestatus = l->shipdate > current ? 'O' : 'F';
        nf += l->linestatus == 'F';
        l->shipinstruct = tg_instructs[tg_next(&g) % 4];
        l->shipmode = tg_modes[tg_next(&g) % 7];
        tg_text(&g, 10, 43, l->comment);
        /* extendedprice * (1 + tax) * (1 - discount), rounded to cents */
        int64_t v = l->extendedprice * (100 + l->tax) * (100 - l->discount);
        r->totalprice += (v + 5000) / 10000;
    }
    r->orderstatus = nf == r->nlines ? 'F' : nf == 0 ? 'O' : 'P';
}
