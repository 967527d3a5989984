/*
 * SQLGetFunctions tells the truth: every ODBC 3.8 function it reports as supported is
 * exported by libeiderodbc.so (with its W twin when it takes strings), and every function
 * the library exports is reported. The driver manager trusts this list (a function it
 * believes missing is refused with IM001 before reaching the driver).
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef struct fn {
    SQLUSMALLINT id;
    const char *name;
    bool strings; /* has a W twin */
} fn;

static const fn odbc3_functions[] = {
    {SQL_API_SQLALLOCHANDLE, "SQLAllocHandle", false},
    {SQL_API_SQLBINDCOL, "SQLBindCol", false},
    {SQL_API_SQLBINDPARAMETER, "SQLBindParameter", false},
    {SQL_API_SQLBROWSECONNECT, "SQLBrowseConnect", true},
    {SQL_API_SQLBULKOPERATIONS, "SQLBulkOperations", false},
    {SQL_API_SQLCANCEL, "SQLCancel", false},
    {SQL_API_SQLCANCELHANDLE, "SQLCancelHandle", false},
    {SQL_API_SQLCLOSECURSOR, "SQLCloseCursor", false},
    {SQL_API_SQLCOLATTRIBUTE, "SQLColAttribute", true},
    {SQL_API_SQLCOLUMNPRIVILEGES, "SQLColumnPrivileges", true},
    {SQL_API_SQLCOLUMNS, "SQLColumns", true},
    {SQL_API_SQLCONNECT, "SQLConnect", true},
    {SQL_API_SQLCOPYDESC, "SQLCopyDesc", false},
    {SQL_API_SQLDESCRIBECOL, "SQLDescribeCol", true},
    {SQL_API_SQLDESCRIBEPARAM, "SQLDescribeParam", false},
    {SQL_API_SQLDISCONNECT, "SQLDisconnect", false},
    {SQL_API_SQLDRIVERCONNECT, "SQLDriverConnect", true},
    {SQL_API_SQLENDTRAN, "SQLEndTran", false},
    {SQL_API_SQLEXECDIRECT, "SQLExecDirect", true},
    {SQL_API_SQLEXECUTE, "SQLExecute", false},
    {SQL_API_SQLFETCH, "SQLFetch", false},
    {SQL_API_SQLFETCHSCROLL, "SQLFetchScroll", false},
    {SQL_API_SQLFOREIGNKEYS, "SQLForeignKeys", true},
    {SQL_API_SQLFREEHANDLE, "SQLFreeHandle", false},
    {SQL_API_SQLFREESTMT, "SQLFreeStmt", false},
    {SQL_API_SQLGETCONNECTATTR, "SQLGetConnectAttr", true},
    {SQL_API_SQLGETCURSORNAME, "SQLGetCursorName", true},
    {SQL_API_SQLGETDATA, "SQLGetData", false},
    {SQL_API_SQLGETDESCFIELD, "SQLGetDescField", true},
    {SQL_API_SQLGETDESCREC, "SQLGetDescRec", true},
    {SQL_API_SQLGETDIAGFIELD, "SQLGetDiagField", true},
    {SQL_API_SQLGETDIAGREC, "SQLGetDiagRec", true},
    {SQL_API_SQLGETENVATTR, "SQLGetEnvAttr", false},
    {SQL_API_SQLGETFUNCTIONS, "SQLGetFunctions", false},
    {SQL_API_SQLGETINFO, "SQLGetInfo", true},
    {SQL_API_SQLGETSTMTATTR, "SQLGetStmtAttr", true},
    {SQL_API_SQLGETTYPEINFO, "SQLGetTypeInfo", true},
    {SQL_API_SQLMORERESULTS, "SQLMoreResults", false},
    {SQL_API_SQLNATIVESQL, "SQLNativeSql", true},
    {SQL_API_SQLNUMPARAMS, "SQLNumParams", false},
    {SQL_API_SQLNUMRESULTCOLS, "SQLNumResultCols", false},
    {SQL_API_SQLPARAMDATA, "SQLParamData", false},
    {SQL_API_SQLPREPARE, "SQLPrepare", true},
    {SQL_API_SQLPRIMARYKEYS, "SQLPrimaryKeys", true},
    {SQL_API_SQLPROCEDURECOLUMNS, "SQLProcedureColumns", true},
    {SQL_API_SQLPROCEDURES, "SQLProcedures", true},
    {SQL_API_SQLPUTDATA, "SQLPutData", false},
    {SQL_API_SQLROWCOUNT, "SQLRowCount", false},
    {SQL_API_SQLSETCONNECTATTR, "SQLSetConnectAttr", true},
    {SQL_API_SQLSETCURSORNAME, "SQLSetCursorName", true},
    {SQL_API_SQLSETDESCFIELD, "SQLSetDescField", true},
    {SQL_API_SQLSETDESCREC, "SQLSetDescRec", false},
    {SQL_API_SQLSETENVATTR, "SQLSetEnvAttr", false},
    {SQL_API_SQLSETPOS, "SQLSetPos", false},
    {SQL_API_SQLSETSTMTATTR, "SQLSetStmtAttr", true},
    {SQL_API_SQLSPECIALCOLUMNS, "SQLSpecialColumns", true},
    {SQL_API_SQLSTATISTICS, "SQLStatistics", true},
    {SQL_API_SQLTABLEPRIVILEGES, "SQLTablePrivileges", true},
    {SQL_API_SQLTABLES, "SQLTables", true},
    {SQL_API_SQLBINDPARAM, "SQLBindParam", false},
    /* ODBC 2 */
    {SQL_API_SQLALLOCENV, "SQLAllocEnv", false},
    {SQL_API_SQLALLOCCONNECT, "SQLAllocConnect", false},
    {SQL_API_SQLALLOCSTMT, "SQLAllocStmt", false},
    {SQL_API_SQLFREEENV, "SQLFreeEnv", false},
    {SQL_API_SQLFREECONNECT, "SQLFreeConnect", false},
    {SQL_API_SQLERROR, "SQLError", true},
    {SQL_API_SQLTRANSACT, "SQLTransact", false},
    {SQL_API_SQLGETCONNECTOPTION, "SQLGetConnectOption", true},
    {SQL_API_SQLSETCONNECTOPTION, "SQLSetConnectOption", true},
    {SQL_API_SQLGETSTMTOPTION, "SQLGetStmtOption", false},
    {SQL_API_SQLSETSTMTOPTION, "SQLSetStmtOption", false},
    {SQL_API_SQLCOLATTRIBUTES, "SQLColAttributes", true},
    {SQL_API_SQLSETPARAM, "SQLSetParam", false},
    {SQL_API_SQLPARAMOPTIONS, "SQLParamOptions", false},
    {SQL_API_SQLSETSCROLLOPTIONS, "SQLSetScrollOptions", false},
    {SQL_API_SQLEXTENDEDFETCH, "SQLExtendedFetch", false},
};

