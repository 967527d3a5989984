/*
 * Adding, changing and removing an Eider DSN: ConfigDSN's work, done with unixODBC's
 * installer API (SQLWriteDSNToIni, SQLWritePrivateProfileString, SQLRemoveDSNFromIni).
 *
 * - Level: the _SYS_ requests work on the system odbc.ini. The others work on the level
 *   the driver manager chose (SQLConfigDataSource sets user or system before it calls
 *   ConfigDSN), or on the user level when none was chosen (ODBC_BOTH_DSN: a direct call).
 *   The caller's configuration mode is restored afterwards.
 * - Every key is checked before anything is written, so a refused request changes nothing.
 * - ADD replaces a DSN of the same name at that level: the reference's rule when there is
 *   no window to ask in, and Eider's setup never opens one. Empty values are not written:
 *   the key keeps the driver's default.
 * - CONFIG sets the given keys of an existing Eider DSN; an empty value removes the key.
 * - CONFIG and REMOVE refuse a DSN that does not exist at that level, or that belongs to
 *   another driver.
 */
#include "ois.h"

#include <assert.h>
#include <sqlext.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OIS_FILE "odbc.ini"

bool ois_driver_is_eider(const char *value, const char *driver)
{
    if (strcasecmp(value, driver) == 0 || strcasecmp(value, OIS_DRIVER_NAME) == 0)
        return true;
    const char *base = strrchr(value, '/');
    return strcmp(base ? base + 1 : value, "libeiderodbc.so") == 0;
}

/* The spelling of docs/dsn-keys.md for Eider's keys; other keys as given. */
static const char *ois_spelling(const char *key)
{
    const ois_key *k = ois_key_find(key);
    return k ? k->name : key;
}

static int ois_check_attrs(const ois_attrs *a, const char *driver, char *msg, size_t size)
{
    for (size_t i = 0; i < a->n; i++) {
        const char *k = a->at[i].key, *v = a->at[i].value;
        if (strcasecmp(k, "DSN") == 0)
            continue;
        if (strcasecmp(k, "Driver") == 0) {
            if (*v && !ois_driver_is_eider(v, driver))
                return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                                "Driver=%s: this is the setup of driver %s", v, driver);
            continue;
        }
        int code = ois_key_check(k, v, msg, size);
        if (code)
            return code;
    }
    return 0;
}

static int ois_need_name(const ois_attrs *a, const char **dsn, char *msg, size_t size)
{
    *dsn = ois_attrs_get(a, "DSN");
    if (!*dsn || !**dsn)
        return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                        "no DSN=NAME among the attributes (Eider's setup never prompts)");
    if (!SQLValidDSN(*dsn))
        return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                        "invalid DSN name \"%s\": at most %d characters, none of []{}(),;?*=!@\\",
                        *dsn, SQL_MAX_DSN_LENGTH);
    return 0;
}

/* The DSN must exist at the level and be Eider's. Existence is read from the section's key
 * list: unixODBC caches single values for 20 seconds and SQLRemoveDSNFromIni does not
 * empty that cache, but a key list is always read from the file. */
static int ois_need_existing(UWORD level, const char *dsn, const char *driver, char *msg,
                             size_t size)
{
    char path[FILENAME_MAX + 1], value[1024], keys[4096];
    ois_ini_path(level, path, sizeof path);
    if (SQLGetPrivateProfileString(dsn, NULL, "", keys, sizeof keys, OIS_FILE) <= 0)
        return ois_fail(ODBC_ERROR_REQUEST_FAILED, msg, size, "there is no DSN %s in %s", dsn,
                        path);
    if (SQLGetPrivateProfileString(dsn, "Driver", "", value, sizeof value, OIS_FILE) <= 0)
        return ois_fail(ODBC_ERROR_REQUEST_FAILED, msg, size, "DSN %s in %s names no driver", dsn,
                        path);
    if (!ois_driver_is_eider(value, driver))
        return ois_fail(ODBC_ERROR_REQUEST_FAILED, msg, size,
                        "DSN %s in %s belongs to driver %s, not %s", dsn, path, value, driver);
    return 0;
}

/* After a failed write: what unixODBC said, and where. */
static int ois_write_failed(UWORD level, const char *dsn, char *msg, size_t size)
{
    char path[FILENAME_MAX + 1], why[512] = "";
    DWORD code;
    WORD n;
    ois_ini_path(level, path, sizeof path);
    if (SQLInstallerError(1, &code, why, sizeof why - 1, &n) != SQL_SUCCESS)
        snprintf(why, sizeof why, "no reason given");
    return ois_fail(ODBC_ERROR_REQUEST_FAILED, msg, size, "cannot write DSN %s to %s: %s", dsn,
                    path, why);
}

