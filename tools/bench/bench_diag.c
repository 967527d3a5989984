/*
 * bench_diag.c: one classification of failures for every system.
 *
 * A conflict is what a well-behaved application retries: SQLSTATE 40001 (serialization
 * failure, Eider's and PostgreSQL's), 40P01 (PostgreSQL deadlock), SQLite's SQLITE_BUSY /
 * SQLITE_LOCKED (which sqliteodbc reports as HY000 or S1000 with "database is locked" or "busy"
 * in the text) and DuckDB's transaction conflicts ("TransactionContext Error: Conflict on ...").
 * Unsupported means the system cannot run the workload at all (an optional feature, a syntax it
 * does not know): the table then shows n/a with the SQLSTATE instead of a number.
 */
#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

enum bench_rc diag_classify(const struct bench_diag *d)
{
    const char *s = d->sqlstate;
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
        return BENCH_CONFLICT;
    if ((strcmp(s, "HY000") == 0 || strcmp(s, "S1000") == 0 || s[0] == '\0') &&
        (contains_nocase(d->message, "database is locked") ||
         contains_nocase(d->message, "database table is locked") ||
         contains_nocase(d->message, "busy")))
        return BENCH_CONFLICT;
    if (contains_nocase(d->message, "TransactionContext Error") ||
        contains_nocase(d->message, "Conflict on"))
        return BENCH_CONFLICT;
    /* HYC00 optional feature, IM001 function not in the driver, 0A000 feature not supported,
     * class 42 syntax or unknown object: our SQL runs on every peer, so on the system under
     * test these mean "not supported yet". */
    if (strcmp(s, "HYC00") == 0 || strcmp(s, "IM001") == 0 || strncmp(s, "0A", 2) == 0 ||
        strncmp(s, "42", 2) == 0 || strcmp(s, "HY092") == 0 || strcmp(s, "HY096") == 0)
        return BENCH_UNSUPPORTED;
    if (contains_nocase(d->message, "Not implemented"))
        return BENCH_UNSUPPORTED;
    return BENCH_ERROR;
}

void diag_set(struct bench_diag *d, const char *sqlstate, const char *fmt, ...)
{
    snprintf(d->sqlstate, sizeof d->sqlstate, "%s", sqlstate);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}
