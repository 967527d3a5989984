/*
 * Connecting through the driver manager (driver/src/connect.c, handles.c): DSNs and
 * connection strings, their errors and warnings, handle misuse, one shared instance per
 * file inside a process and the file lock against other processes.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_dsn_and_driver_strings(void)
{
    SQLHDBC a = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_STRING_EQUAL(ou_exec(a, "create table c1 (a int)"), "00000");
    char cs[256];
    snprintf(cs, sizeof cs, "Driver={Eider};Database={%s}", ou_db_path());
    SQLHDBC b = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    /* Both connections share one instance: b sees a's commit at once. */
    CU_ASSERT_STRING_EQUAL(ou_exec(a, "insert into c1 values (1)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_query(b, "select a from c1"), "1");
    /* Disconnecting one leaves the database open for the other. */
    ou_disconnect(a);
    CU_ASSERT_STRING_EQUAL(ou_query(b, "select a from c1"), "1");
    ou_disconnect(b);
    /* And everything is still there after the last one closed it. */
    SQLHDBC c = ou_connect("DSN=eider_test");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(ou_query(c, "select a from c1"), "1");
    ou_disconnect(c);
}

static void test_sqlconnect_and_out_string(void)
{
    SQLHDBC dbc;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &dbc);
    SQLRETURN rc = SQLConnect(dbc, (SQLCHAR *)"eider_test", SQL_NTS, (SQLCHAR *)"someone", SQL_NTS,
                              (SQLCHAR *)"secret", SQL_NTS);
    OU_OK(rc, SQL_HANDLE_DBC, dbc, "SQLConnect with UID/PWD on an open database");
    SQLDisconnect(dbc);
    char out[512];
    SQLSMALLINT len = 0;
    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=eider_test;PWD=secret", SQL_NTS,
                          (SQLCHAR *)out, sizeof out, &len, SQL_DRIVER_NOPROMPT);
    OU_OK(rc, SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DSN=eider_test;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Database="));
    CU_ASSERT_PTR_NULL(strstr(out, "secret")); /* the password is not echoed */
    CU_ASSERT_EQUAL(len, (SQLSMALLINT)strlen(out));
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

static void test_bad_connection_strings(void)
{
    SQLHDBC dbc;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &dbc);
    char cs[256];
    snprintf(cs, sizeof cs, "Driver={Eider};Database=%s;Colour=blue", ou_db_path());
    SQLRETURN rc =
        SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_SUCCESS_WITH_INFO);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "01S00");
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_DBC, dbc), "Colour"));
    SQLDisconnect(dbc);

    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=eider_bad_key", SQL_NTS, NULL, 0, NULL,
                          SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_SUCCESS_WITH_INFO); /* unknown keys in the DSN are reported too */
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "01S00");
    SQLDisconnect(dbc);

    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)"Driver={Eider};Database={/tmp/x", SQL_NTS, NULL, 0,
                          NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_DBC, dbc), "malformed"));

    rc = SQLDriverConnect(dbc, NULL,
                          (SQLCHAR *)"Driver={Eider};Database=/nonexistent/folder/x.eider", SQL_NTS,
                          NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_DBC, dbc), "does not exist"));

    snprintf(cs, sizeof cs, "Driver={Eider};Database=%s;AccessMode=SOMETIMES", ou_db_path());
    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_DBC, dbc), "AccessMode"));

    snprintf(cs, sizeof cs, "Driver={Eider};Database=%s;PoolMaxSessions=-3", ou_db_path());
    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    CU_ASSERT_EQUAL(rc, SQL_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_message(SQL_HANDLE_DBC, dbc), "PoolMaxSessions"));
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

static void test_default_database(void)
{
    char home[160];
    snprintf(home, sizeof home, "%s/home", ou_dir());
    setenv("XDG_DATA_HOME", home, 1);
    SQLHDBC dbc = ou_connect("Driver={Eider}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table if not exists d (a int)"), "00000");
    char db_name[256];
    SQLSMALLINT len;
    SQLGetInfo(dbc, SQL_DATABASE_NAME, db_name, sizeof db_name, &len);
    char expected[256];
    snprintf(expected, sizeof expected, "%s/eider/default.eider", home);
    CU_ASSERT_STRING_EQUAL(db_name, expected);
    ou_disconnect(dbc);
    unsetenv("XDG_DATA_HOME");
}

