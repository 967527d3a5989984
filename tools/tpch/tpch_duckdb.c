/*
 * tpch-duckdb: the peer of `eider-tpch --check` for DuckDB, through its C API. It loads the
 * .tbl files that `eider-tpch --tbl DIR` writes (the same rows Eider loads) into a DuckDB
 * file with the same schema.sql, then runs the same queries/ files, each --repeat times at
 * --threads threads, and prints the median and minimum times in eider-tpch's format, so
 * the two outputs can be set side by side. Each run includes reading every result value as
 * text, as eider-tpch fetches every value as SQL_C_CHAR.
 *
 *   tpch-duckdb --db FILE [--tbl DIR] [--threads N] [--repeat N] [--only qN] [--verbose]
 *               [--schema FILE] [--queries DIR]
 *
 * With --tbl the schema is (re)created and the files are loaded with COPY; without it the
 * tables already in FILE are used. Not built by CMake (DuckDB is not a dependency): see
 * duckdb.sh.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TD_MAXRUNS 64

typedef struct td_opts {
    const char *db, *tbl, *schema, *queries, *only;
    int threads, repeat;
    int verbose;
} td_opts;

static double td_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *td_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tpch-duckdb: cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    if (s && fread(s, 1, (size_t)len, f) != (size_t)len) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s)
        s[len] = '\0';
    return s;
}

/* Runs SQL (one or more statements) and discards the result; 0 or -1 (printed). */
static int td_exec(duckdb_connection con, const char *what, const char *sql)
{
    duckdb_result res;
    int rc = 0;
    if (duckdb_query(con, sql, &res) == DuckDBError) {
        fprintf(stderr, "tpch-duckdb: %s: %s\n", what, duckdb_result_error(&res));
        rc = -1;
    }
    duckdb_destroy_result(&res);
    return rc;
}

static int td_load(duckdb_connection con, const td_opts *o)
{
    static const char *const tables[] = {"region", "nation", "supplier", "customer",
                                         "part",   "orders", "lineitem"};
    char *schema = td_read_file(o->schema);
    if (!schema || td_exec(con, "schema", schema) != 0) {
        free(schema);
        return -1;
    }
    free(schema);
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[2048];
        snprintf(sql, sizeof sql, "COPY %s FROM '%s/%s.tbl' (DELIMITER '|', HEADER false)",
                 tables[i], o->tbl, tables[i]);
        double t0 = td_now();
        if (td_exec(con, tables[i], sql) != 0)
            return -1;
        printf("loaded %s in %.1f s\n", tables[i], td_now() - t0);
    }
    return td_exec(con, "checkpoint", "CHECKPOINT");
}

/* One run: the query, then every value read as text. Returns rows, or -1. */
static long td_run(duckdb_connection con, const char *name, const char *sql, int print,
                   double *secs)
{
    duckdb_result res;
    double t0 = td_now();
    if (duckdb_query(con, sql, &res) == DuckDBError) {
        fprintf(stderr, "tpch-duckdb: %s: %s\n", name, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return -1;
    }
    idx_t rows = duckdb_row_count(&res), cols = duckdb_column_count(&res);
    size_t chars = 0;
    for (idx_t r = 0; r < rows; r++) {
        for (idx_t c = 0; c < cols; c++) {
            char *v = duckdb_value_varchar(&res, c, r);
            chars += v ? strlen(v) : 0;
            if (print)
                printf("%s%s", c ? " | " : "     ", v ? v : "NULL");
            duckdb_free(v);
        }
        if (print)
            putchar('\n');
    }
    *secs = td_now() - t0;
    duckdb_destroy_result(&res);
    return chars > 0 || rows == 0 ? (long)rows : -1;
}

static int td_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int td_check(duckdb_connection con, const td_opts *o)
{
    static const char *const names[] = {"q1", "q3", "q5", "q6", "q10"};
    int failed = 0;
    for (size_t q = 0; q < sizeof names / sizeof *names; q++) {
        if (o->only && strcmp(o->only, names[q]) != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.sql", o->queries, names[q]);
        char *sql = td_read_file(path);
        if (!sql) {
            failed++;
            continue;
        }
        double times[TD_MAXRUNS];
        int runs = o->repeat < 1 ? 1 : o->repeat > TD_MAXRUNS ? TD_MAXRUNS : o->repeat;
        long rows = 0;
        for (int k = 0; k < runs && rows >= 0; k++)
            rows = td_run(con, names[q], sql, 0, &times[k]);
        if (rows <= 0) {
            printf("%-4s FAILED\n", names[q]);
            failed++;
        } else {
            qsort(times, (size_t)runs, sizeof *times, td_cmp_double);
            printf("%-4s %6ld rows  median %9.2f ms  min %9.2f ms  (%d runs)  duckdb, %d threads\n",
                   names[q], rows, times[runs / 2] * 1e3, times[0] * 1e3, runs, o->threads);
            if (o->verbose)
                td_run(con, names[q], sql, 1, &times[0]);
        }
        free(sql);
    }
    return failed;
}

static void td_usage(void)
{
    fprintf(stderr, "usage: tpch-duckdb --db FILE [--tbl DIR] [--threads N] [--repeat N] "
                    "[--only qN] [--verbose] [--schema FILE] [--queries DIR]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    td_opts o = {.schema = "schema.sql", .queries = "queries", .threads = 1, .repeat = 5};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--verbose") == 0)
            o.verbose = 1;
        else if (!v)
            td_usage();
        else if (strcmp(a, "--db") == 0)
            o.db = v, i++;
        else if (strcmp(a, "--tbl") == 0)
            o.tbl = v, i++;
        else if (strcmp(a, "--threads") == 0)
            o.threads = atoi(v), i++;
        else if (strcmp(a, "--repeat") == 0)
            o.repeat = atoi(v), i++;
        else if (strcmp(a, "--only") == 0)
            o.only = v, i++;
        else if (strcmp(a, "--schema") == 0)
            o.schema = v, i++;
        else if (strcmp(a, "--queries") == 0)
            o.queries = v, i++;
        else
            td_usage();
    }
    if (!o.db || o.threads < 1)
        td_usage();
    duckdb_database db;
    duckdb_connection con;
    char *err = NULL;
    if (duckdb_open_ext(o.db, &db, NULL, &err) == DuckDBError) {
        fprintf(stderr, "tpch-duckdb: %s: %s\n", o.db, err ? err : "cannot open");
        duckdb_free(err);
        return 1;
    }
    if (duckdb_connect(db, &con) == DuckDBError) {
        fprintf(stderr, "tpch-duckdb: cannot connect\n");
        duckdb_close(&db);
        return 1;
    }
    char set[64];
    snprintf(set, sizeof set, "SET threads = %d", o.threads);
    int rc = td_exec(con, "threads", set);
    if (rc == 0 && o.tbl)
        rc = td_load(con, &o);
    if (rc == 0)
        rc = td_check(con, &o) ? -1 : 0;
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return rc == 0 ? 0 : 1;
}
