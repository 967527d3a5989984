/*
 * Environment and connection attributes (statement attributes: stmtattrs.c). A value the driver
 * cannot honour yet is replaced by the nearest one it can, with 01S02 ("option value changed"), so
 * the application can read back what is in force; an unknown attribute is HY092.
 */
#include "drv.h"

#include <string.h>

SQLRETURN drv_set_env_attr(drv_env *env, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len)
{
    SQLINTEGER v = (SQLINTEGER)(SQLLEN)value;
    switch (attr) {
    case SQL_ATTR_ODBC_VERSION:
        if (v != SQL_OV_ODBC2 && v != SQL_OV_ODBC3 && v != SQL_OV_ODBC3_80)
            return drv_diag_add(&env->h, SQL_ERROR, "HY024", "invalid ODBC version %d", (int)v);
        env->odbc_version = v;
        return SQL_SUCCESS;
    case SQL_ATTR_CONNECTION_POOLING:
    case SQL_ATTR_CP_MATCH:
        /* Driver-manager pooling is the manager's business; the driver pools on its own. */
        return SQL_SUCCESS;
    case SQL_ATTR_OUTPUT_NTS:
        if (v != SQL_TRUE)
            return drv_diag_add(&env->h, SQL_ERROR, "HYC00",
                                "strings are always null-terminated by this driver");
        return SQL_SUCCESS;
    default:
        return drv_diag_add(&env->h, SQL_ERROR, "HY092", "unknown environment attribute %d",
                            (int)attr);
    }
}

SQLRETURN drv_get_env_attr(drv_env *env, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER cap,
                           SQLINTEGER *len)
{
    SQLUINTEGER v;
    switch (attr) {
    case SQL_ATTR_ODBC_VERSION:
        v = (SQLUINTEGER)env->odbc_version;
        break;
    case SQL_ATTR_CONNECTION_POOLING:
        v = SQL_CP_OFF;
        break;
    case SQL_ATTR_CP_MATCH:
        v = SQL_CP_STRICT_MATCH;
        break;
    case SQL_ATTR_OUTPUT_NTS:
        v = SQL_TRUE;
        break;
    default:
        return drv_diag_add(&env->h, SQL_ERROR, "HY092", "unknown environment attribute %d",
                            (int)attr);
    }
    if (value)
        *(SQLUINTEGER *)value = v;
    if (len)
        *len = sizeof v;
    return SQL_SUCCESS;
}

SQLRETURN drv_changed(drv_handle *h, const char *what, const char *to)
{
    return drv_diag_add(h, SQL_SUCCESS_WITH_INFO, "01S02", "%s is not supported; %s is in force",
                        what, to);
}

