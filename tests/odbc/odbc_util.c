/*
 * Private unixODBC configuration and small ODBC helpers for tests.
 */
#include "odbc_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char ou_folder[64];
static char ou_db[128];
static SQLHENV ou_henv;

const char *ou_dir(void)
{
    return ou_folder;
}

const char *ou_db_path(void)
{
    return ou_db;
}

int ou_setup(void)
{
    snprintf(ou_folder, sizeof ou_folder, "/tmp/eider-odbc-XXXXXX");
    if (!mkdtemp(ou_folder))
        return -1;
    snprintf(ou_db, sizeof ou_db, "%s/test.eider", ou_folder);
    char path[128];
    snprintf(path, sizeof path, "%s/odbcinst.ini", ou_folder);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "[Eider]\nDescription = Eider (test build)\nDriver = %s\nThreading = 0\n",
            EIDER_DRIVER_PATH);
    fclose(f);
    snprintf(path, sizeof path, "%s/odbc.ini", ou_folder);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "[eider_test]\nDriver = Eider\nDatabase = %s\n\n", ou_db);
    fprintf(f, "[eider_bad_key]\nDriver = Eider\nDatabase = %s\nColour = blue\n\n", ou_db);
    /* A database of its own for tests of locks between processes, whose in-process
     * connections use Pooling=No: a pooled connection keeps its database open after it
     * disconnects. */
    fprintf(f, "[eider_lock]\nDriver = Eider\nDatabase = %s/lock.eider\nPooling = No\n", ou_folder);
    fclose(f);
    setenv("ODBCSYSINI", ou_folder, 1);
    setenv("ODBCINSTINI", "odbcinst.ini", 1);
    setenv("ODBCINI", path, 1);
    /* The driver's default configuration file would be $XDG_CONFIG_HOME/eider/eider.ini:
     * keep the user's own out of the tests. */
    snprintf(path, sizeof path, "%s/config", ou_folder);
    setenv("XDG_CONFIG_HOME", path, 1);
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &ou_henv)))
        return -1;
    SQLSetEnvAttr(ou_henv, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    return 0;
}

void ou_teardown(void)
{
    if (ou_henv)
        SQLFreeHandle(SQL_HANDLE_ENV, ou_henv);
    ou_henv = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", ou_folder);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", ou_folder);
}

SQLHENV ou_env(void)
{
    return ou_henv;
}

static __thread char ou_state_buf[6];
static __thread char ou_msg_buf[1024];

static void ou_read_diag(SQLSMALLINT type, SQLHANDLE h)
{
    SQLINTEGER native;
    SQLSMALLINT len;
    strcpy(ou_state_buf, "00000");
    ou_msg_buf[0] = '\0';
    SQLGetDiagRec(type, h, 1, (SQLCHAR *)ou_state_buf, &native, (SQLCHAR *)ou_msg_buf,
                  sizeof ou_msg_buf, &len);
}

const char *ou_state(SQLSMALLINT type, SQLHANDLE h)
{
    ou_read_diag(type, h);
    return ou_state_buf;
}

const char *ou_message(SQLSMALLINT type, SQLHANDLE h)
{
    ou_read_diag(type, h);
    return ou_msg_buf;
}

void ou_print_diag(const char *what, SQLSMALLINT type, SQLHANDLE h)
{
    ou_read_diag(type, h);
    fprintf(stderr, "%s: [%s] %s\n", what, ou_state_buf, ou_msg_buf);
}

SQLHDBC ou_connect(const char *conn_str)
{
    SQLHDBC dbc;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, ou_henv, &dbc)))
        return NULL;
    SQLRETURN rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)conn_str, SQL_NTS, NULL, 0, NULL,
                                    SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) {
        ou_print_diag(conn_str, SQL_HANDLE_DBC, dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
        return NULL;
    }
    return dbc;
}

const char *ou_conn(const char *db, const char *extra)
{
    static __thread char buf[1024];
    snprintf(buf, sizeof buf, "Driver={Eider};Database=%s/%s;%s", ou_folder, db, extra);
    return buf;
}

const char *ou_connect_state(const char *conn_str)
{
    static __thread char state[6];
    SQLHDBC dbc;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, ou_henv, &dbc)))
        return "alloc";
    SQLRETURN rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)conn_str, SQL_NTS, NULL, 0, NULL,
                                    SQL_DRIVER_NOPROMPT);
    ou_msg_buf[0] = '\0';
    snprintf(state, sizeof state, "%s",
             rc == SQL_SUCCESS ? "00000" : ou_state(SQL_HANDLE_DBC, dbc));
    if (SQL_SUCCEEDED(rc))
        SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return state;
}

const char *ou_last_connect_message(void)
{
    return ou_msg_buf;
}

void ou_disconnect(SQLHDBC dbc)
{
    if (!dbc)
        return;
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

const char *ou_exec(SQLHDBC dbc, const char *sql)
{
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return ou_state(SQL_HANDLE_DBC, dbc);
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
    const char *state = rc == SQL_SUCCESS ? "00000" : ou_state(SQL_HANDLE_STMT, st);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return state;
}

int ou_exec_all(SQLHDBC dbc, const char *const *sql, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *state = ou_exec(dbc, sql[i]);
        if (strcmp(state, "00000") != 0) {
            fprintf(stderr, "set-up statement failed (%s): %s\n", state, sql[i]);
            return -1;
        }
    }
    return 0;
}

const char *ou_rows(SQLHSTMT st)
{
    static __thread char out[65536];
    size_t len = 0;
    out[0] = '\0';
    SQLSMALLINT ncols = 0;
    SQLNumResultCols(st, &ncols);
    bool first = true;
    SQLRETURN rc;
    while ((rc = SQLFetch(st)) == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO) {
        if (!first && len < sizeof out - 1)
            out[len++] = ';';
        first = false;
        for (SQLSMALLINT c = 1; c <= ncols; c++) {
            char buf[4096];
            SQLLEN ind;
            SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof buf, &ind);
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", c > 1 ? "|" : "",
                                    ind == SQL_NULL_DATA ? "NULL" : buf);
            if (len >= sizeof out)
                len = sizeof out - 1;
        }
    }
    if (rc != SQL_NO_DATA)
        snprintf(out, sizeof out, "ERROR %s", ou_state(SQL_HANDLE_STMT, st));
    return out;
}

const char *ou_query(SQLHDBC dbc, const char *sql)
{
    static __thread char out[32];
    SQLHSTMT st;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
        return "ERROR alloc";
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS))) {
        snprintf(out, sizeof out, "ERROR %s", ou_state(SQL_HANDLE_STMT, st));
        SQLFreeHandle(SQL_HANDLE_STMT, st);
        return out;
    }
    const char *rows = ou_rows(st);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return rows;
}
