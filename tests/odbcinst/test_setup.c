/*
 * The setup library's functions called directly (odbcinst/src): the property list that GUI
 * tools show, and ConfigDSN / ConfigDriver, with unixODBC's files in a temporary folder.
 * test_setup_dm.c does the same through the driver manager loading the built library.
 */
#include "../common/test_main.h"
#include "keys.h"
#include "ois.h"
#include "setup_util.h"

#include <odbcinstext.h>
#include <stdlib.h>
#include <string.h>

#define ADD    ODBC_ADD_DSN
#define CONFIG ODBC_CONFIG_DSN
#define REMOVE ODBC_REMOVE_DSN
#define USER   ODBC_USER_DSN
#define SYSTEM ODBC_SYSTEM_DSN

static char msg[1024];
static char val[1024];

/* One configuration folder for the whole program: unixODBC keeps the system folder it saw
 * first. The first suite makes it, the last removes it. */
static int setup(void)
{
    return su_setup(NULL);
}

static int teardown(void)
{
    su_teardown();
    return 0;
}

/* ConfigDSN with the installer message of a failure in msg. */
static int config(WORD request, const char *attributes)
{
    msg[0] = '\0';
    int ok = ConfigDSN(NULL, request, "Eider", attributes);
    if (!ok)
        su_error(msg, sizeof msg);
    return ok;
}

static HODBCINSTPROPERTY properties(void)
{
    HODBCINSTPROPERTY head = calloc(1, sizeof *head); /* stands for unixODBC's "Driver" */
    CU_ASSERT_PTR_NOT_NULL_FATAL(head);
    strcpy(head->szName, "Driver");
    CU_ASSERT_EQUAL(ODBCINSTGetProperties(head), ODBCINST_SUCCESS);
    return head;
}

static HODBCINSTPROPERTY property(HODBCINSTPROPERTY list, const char *name)
{
    for (; list; list = list->pNext)
        if (strcmp(list->szName, name) == 0)
            return list;
    return NULL;
}

static void assert_choices(HODBCINSTPROPERTY p, const char *const *expected)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->nPromptType, ODBCINST_PROMPTTYPE_LISTBOX);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p->aPromptData);
    bool value_is_a_choice = false;
    size_t i = 0;
    for (; expected[i]; i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(p->aPromptData[i]);
        CU_ASSERT_STRING_EQUAL(p->aPromptData[i], expected[i]);
        value_is_a_choice |= strcmp(p->szValue, expected[i]) == 0;
    }
    CU_ASSERT_PTR_NULL(p->aPromptData[i]);
    CU_ASSERT_TRUE(value_is_a_choice);
}

static void test_property_list(void)
{
    static const char *const names[] = {"Driver",
                                        "Database",
                                        "AccessMode",
                                        "UID",
                                        "PWD",
                                        "Synchronous",
                                        "Pooling",
                                        "PoolMode",
                                        "PoolMaxSessions",
                                        "PoolMinIdle",
                                        "PoolIdleTimeout",
                                        "PoolAcquireTimeout",
                                        "PoolMaxLifetime",
                                        "ConfigFile",
                                        NULL};
    HODBCINSTPROPERTY list = properties(), p = list;
    for (size_t i = 0; names[i]; i++, p = p->pNext) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(p->szName, names[i]);
        if (i > 0) /* ours: each with a short help */
            CU_ASSERT_TRUE(p->pszHelp && *p->pszHelp && strlen(p->pszHelp) < 200);
    }
    CU_ASSERT_PTR_NULL(p); /* and Description is unixODBC's own, not repeated */

    CU_ASSERT_EQUAL(property(list, "Database")->nPromptType, ODBCINST_PROMPTTYPE_FILENAME);
    CU_ASSERT_EQUAL(property(list, "ConfigFile")->nPromptType, ODBCINST_PROMPTTYPE_FILENAME);
    CU_ASSERT_EQUAL(property(list, "PWD")->nPromptType, ODBCINST_PROMPTTYPE_TEXTEDIT_PASSWORD);
    CU_ASSERT_EQUAL(property(list, "PoolMaxSessions")->nPromptType, ODBCINST_PROMPTTYPE_TEXTEDIT);
    CU_ASSERT_STRING_EQUAL(property(list, "Database")->szValue, "");
    assert_choices(property(list, "AccessMode"), (const char *[]){"READ_WRITE", "READ_ONLY", NULL});
    assert_choices(property(list, "Synchronous"), (const char *[]){"FULL", "NORMAL", "OFF", NULL});
    assert_choices(property(list, "Pooling"), (const char *[]){"Yes", "No", NULL});
    assert_choices(property(list, "PoolMode"), (const char *[]){"Session", "Transaction", NULL});
    /* unixODBC's own destructor frees everything (ASan checks that nothing leaks). */
    CU_ASSERT_EQUAL(ODBCINSTDestructProperties(&list), ODBCINST_SUCCESS);
    CU_ASSERT_EQUAL(ODBCINSTGetProperties(NULL), ODBCINST_ERROR);
}

