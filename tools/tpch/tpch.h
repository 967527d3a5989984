/*
 * eider-tpch's modules: ODBC helpers (tpch_odbc.c), the loader (tpch_load.c) and the query
 * check (tpch_check.c). They speak only ODBC, so any DSN can be loaded and checked.
 */
#ifndef EIDER_TPCH_H
#define EIDER_TPCH_H

#include <sql.h>
#include <sqlext.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct tpch_opts {
    const char *connect; /* ODBC connection string */
    double scale;
    int txn_rows;   /* rows per transaction while loading */
    int array_rows; /* rows per SQLExecute (parameter array); 1: one row at a time */
    const char *schema, *queries;
    const char *tbl_dir; /* write .tbl files there instead of loading */
    const char *only;    /* check only this query ("q6"); NULL: all */
    int repeat;          /* times each query runs; the median is reported */
    bool load, check, verbose;
} tpch_opts;

/* Prints the first diagnostic record of a handle after "what: ". */
void to_diag(const char *what, SQLSMALLINT type, SQLHANDLE h);
SQLHDBC to_connect(SQLHENV env, const char *conn);
/* Runs one statement on a fresh statement handle; false on failure (printed). */
bool to_exec(SQLHDBC dbc, const char *sql);
bool to_commit(SQLHDBC dbc);
/* Reads a whole file (NUL-terminated, caller frees); NULL on failure (printed). */
char *to_read_file(const char *path);
double to_now(void);

/* Runs the schema script, then loads every table at o->scale (or, with o->tbl_dir, writes
 * them to files; dbc is then unused). */
bool tpch_load(SQLHDBC dbc, const tpch_opts *o);
/* Runs each query, times it, and verifies Q1 and Q6 against answers computed from the
 * generator; false when a query fails or an answer is wrong. */
bool tpch_check(SQLHDBC dbc, const tpch_opts *o);

#endif
