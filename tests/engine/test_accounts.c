/*
 * Accounts (engine/src/accounts.c): CREATE / ALTER / DROP USER, authentication, roles
 * enforced on sessions, who may manage accounts, the last owner, persistence, and the
 * accounts table staying out of SQL's reach.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static char path[128];
static eng_db *db;
static eng_session *s1, *s2;

static int setup(void)
{
    if (eu_temp_folder("acct", "acct.eider", dir, path) != 0)
        return 1;
    eng_error err;
    eng_open_opts o = {0};
    return eng_db_open(path, &o, &db, &err) != 0 || eng_session_open(db, &s1, &err) != 0 ||
           eng_session_open(db, &s2, &err) != 0;
}

static int teardown(void)
{
    eng_session_close(s1);
    eng_session_close(s2);
    eng_db_close(db);
    return eu_remove_folder(dir) == 0 ? 0 : 1;
}

static const char *auth(const char *user, const char *pw, eng_role *role)
{
    static eng_error err;
    eng_role r;
    if (eng_db_authenticate(db, user, pw, strlen(pw), role ? role : &r, &err) == 0)
        return "ok";
    return err.sqlstate;
}

static void test_create_and_authenticate(void)
{
    CU_ASSERT_FALSE(eng_db_has_accounts(db));
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table data (a int)"), "00000");
    /* The first account becomes an owner even when asked to be read-only. */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user alice password 's3cret' read only"), "00000");
    CU_ASSERT_TRUE(eng_db_has_accounts(db));
    eng_role role = ENG_ROLE_READ_ONLY;
    CU_ASSERT_STRING_EQUAL(auth("alice", "s3cret", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_OWNER);
    CU_ASSERT_STRING_EQUAL(auth("alice", "wrong", NULL), "28000");
    CU_ASSERT_STRING_EQUAL(auth("nobody", "s3cret", NULL), "28000");
    CU_ASSERT_STRING_EQUAL(auth("alice", "", NULL), "28000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user alice password 'x'"), "42000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user bob"), "42000");
}

static void test_only_owners_manage_accounts(void)
{
    /* Now that accounts exist, an unauthenticated session may not manage them. */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user carol password 'c'"), "42000");
    eng_session_set_account(s1, "alice", ENG_ROLE_OWNER);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user bob password 'b' read only"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user carol password 'c'"), "00000");
    eng_role role;
    CU_ASSERT_STRING_EQUAL(auth("bob", "b", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_READ_ONLY);
    CU_ASSERT_STRING_EQUAL(auth("carol", "c", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_READ_WRITE);
    eng_session_set_account(s2, "carol", ENG_ROLE_READ_WRITE);
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "drop user bob"), "42000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "insert into data values (1)"), "00000");
}

static void test_read_only_accounts_cannot_write(void)
{
    eng_session_set_account(s2, "bob", ENG_ROLE_READ_ONLY);
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select a from data"), "1");
    const char *r = eu_query(s2, "insert into data values (2)");
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "25006"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "account \"bob\" is read-only"));
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "create table other (a int)"), "25006");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "alter user bob read write"), "25006");
}

static void test_alter_and_drop(void)
{
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "alter user bob password 'new' read write"), "00000");
    eng_role role;
    CU_ASSERT_STRING_EQUAL(auth("bob", "b", NULL), "28000");
    CU_ASSERT_STRING_EQUAL(auth("bob", "new", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_READ_WRITE);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "alter user nobody password 'x'"), "42000");
    /* The last owner can be neither dropped nor demoted. */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop user alice"), "42000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "alter user alice read only"), "42000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "alter user carol owner"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "alter user alice read write"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop user bob"), "00000");
    CU_ASSERT_STRING_EQUAL(auth("bob", "new", NULL), "28000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop user if exists bob"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop user bob"), "42000");
    /* Transactional: a rolled-back CREATE USER never existed. */
    eng_session_set_account(s1, "carol", ENG_ROLE_OWNER);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create user temp password 't'"), "00000");
    CU_ASSERT_STRING_EQUAL(auth("temp", "t", NULL), "28000"); /* not committed */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "rollback"), "00000");
    CU_ASSERT_STRING_EQUAL(auth("temp", "t", NULL), "28000");
}

static void test_parameters_and_hidden_table(void)
{
    eng_value pw = {.type = ENG_TYPE_VARCHAR, .u.s = {"from a parameter", 16}};
    CU_ASSERT_STRING_EQUAL(eu_query_params(s1, "create user dave password ? read only", &pw, 1),
                           "");
    CU_ASSERT_STRING_EQUAL(auth("dave", "from a parameter", NULL), "ok");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "select * from \"$users\""), "42S02");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop table \"$users\""), "42S02");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table \"$mine\" (a int)"), "42000");
}

static void test_accounts_survive_reopen(void)
{
    eng_session_close(s1);
    eng_session_close(s2);
    eng_db_close(db);
    eng_error err;
    eng_open_opts o = {0};
    CU_ASSERT_EQUAL_FATAL(eng_db_open(path, &o, &db, &err), 0);
    eng_session_open(db, &s1, &err);
    eng_session_open(db, &s2, &err);
    eng_role role;
    CU_ASSERT_STRING_EQUAL(auth("carol", "c", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_OWNER);
    CU_ASSERT_STRING_EQUAL(auth("alice", "s3cret", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_READ_WRITE);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "checkpoint"), "00000");
    eng_session_close(s1);
    eng_session_close(s2);
    eng_db_close(db);
    CU_ASSERT_EQUAL_FATAL(eng_db_open(path, &o, &db, &err), 0);
    eng_session_open(db, &s1, &err);
    eng_session_open(db, &s2, &err);
    CU_ASSERT_STRING_EQUAL(auth("dave", "from a parameter", &role), "ok");
    CU_ASSERT_EQUAL(role, ENG_ROLE_READ_ONLY);
}

static CU_TestInfo account_tests[] = {
    {"create and authenticate", test_create_and_authenticate},
    {"only owners manage accounts", test_only_owners_manage_accounts},
    {"read-only accounts cannot write", test_read_only_accounts_cannot_write},
    {"alter and drop", test_alter_and_drop},
    {"parameters and the hidden table", test_parameters_and_hidden_table},
    {"accounts survive a reopen", test_accounts_survive_reopen},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"accounts", setup, teardown, NULL, NULL, account_tests})
