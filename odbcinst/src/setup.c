/*
 * The exported entry points of libeiderodbcS.so, the setup library that odbcinst.ini names
 * in the Eider driver's Setup key. unixODBC loads it for
 *   SQLConfigDataSource          -> ConfigDSN: add, change or remove a DSN (ois_dsn.c);
 *   ODBCINSTConstructProperties  -> ODBCINSTGetProperties (properties.c), for GUI tools;
 *   installers                   -> ConfigDriver, which has nothing to do for Eider.
 * Only these three names leave the library (eiderodbcS.map). There is no dialog: a window
 * handle is accepted and never used, so nothing ever prompts.
 */
#include "ois.h"

#include <odbcinst.h>

/* odbcinst.h declares BOOL but, outside unixODBC's own build, not its values. */
#ifndef TRUE
#define TRUE  1
#define FALSE 0
#endif

BOOL INSTAPI ConfigDSN(HWND hwnd, WORD request, LPCSTR driver, LPCSTR attributes)
{
    char msg[OIS_MSG_MAX];
    int code = ois_config_dsn(request, driver, attributes, msg, sizeof msg);
    if (code == 0)
        return TRUE;
    /* Posted last: each installer call made on the way empties the error buffer. */
    SQLPostInstallerError((DWORD)code, msg);
    return FALSE;
}

BOOL INSTAPI ConfigDriver(HWND hwnd, WORD request, LPCSTR driver, LPCSTR args, LPSTR msg,
                          WORD msg_max, WORD *msg_out)
{
    /* unixODBC's SQLConfigDriver hands on the message length unset unless we set it. */
    if (msg && msg_max > 0)
        msg[0] = '\0';
    if (msg_out)
        *msg_out = 0;
    if (request != ODBC_INSTALL_DRIVER && request != ODBC_REMOVE_DRIVER &&
        request != ODBC_CONFIG_DRIVER) {
        SQLPostInstallerError(ODBC_ERROR_INVALID_REQUEST_TYPE,
                              "Eider's setup knows ODBC_INSTALL_DRIVER, ODBC_REMOVE_DRIVER and "
                              "ODBC_CONFIG_DRIVER only");
        return FALSE;
    }
    /* Eider's settings are per DSN and per configuration file: a driver has none. */
    return TRUE;
}
