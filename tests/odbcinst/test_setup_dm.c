/*
 * The setup library as unixODBC uses it: odbcinst.ini names the built libeiderodbcS.so in
 * the driver's Setup key, and unixODBC's installer library loads it to build a GUI tool's
 * property list (ODBCINSTConstructProperties) and to add or remove DSNs
 * (SQLConfigDataSource -> ConfigDSN). Nothing of the setup library is linked in here.
 */
#include "../common/test_main.h"
#include "setup_util.h"

#include <odbcinstext.h>
#include <string.h>

static char msg[1024];
static char val[1024];

static int setup(void)
{
    return su_setup("[Eider]\n"
                    "Description = Eider (test build)\n"
                    "Driver = " EIDER_DRIVER_PATH "\n"
                    "Setup = " EIDER_SETUP_PATH "\n"
                    "Threading = 0\n");
}

static int teardown(void)
{
    su_teardown();
    return 0;
}

static HODBCINSTPROPERTY find(HODBCINSTPROPERTY list, const char *name)
{
    for (; list; list = list->pNext)
        if (strcmp(list->szName, name) == 0)
            return list;
    return NULL;
}

static void test_construct_properties(void)
{
    char driver[] = "Eider";
    HODBCINSTPROPERTY list = NULL;
    CU_ASSERT_EQUAL_FATAL(ODBCINSTConstructProperties(driver, &list), ODBCINST_SUCCESS);
    /* unixODBC's head of the list, then Eider's keys. */
    CU_ASSERT_STRING_EQUAL(list->szName, "Name");
    CU_ASSERT_STRING_EQUAL(list->pNext->szName, "Description");
    CU_ASSERT_STRING_EQUAL(list->pNext->pNext->szName, "Driver");
    CU_ASSERT_STRING_EQUAL(list->pNext->pNext->pNext->szName, "Database");
    /* unixODBC has unloaded the library by now: the choices must be the list's own. */
    HODBCINSTPROPERTY mode = find(list, "AccessMode");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mode);
    CU_ASSERT_STRING_EQUAL(mode->szValue, "READ_WRITE");
    CU_ASSERT_STRING_EQUAL(mode->aPromptData[1], "READ_ONLY");
    CU_ASSERT_PTR_NOT_NULL(strstr(find(list, "PoolIdleTimeout")->pszHelp, "Milliseconds"));
    CU_ASSERT_PTR_NOT_NULL(find(list, "ConfigFile"));
    CU_ASSERT_EQUAL(ODBCINSTDestructProperties(&list), ODBCINST_SUCCESS);
}

static void test_config_data_source(void)
{
    CU_ASSERT_TRUE(SQLConfigDataSource(NULL, ODBC_ADD_DSN, "Eider",
                                       "DSN=via_dm\0Database=/srv/dm.eider\0Pooling=No\0"));
    CU_ASSERT_STRING_EQUAL(su_value(ODBC_USER_DSN, "via_dm", "Pooling", val, sizeof val), "No");
    CU_ASSERT_FALSE(su_exists(ODBC_SYSTEM_DSN, "via_dm"));

    CU_ASSERT_TRUE(SQLConfigDataSource(NULL, ODBC_ADD_SYS_DSN, "Eider",
                                       "DSN=via_dm_sys\0AccessMode=READ_ONLY\0"));
    CU_ASSERT_STRING_EQUAL(su_value(ODBC_SYSTEM_DSN, "via_dm_sys", "AccessMode", val, sizeof val),
                           "READ_ONLY");
    CU_ASSERT_FALSE(su_exists(ODBC_USER_DSN, "via_dm_sys"));

    CU_ASSERT_TRUE(
        SQLConfigDataSource(NULL, ODBC_CONFIG_DSN, "Eider", "DSN=via_dm\0Synchronous=NORMAL\0"));
    CU_ASSERT_STRING_EQUAL(su_value(ODBC_USER_DSN, "via_dm", "Synchronous", val, sizeof val),
                           "NORMAL");

    CU_ASSERT_TRUE(SQLConfigDataSource(NULL, ODBC_REMOVE_DSN, "Eider", "DSN=via_dm\0"));
    CU_ASSERT_TRUE(SQLConfigDataSource(NULL, ODBC_REMOVE_SYS_DSN, "Eider", "DSN=via_dm_sys\0"));
    CU_ASSERT_FALSE(su_exists(ODBC_USER_DSN, "via_dm"));
    CU_ASSERT_FALSE(su_exists(ODBC_SYSTEM_DSN, "via_dm_sys"));
}

/* The setup library's message reaches the application through SQLInstallerError. */
static void test_refusal_reaches_the_application(void)
{
    CU_ASSERT_FALSE(
        SQLConfigDataSource(NULL, ODBC_ADD_DSN, "Eider", "DSN=refused\0PoolAcquireTimeout=soon\0"));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_KEYWORD_VALUE);
    CU_ASSERT_STRING_EQUAL(msg, "invalid value \"soon\" for PoolAcquireTimeout: expected a whole "
                                "number of milliseconds >= 0");
    CU_ASSERT_FALSE(su_exists(ODBC_USER_DSN, "refused"));
}

static CU_TestInfo dm_tests[] = {
    {"ODBCINSTConstructProperties", test_construct_properties},
    {"SQLConfigDataSource", test_config_data_source},
    {"refusal reaches the application", test_refusal_reaches_the_application},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"setup through unixODBC", setup, teardown, NULL, NULL, dm_tests})
