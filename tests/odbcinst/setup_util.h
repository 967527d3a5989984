/*
 * A private unixODBC configuration for the setup library's tests (prefix su_): a temporary
 * folder holding the system odbcinst.ini and odbc.ini (ODBCSYSINI) and the user odbc.ini
 * (ODBCINI), so that the machine's own files are never read or written. unixODBC remembers
 * the folders at its first call, so su_setup must run before any other installer call.
 */
#ifndef EIDER_SETUP_UTIL_H
#define EIDER_SETUP_UTIL_H

#include <odbcinst.h>

#include <stdbool.h>

/* Creates the folder and points unixODBC at it; odbcinst_ini is the text of odbcinst.ini
 * (NULL: none). Returns 0, or -1 when the folder cannot be made. */
int su_setup(const char *odbcinst_ini);
/* Removes the folder. */
void su_teardown(void);
const char *su_dir(void);
/* The user or system odbc.ini (ODBC_USER_DSN or ODBC_SYSTEM_DSN). */
const char *su_ini(UWORD level);
/* A DSN's key at one level, "" when absent; the buffer is the caller's. */
const char *su_value(UWORD level, const char *dsn, const char *key, char *buf, int size);
/* Whether the DSN's section exists at that level. */
bool su_exists(UWORD level, const char *dsn);
/* The whole text of a file ("" when missing), in a static buffer. */
const char *su_file(const char *path);
/* The newest installer error: its code (0 if none) and message. */
DWORD su_error(char *msg, int size);

#endif