static int ois_add(UWORD level, const char *driver, const ois_attrs *a, char *msg, size_t size)
{
    const char *dsn;
    int code = ois_need_name(a, &dsn, msg, size);
    if (!code)
        code = ois_check_attrs(a, driver, msg, size);
    if (!code)
        code = ois_ini_prepare(level, msg, size);
    if (code)
        return code;
    if (!SQLWriteDSNToIni(dsn, driver)) /* removes an earlier section of that name first */
        return ois_write_failed(level, dsn, msg, size);
    for (size_t i = 0; i < a->n; i++) {
        const char *k = a->at[i].key, *v = a->at[i].value;
        if (!*v || strcasecmp(k, "DSN") == 0 || strcasecmp(k, "Driver") == 0)
            continue;
        if (!SQLWritePrivateProfileString(dsn, ois_spelling(k), v, OIS_FILE)) {
            code = ois_write_failed(level, dsn, msg, size);
            SQLRemoveDSNFromIni(dsn); /* no half-written DSN */
            return code;
        }
    }
    return 0;
}

static int ois_config(UWORD level, const char *driver, const ois_attrs *a, char *msg, size_t size)
{
    const char *dsn;
    int code = ois_need_name(a, &dsn, msg, size);
    if (!code)
        code = ois_need_existing(level, dsn, driver, msg, size);
    if (!code)
        code = ois_check_attrs(a, driver, msg, size);
    if (!code)
        code = ois_ini_prepare(level, msg, size);
    if (code)
        return code;
    for (size_t i = 0; i < a->n; i++) {
        const char *k = a->at[i].key, *v = a->at[i].value;
        if (strcasecmp(k, "DSN") == 0 || strcasecmp(k, "Driver") == 0)
            continue;
        if (!SQLWritePrivateProfileString(dsn, ois_spelling(k), *v ? v : NULL, OIS_FILE))
            return ois_write_failed(level, dsn, msg, size);
    }
    return 0;
}

static int ois_remove(UWORD level, const char *driver, const ois_attrs *a, char *msg, size_t size)
{
    const char *dsn;
    int code = ois_need_name(a, &dsn, msg, size);
    if (!code)
        code = ois_need_existing(level, dsn, driver, msg, size);
    if (!code)
        code = ois_ini_prepare(level, msg, size);
    if (code)
        return code;
    if (!SQLRemoveDSNFromIni(dsn))
        return ois_write_failed(level, dsn, msg, size);
    return 0;
}

static int ois_dispatch(WORD request, const char *driver, const ois_attrs *a, char *msg,
                        size_t size)
{
    assert(request >= ODBC_ADD_DSN && request <= ODBC_REMOVE_SYS_DSN);
    UWORD mode = ODBC_BOTH_DSN;
    SQLGetConfigMode(&mode);
    UWORD level = mode == ODBC_SYSTEM_DSN ? ODBC_SYSTEM_DSN : ODBC_USER_DSN;
    if (request >= ODBC_ADD_SYS_DSN)
        level = ODBC_SYSTEM_DSN;
    SQLSetConfigMode(level);
    int code;
    switch (request) {
    case ODBC_ADD_DSN:
    case ODBC_ADD_SYS_DSN:
        code = ois_add(level, driver, a, msg, size);
        break;
    case ODBC_CONFIG_DSN:
    case ODBC_CONFIG_SYS_DSN:
        code = ois_config(level, driver, a, msg, size);
        break;
    default:
        code = ois_remove(level, driver, a, msg, size);
        break;
    }
    SQLSetConfigMode(mode);
    return code;
}

int ois_config_dsn(WORD request, const char *driver, const char *attributes, char *msg, size_t size)
{
    if (request < ODBC_ADD_DSN || request > ODBC_REMOVE_SYS_DSN)
        return ois_fail(ODBC_ERROR_INVALID_REQUEST_TYPE, msg, size,
                        "request %u is not one of ODBC_ADD_DSN, ODBC_CONFIG_DSN, "
                        "ODBC_REMOVE_DSN or their _SYS_ variants",
                        (unsigned)request);
    if (!driver || !*driver)
        return ois_fail(ODBC_ERROR_INVALID_NAME, msg, size, "no driver name given");
    ois_attrs a;
    int code = ois_attrs_parse(attributes, &a, msg, size);
    if (!code)
        code = ois_dispatch(request, driver, &a, msg, size);
    ois_attrs_free(&a);
    return code;
}
