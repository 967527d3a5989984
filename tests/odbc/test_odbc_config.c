/*
 * The configuration file (driver/src/config.c) through the driver manager: [pool],
 * [database] and [account] sections and their order below the connection string, the
 * default location, edits taking effect, and every kind of mistake reported with the file,
 * the line and the key.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char ini[256];

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Writes a configuration file and waits out the driver's 250 ms recheck of files it read. */
static void write_ini(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    sleep_ms(300);
}

/* Whether a pool allows a second session: holds one connection, tries another. */
static const char *second_connect(const char *cs)
{
    SQLHDBC first = ou_connect(cs);
    CU_ASSERT_PTR_NOT_NULL(first);
    const char *state = ou_connect_state(cs);
    ou_disconnect(first);
    return state;
}

/* A connection string naming the test's configuration file. */
static const char *with_ini(const char *db, const char *extra)
{
    static char buf[1024];
    char keys[512];
    snprintf(keys, sizeof keys, "ConfigFile=%s;%s", ini, extra);
    snprintf(buf, sizeof buf, "%s", ou_conn(db, keys));
    return buf;
}

static void test_sections_and_precedence(void)
{
    char text[1024];
    snprintf(text, sizeof text,
             "# pool settings for the tests\n"
             "[pool]\n"
             "PoolAcquireTimeout = 200\n"
             "PoolMaxSessions = 1\n"
             "\n"
             "[database roomy]\n"
             "Path = %s/roomy.eider\n"
             "PoolMaxSessions = 3\n",
             ou_dir());
    write_ini(ini, text);
    /* [pool] applies: one session, a 200 ms wait, then HYT00. */
    CU_ASSERT_STRING_EQUAL(second_connect(with_ini("tight.eider", "")), "HYT00");
    /* [database roomy] wins over [pool] for its file. */
    CU_ASSERT_STRING_EQUAL(second_connect(with_ini("roomy.eider", "")), "00000");
    /* The connection string wins over the file. */
    CU_ASSERT_STRING_EQUAL(second_connect(with_ini("mine.eider", "PoolMaxSessions=2")), "00000");
}

static void test_account_sections(void)
{
    write_ini(ini, "[pool]\nPoolAcquireTimeout = 200\n\n[account Bob]\nPoolMaxSessions = 1\n");
    SQLHDBC owner = ou_connect(with_ini("acct.eider", "UID=alice;PWD=pw-alice"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "create user alice password 'pw-alice'"), "00000");
    ou_disconnect(owner); /* from now on only alice, the first account and owner, may */
    owner = ou_connect(with_ini("acct.eider", "UID=alice;PWD=pw-alice"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
    CU_ASSERT_STRING_EQUAL(ou_exec(owner, "create user bob password 'pw-bob'"), "00000");
    ou_disconnect(owner);
    /* alice gets the default limit, bob the one of his section (names match in any case). */
    CU_ASSERT_STRING_EQUAL(second_connect(with_ini("acct.eider", "UID=alice;PWD=pw-alice")),
                           "00000");
    CU_ASSERT_STRING_EQUAL(second_connect(with_ini("acct.eider", "UID=bob;PWD=pw-bob")), "HYT00");
}

/* Connects expecting 08001 and a message that contains every one of `parts`. */
static void expect_error(const char *text, const char *const *parts, size_t n)
{
    write_ini(ini, text);
    CU_ASSERT_STRING_EQUAL(ou_connect_state(with_ini("err.eider", "")), "08001");
    const char *msg = ou_last_connect_message();
    for (size_t i = 0; i < n; i++)
        if (!strstr(msg, parts[i])) {
            fprintf(stderr, "message \"%s\" lacks \"%s\"\n", msg, parts[i]);
            CU_FAIL("message lacks a part");
        }
}

static void test_mistakes_name_file_line_and_key(void)
{
    const char *bad_value[] = {ini, "line 3", "PoolMaxSessions", "\"lots\"", "1 to 100000"};
    expect_error("[pool]\nPooling = Yes\nPoolMaxSessions = lots\n", bad_value, 5);
    const char *bad_key[] = {ini, "line 2", "PoolMaxSesions", "unknown key"};
    expect_error("[pool]\nPoolMaxSesions = 5\n", bad_key, 4);
    const char *bad_section[] = {ini, "line 4", "[pools]"};
    expect_error("[pool]\nPoolMinIdle = 1\n\n[pools]\nPoolMinIdle = 2\n", bad_section, 3);
    const char *no_path[] = {ini, "line 1", "[database sales]", "Path"};
    expect_error("[database sales]\nPoolMaxSessions = 5\n", no_path, 4);
    const char *syntax[] = {ini, "line 2", "this is not a setting"};
    expect_error("[pool]\nthis is not a setting\n", syntax, 3);
    /* A ConfigFile that does not exist is an error; a missing default file is not. */
    char cs[1024];
    snprintf(cs, sizeof cs, "%s", ou_conn("err.eider", "ConfigFile=/nonexistent/eider.ini"));
    CU_ASSERT_STRING_EQUAL(ou_connect_state(cs), "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(ou_last_connect_message(), "/nonexistent/eider.ini"));
    CU_ASSERT_STRING_EQUAL(ou_connect_state(ou_conn("err.eider", "")), "00000");
    /* Fixing the file makes connections work again. */
    write_ini(ini, "[pool]\nPoolMaxSessions = 5\n");
    CU_ASSERT_STRING_EQUAL(ou_connect_state(with_ini("err.eider", "")), "00000");
}

static void test_default_location(void)
{
    /* odbc_util points XDG_CONFIG_HOME at <test folder>/config. */
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/config/eider", ou_dir());
    snprintf(path, sizeof path, "%s/config", ou_dir());
    mkdir(path, 0700);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/eider.ini", dir);
    write_ini(path, "[pool]\nPoolMaxSessions = 1\nPoolAcquireTimeout = 200\n");
    CU_ASSERT_STRING_EQUAL(second_connect(ou_conn("default.eider", "")), "HYT00");
    remove(path);
    sleep_ms(300);
    CU_ASSERT_STRING_EQUAL(ou_connect_state(ou_conn("default2.eider", "")), "00000");
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    snprintf(ini, sizeof ini, "%s/eider-test.ini", ou_dir());
    return 0;
}

static int teardown(void)
{
    ou_teardown();
    return 0;
}

static CU_TestInfo config_tests[] = {
    {"sections and precedence", test_sections_and_precedence},
    {"account sections", test_account_sections},
    {"mistakes name the file, the line and the key", test_mistakes_name_file_line_and_key},
    {"the default location", test_default_location},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc config", setup, teardown, NULL, NULL, config_tests})
