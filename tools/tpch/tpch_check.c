/*
 * tpch_check.c: runs the queries of queries/ (Q1, Q3, Q5, Q6, Q10), each o->repeat times,
 * fetching with a block cursor, and reports the median time. Q1 and Q6 are verified
 * against answers computed from the generator's rows: their sums of DECIMAL(15,2) values
 * are exact in SQL, so they are compared exactly (as scaled integers); averages to within
 * a millionth. The other queries must run and return rows.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, clock_gettime */

#include "tpch.h"
#include "tpch_gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TC_WIDTH   128 /* characters a value is fetched into */
#define TC_BLOCK   64  /* rows per fetch */
#define TC_MAXCOLS 16

typedef __int128 tc_i128;

/* The rows of the last run, as text ("NULL" for NULL). */
typedef struct tc_result {
    int ncols;
    long nrows;
    char **cells; /* nrows * ncols */
} tc_result;

static void tc_free(tc_result *r)
{
    for (long i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

static bool tc_run(SQLHDBC dbc, const char *name, const char *sql, tc_result *out, double *secs)
{
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return false;
    static char buf[TC_MAXCOLS][TC_BLOCK][TC_WIDTH];
    static SQLLEN ind[TC_MAXCOLS][TC_BLOCK];
    SQLULEN fetched = 0;
    bool ok = false;
    double t0 = to_now();
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)TC_BLOCK, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLSMALLINT ncols = 0;
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
        to_diag(name, SQL_HANDLE_STMT, st);
        goto done;
    }
    SQLNumResultCols(st, &ncols);
    if (ncols < 1 || ncols > TC_MAXCOLS) {
        fprintf(stderr, "eider-tpch: %s: %d result columns\n", name, ncols);
        goto done;
    }
    for (int c = 0; c < ncols; c++)
        SQLBindCol(st, (SQLUSMALLINT)(c + 1), SQL_C_CHAR, buf[c][0], TC_WIDTH, ind[c]);
    tc_free(out);
    out->ncols = ncols;
    long cap = 0;
    SQLRETURN rc;
    while ((rc = SQLFetch(st)) != SQL_NO_DATA) {
        if (!SQL_SUCCEEDED(rc)) {
            to_diag(name, SQL_HANDLE_STMT, st);
            goto done;
        }
        if (out->nrows + (long)fetched > cap) {
            cap = (out->nrows + (long)fetched) * 2;
            out->cells = realloc(out->cells, (size_t)(cap * ncols) * sizeof *out->cells);
        }
        for (SQLULEN r = 0; r < fetched; r++, out->nrows++)
            for (int c = 0; c < ncols; c++)
                out->cells[out->nrows * ncols + c] =
                    strdup(ind[c][r] == SQL_NULL_DATA ? "NULL" : buf[c][r]);
    }
    *secs = to_now() - t0;
    ok = true;
done:
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return ok;
}

/* Parses "-123.4500" (or "12") into mantissa and scale; false for anything else. */
static bool tc_parse_decimal(const char *s, tc_i128 *mant, int *scale)
{
    bool neg = *s == '-';
    s += neg || *s == '+';
    tc_i128 m = 0;
    int sc = 0, digits = 0;
    bool frac = false;
    for (; *s; s++) {
        if (*s == '.' && !frac) {
            frac = true;
        } else if (*s >= '0' && *s <= '9') {
            m = m * 10 + (*s - '0');
            sc += frac;
            digits++;
        } else {
            return false;
        }
    }
    *mant = neg ? -m : m;
    *scale = sc;
    return digits > 0 && digits <= 36;
}

/* Is the text exactly the value want / 10^scale? Text in floating-point notation is
 * compared to within a relative 1e-12. */
static bool tc_exact(const char *got, tc_i128 want, int scale)
{
    tc_i128 m;
    int s;
    if (!tc_parse_decimal(got, &m, &s)) {
        double g = strtod(got, NULL), w = (double)want / pow(10, scale);
        return fabs(g - w) <= 1e-12 * fmax(1, fabs(w));
    }
    for (; s < scale; s++)
        m *= 10;
    for (; scale < s; scale++)
        want *= 10;
    return m == want;
}

static bool tc_close(const char *got, double want)
{
    char *end;
    double g = strtod(got, &end);
    return end != got && fabs(g - want) <= 1e-6 * fmax(1, fabs(want));
}

typedef struct tc_q1 {
    char flag, status;
    tc_i128 qty, base, disc_price, charge, disc;
    long count;
} tc_q1;

