/*
 * eider-odbc register-driver / unregister-driver: the [Eider] section of odbcinst.ini.
 *
 * A first registration goes through SQLInstallDriverEx. Registering again rewrites the
 * section's paths in place instead: SQLInstallDriverEx would raise the usage count each
 * time, and then one unregister-driver would no longer remove the driver. Unregistering
 * lowers the count with SQLRemoveDriver, which removes the section when it reaches zero.
 * SQLConfigDriver, which would call our ConfigDriver, fails with "invalid driver name" on
 * 64-bit builds of unixODBC 2.3.11 even when the Setup key is there (and crashes when it is
 * not), so the registration is checked the way a GUI tool uses the setup library instead:
 * by asking unixODBC for the DSN property list, which loads it.
 */
#include "cli.h"

#include "ois.h"

#include <libgen.h>
#include <odbcinstext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_DRIVER_DESCRIPTION "Eider ODBC driver with an embedded MVCC SQL engine"
#define CLI_ODBCINST_HINT                                                                          \
    " (drivers are registered for the whole machine: run as root, or point ODBCSYSINI to a "       \
    "folder of your own)"

/* The absolute path of an existing library, or NULL with a message. */
static char *cli_library(const char *path, const char *what, const char *option)
{
    char *real = realpath(path, NULL);
    if (!real)
        cli_fail("no %s at %s (give its path with %s)", what, path, option);
    return real;
}

typedef struct cli_kv {
    const char *key, *value;
} cli_kv;

/* Writes the driver's section. An existing one gets its keys rewritten one by one, which
 * keeps its usage count. */
static bool cli_write_section(const cli_kv *kv, size_t n, bool exists)
{
    if (exists) {
        for (size_t i = 0; i < n; i++)
            if (!SQLWritePrivateProfileString(OIS_DRIVER_NAME, kv[i].key, kv[i].value,
                                              "odbcinst.ini"))
                return false;
        return true;
    }
    /* "Eider\0KEY=VALUE\0...\0\0"; the paths are at most FILENAME_MAX each. */
    char list[4 * FILENAME_MAX], *p = stpcpy(list, OIS_DRIVER_NAME) + 1;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s=%s", kv[i].key, kv[i].value) + 1;
    *p = '\0';
    char out[FILENAME_MAX];
    WORD out_len;
    DWORD usage;
    return SQLInstallDriverEx(list, NULL, out, sizeof out, &out_len, ODBC_INSTALL_COMPLETE, &usage);
}

/* What a GUI tool does first: unixODBC loads the setup library and asks for the DSN
 * properties. */
static bool cli_setup_loads(void)
{
    char name[] = OIS_DRIVER_NAME;
    HODBCINSTPROPERTY props = NULL;
    if (ODBCINSTConstructProperties(name, &props) != ODBCINST_SUCCESS)
        return false;
    ODBCINSTDestructProperties(&props);
    return true;
}

int cli_register_driver(int argc, char **argv)
{
    const char *path = EIDER_LIBDIR "/libeiderodbc.so", *setup_path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--path") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--setup") == 0 && i + 1 < argc)
            setup_path = argv[++i];
        else
            return CLI_USAGE;
    }
    char *driver = cli_library(path, "driver library", "--path");
    if (!driver)
        return CLI_FAILED;
    char beside[FILENAME_MAX + 32], copy[FILENAME_MAX + 1];
    snprintf(copy, sizeof copy, "%s", driver);
    snprintf(beside, sizeof beside, "%s/libeiderodbcS.so", dirname(copy));
    char *setup = cli_library(setup_path ? setup_path : beside, "setup library", "--setup");
    if (!setup) {
        free(driver);
        return CLI_FAILED;
    }

    char ini[FILENAME_MAX + 1], msg[OIS_MSG_MAX], old[FILENAME_MAX + 1];
    ois_odbcinst_path(ini, sizeof ini);
    cli_driver_key("Driver", old, sizeof old);
    /* Threading = 0: the driver is thread-safe at the handle level, so the driver manager
     * need not serialise calls (as in eider-driver.ini.in). */
    const cli_kv keys[] = {{"Description", CLI_DRIVER_DESCRIPTION},
                           {"Driver", driver},
                           {"Setup", setup},
                           {"Threading", "0"},
                           {"FileUsage", "0"}};
    int rc = CLI_OK;
    if (ois_file_prepare(ini, 0644, CLI_ODBCINST_HINT, msg, sizeof msg) != 0)
        rc = cli_fail("cannot register driver %s: %s", OIS_DRIVER_NAME, msg);
    else if (!cli_write_section(keys, sizeof keys / sizeof *keys, *old))
        rc = cli_installer_failed("cannot register driver " OIS_DRIVER_NAME);
    else if (!cli_setup_loads())
        rc = cli_installer_failed("registered driver " OIS_DRIVER_NAME
                                  ", but unixODBC cannot use its setup library");
    else
        printf("%s driver %s in %s\n  Driver = %s\n  Setup = %s\n", *old ? "updated" : "registered",
               OIS_DRIVER_NAME, ini, driver, setup);
    free(driver);
    free(setup);
    return rc;
}

/* Names the DSNs at one level that still use the driver. */
static void cli_note_dsns(UWORD level)
{
    static char sections[65536];
    SQLSetConfigMode(level);
    int n = SQLGetPrivateProfileString(NULL, NULL, "", sections, sizeof sections, "odbc.ini");
    SQLSetConfigMode(ODBC_BOTH_DSN);
    char driver[FILENAME_MAX + 1];
    for (const char *s = sections; n > 0 && *s; s += strlen(s) + 1)
        if (cli_dsn_driver(s, level, driver, sizeof driver) &&
            ois_driver_is_eider(driver, OIS_DRIVER_NAME))
            printf("note: %s DSN %s still names driver %s (eider-odbc remove-dsn %s%s)\n",
                   cli_level_name(level), s, OIS_DRIVER_NAME, s,
                   level == ODBC_SYSTEM_DSN ? " --system" : "");
}

int cli_unregister_driver(int argc, char **argv)
{
    if (argc > 0)
        return CLI_USAGE;
    char ini[FILENAME_MAX + 1], driver[FILENAME_MAX + 1];
    ois_odbcinst_path(ini, sizeof ini);
    cli_driver_key("Driver", driver, sizeof driver);
    if (!*driver)
        return cli_fail("driver %s is not registered in %s", OIS_DRIVER_NAME, ini);
    char msg[OIS_MSG_MAX];
    if (ois_file_prepare(ini, 0644, CLI_ODBCINST_HINT, msg, sizeof msg) != 0)
        return cli_fail("cannot unregister driver %s: %s", OIS_DRIVER_NAME, msg);
    DWORD usage = 0;
    if (!SQLRemoveDriver(OIS_DRIVER_NAME, 0, &usage))
        return cli_installer_failed("cannot unregister driver " OIS_DRIVER_NAME);
    if (usage > 0) {
        printf("driver %s stays registered in %s: its usage count is now %lu (other installs "
               "registered it too); run unregister-driver again to remove it\n",
               OIS_DRIVER_NAME, ini, (unsigned long)usage);
        return CLI_OK;
    }
    printf("unregistered driver %s from %s\n", OIS_DRIVER_NAME, ini);
    cli_note_dsns(ODBC_USER_DSN);
    cli_note_dsns(ODBC_SYSTEM_DSN);
    return CLI_OK;
}
