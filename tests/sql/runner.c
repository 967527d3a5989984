/*
 * sqltest: a sqllogictest-style runner for the engine. Each .test file runs against a
 * fresh in-memory database and holds records separated by blank lines:
 *
 *   statement ok               the statement must succeed
 *   statement error [STATE]    it must fail (with that SQLSTATE)
 *   statement count N          it must succeed and change N rows
 *   query <types> [rowsort]    a query; <types> has one letter per column (I integer,
 *   <sql>                      R real, T text, B boolean, D date/time, N decimal: only the
 *   ----                       count is checked); rows follow `----`, columns separated
 *   <rows>                     by tabs, NULL as NULL, an empty string as (empty);
 *                              rowsort compares the rows sorted
 *   session <name>             later records run on that session (opened on first use)
 *   restart                    closes the database and opens it again (log replay)
 *   set threads N              threads a query may use (eng_set_query_threads)
 *   set memory_limit N         bytes a query may use (eng_set_query_memory_limit; 0: the
 *                              default)
 *   # ...                      a comment
 *
 * The database is a file in a fresh temporary folder, so `restart` and CHECKPOINT test
 * what survives; it is removed afterwards.
 *
 * Every failure is reported with the file and line; the exit status is the number of
 * failed records (capped at 100).
 */
#include "eider/engine.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SESSIONS 8

typedef struct runner {
    const char *file;
    char path[256];
    eng_db *db;
    eng_session *sessions[MAX_SESSIONS];
    char names[MAX_SESSIONS][32];
    int nsessions;
    eng_session *cur;
    int failures, records;
} runner;

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            perror("realloc");
            exit(2);
        }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* Lines of the file with their numbers. */
typedef struct lines {
    char **v;
    int n;
} lines;

static lines read_lines(const char *path)
{
    lines L = {0};
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int cap_lines = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (L.n == cap_lines) {
            cap_lines = cap_lines ? cap_lines * 2 : 256;
            L.v = realloc(L.v, (size_t)cap_lines * sizeof *L.v);
        }
        L.v[L.n++] = strdup(line);
    }
    free(line);
    fclose(f);
    return L;
}

static void render_value(const eng_vector *v, uint32_t r, strbuf *out)
{
    if (eng_vector_is_null(v, r)) {
        sb_str(out, "NULL");
        return;
    }
    char small[256];
    size_t n = eng_vector_text(v, r, small, sizeof small);
    if (n == 0) {
        sb_str(out, "(empty)");
        return;
    }
    if (n < sizeof small) {
        sb_add(out, small, n);
        return;
    }
    char *big = malloc(n + 1);
    eng_vector_text(v, r, big, n + 1);
    sb_add(out, big, n);
    free(big);
}

/* Runs sql; rows rendered into *rows (one string per row). Returns 0 or -1 with err. */
static int run_sql(runner *R, const char *sql, char ***rows, int *nrows, int *ncols,
                   int64_t *changed, eng_error *err)
{
    eng_stmt *st;
    *nrows = 0;
    *ncols = 0;
    if (rows)
        *rows = NULL;
    if (eng_prepare(R->cur, sql, strlen(sql), &st, err) != 0)
        return -1;
    if (eng_stmt_execute(st, NULL, 0, err) != 0) {
        eng_stmt_free(st);
        return -1;
    }
    *ncols = (int)eng_stmt_column_count(st);
    *changed = eng_stmt_row_count(st);
    const eng_chunk *ch;
    int rc, cap = 0;
    while ((rc = eng_stmt_fetch(st, &ch, err)) == 1) {
        for (uint32_t r = 0; r < ch->count; r++) {
            strbuf b = {0};
            sb_str(&b, "");
            for (uint32_t c = 0; c < ch->ncols; c++) {
                if (c)
                    sb_str(&b, "\t");
                render_value(&ch->cols[c], r, &b);
            }
            if (rows) {
                if (*nrows == cap) {
                    cap = cap ? cap * 2 : 64;
                    *rows = realloc(*rows, (size_t)cap * sizeof **rows);
                }
                (*rows)[*nrows] = b.s;
            } else {
                free(b.s);
            }
            (*nrows)++;
        }
    }
    eng_stmt_free(st);
    return rc < 0 ? -1 : 0;
}

static void free_rows(char **rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i]);
    free(rows);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fail(runner *R, int line, const char *sql, const char *fmt, const char *a,
                 const char *b)
{
    R->failures++;
    fprintf(stderr, "%s:%d: FAILED\n  %s\n  ", R->file, line, sql);
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
}

