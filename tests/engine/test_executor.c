/*
 * Executor tests through the engine's public API (engine/src/exec_*.c, eval.c, binder.c):
 * query results, NULL semantics, the SQLSTATE of every class of bad input, statement
 * atomicity, transactions and snapshot visibility between sessions.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <stdio.h>
#include <string.h>

static eng_db *db;
static eng_session *s1, *s2;

static int setup(void)
{
    eng_error err;
    eng_open_opts o = {0};
    if (eng_db_open(":memory:", &o, &db, &err) != 0 || eng_session_open(db, &s1, &err) != 0 ||
        eng_session_open(db, &s2, &err) != 0)
        return 1;
    return 0;
}

static int teardown(void)
{
    eng_session_close(s1);
    eng_session_close(s2);
    eng_db_close(db);
    return 0;
}

#define Q(sql, expected)     CU_ASSERT_STRING_EQUAL(eu_query(s1, sql), expected)
#define STATE(sql, expected) CU_ASSERT_STRING_EQUAL(eu_state(s1, sql), expected)

static void test_expressions_without_from(void)
{
    Q("select 1 + 2 * 3, 7 / 2, 7 % 3, -(4), 1.5e0 * 2", "7|3|1|-4|3");
    Q("select 'a' || 'b' || 1, 'x' = 'x', 'a' < 'b', 2 >= 3", "ab1|true|true|false");
    Q("select 1 + 2147483647000, cast('42' as integer) + 1, '7' + 1", "2147483647001|43|8");
    Q("select cast(2.5 as integer), cast(-2.5 as bigint), cast(true as integer), 3::varchar",
      "3|-3|1|3");
    Q("select cast('yes' as boolean), cast(' 12 ' as int), 10 / 4e0", "true|12|2.5");
}

static void test_null_semantics(void)
{
    Q("select null, null + 1, null = null, null is null, 1 is not null",
      "NULL|NULL|NULL|true|true");
    Q("select true and null, false and null, true or null, false or null, not null",
      "NULL|false|true|NULL|NULL");
    Q("select 'a' || null, null || null", "NULL|NULL");
}

static void test_errors(void)
{
    STATE("select 1 / 0", "22012");
    STATE("select 1.0 / 0", "22012");
    STATE("select 5 % 0", "22012");
    STATE("select 2147483647 + 1", "22003");
    STATE("select 9223372036854775807 + 1", "22003");
    STATE("select -(-9223372036854775807 - 1)", "22003");
    STATE("select cast(3000000000 as integer)", "22003");
    STATE("select 'abc' + 1", "22018");
    STATE("select cast('x' as boolean)", "22018");
    STATE("select 1 and true", "22018");
    STATE("select nosuch", "42S22");
    STATE("select * from nosuch", "42S02");
    STATE("select *", "42000");
    STATE("insert into nosuch values (1)", "42S02");
    STATE("drop table nosuch", "42S02");
    STATE("drop table if exists nosuch", "00000");
}

static void test_table_roundtrip(void)
{
    STATE("create table t (id integer not null, name varchar(5), x double, b boolean, big bigint)",
          "00000");
    STATE("create table T (a int)", "42S01");
    STATE("create table if not exists t (a int)", "00000");
    STATE("create table d (a int, A int)", "42S21");
    STATE("insert into t values (1, 'ab', 1.5, true, 10), (2, null, null, false, null), "
          "(3, 'xyz', -2, null, 9999999999)",
          "00000");
    Q("select * from t", "1|ab|1.5|true|10;2|NULL|NULL|false|NULL;3|xyz|-2|NULL|9999999999");
    Q("select id, name from t where x > 0 or b is null", "1|ab;3|xyz");
    Q("select T.ID * 2 as d, name || '!' from t where id <> 2 limit 1 offset 1", "6|xyz!");
    Q("select id from t where not b", "2");
    Q("select id from t limit 0", "");
    Q("select name from t where name = 'ab'", "ab");
    STATE("select id from t where name = 5", "22018");
    STATE("select id from t where id = 'x'", "22018");
    STATE("select u.id from t", "42S22");
    STATE("insert into t (id, nosuch) values (1, 2)", "42S22");
    STATE("insert into t (id, id) values (1, 2)", "42000");
    STATE("insert into t values (4)", "21S01");
    STATE("insert into t values (4, 'toolong', 1, true, 1)", "22001");
    STATE("insert into t (name) values ('a')", "23000");
    STATE("insert into t values ('four', 'a', 1, true, 1)", "22018");
}

static void test_failed_insert_leaves_nothing(void)
{
    STATE("create table atom (a int not null, b varchar(3))", "00000");
    STATE("insert into atom values (1, 'a'), (2, 'b'), (null, 'c')", "23000");
    STATE("insert into atom values (1, 'a'), (2, 'toolong')", "22001");
    STATE("insert into atom values (1, 'a'), (2, 'b'), (1 / 0, 'c')", "22012");
    Q("select count_rows from atom",
      "ERROR 42S22 column \"count_rows\" not found in table \"atom\" (position 8)");
    Q("select * from atom", "");
}

static void test_many_rows_across_segments(void)
{
    STATE("create table big (i bigint, s varchar(20))", "00000");
    char sql[64];
    eng_error err;
    eng_stmt *st;
    const char *ins = "insert into big values (?, ?)";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s1, ins, strlen(ins), &st, &err), 0);
    for (int i = 0; i < 5000; i++) {
        char text[20];
        snprintf(text, sizeof text, "row%d", i);
        eng_value p[2] = {{.type = ENG_TYPE_BIGINT, .u.i = i},
                          {.type = ENG_TYPE_VARCHAR, .u.s = {text, (uint32_t)strlen(text)}}};
        if (eng_stmt_execute(st, p, 2, &err) != 0) {
            CU_FAIL(err.message);
            break;
        }
        CU_ASSERT_EQUAL(eng_stmt_row_count(st), 1);
    }
    eng_stmt_free(st);
    snprintf(sql, sizeof sql, "select i, s from big where i >= 4998");
    Q(sql, "4998|row4998;4999|row4999");
    Q("select s from big where i = 2047 or i = 2048 or i = 4095 or i = 4096",
      "row2047;row2048;row4095;row4096");
    Q("select i from big limit 2 offset 2047", "2047;2048");
}

static void test_parameters(void)
{
    STATE("create table pt (a int, s varchar(10))", "00000");
    eng_value p[2] = {{.type = ENG_TYPE_VARCHAR, .u.s = {"42", 2}},
                      {.type = ENG_TYPE_BIGINT, .u.i = 7}};
    CU_ASSERT_STRING_EQUAL(eu_query_params(s1, "insert into pt values (?, ?)", p, 2), "");
    Q("select a + 1, s from pt", "43|7");
    eng_value bad = {.type = ENG_TYPE_VARCHAR, .u.s = {"x", 1}};
    CU_ASSERT_STRING_EQUAL(eu_query_params(s1, "select a from pt where a = ?", &bad, 1),
                           "ERROR 22018 parameter 1: invalid input for type INTEGER: \"x\"");
    CU_ASSERT_STRING_EQUAL(eu_query_params(s1, "select a from pt where a = ?", NULL, 0),
                           "ERROR 07002 the statement has 1 parameter markers but 0 values were "
                           "supplied");
    eng_value null = {.type = ENG_TYPE_NULL, .is_null = true};
    CU_ASSERT_STRING_EQUAL(eu_query_params(s1, "select ? is null", &null, 1), "true");
}

static void test_transactions_and_visibility(void)
{
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table acct (id int, v int)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into acct values (1, 10)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s1, "select v from acct"), "10"); /* own writes */
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "");   /* not committed */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "25000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "commit"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10");

    /* A snapshot does not see later commits. */
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into acct values (2, 20)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "commit"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10;20");

    /* Rollback undoes inserts and DDL. */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into acct values (3, 30)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table scratch (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "select * from scratch"), "42S02");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "rollback"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s1, "select v from acct"), "10;20");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "select * from scratch"), "42S02");

    /* An error aborts an explicit transaction; COMMIT then rolls back and says so. */
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into acct values (4, 40)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into acct values (1 / 0, 1)"), "22012");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "select * from acct"), "25000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "commit"), "25S03");
    CU_ASSERT_STRING_EQUAL(eu_query(s1, "select v from acct"), "10;20");

    /* Dropped in one transaction, still there for a snapshot that began before. */
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10;20");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "drop table acct"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select v from acct"), "10;20");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "commit"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "select v from acct"), "42S02");
}

