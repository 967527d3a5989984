/*
 * eider-odbc add-dsn / list-dsns / show-dsn / remove-dsn.
 *
 * Adding and removing go through SQLConfigDataSource, that is through the driver manager
 * into the setup library's ConfigDSN: the CLI checks nothing itself, so it accepts and
 * refuses exactly what ConfigDSN (and so the driver) does. Listing and showing read
 * odbc.ini with SQLGetPrivateProfileString, one level at a time.
 */
#include "cli.h"

#include "ois.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CLI_INI "odbc.ini"

/* Reads NAME, --user/--system and (when keys is not NULL) KEY=VALUE arguments. */
static bool cli_dsn_args(int argc, char **argv, const char **name, UWORD *level, bool *replace,
                         char *keys, size_t size)
{
    *name = NULL;
    char *p = keys;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_level_option(a, level))
            continue;
        if (replace && strcmp(a, "--replace") == 0)
            *replace = true;
        else if (a[0] == '-' && a[1] == '-')
            return false;
        else if (!*name)
            *name = a;
        else if (keys && strlen(a) + 2 < size - (size_t)(p - keys))
            p = stpcpy(p, a) + 1; /* the setup library checks the pair */
        else
            return false;
    }
    if (keys)
        *p = '\0';
    return *name != NULL;
}

/* Sends one request through the driver manager to ConfigDSN. */
static int cli_config(WORD request, const char *name, const char *keys, const char *done,
                      UWORD level)
{
    char attrs[16384], *p = attrs + sprintf(attrs, "DSN=%s", name) + 1;
    for (const char *k = keys; k && *k; k += strlen(k) + 1)
        p = stpcpy(p, k) + 1;
    *p = '\0';
    char what[256];
    snprintf(what, sizeof what, "cannot %s %s DSN %s", done, cli_level_name(level), name);
    if (!SQLConfigDataSource(NULL, request, OIS_DRIVER_NAME, attrs))
        return cli_installer_failed(what);
    return CLI_OK;
}

int cli_add_dsn(int argc, char **argv)
{
    const char *name;
    UWORD level = ODBC_USER_DSN;
    bool replace = false;
    char keys[8192];
    if (!cli_dsn_args(argc, argv, &name, &level, &replace, keys, sizeof keys))
        return CLI_USAGE;
    if (!cli_need_setup(NULL))
        return CLI_FAILED;
    char path[FILENAME_MAX + 1], driver[FILENAME_MAX + 1];
    ois_ini_path(level, path, sizeof path);
    if (!replace && cli_dsn_driver(name, level, driver, sizeof driver))
        return cli_fail("%s DSN %s already exists in %s (driver %s): remove it first, or give "
                        "--replace",
                        cli_level_name(level), name, path, driver);
    int rc = cli_config(level == ODBC_SYSTEM_DSN ? ODBC_ADD_SYS_DSN : ODBC_ADD_DSN, name, keys,
                        "add", level);
    if (rc == CLI_OK)
        printf("added %s DSN %s to %s\n", cli_level_name(level), name, path);
    return rc;
}

int cli_remove_dsn(int argc, char **argv)
{
    const char *name;
    UWORD level = ODBC_USER_DSN;
    if (!cli_dsn_args(argc, argv, &name, &level, NULL, NULL, 0))
        return CLI_USAGE;
    char otherwise[200];
    snprintf(otherwise, sizeof otherwise, " (or remove the section with odbcinst -u -s %s -n %s)",
             level == ODBC_SYSTEM_DSN ? "-l" : "-h", name);
    if (!cli_need_setup(otherwise))
        return CLI_FAILED;
    int rc = cli_config(level == ODBC_SYSTEM_DSN ? ODBC_REMOVE_SYS_DSN : ODBC_REMOVE_DSN, name,
                        NULL, "remove", level);
    if (rc == CLI_OK) {
        char path[FILENAME_MAX + 1];
        ois_ini_path(level, path, sizeof path);
        printf("removed %s DSN %s from %s\n", cli_level_name(level), name, path);
    }
    return rc;
}