static void use_session(runner *R, const char *name)
{
    for (int i = 0; i < R->nsessions; i++)
        if (strcmp(R->names[i], name) == 0) {
            R->cur = R->sessions[i];
            return;
        }
    if (R->nsessions == MAX_SESSIONS) {
        fprintf(stderr, "%s: too many sessions\n", R->file);
        exit(2);
    }
    eng_error err;
    if (eng_session_open(R->db, &R->sessions[R->nsessions], &err) != 0) {
        fprintf(stderr, "%s: %s\n", R->file, err.message);
        exit(2);
    }
    snprintf(R->names[R->nsessions], sizeof R->names[0], "%s", name);
    R->cur = R->sessions[R->nsessions++];
}

static void do_statement(runner *R, int line, const char *how, const char *sql)
{
    eng_error err;
    char **rows;
    int nrows, ncols;
    int64_t changed = -1;
    int rc = run_sql(R, sql, &rows, &nrows, &ncols, &changed, &err);
    free_rows(rows, nrows);
    if (strncmp(how, "ok", 2) == 0) {
        if (rc != 0)
            fail(R, line, sql, "expected success, got %s: %s", err.sqlstate, err.message);
    } else if (strncmp(how, "count", 5) == 0) {
        char got[32];
        snprintf(got, sizeof got, "%lld", (long long)changed);
        if (rc != 0)
            fail(R, line, sql, "expected success, got %s: %s", err.sqlstate, err.message);
        else if (strcmp(got, how + 6) != 0)
            fail(R, line, sql, "expected %s rows changed, got %s", how + 6, got);
    } else if (strncmp(how, "error", 5) == 0) {
        const char *state = how[5] == ' ' ? how + 6 : NULL;
        if (rc == 0)
            fail(R, line, sql, "expected an error%s%s, got success", state ? " " : "",
                 state ? state : "");
        else if (state && strcmp(err.sqlstate, state) != 0)
            fail(R, line, sql, "expected %s, got %s", state, err.sqlstate),
                fprintf(stderr, "  message: %s\n", err.message);
    } else {
        fprintf(stderr, "%s:%d: unknown statement mode \"%s\"\n", R->file, line, how);
        R->failures++;
    }
}

static void do_query(runner *R, int line, const char *types, bool rowsort, const char *sql,
                     char **expected, int nexp)
{
    eng_error err;
    char **rows;
    int nrows, ncols;
    int64_t changed;
    if (run_sql(R, sql, &rows, &nrows, &ncols, &changed, &err) != 0) {
        fail(R, line, sql, "query failed: %s: %s", err.sqlstate, err.message);
        return;
    }
    if ((int)strlen(types) != ncols) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", strlen(types));
        snprintf(b, sizeof b, "%d", ncols);
        fail(R, line, sql, "expected %s columns, got %s", a, b);
    } else {
        if (rowsort) {
            qsort(rows, (size_t)nrows, sizeof *rows, cmp_str);
            qsort(expected, (size_t)nexp, sizeof *expected, cmp_str);
        }
        bool same = nrows == nexp;
        for (int i = 0; same && i < nrows; i++)
            same = strcmp(rows[i], expected[i]) == 0;
        if (!same) {
            R->failures++;
            fprintf(stderr, "%s:%d: FAILED\n  %s\n  expected:\n", R->file, line, sql);
            for (int i = 0; i < nexp; i++)
                fprintf(stderr, "    %s\n", expected[i]);
            fprintf(stderr, "  got:\n");
            for (int i = 0; i < nrows; i++)
                fprintf(stderr, "    %s\n", rows[i]);
        }
    }
    free_rows(rows, nrows);
}

static void open_db(runner *R)
{
    eng_error err;
    eng_open_opts o = {.sync = ENG_SYNC_OFF};
    if (eng_db_open(R->path, &o, &R->db, &err) != 0) {
        fprintf(stderr, "%s: cannot open %s: %s\n", R->file, R->path, err.message);
        exit(2);
    }
    R->nsessions = 0;
    use_session(R, "default");
}

static void close_db(runner *R)
{
    for (int i = 0; i < R->nsessions; i++)
        eng_session_close(R->sessions[i]);
    R->nsessions = 0;
    eng_db_close(R->db);
    R->db = NULL;
}

static bool blank(const char *s)
{
    return s[strspn(s, " \t")] == '\0';
}

/* `set <option> <number>`: process-wide engine settings, restored after the file. */
static void set_option(runner *R, int line, const char *opt)
{
    char name[32];
    unsigned long long v;
    if (sscanf(opt, "%31s %llu", name, &v) == 2 && strcmp(name, "threads") == 0) {
        eng_set_query_threads((int)v);
    } else if (sscanf(opt, "%31s %llu", name, &v) == 2 && strcmp(name, "memory_limit") == 0) {
        eng_set_query_memory_limit(v);
    } else {
        fprintf(stderr, "%s:%d: unknown setting: %s\n", R->file, line, opt);
        R->failures++;
    }
}