SQLRETURN drv_set_connect_attr(drv_dbc *dbc, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len)
{
    SQLUINTEGER v = (SQLUINTEGER)(SQLULEN)value;
    eng_error err;
    switch (attr) {
    case SQL_ATTR_AUTOCOMMIT:
        if (v != SQL_AUTOCOMMIT_ON && v != SQL_AUTOCOMMIT_OFF)
            return drv_diag_add(&dbc->h, SQL_ERROR, "HY024", "invalid AUTOCOMMIT value %u", v);
        pthread_mutex_lock(&dbc->session_lock);
        int rc = dbc->session
                     ? eng_session_set_autocommit(dbc->session, v == SQL_AUTOCOMMIT_ON, &err)
                     : 0;
        dbc->autocommit = v;
        drv_session_settle(dbc); /* switching it on committed: the session may go back */
        pthread_mutex_unlock(&dbc->session_lock);
        return rc == 0 ? SQL_SUCCESS : drv_diag_engine(&dbc->h, &err);
    case SQL_ATTR_ACCESS_MODE:
        if (v != SQL_MODE_READ_ONLY && v != SQL_MODE_READ_WRITE)
            return drv_diag_add(&dbc->h, SQL_ERROR, "HY024", "invalid ACCESS_MODE value %u", v);
        pthread_mutex_lock(&dbc->session_lock);
        dbc->read_only = v == SQL_MODE_READ_ONLY || dbc->dsn_read_only;
        if (dbc->session)
            eng_session_set_read_only(dbc->session, dbc->read_only);
        pthread_mutex_unlock(&dbc->session_lock);
        return dbc->read_only && v == SQL_MODE_READ_WRITE
                   ? drv_changed(&dbc->h, "read-write access on a READ_ONLY connection",
                                 "read-only")
                   : SQL_SUCCESS;
    case SQL_ATTR_RESET_CONNECTION:
        if (v != SQL_RESET_CONNECTION_YES)
            return drv_diag_add(&dbc->h, SQL_ERROR, "HY024", "invalid RESET_CONNECTION value %u",
                                v);
        return drv_reset_connection(dbc);
    case SQL_ATTR_LOGIN_TIMEOUT:
        dbc->login_timeout = v;
        return SQL_SUCCESS;
    case SQL_ATTR_CONNECTION_TIMEOUT:
        return v == 0 ? SQL_SUCCESS : drv_changed(&dbc->h, "a connection timeout", "none (0)");
    case SQL_ATTR_TXN_ISOLATION:
        if (v == SQL_TXN_SERIALIZABLE)
            return drv_diag_add(&dbc->h, SQL_ERROR, "HYC00",
                                "SERIALIZABLE is not supported yet; transactions run under "
                                "snapshot isolation (reported as REPEATABLE READ)");
        if (v != SQL_TXN_READ_UNCOMMITTED && v != SQL_TXN_READ_COMMITTED &&
            v != SQL_TXN_REPEATABLE_READ)
            return drv_diag_add(&dbc->h, SQL_ERROR, "HY024", "invalid TXN_ISOLATION value %u", v);
        return v == SQL_TXN_REPEATABLE_READ ? SQL_SUCCESS
                                            : drv_changed(&dbc->h, "a weaker isolation level",
                                                          "snapshot isolation (REPEATABLE READ)");
    case SQL_ATTR_CURRENT_CATALOG:
        return drv_diag_add(&dbc->h, SQL_ERROR, "HYC00", "this driver has no catalogs");
    case SQL_ATTR_QUIET_MODE:
    case SQL_ATTR_TRACE:
    case SQL_ATTR_TRACEFILE:
        return SQL_SUCCESS;
    default:
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY092", "unknown connection attribute %d",
                            (int)attr);
    }
}

SQLRETURN drv_get_connect_attr(drv_dbc *dbc, SQLINTEGER attr, SQLPOINTER value, const char **str)
{
    SQLUINTEGER v;
    *str = NULL;
    switch (attr) {
    case SQL_ATTR_AUTOCOMMIT:
        v = dbc->autocommit;
        break;
    case SQL_ATTR_ACCESS_MODE:
        v = dbc->read_only ? SQL_MODE_READ_ONLY : SQL_MODE_READ_WRITE;
        break;
    case SQL_ATTR_LOGIN_TIMEOUT:
        v = dbc->login_timeout;
        break;
    case SQL_ATTR_CONNECTION_TIMEOUT:
        v = 0;
        break;
    case SQL_ATTR_TXN_ISOLATION:
        v = SQL_TXN_REPEATABLE_READ;
        break;
    case SQL_ATTR_CONNECTION_DEAD: /* closed, or its database can commit no more */
        v = dbc->lease && !eng_db_failed(pool_lease_db(dbc->lease)) ? SQL_CD_FALSE : SQL_CD_TRUE;
        break;
    case SQL_ATTR_CURRENT_CATALOG:
        *str = "";
        return SQL_SUCCESS;
    default:
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY092", "unknown connection attribute %d",
                            (int)attr);
    }
    if (value)
        *(SQLUINTEGER *)value = v;
    return SQL_SUCCESS;
}