static void test_manual_commit_mode(void)
{
    eng_error err;
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table mc (a int)"), "00000");
    CU_ASSERT_EQUAL(eng_session_set_autocommit(s1, false, &err), 0);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into mc values (1)"), "00000");
    CU_ASSERT_TRUE(eng_session_in_transaction(s1));
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select a from mc"), "");
    CU_ASSERT_EQUAL(eng_session_commit(s1, &err), 0);
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select a from mc"), "1");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into mc values (2)"), "00000");
    CU_ASSERT_EQUAL(eng_session_rollback(s1, &err), 0);
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "insert into mc values (3)"), "00000");
    /* Switching autocommit on commits the open transaction, as ODBC specifies. */
    CU_ASSERT_EQUAL(eng_session_set_autocommit(s1, true, &err), 0);
    CU_ASSERT_STRING_EQUAL(eu_query(s2, "select a from mc"), "1;3");
}

static void test_read_only_session(void)
{
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table ro (a int)"), "00000");
    eng_session_set_read_only(s2, true);
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "insert into ro values (1)"), "25006");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "create table ro2 (a int)"), "25006");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "select * from ro"), "00000");
    eng_session_set_read_only(s2, false);
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "insert into ro values (1)"), "00000");
}

static void test_concurrent_create_conflict(void)
{
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "create table race (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "create table race (a int)"), "40001");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "rollback"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s1, "commit"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s2, "create table race (a int)"), "42S01");
}

static CU_TestInfo executor_tests[] = {
    {"expressions without FROM", test_expressions_without_from},
    {"NULL semantics", test_null_semantics},
    {"errors carry their SQLSTATE", test_errors},
    {"table round trip", test_table_roundtrip},
    {"a failed INSERT leaves nothing", test_failed_insert_leaves_nothing},
    {"many rows across segments", test_many_rows_across_segments},
    {"parameters", test_parameters},
    {"transactions and visibility", test_transactions_and_visibility},
    {"manual-commit mode", test_manual_commit_mode},
    {"read-only session", test_read_only_session},
    {"concurrent CREATE conflicts", test_concurrent_create_conflict},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"executor", setup, teardown, NULL, NULL, executor_tests})