/* The values a new DSN starts with are exactly the driver's and the pool's defaults. */
static void test_property_values_are_the_defaults(void)
{
    pool_request expected = {0}, got = {0};
    pool_config_defaults(&expected.config);
    HODBCINSTPROPERTY list = properties();
    for (HODBCINSTPROPERTY p = list->pNext; p; p = p->pNext)
        if (*p->szValue)
            CU_ASSERT_PTR_NULL(drv_key_apply(p->szName, p->szValue, &got));
    CU_ASSERT_EQUAL(got.config.pooling, expected.config.pooling);
    CU_ASSERT_EQUAL(got.config.mode, expected.config.mode);
    CU_ASSERT_EQUAL(got.config.max_sessions, expected.config.max_sessions);
    CU_ASSERT_EQUAL(got.config.min_idle, expected.config.min_idle);
    CU_ASSERT_EQUAL(got.config.idle_timeout_ms, expected.config.idle_timeout_ms);
    CU_ASSERT_EQUAL(got.config.acquire_timeout_ms, expected.config.acquire_timeout_ms);
    CU_ASSERT_EQUAL(got.config.max_lifetime_ms, expected.config.max_lifetime_ms);
    CU_ASSERT_EQUAL(got.open.sync, ENG_SYNC_FULL);
    CU_ASSERT_FALSE(got.open.read_only);

    /* What a GUI tool saves when the user changes nothing is a DSN ConfigDSN accepts. */
    char attrs[4096], *a = attrs + sprintf(attrs, "DSN=all_defaults") + 1;
    for (HODBCINSTPROPERTY p = list->pNext; p; p = p->pNext)
        a += sprintf(a, "%s=%s", p->szName, p->szValue) + 1;
    *a = '\0';
    CU_ASSERT_TRUE(config(ADD, attrs));
    CU_ASSERT_STRING_EQUAL(su_value(USER, "all_defaults", "PoolMaxLifetime", val, sizeof val),
                           "1800000");
    ODBCINSTDestructProperties(&list);
}

static void test_add_user_dsn(void)
{
    CU_ASSERT_TRUE(config(ADD, "DSN=sales\0Database=/srv/sales.eider\0accessmode=read_only\0"
                               " Pooling = No \0PoolMaxSessions=8\0Description=Sales figures\0"
                               "UID=\0"));
    CU_ASSERT_STRING_EQUAL(su_value(USER, "sales", "Driver", val, sizeof val), "Eider");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "sales", "Database", val, sizeof val),
                           "/srv/sales.eider");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "sales", "Pooling", val, sizeof val), "No");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "sales", "PoolMaxSessions", val, sizeof val), "8");
    const char *text = su_file(su_ini(USER));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "AccessMode=read_only")); /* the documented spelling */
    CU_ASSERT_PTR_NULL(strstr(text, "UID"));                      /* empty: the default */
    CU_ASSERT_FALSE(su_exists(SYSTEM, "sales"));
}

static void assert_refused(const char *attributes, DWORD code, const char *needle)
{
    CU_ASSERT_FALSE(config(ADD, attributes));
    char again[1024];
    CU_ASSERT_EQUAL(su_error(again, sizeof again), code);
    if (!strstr(msg, needle))
        fprintf(stderr, "\nmessage \"%s\" lacks \"%s\"\n", msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, needle));
    CU_ASSERT_FALSE(su_exists(USER, "bad"));
}

static void test_refused_values(void)
{
    const DWORD kv = ODBC_ERROR_INVALID_KEYWORD_VALUE;
    assert_refused("DSN=bad\0AccessMode=READ_SOMETIMES\0", kv,
                   "invalid value \"READ_SOMETIMES\" for AccessMode: expected READ_WRITE or "
                   "READ_ONLY");
    assert_refused("DSN=bad\0Synchronous=SOMETIMES\0", kv, "for Synchronous: expected FULL, ");
    assert_refused("DSN=bad\0Pooling=maybe\0", kv, "for Pooling: expected Yes or No");
    assert_refused("DSN=bad\0PoolMode=Statement\0", kv, "for PoolMode");
    assert_refused("DSN=bad\0PoolMaxSessions=0\0", kv, "for PoolMaxSessions: expected a number");
    assert_refused("DSN=bad\0PoolMaxSessions=100001\0", kv, "PoolMaxSessions");
    assert_refused("DSN=bad\0PoolMinIdle=-1\0", kv, "PoolMinIdle");
    assert_refused("DSN=bad\0PoolIdleTimeout=ten\0", kv, "for PoolIdleTimeout: expected a whole");
    assert_refused("DSN=bad\0PoolAcquireTimeout=1.5\0", kv, "PoolAcquireTimeout");
    assert_refused("DSN=bad\0PoolMaxLifetime=-1\0", kv, "PoolMaxLifetime");
    assert_refused("DSN=bad\0Database=/x\0Colour=blue\0", kv, "unknown key \"Colour\"");
    assert_refused("DSN=bad\0Driver=PostgreSQL\0", kv, "Driver=PostgreSQL");
}