static void cli_value(const char *dsn, const char *key, char *buf, int size)
{
    if (SQLGetPrivateProfileString(dsn, key, "", buf, size, CLI_INI) <= 0)
        buf[0] = '\0';
}

/* Lists the Eider DSNs of one level; returns how many. */
static int cli_list_level(UWORD level)
{
    static char sections[65536];
    SQLSetConfigMode(level);
    int n = SQLGetPrivateProfileString(NULL, NULL, "", sections, sizeof sections, CLI_INI);
    int found = 0;
    for (const char *s = sections; n > 0 && *s; s += strlen(s) + 1) {
        char driver[FILENAME_MAX + 1], db[FILENAME_MAX + 1];
        cli_value(s, "Driver", driver, sizeof driver);
        if (!*driver || !ois_driver_is_eider(driver, OIS_DRIVER_NAME))
            continue;
        cli_value(s, "Database", db, sizeof db);
        printf("%-24s %-7s %s\n", s, cli_level_name(level), *db ? db : "(your default database)");
        found++;
    }
    SQLSetConfigMode(ODBC_BOTH_DSN);
    return found;
}

int cli_list_dsns(int argc, char **argv)
{
    bool user = true, system = true;
    for (int i = 0; i < argc; i++) {
        UWORD level;
        if (!cli_level_option(argv[i], &level))
            return CLI_USAGE;
        user = level == ODBC_USER_DSN;
        system = level == ODBC_SYSTEM_DSN;
    }
    printf("%-24s %-7s %s\n", "NAME", "LEVEL", "DATABASE");
    int found =
        (user ? cli_list_level(ODBC_USER_DSN) : 0) + (system ? cli_list_level(ODBC_SYSTEM_DSN) : 0);
    if (found == 0) {
        char u[FILENAME_MAX + 1], s[FILENAME_MAX + 1];
        ois_ini_path(ODBC_USER_DSN, u, sizeof u);
        ois_ini_path(ODBC_SYSTEM_DSN, s, sizeof s);
        printf("(no Eider DSNs in %s%s%s)\n", user ? u : "", user && system ? " or " : "",
               system ? s : "");
    }
    return CLI_OK;
}

static void cli_show_keys(const char *name, UWORD level)
{
    static char keys[65536];
    SQLSetConfigMode(level);
    int n = SQLGetPrivateProfileString(name, NULL, "", keys, sizeof keys, CLI_INI);
    for (const char *k = keys; n > 0 && *k; k += strlen(k) + 1) {
        char value[FILENAME_MAX + 1];
        cli_value(name, k, value, sizeof value);
        /* Never echo a password. */
        printf("%s = %s\n", k, strcasecmp(k, "PWD") == 0 && *value ? "********" : value);
    }
    SQLSetConfigMode(ODBC_BOTH_DSN);
}

int cli_show_dsn(int argc, char **argv)
{
    const char *name;
    UWORD level = ODBC_BOTH_DSN;
    if (!cli_dsn_args(argc, argv, &name, &level, NULL, NULL, 0))
        return CLI_USAGE;
    char driver[FILENAME_MAX + 1], path[FILENAME_MAX + 1], other[FILENAME_MAX + 1];
    bool either = level == ODBC_BOTH_DSN;
    /* Without a level, the DSN a connection would use: a user DSN hides a system one. */
    if (either)
        level = cli_dsn_driver(name, ODBC_USER_DSN, driver, sizeof driver) ? ODBC_USER_DSN
                                                                           : ODBC_SYSTEM_DSN;
    ois_ini_path(level, path, sizeof path);
    ois_ini_path(ODBC_USER_DSN, other, sizeof other);
    if (!cli_dsn_driver(name, level, driver, sizeof driver))
        return cli_fail("there is no DSN %s in %s%s%s", name, either ? other : "",
                        either ? " or " : "", path);
    printf("[%s]  (%s DSN, in %s%s)\n", name, cli_level_name(level), path,
           ois_driver_is_eider(driver, OIS_DRIVER_NAME) ? "" : "; not an Eider DSN");
    cli_show_keys(name, level);
    return CLI_OK;
}
