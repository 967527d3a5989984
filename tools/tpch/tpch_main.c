/*
 * eider-tpch: a TPC-H-like database at a chosen scale, loaded through ODBC, and a check
 * that the TPC-H queries in queries/ run (Q1 and Q6 answers verified).
 *
 *   eider-tpch --dsn NAME | --connect "Driver=...;Database=..."
 *              [--scale SF] [--no-load] [--check] [--only q6] [--repeat N] [--verbose]
 *              [--txn-rows N] [--array-rows N] [--schema FILE] [--queries DIR]
 *   eider-tpch --tbl DIR [--scale SF]       writes DIR/<table>.tbl ('|'-separated) instead
 *
 * Scale 1 is dbgen's: 6M lineitem rows, 1.5M orders, 150,000 customers, 200,000 parts,
 * 10,000 suppliers; 25 nations and 5 regions at every scale.
 */
#include "tpch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TPCH_SOURCE_DIR
#define TPCH_SOURCE_DIR "."
#endif

static void usage(void)
{
    fprintf(stderr,
            "usage: eider-tpch (--dsn NAME | --connect STRING) [--scale SF] [--no-load] "
            "[--check] [--only qN] [--repeat N] [--verbose] [--txn-rows N] [--array-rows N] "
            "[--schema FILE] [--queries DIR]\n"
            "       eider-tpch --tbl DIR [--scale SF]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    tpch_opts o = {.scale = 0.01,
                   .txn_rows = 10000,
                   .array_rows = 1000,
                   .schema = TPCH_SOURCE_DIR "/schema.sql",
                   .queries = TPCH_SOURCE_DIR "/queries",
                   .repeat = 1,
                   .load = true};
    static char dsn_conn[512];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-load") == 0) {
            o.load = false;
        } else if (strcmp(a, "--check") == 0) {
            o.check = true;
        } else if (strcmp(a, "--verbose") == 0) {
            o.verbose = true;
        } else if (!v) {
            usage();
        } else if (strcmp(a, "--dsn") == 0) {
            snprintf(dsn_conn, sizeof dsn_conn, "DSN=%s", v);
            o.connect = dsn_conn, i++;
        } else if (strcmp(a, "--connect") == 0) {
            o.connect = v, i++;
        } else if (strcmp(a, "--scale") == 0) {
            o.scale = atof(v), i++;
        } else if (strcmp(a, "--only") == 0) {
            o.only = v, i++;
        } else if (strcmp(a, "--repeat") == 0) {
            o.repeat = atoi(v), i++;
        } else if (strcmp(a, "--txn-rows") == 0) {
            o.txn_rows = atoi(v), i++;
        } else if (strcmp(a, "--array-rows") == 0) {
            o.array_rows = atoi(v), i++;
        } else if (strcmp(a, "--schema") == 0) {
            o.schema = v, i++;
        } else if (strcmp(a, "--tbl") == 0) {
            o.tbl_dir = v, i++;
        } else if (strcmp(a, "--queries") == 0) {
            o.queries = v, i++;
        } else {
            usage();
        }
    }
    if ((!o.connect && !o.tbl_dir) || o.scale <= 0 || o.txn_rows < 1 || o.array_rows < 1)
        usage();
    if (o.tbl_dir) {
        double t0 = to_now();
        bool ok = tpch_load(NULL, &o);
        if (ok)
            printf("wrote scale factor %g in %.1f s\n", o.scale, to_now() - t0);
        return ok ? 0 : 1;
    }
    SQLHENV env;
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLHDBC dbc = to_connect(env, o.connect);
    if (!dbc)
        return 1;
    bool ok = true;
    if (o.load) {
        SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
        printf("loading scale factor %g\n", o.scale);
        double t0 = to_now();
        ok = tpch_load(dbc, &o);
        if (ok)
            printf("loaded in %.1f s\n", to_now() - t0);
        SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    }
    if (ok && o.check)
        ok = tpch_check(dbc, &o);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return ok ? 0 : 1;
}
