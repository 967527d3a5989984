/* eider-odbc: messages, levels, and small readers of odbc.ini and odbcinst.ini. */
#include "cli.h"

#include "ois.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("eider-odbc: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAILED;
}

int cli_installer_failed(const char *what)
{
    DWORD code;
    char msg[1024];
    WORD n;
    WORD i = 1;
    /* unixODBC writes one byte past the size it is given when it truncates. */
    for (; SQL_SUCCEEDED(SQLInstallerError(i, &code, msg, sizeof msg - 1, &n)); i++)
        cli_fail("%s: %s", what, msg);
    if (i == 1)
        cli_fail("%s (unixODBC gave no reason)", what);
    return CLI_FAILED;
}

bool cli_level_option(const char *arg, UWORD *level)
{
    if (strcmp(arg, "--user") == 0)
        *level = ODBC_USER_DSN;
    else if (strcmp(arg, "--system") == 0)
        *level = ODBC_SYSTEM_DSN;
    else
        return false;
    return true;
}

const char *cli_level_name(UWORD level)
{
    return level == ODBC_SYSTEM_DSN ? "system" : "user";
}

bool cli_dsn_driver(const char *dsn, UWORD level, char *buf, int size)
{
    SQLSetConfigMode(level);
    int n = SQLGetPrivateProfileString(dsn, "Driver", "", buf, size, "odbc.ini");
    SQLSetConfigMode(ODBC_BOTH_DSN);
    return n > 0;
}

void cli_driver_key(const char *key, char *buf, int size)
{
    if (SQLGetPrivateProfileString(OIS_DRIVER_NAME, key, "", buf, size, "odbcinst.ini") <= 0)
        buf[0] = '\0';
}

bool cli_need_setup(const char *otherwise)
{
    char ini[FILENAME_MAX + 1], driver[FILENAME_MAX + 1], setup[FILENAME_MAX + 1];
    ois_odbcinst_path(ini, sizeof ini);
    cli_driver_key("Driver", driver, sizeof driver);
    cli_driver_key("Setup", setup, sizeof setup);
    struct stat st;
    if (!*driver)
        cli_fail("driver %s is not registered in %s: run eider-odbc register-driver first%s",
                 OIS_DRIVER_NAME, ini, otherwise ? otherwise : "");
    else if (!*setup)
        cli_fail("driver %s in %s has no Setup library: run eider-odbc register-driver again",
                 OIS_DRIVER_NAME, ini);
    else if (strchr(setup, '/') && stat(setup, &st) != 0) /* else the loader searches */
        cli_fail("the setup library %s that %s names for %s does not exist: run eider-odbc "
                 "register-driver again",
                 setup, ini, OIS_DRIVER_NAME);
    else
        return true;
    return false;
}
