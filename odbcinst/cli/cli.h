/*
 * eider-odbc, the command line for registering Eider with unixODBC (prefix cli_). Each
 * command returns the program's exit status: 0 done, 1 failed (with a message on stderr),
 * 2 wrong usage.
 */
#ifndef EIDER_CLI_H
#define EIDER_CLI_H

#include <odbcinst.h>

#include <stdbool.h>

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cli_register_driver(int argc, char **argv);
int cli_unregister_driver(int argc, char **argv);
int cli_add_dsn(int argc, char **argv);
int cli_list_dsns(int argc, char **argv);
int cli_show_dsn(int argc, char **argv);
int cli_remove_dsn(int argc, char **argv);

/* --- cli_util.c --- */

/* Prints "eider-odbc: " and the message to stderr; returns CLI_FAILED. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints what the installer said about the last call that failed, after `what`. */
int cli_installer_failed(const char *what);
/* Reads --user / --system into *level; returns false for anything else. */
bool cli_level_option(const char *arg, UWORD *level);
const char *cli_level_name(UWORD level);
/* A DSN's Driver at one level (ODBC_USER_DSN or ODBC_SYSTEM_DSN); false if it has none. */
bool cli_dsn_driver(const char *dsn, UWORD level, char *buf, int size);
/* The Eider driver's key in odbcinst.ini, "" when it is not registered or lacks the key. */
void cli_driver_key(const char *key, char *buf, int size);
/* Refuses, with what to do (and `otherwise`, an alternative, if not NULL), unless Eider is
 * registered with a setup library that exists: SQLConfigDataSource needs one. */
bool cli_need_setup(const char *otherwise);

#endif
