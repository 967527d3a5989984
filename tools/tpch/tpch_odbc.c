/*
 * tpch_odbc.c: the few ODBC helpers eider-tpch needs (connect, run a statement, print a
 * diagnostic), and reading a SQL file.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, clock_gettime */

#include "tpch.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void to_diag(const char *what, SQLSMALLINT type, SQLHANDLE h)
{
    SQLCHAR state[6] = "", msg[512] = "";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len)))
        snprintf((char *)msg, sizeof msg, "(no diagnostic)");
    fprintf(stderr, "eider-tpch: %s: [%s] %s\n", what, state, msg);
}

SQLHDBC to_connect(SQLHENV env, const char *conn)
{
    SQLHDBC dbc;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc)))
        return NULL;
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)conn, SQL_NTS, NULL, 0, NULL,
                                        SQL_DRIVER_NOPROMPT))) {
        to_diag("connect", SQL_HANDLE_DBC, dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        return NULL;
    }
    return dbc;
}

bool to_exec(SQLHDBC dbc, const char *sql)
{
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return false;
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    bool ok = SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA;
    if (!ok) {
        fprintf(stderr, "eider-tpch: failed: %s\n", sql);
        to_diag("execute", SQL_HANDLE_STMT, st);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return ok;
}

bool to_commit(SQLHDBC dbc)
{
    if (SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT)))
        return true;
    to_diag("commit", SQL_HANDLE_DBC, dbc);
    return false;
}

char *to_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 4096 + 1 > cap) {
            cap = (len + 4096 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, 4096, f);
        len += n;
    } while (n > 0);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

double to_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