static void test_malformed_attributes(void)
{
    const DWORD kv = ODBC_ERROR_INVALID_KEYWORD_VALUE;
    assert_refused("DSN=bad\0Database\0", kv, "\"Database\" is not KEY=VALUE");
    assert_refused("DSN=bad\0=x\0", kv, "has no key");
    assert_refused("DSN=bad\0Pooling=No\0pooling=Yes\0", kv, "pooling is given twice");
    assert_refused("Database=/x\0", kv, "no DSN=NAME");
    assert_refused("DSN=\0", kv, "no DSN=NAME");
    assert_refused("DSN=b;d\0", kv, "invalid DSN name \"b;d\"");
    assert_refused("DSN=a_name_of_thirty_three_letters___\0", kv, "at most 32 characters");
    CU_ASSERT_FALSE(ConfigDSN(NULL, ADD, "Eider", NULL)); /* no attributes: no name */
}

static void test_bad_request_or_driver(void)
{
    CU_ASSERT_FALSE(ConfigDSN(NULL, 99, "Eider", "DSN=bad\0"));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_REQUEST_TYPE);
    CU_ASSERT_FALSE(ConfigDSN(NULL, ODBC_REMOVE_DEFAULT_DSN, "Eider", "DSN=bad\0"));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_REQUEST_TYPE);
    CU_ASSERT_FALSE(ConfigDSN(NULL, ADD, NULL, "DSN=bad\0"));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_NAME);
    CU_ASSERT_FALSE(ConfigDSN(NULL, ADD, "", "DSN=bad\0"));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_NAME);
    CU_ASSERT_FALSE(su_exists(USER, "bad"));
}

/* With no window to ask in, ADD replaces a DSN of the same name (ODBC reference). */
static void test_add_replaces(void)
{
    CU_ASSERT_TRUE(config(ADD, "DSN=again\0Database=/a.eider\0Pooling=No\0"));
    CU_ASSERT_TRUE(config(ADD, "DSN=again\0Database=/b.eider\0"));
    CU_ASSERT_STRING_EQUAL(su_value(USER, "again", "Database", val, sizeof val), "/b.eider");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "again", "Pooling", val, sizeof val), "");
}

