/*
 * Where unixODBC keeps DSNs and drivers, found the way unixODBC finds them:
 *   user DSNs    $ODBCINI, else .odbc.ini in the home folder of the password database
 *                (not $HOME);
 *   system DSNs  odbc.ini in $ODBCSYSINI, else in the folder unixODBC was built with (/etc);
 *   drivers      $ODBCINSTINI (default odbcinst.ini) in that same folder.
 * The paths are for messages and for ois_ini_prepare; reading and writing go through the
 * installer API, which applies the same rules.
 */
#include "ois.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exported by libodbcinst (odbcinst -j prints them) but declared only inside unixODBC's own
 * build. Each returns either buffer or a string of its own. */
char *odbcinst_system_file_path(char *buffer);
char *odbcinst_system_file_name(char *buffer);

void ois_ini_path(UWORD level, char *buf, size_t size)
{
    char b[FILENAME_MAX + 1];
    if (level == ODBC_SYSTEM_DSN) {
        snprintf(buf, size, "%s/odbc.ini", odbcinst_system_file_path(b));
        return;
    }
    const char *env = getenv("ODBCINI");
    if (env && *env) {
        snprintf(buf, size, "%s", env);
        return;
    }
    const struct passwd *pw = getpwuid(getuid());
    snprintf(buf, size, "%s/.odbc.ini", pw && pw->pw_dir ? pw->pw_dir : "/home");
}

void ois_odbcinst_path(char *buf, size_t size)
{
    char b1[FILENAME_MAX + 1], b2[FILENAME_MAX + 1];
    snprintf(buf, size, "%s/%s", odbcinst_system_file_path(b1), odbcinst_system_file_name(b2));
}

int ois_file_prepare(const char *path, unsigned mode, const char *hint, char *msg, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, (mode_t)mode);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    int e = errno;
    bool denied = e == EACCES || e == EPERM || e == EROFS;
    return ois_fail(ODBC_ERROR_REQUEST_FAILED, msg, size, "cannot write %s: %s%s", path,
                    strerror(e), denied && hint ? hint : "");
}

int ois_ini_prepare(UWORD level, char *msg, size_t size)
{
    char path[FILENAME_MAX + 1];
    ois_ini_path(level, path, sizeof path);
    if (level == ODBC_SYSTEM_DSN)
        return ois_file_prepare(path, 0644, " (a system DSN needs root; a user DSN does not)", msg,
                                size);
    /* A user odbc.ini made here is private to its user: its DSNs may hold a password. */
    return ois_file_prepare(path, 0600, NULL, msg, size);
}