/* Q1 and Q6 from the generator's rows. */
static void tc_reference(double sf, tc_q1 q1[4], int *nq1, tc_i128 *q6)
{
    const int32_t q1_last = gen_days_from_civil(1998, 12, 1) - 90;
    const int32_t q6_from = gen_days_from_civil(1994, 1, 1),
                  q6_to = gen_days_from_civil(1995, 1, 1);
    *nq1 = 0;
    *q6 = 0;
    for (int64_t i = 0, n = tg_orders(sf); i < n; i++) {
        tg_order o;
        tg_order_row(sf, i, &o);
        for (int k = 0; k < o.nlines; k++) {
            const tg_line *l = &o.lines[k];
            if (l->shipdate >= q6_from && l->shipdate < q6_to && l->discount >= 5 &&
                l->discount <= 7 && l->quantity < 24)
                *q6 += (tc_i128)l->extendedprice * l->discount;
            if (l->shipdate > q1_last)
                continue;
            int g = 0;
            while (g < *nq1 && !(q1[g].flag == l->returnflag && q1[g].status == l->linestatus))
                g++;
            if (g == *nq1) {
                memset(&q1[g], 0, sizeof q1[g]);
                q1[g].flag = l->returnflag;
                q1[g].status = l->linestatus;
                ++*nq1;
            }
            tc_q1 *a = &q1[g];
            a->qty += l->quantity;
            a->base += l->extendedprice;
            a->disc_price += (tc_i128)l->extendedprice * (100 - l->discount);
            a->charge += (tc_i128)l->extendedprice * (100 - l->discount) * (100 + l->tax);
            a->disc += l->discount;
            a->count++;
        }
    }
    for (int i = 0; i < *nq1; i++) /* ORDER BY l_returnflag, l_linestatus */
        for (int j = i + 1; j < *nq1; j++)
            if (q1[j].flag < q1[i].flag ||
                (q1[j].flag == q1[i].flag && q1[j].status < q1[i].status)) {
                tc_q1 t = q1[i];
                q1[i] = q1[j];
                q1[j] = t;
            }
}

static bool tc_verify_q1(const tc_result *r, const tc_q1 *q1, int nq1)
{
    if (r->ncols != 10 || r->nrows != nq1) {
        fprintf(stderr, "eider-tpch: q1: %ld rows of %d columns, expected %d rows of 10\n",
                r->nrows, r->ncols, nq1);
        return false;
    }
    for (int g = 0; g < nq1; g++) {
        char **c = r->cells + g * 10;
        const tc_q1 *a = &q1[g];
        double n = (double)a->count;
        char count[32];
        snprintf(count, sizeof count, "%ld", a->count);
        bool ok = c[0][0] == a->flag && c[0][1] == '\0' && c[1][0] == a->status &&
                  c[1][1] == '\0' && tc_exact(c[2], a->qty, 0) && tc_exact(c[3], a->base, 2) &&
                  tc_exact(c[4], a->disc_price, 4) && tc_exact(c[5], a->charge, 6) &&
                  tc_close(c[6], (double)a->qty / n) && tc_close(c[7], (double)a->base / 100 / n) &&
                  tc_close(c[8], (double)a->disc / 100 / n) && strcmp(c[9], count) == 0;
        if (!ok) {
            fprintf(stderr, "eider-tpch: q1: group %d (%s %s) differs from the reference:\n", g,
                    c[0], c[1]);
            for (int k = 0; k < 10; k++)
                fprintf(stderr, "  %s", c[k]);
            fprintf(stderr, "\n  expected %c %c qty %.0f count %ld\n", a->flag, a->status,
                    (double)a->qty, a->count);
            return false;
        }
    }
    return true;
}

static bool tc_verify_q6(const tc_result *r, tc_i128 q6)
{
    if (r->ncols != 1 || r->nrows != 1 || !tc_exact(r->cells[0], q6, 4)) {
        fprintf(stderr, "eider-tpch: q6: got %s, expected %.4f\n",
                r->nrows > 0 ? r->cells[0] : "no row", (double)q6 / 10000);
        return false;
    }
    return true;
}

static int tc_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool tpch_check(SQLHDBC dbc, const tpch_opts *o)
{
    static const char *const names[] = {"q1", "q3", "q5", "q6", "q10"};
    tc_q1 q1[4];
    int nq1 = 0;
    tc_i128 q6 = 0;
    bool refs = false, all_ok = true;
    for (size_t q = 0; q < sizeof names / sizeof *names; q++) {
        if (o->only && strcmp(o->only, names[q]) != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.sql", o->queries, names[q]);
        char *sql = to_read_file(path);
        if (!sql) {
            all_ok = false;
            continue;
        }
        size_t len = strlen(sql); /* a trailing semicolon is not part of the statement */
        while (len && strchr(" \t\r\n;", sql[len - 1]))
            sql[--len] = '\0';
        tc_result res = {0};
        double times[64];
        int runs = o->repeat < 1 ? 1 : o->repeat > 64 ? 64 : o->repeat;
        bool ok = true;
        for (int k = 0; k < runs && ok; k++)
            ok = tc_run(dbc, names[q], sql, &res, &times[k]);
        free(sql);
        const char *verdict = "ran";
        if (ok && res.nrows == 0) {
            fprintf(stderr, "eider-tpch: %s returned no rows\n", names[q]);
            ok = false;
        }
        if (ok && (strcmp(names[q], "q1") == 0 || strcmp(names[q], "q6") == 0)) {
            if (!refs)
                tc_reference(o->scale, q1, &nq1, &q6);
            refs = true;
            ok = names[q][1] == '1' ? tc_verify_q1(&res, q1, nq1) : tc_verify_q6(&res, q6);
            verdict = "answer verified";
        }
        if (ok) {
            qsort(times, (size_t)runs, sizeof *times, tc_cmp_double);
            printf("%-4s %6ld rows  median %9.2f ms  min %9.2f ms  (%d runs)  %s\n", names[q],
                   res.nrows, times[runs / 2] * 1e3, times[0] * 1e3, runs, verdict);
            for (long i = 0; o->verbose && i < res.nrows; i++) {
                for (int c = 0; c < res.ncols; c++)
                    printf("%s%s", c ? " | " : "     ", res.cells[i * res.ncols + c]);
                putchar('\n');
            }
        } else {
            printf("%-4s FAILED\n", names[q]);
        }
        all_ok &= ok;
        tc_free(&res);
    }
    return all_ok;
}