static void test_handle_misuse(void)
{
    CU_ASSERT_EQUAL(SQLExecDirect(SQL_NULL_HSTMT, (SQLCHAR *)"select 1", SQL_NTS),
                    SQL_INVALID_HANDLE);
    CU_ASSERT_EQUAL(SQLDisconnect(SQL_NULL_HDBC), SQL_INVALID_HANDLE);
    SQLHDBC dbc;
    SQLAllocHandle(SQL_HANDLE_DBC, ou_env(), &dbc);
    SQLHSTMT st;
    /* A statement on a connection that is not open. */
    CU_ASSERT_EQUAL(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "08003");
    CU_ASSERT_EQUAL(SQLDisconnect(dbc), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "08003");
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)"DSN=eider_test", SQL_NTS,
                                                  NULL, 0, NULL, SQL_DRIVER_NOPROMPT)));
    /* Freeing a connection that is still open is a sequence error. */
    CU_ASSERT_EQUAL(SQLFreeHandle(SQL_HANDLE_DBC, dbc), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_DBC, dbc), "HY010");
    CU_ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)));
    /* SQLExecute with nothing prepared. */
    CU_ASSERT_EQUAL(SQLExecute(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY010");
    /* SQLFetch without a result set. */
    CU_ASSERT_EQUAL(SQLFetch(st), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY010");
    CU_ASSERT_EQUAL(SQLExecDirect(st, NULL, SQL_NTS), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY009");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    ou_disconnect(dbc);
}

/* Runs odbc_probe in a separate process and returns its first output line. */
static const char *probe(const char *conn_str, const char *sql)
{
    static char line[1024];
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' 2>&1", EIDER_PROBE_PATH, conn_str, sql ? sql : "");
    if (!sql)
        snprintf(cmd, sizeof cmd, "'%s' '%s' 2>&1", EIDER_PROBE_PATH, conn_str);
    FILE *p = popen(cmd, "r");
    if (!p)
        return "popen failed";
    line[0] = '\0';
    if (!fgets(line, sizeof line, p))
        strcpy(line, "no output");
    pclose(p);
    line[strcspn(line, "\n")] = '\0';
    return line;
}

static void test_other_processes_and_the_lock(void)
{
    SQLHDBC dbc = ou_connect("DSN=eider_lock");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table if not exists c1 (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into c1 values (1)"), "00000");
    const char *r = probe("DSN=eider_lock", NULL);
    CU_ASSERT_NSTRING_EQUAL(r, "08001", 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "opened read-write by pid"));
    r = probe("DSN=eider_lock;AccessMode=READ_ONLY", NULL);
    CU_ASSERT_NSTRING_EQUAL(r, "08001", 5);
    ou_disconnect(dbc);

    /* Once the writer is gone, read-only processes may read together. */
    CU_ASSERT_STRING_EQUAL(probe("DSN=eider_lock;AccessMode=READ_ONLY", "select a from c1"), "1");
    r = probe("DSN=eider_lock;AccessMode=READ_ONLY", "insert into c1 values (2)");
    CU_ASSERT_NSTRING_EQUAL(r, "25006", 5);
    CU_ASSERT_STRING_EQUAL(probe("DSN=eider_lock", "insert into c1 values (3)"), "OK");
}

/* Three read-only processes hold the database at once; a writer is refused meanwhile. */
static void test_readers_share_the_file(void)
{
    char cmd[1024];
    FILE *p[3];
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' --hold 1500 'DSN=eider_lock;AccessMode=READ_ONLY' "
                 "'select a from c1 where a = 1' 2>&1",
                 EIDER_PROBE_PATH);
        p[i] = popen(cmd, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
    }
    /* Wait until all three have answered their query: they hold the file from then on. */
    char lines[3][2][256];
    for (int i = 0; i < 3; i++)
        for (int l = 0; l < 2; l++)
            if (!fgets(lines[i][l], sizeof lines[i][l], p[i]))
                strcpy(lines[i][l], "no output\n");
    const char *w = probe("DSN=eider_lock", "insert into c1 values (4)");
    CU_ASSERT_NSTRING_EQUAL(w, "08001", 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(w, "open read-only by another process"));
    for (int i = 0; i < 3; i++) {
        pclose(p[i]);
        CU_ASSERT_STRING_EQUAL(lines[i][0], "1\n");
        CU_ASSERT_STRING_EQUAL(lines[i][1], "OK\n");
    }
    /* All gone: a writer gets in. */
    CU_ASSERT_STRING_EQUAL(probe("DSN=eider_lock", "insert into c1 values (5)"), "OK");
}

static int setup(void)
{
    return ou_setup();
}

static int teardown(void)
{
    ou_teardown();
    return 0;
}

static CU_TestInfo connect_tests[] = {
    {"DSN and driver connection strings", test_dsn_and_driver_strings},
    {"SQLConnect and the output connection string", test_sqlconnect_and_out_string},
    {"bad connection strings", test_bad_connection_strings},
    {"the default database", test_default_database},
    {"handle misuse", test_handle_misuse},
    {"other processes and the file lock", test_other_processes_and_the_lock},
    {"read-only processes share the file", test_readers_share_the_file},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc connect", setup, teardown, NULL, NULL, connect_tests})