static void run_file(runner *R)
{
    lines L = read_lines(R->file);
    int i = 0;
    while (i < L.n) {
        char *l = L.v[i];
        if (blank(l) || l[0] == '#') {
            i++;
            continue;
        }
        int start = i + 1;
        if (strncmp(l, "session ", 8) == 0) {
            use_session(R, l + 8);
            i++;
            continue;
        }
        if (strncmp(l, "set ", 4) == 0) {
            set_option(R, start, l + 4);
            i++;
            continue;
        }
        if (strcmp(l, "restart") == 0) {
            close_db(R);
            open_db(R);
            i++;
            continue;
        }
        bool is_query = strncmp(l, "query ", 6) == 0;
        if (!is_query && strncmp(l, "statement ", 10) != 0) {
            fprintf(stderr, "%s:%d: expected statement, query or session, got: %s\n", R->file,
                    start, l);
            R->failures++;
            i++;
            continue;
        }
        i++;
        strbuf sql = {0};
        sb_str(&sql, "");
        while (i < L.n && !blank(L.v[i]) && strcmp(L.v[i], "----") != 0) {
            if (sql.len)
                sb_str(&sql, "\n");
            sb_str(&sql, L.v[i++]);
        }
        R->records++;
        if (!is_query) {
            do_statement(R, start, l + 10, sql.s);
            free(sql.s);
            continue;
        }
        char types[64] = "", mode[64] = "";
        sscanf(l + 6, "%63s %63s", types, mode);
        char **expected = NULL;
        int nexp = 0;
        if (i < L.n && strcmp(L.v[i], "----") == 0) {
            i++;
            while (i < L.n && !blank(L.v[i])) {
                expected = realloc(expected, (size_t)(nexp + 1) * sizeof *expected);
                expected[nexp++] = L.v[i++];
            }
        }
        do_query(R, start, types, strcmp(mode, "rowsort") == 0, sql.s, expected, nexp);
        free(expected);
        free(sql.s);
    }
    for (int k = 0; k < L.n; k++)
        free(L.v[k]);
    free(L.v);
}

/* A table function for the corpus: sqltest_numbers() has rows (1, 'one') .. (3, 'three')
 * and one with NULLs; sqltest_failing() fails. */
static int numbers_fn(void *ctx, eng_table_fn_emit emit, void *emit_ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    static const char *const words[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++) {
        eng_value row[2] = {
            {.type = ENG_TYPE_BIGINT, .u.i = i + 1},
            {.type = ENG_TYPE_VARCHAR, .u.s = {words[i], (uint32_t)strlen(words[i])}}};
        if (emit(emit_ctx, row) != 0)
            return -1;
    }
    eng_value nulls[2] = {{.type = ENG_TYPE_NULL, .is_null = true},
                          {.type = ENG_TYPE_NULL, .is_null = true}};
    return emit(emit_ctx, nulls);
}

static int failing_fn(void *ctx, eng_table_fn_emit emit, void *emit_ctx, char *msg)
{
    (void)ctx;
    (void)emit;
    (void)emit_ctx;
    snprintf(msg, ENG_MAX_MESSAGE, "the test function always fails");
    return -1;
}

int main(int argc, char **argv)
{
    eng_column cols[2] = {{"n", "", {ENG_TYPE_INTEGER, 0}, true},
                          {"label", "", {ENG_TYPE_VARCHAR, 10}, true}};
    if (eng_register_table_function("sqltest_numbers", 2, cols, numbers_fn, NULL) != 0 ||
        eng_register_table_function("sqltest_failing", 2, cols, failing_fn, NULL) != 0) {
        fprintf(stderr, "cannot register the test table functions\n");
        return 2;
    }
    int total = 0;
    for (int f = 1; f < argc; f++) {
        runner R = {.file = argv[f]};
        char dir[] = "/tmp/sqltest.XXXXXX";
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 2;
        }
        snprintf(R.path, sizeof R.path, "%s/test.eider", dir);
        open_db(&R);
        run_file(&R);
        close_db(&R);
        eng_set_query_threads(0); /* back to the defaults for the next file */
        eng_set_query_memory_limit(0);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (e->d_name[0] != '.')
                unlink(p);
        }
        if (d)
            closedir(d);
        rmdir(dir);
        printf("%s: %d records, %d failed\n", argv[f], R.records, R.failures);
        total += R.failures;
    }
    return total > 100 ? 100 : total;
}
