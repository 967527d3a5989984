/*
 * odbc_probe: connects with the connection string given as argument, optionally runs one
 * statement, and prints "OK" or "<SQLSTATE> <message>". Tests run it as a separate
 * process to check what another process sees (file locks, read-only access). With
 * --hold MS it keeps the connection open that long before disconnecting, so several
 * probes can be made to overlap.
 *
 *   odbc_probe [--hold MS] "DSN=eider_test" ["SELECT ..."]
 */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int probe_fail(SQLSMALLINT type, SQLHANDLE h)
{
    SQLCHAR state[6] = "?????", msg[1024] = "";
    SQLINTEGER native;
    SQLSMALLINT len;
    SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
    printf("%s %s\n", state, msg);
    return 1;
}

int main(int argc, char **argv)
{
    long hold_ms = 0;
    if (argc > 2 && strcmp(argv[1], "--hold") == 0) {
        hold_ms = atol(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s [--hold MS] CONNECTION-STRING [SQL]\n", argv[0]);
        return 2;
    }
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL,
                                        SQL_DRIVER_NOPROMPT)))
        return probe_fail(SQL_HANDLE_DBC, dbc);
    if (argc > 2) {
        SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
        if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)argv[2], SQL_NTS)))
            return probe_fail(SQL_HANDLE_STMT, st);
        SQLSMALLINT ncols = 0;
        SQLNumResultCols(st, &ncols);
        while (ncols > 0 && SQL_SUCCEEDED(SQLFetch(st))) {
            for (SQLSMALLINT c = 1; c <= ncols; c++) {
                char buf[256];
                SQLLEN ind;
                SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof buf, &ind);
                printf("%s%s", c > 1 ? "|" : "", ind == SQL_NULL_DATA ? "NULL" : buf);
            }
            printf("\n");
        }
        SQLFreeHandle(SQL_HANDLE_STMT, st);
    }
    printf("OK\n");
    fflush(stdout);
    struct timespec hold = {hold_ms / 1000, (hold_ms % 1000) * 1000000L};
    nanosleep(&hold, NULL);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return 0;
}