static void test_config_changes_keys(void)
{
    CU_ASSERT_TRUE(config(ADD, "DSN=conf\0Database=/c.eider\0Pooling=No\0"));
    CU_ASSERT_TRUE(config(CONFIG, "DSN=conf\0AccessMode=READ_ONLY\0pooling=\0"));
    CU_ASSERT_STRING_EQUAL(su_value(USER, "conf", "AccessMode", val, sizeof val), "READ_ONLY");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "conf", "Pooling", val, sizeof val), "");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "conf", "Database", val, sizeof val), "/c.eider");
    CU_ASSERT_STRING_EQUAL(su_value(USER, "conf", "Driver", val, sizeof val), "Eider");

    CU_ASSERT_FALSE(config(CONFIG, "DSN=conf\0Database=/d.eider\0AccessMode=WRITE_ONLY\0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "AccessMode"));
    CU_ASSERT_STRING_EQUAL(su_value(USER, "conf", "Database", val, sizeof val), "/c.eider");

    CU_ASSERT_FALSE(config(CONFIG, "DSN=nosuch\0Pooling=No\0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "there is no DSN nosuch in"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, su_ini(USER)));
    CU_ASSERT_FALSE(su_exists(USER, "nosuch"));
}

static void test_remove(void)
{
    CU_ASSERT_TRUE(config(ADD, "DSN=gone\0Database=/g.eider\0"));
    CU_ASSERT_TRUE(config(REMOVE, "DSN=gone\0"));
    CU_ASSERT_FALSE(su_exists(USER, "gone"));
    CU_ASSERT_FALSE(config(REMOVE, "DSN=gone\0"));
    CU_ASSERT_EQUAL(su_error(val, sizeof val), ODBC_ERROR_REQUEST_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "there is no DSN gone"));
}

static void test_other_drivers_dsn_untouched(void)
{
    SQLSetConfigMode(USER);
    CU_ASSERT_TRUE(SQLWriteDSNToIni("pg", "PostgreSQL Unicode"));
    SQLSetConfigMode(ODBC_BOTH_DSN);
    CU_ASSERT_FALSE(config(CONFIG, "DSN=pg\0Pooling=No\0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "belongs to driver PostgreSQL Unicode, not Eider"));
    CU_ASSERT_FALSE(config(REMOVE, "DSN=pg\0"));
    CU_ASSERT_TRUE(su_exists(USER, "pg"));
    /* A DSN may name the driver by its library's path too. */
    SQLSetConfigMode(USER);
    CU_ASSERT_TRUE(SQLWriteDSNToIni("by_path", "/opt/eider/lib/libeiderodbc.so"));
    SQLSetConfigMode(ODBC_BOTH_DSN);
    CU_ASSERT_TRUE(config(REMOVE, "DSN=by_path\0"));
}

static void test_system_level(void)
{
    UWORD mode;
    CU_ASSERT_TRUE(config(ODBC_ADD_SYS_DSN, "DSN=shared\0Database=/srv/shared.eider\0"));
    SQLGetConfigMode(&mode);
    CU_ASSERT_EQUAL(mode, ODBC_BOTH_DSN); /* the caller's mode is restored */
    CU_ASSERT_TRUE(su_exists(SYSTEM, "shared"));
    CU_ASSERT_FALSE(su_exists(USER, "shared"));
    CU_ASSERT_PTR_NOT_NULL(strstr(su_file(su_ini(SYSTEM)), "Database=/srv/shared.eider"));

    CU_ASSERT_TRUE(config(ODBC_CONFIG_SYS_DSN, "DSN=shared\0AccessMode=READ_ONLY\0"));
    CU_ASSERT_STRING_EQUAL(su_value(SYSTEM, "shared", "AccessMode", val, sizeof val), "READ_ONLY");
    CU_ASSERT_FALSE(config(REMOVE, "DSN=shared\0")); /* not a user DSN */
    CU_ASSERT_TRUE(config(ODBC_REMOVE_SYS_DSN, "DSN=shared\0"));
    CU_ASSERT_FALSE(su_exists(SYSTEM, "shared"));
}

/* SQLConfigDataSource chooses the level by setting the configuration mode first. */
static void test_level_chosen_by_caller(void)
{
    UWORD mode;
    SQLSetConfigMode(SYSTEM);
    CU_ASSERT_TRUE(config(ADD, "DSN=chosen\0"));
    SQLGetConfigMode(&mode);
    CU_ASSERT_EQUAL(mode, SYSTEM);
    SQLSetConfigMode(ODBC_BOTH_DSN);
    CU_ASSERT_TRUE(su_exists(SYSTEM, "chosen"));
    CU_ASSERT_FALSE(su_exists(USER, "chosen"));
    CU_ASSERT_TRUE(config(ODBC_REMOVE_SYS_DSN, "DSN=chosen\0"));
}

static void test_config_driver(void)
{
    char out[64] = "x";
    WORD len = 99;
    CU_ASSERT_TRUE(ConfigDriver(NULL, ODBC_INSTALL_DRIVER, "Eider", NULL, out, sizeof out, &len));
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_TRUE(
        ConfigDriver(NULL, ODBC_CONFIG_DRIVER, "Eider", "CPTimeout=60\0", NULL, 0, NULL));
    CU_ASSERT_TRUE(ConfigDriver(NULL, ODBC_REMOVE_DRIVER, "Eider", NULL, out, sizeof out, &len));
    CU_ASSERT_FALSE(ConfigDriver(NULL, 42, "Eider", NULL, out, sizeof out, &len));
    CU_ASSERT_EQUAL(su_error(msg, sizeof msg), ODBC_ERROR_INVALID_REQUEST_TYPE);
}

static CU_TestInfo property_tests[] = {
    {"the property list", test_property_list},
    {"starting values are the driver's defaults", test_property_values_are_the_defaults},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo config_tests[] = {
    {"add a user DSN", test_add_user_dsn},
    {"values the driver refuses", test_refused_values},
    {"malformed attributes and names", test_malformed_attributes},
    {"bad request or driver", test_bad_request_or_driver},
    {"add replaces", test_add_replaces},
    {"config changes keys", test_config_changes_keys},
    {"remove", test_remove},
    {"other drivers' DSNs untouched", test_other_drivers_dsn_untouched},
    {"system level", test_system_level},
    {"level chosen by the caller", test_level_chosen_by_caller},
    {"ConfigDriver", test_config_driver},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"properties", setup, NULL, NULL, NULL, property_tests},
            {"ConfigDSN", NULL, teardown, NULL, NULL, config_tests})
