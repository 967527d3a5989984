/* The private unixODBC configuration of the setup library's tests (see setup_util.h). */
#include "setup_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char su_folder[64];
static char su_user[96], su_system[96];

int su_setup(const char *odbcinst_ini)
{
    snprintf(su_folder, sizeof su_folder, "/tmp/eider-setup-XXXXXX");
    if (!mkdtemp(su_folder))
        return -1;
    snprintf(su_user, sizeof su_user, "%s/user-odbc.ini", su_folder);
    snprintf(su_system, sizeof su_system, "%s/odbc.ini", su_folder);
    if (odbcinst_ini) {
        char path[96];
        snprintf(path, sizeof path, "%s/odbcinst.ini", su_folder);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        fputs(odbcinst_ini, f);
        fclose(f);
    }
    setenv("ODBCSYSINI", su_folder, 1);
    setenv("ODBCINSTINI", "odbcinst.ini", 1);
    setenv("ODBCINI", su_user, 1);
    /* unixODBC looks for a user's .odbcinst.ini in $HOME. */
    setenv("HOME", su_folder, 1);
    return 0;
}

void su_teardown(void)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", su_folder);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", su_folder);
}

const char *su_dir(void)
{
    return su_folder;
}

const char *su_ini(UWORD level)
{
    return level == ODBC_SYSTEM_DSN ? su_system : su_user;
}

const char *su_value(UWORD level, const char *dsn, const char *key, char *buf, int size)
{
    UWORD mode;
    SQLGetConfigMode(&mode);
    SQLSetConfigMode(level);
    if (SQLGetPrivateProfileString(dsn, key, "", buf, size, "odbc.ini") <= 0)
        buf[0] = '\0';
    SQLSetConfigMode(mode);
    return buf;
}

bool su_exists(UWORD level, const char *dsn)
{
    char keys[4096];
    UWORD mode;
    SQLGetConfigMode(&mode);
    SQLSetConfigMode(level);
    int n = SQLGetPrivateProfileString(dsn, NULL, "", keys, sizeof keys, "odbc.ini");
    SQLSetConfigMode(mode);
    return n > 0;
}

const char *su_file(const char *path)
{
    static char text[65536];
    text[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return text;
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

DWORD su_error(char *msg, int size)
{
    DWORD code = 0, c;
    WORD n;
    msg[0] = '\0';
    /* The newest message: a setup library posts its failure last, and a direct call does not
     * empty the buffer first as SQLConfigDataSource does. A call that finds no message
     * leaves msg alone; one that truncates writes a byte past the size it is given. */
    for (WORD i = 1; SQL_SUCCEEDED(SQLInstallerError(i, &c, msg, (WORD)(size - 1), &n)); i++)
        code = c;
    return code;
}
