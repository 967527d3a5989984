/*
 * Helpers for tests that go through the unixODBC driver manager: a private configuration
 * (ODBCSYSINI / ODBCINI in a temporary folder, so the machine's own files are never
 * touched) registering the freshly built driver as "Eider" and a DSN "eider_test".
 */
#ifndef EIDER_ODBC_UTIL_H
#define EIDER_ODBC_UTIL_H

#include <sql.h>
#include <sqlext.h>
#include <stdbool.h>
#include <stddef.h>

/* Creates the folder and ini files and sets the environment; call before any ODBC call.
 * DSNs: eider_test (pooled), eider_bad_key (an unknown key), eider_lock (its own
 * database, Pooling=No, for tests of file locks between processes). */
int ou_setup(void);
void ou_teardown(void);
const char *ou_dir(void);
/* The database file of DSN eider_test. */
const char *ou_db_path(void);

SQLHENV ou_env(void);
/* Connects with SQLDriverConnect; NULL on failure (the diagnostics are printed). */
SQLHDBC ou_connect(const char *conn_str);
void ou_disconnect(SQLHDBC dbc);
/* "Driver={Eider};Database=<test folder>/db;extra" (a per-thread buffer). */
const char *ou_conn(const char *db, const char *extra);
/* Connects and disconnects at once; returns the SQLSTATE of the connect ("00000": success
 * without a warning). The message stays readable with ou_last_connect_message(). */
const char *ou_connect_state(const char *conn_str);
const char *ou_last_connect_message(void);

/* The first diagnostic record of a handle: its SQLSTATE and message (per-thread buffers). */
const char *ou_state(SQLSMALLINT type, SQLHANDLE h);
const char *ou_message(SQLSMALLINT type, SQLHANDLE h);
void ou_print_diag(const char *what, SQLSMALLINT type, SQLHANDLE h);

/* Runs one statement on a new statement handle; returns the SQLSTATE ("00000" on success,
 * "01xxx" for success with a warning). */
const char *ou_exec(SQLHDBC dbc, const char *sql);
/* Runs each of n statements, stopping at the first that does not succeed plainly: 0, or
 * -1 after printing it with its SQLSTATE (for suite set-ups). */
int ou_exec_all(SQLHDBC dbc, const char *const *sql, size_t n);
#define OU_EXEC_ALL(dbc, array) ou_exec_all(dbc, array, sizeof array / sizeof *array)
/* Renders the rows of an open result ("1|a;2|NULL", with SQLGetData as text), or "ERROR
 * state" when a fetch fails. */
const char *ou_rows(SQLHSTMT st);
/* Runs a query and renders its rows ("1|a;2|NULL") with SQLGetData as text. */
const char *ou_query(SQLHDBC dbc, const char *sql);

#define OU_OK(rc, type, h, what)                                                                   \
    do {                                                                                           \
        if (!SQL_SUCCEEDED(rc)) {                                                                  \
            ou_print_diag(what, type, h);                                                          \
            CU_FAIL(what);                                                                         \
        }                                                                                          \
    } while (0)

#endif