static void test_supported_means_exported(void)
{
    SQLHDBC dbc = ou_connect(ou_conn("functions.eider", ""));
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    void *lib = dlopen(EIDER_DRIVER_PATH, RTLD_NOW | RTLD_NOLOAD);
    CU_ASSERT_PTR_NOT_NULL_FATAL(lib);
    SQLUSMALLINT all[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
    CU_ASSERT_EQUAL(SQLGetFunctions(dbc, SQL_API_ODBC3_ALL_FUNCTIONS, all), SQL_SUCCESS);
    for (size_t i = 0; i < sizeof odbc3_functions / sizeof *odbc3_functions; i++) {
        const fn *f = &odbc3_functions[i];
        bool reported = all[f->id >> 4] & (1 << (f->id & 0xF));
        bool exported = dlsym(lib, f->name) != NULL;
        char wide[64];
        snprintf(wide, sizeof wide, "%sW", f->name);
        bool wide_ok = !f->strings || !exported || dlsym(lib, wide) != NULL;
        if (reported != exported || !wide_ok) {
            fprintf(stderr, "%s: reported %d, exported %d, W twin %s\n", f->name, reported,
                    exported, wide_ok ? "ok" : "missing");
            CU_FAIL("SQLGetFunctions disagrees with the exports");
        }
        /* One by one (unixODBC answers SQLCancelHandle, an ODBC 3.8 addition, itself). */
        SQLUSMALLINT one = 0;
        SQLGetFunctions(dbc, f->id, &one);
        if (f->id != SQL_API_SQLCANCELHANDLE)
            CU_ASSERT_EQUAL(one == SQL_TRUE, reported);
    }
    dlclose(lib);
    ou_disconnect(dbc);
}

static int setup(void)
{
    return ou_setup();
}

static int teardown(void)
{
    ou_teardown();
    return 0;
}

static CU_TestInfo function_tests[] = {
    {"supported means exported", test_supported_means_exported},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc functions", setup, teardown, NULL, NULL, function_tests})
