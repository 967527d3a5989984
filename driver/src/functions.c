/*
 * SQLGetFunctions. The driver manager believes it: a function reported as missing is
 * answered with IM001 without reaching the driver, so this list is exactly the functions
 * the library exports (tests/odbc/test_odbc_functions.c checks each one with dlsym).
 */
#include "drv.h"

#include <string.h>

static const SQLUSMALLINT drv_functions[] = {
    SQL_API_SQLALLOCHANDLE,
    SQL_API_SQLFREEHANDLE,
    SQL_API_SQLSETENVATTR,
    SQL_API_SQLGETENVATTR,
    SQL_API_SQLCONNECT,
    SQL_API_SQLDRIVERCONNECT,
    SQL_API_SQLDISCONNECT,
    SQL_API_SQLSETCONNECTATTR,
    SQL_API_SQLGETCONNECTATTR,
    SQL_API_SQLGETINFO,
    SQL_API_SQLGETFUNCTIONS,
    SQL_API_SQLPREPARE,
    SQL_API_SQLEXECUTE,
    SQL_API_SQLEXECDIRECT,
    SQL_API_SQLBINDPARAMETER,
    SQL_API_SQLNUMPARAMS,
    SQL_API_SQLDESCRIBEPARAM,
    SQL_API_SQLNUMRESULTCOLS,
    SQL_API_SQLDESCRIBECOL,
    SQL_API_SQLCOLATTRIBUTE,
    SQL_API_SQLBINDCOL,
    SQL_API_SQLFETCH,
    SQL_API_SQLFETCHSCROLL,
    SQL_API_SQLGETDATA,
    SQL_API_SQLROWCOUNT,
    SQL_API_SQLMORERESULTS,
    SQL_API_SQLCLOSECURSOR,
    SQL_API_SQLFREESTMT,
    SQL_API_SQLGETDIAGREC,
    SQL_API_SQLGETDIAGFIELD,
    SQL_API_SQLENDTRAN,
    SQL_API_SQLSETSTMTATTR,
    SQL_API_SQLGETSTMTATTR,
    SQL_API_SQLGETDESCFIELD,
    SQL_API_SQLSETDESCFIELD,
    SQL_API_SQLGETDESCREC,
    SQL_API_SQLSETDESCREC,
    SQL_API_SQLCOPYDESC,
    SQL_API_SQLPARAMDATA,
    SQL_API_SQLPUTDATA,
    SQL_API_SQLCANCEL,
    SQL_API_SQLCANCELHANDLE,
    SQL_API_SQLSETPOS,
    SQL_API_SQLBULKOPERATIONS,
    SQL_API_SQLGETCURSORNAME,
    SQL_API_SQLSETCURSORNAME,
    SQL_API_SQLNATIVESQL,
    SQL_API_SQLBINDPARAM,
    /* ODBC 2 (odbc2.c) */
    SQL_API_SQLALLOCENV,
    SQL_API_SQLALLOCCONNECT,
    SQL_API_SQLALLOCSTMT,
    SQL_API_SQLFREEENV,
    SQL_API_SQLFREECONNECT,
    SQL_API_SQLERROR,
    SQL_API_SQLTRANSACT,
    SQL_API_SQLGETCONNECTOPTION,
    SQL_API_SQLSETCONNECTOPTION,
    SQL_API_SQLGETSTMTOPTION,
    SQL_API_SQLSETSTMTOPTION,
    SQL_API_SQLCOLATTRIBUTES,
    SQL_API_SQLSETPARAM,
    SQL_API_SQLPARAMOPTIONS,
    SQL_API_SQLSETSCROLLOPTIONS,
    SQL_API_SQLEXTENDEDFETCH,
    /* catalog functions (catalog.c, catalog_keys.c, typeinfo.c) */
    SQL_API_SQLTABLES,
    SQL_API_SQLCOLUMNS,
    SQL_API_SQLPRIMARYKEYS,
    SQL_API_SQLFOREIGNKEYS,
    SQL_API_SQLSTATISTICS,
    SQL_API_SQLSPECIALCOLUMNS,
    SQL_API_SQLPROCEDURES,
    SQL_API_SQLPROCEDURECOLUMNS,
    SQL_API_SQLTABLEPRIVILEGES,
    SQL_API_SQLCOLUMNPRIVILEGES,
    SQL_API_SQLGETTYPEINFO,
    SQL_API_SQLBROWSECONNECT,
};

bool drv_function_supported(SQLUSMALLINT id)
{
    for (size_t i = 0; i < sizeof drv_functions / sizeof *drv_functions; i++)
        if (drv_functions[i] == id)
            return true;
    return false;
}

SQLRETURN drv_get_functions(drv_dbc *dbc, SQLUSMALLINT id, SQLUSMALLINT *supported)
{
    size_t n = sizeof drv_functions / sizeof *drv_functions;
    if (!supported)
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY009", "null output pointer");
    if (id == SQL_API_ODBC3_ALL_FUNCTIONS) {
        memset(supported, 0, SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * sizeof *supported);
        for (size_t i = 0; i < n; i++)
            supported[drv_functions[i] >> 4] |= (SQLUSMALLINT)(1 << (drv_functions[i] & 0xF));
        return SQL_SUCCESS;
    }
    if (id == SQL_API_ALL_FUNCTIONS) {
        memset(supported, 0, 100 * sizeof *supported);
        for (size_t i = 0; i < n; i++)
            if (drv_functions[i] < 100)
                supported[drv_functions[i]] = SQL_TRUE;
        return SQL_SUCCESS;
    }
    *supported = drv_function_supported(id) ? SQL_TRUE : SQL_FALSE;
    return SQL_SUCCESS;
}
