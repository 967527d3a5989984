/*
 * MVCC tests (engine/src/exec_write.c, index.c, txn.c, catalog.c): UPDATE and DELETE,
 * first-updater-wins conflicts between sessions, keys across concurrent transactions,
 * DEFAULT values, statement atomicity, and snapshot reads while others write.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <stdio.h>
#include <stdlib.h>
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

#define ST(s, sql, expected) CU_ASSERT_STRING_EQUAL(eu_state(s, sql), expected)
#define Q(s, sql, expected)  CU_ASSERT_STRING_EQUAL(eu_query_sorted(s, sql), expected)

static void fresh_table(void)
{
    ST(s1, "drop table if exists acct", "00000");
    ST(s1,
       "create table acct (id integer primary key, owner varchar(10), balance bigint "
       "not null default 0)",
       "00000");
    ST(s1,
       "insert into acct (id, owner, balance) values (1, 'ann', 100), (2, 'bob', 200), "
       "(3, 'cy', 300)",
       "00000");
}

static void test_update_and_delete(void)
{
    fresh_table();
    eng_error err;
    char out[256];
    CU_ASSERT_EQUAL(
        eu_exec(s1, "update acct set balance = balance + 5 where id <> 2", out, sizeof out, &err),
        0);
    Q(s1, "select id, balance from acct where id = 1 or id = 3", "1|105;3|305");
    Q(s1, "select balance from acct where id = 2", "200");
    ST(s1, "update acct set balance = null where id = 1", "23000");
    ST(s1, "update acct set owner = 'much too long' where id = 1", "22001");
    ST(s1, "update acct set nosuch = 1", "42S22");
    ST(s1, "update acct set balance = 1, balance = 2", "42000");
    ST(s1, "delete from acct where balance > 250", "00000");
    Q(s1, "select id from acct", "1;2");
    ST(s1, "delete from acct", "00000");
    Q(s1, "select id from acct", "");
}

static void test_row_counts(void)
{
    fresh_table();
    eng_error err;
    eng_stmt *st;
    const char *sql = "update acct set balance = balance * 2 where balance >= ?";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s1, sql, strlen(sql), &st, &err), 0);
    eng_value p = {.type = ENG_TYPE_BIGINT, .u.i = 200};
    CU_ASSERT_EQUAL(eng_stmt_execute(st, &p, 1, &err), 0);
    CU_ASSERT_EQUAL(eng_stmt_row_count(st), 2);
    p.u.i = 100000;
    CU_ASSERT_EQUAL(eng_stmt_execute(st, &p, 1, &err), 0);
    CU_ASSERT_EQUAL(eng_stmt_row_count(st), 0);
    eng_stmt_free(st);
    sql = "delete from acct where id = ?";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s1, sql, strlen(sql), &st, &err), 0);
    p = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = 2};
    CU_ASSERT_EQUAL(eng_stmt_execute(st, &p, 1, &err), 0);
    CU_ASSERT_EQUAL(eng_stmt_row_count(st), 1);
    CU_ASSERT_EQUAL(eng_stmt_execute(st, &p, 1, &err), 0);
    CU_ASSERT_EQUAL(eng_stmt_row_count(st), 0);
    eng_stmt_free(st);
}

static void test_write_write_conflicts(void)
{
    /* update vs update of one row: the second writer fails at its statement */
    fresh_table();
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "update acct set balance = balance - 10 where id = 1", "00000");
    ST(s2, "update acct set balance = balance + 10 where id = 1", "40001");
    ST(s2, "select * from acct", "25000");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    Q(s2, "select balance from acct where id = 1", "90");

    /* update vs delete (DuckDB's lost update, issue #17223): a conflict, not a lost write */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "update acct set balance = 0 where id = 2", "00000");
    ST(s2, "delete from acct where id = 2", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    Q(s1, "select balance from acct where id = 2", "0");

    /* delete vs update, in the other order */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "delete from acct where id = 3", "00000");
    ST(s2, "update acct set balance = 1 where id = 3", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    Q(s1, "select id from acct", "1;2");

    /* a row changed by a transaction that committed after our snapshot */
    ST(s2, "begin", "00000");
    Q(s2, "select balance from acct where id = 1", "90");
    ST(s1, "update acct set balance = 91 where id = 1", "00000");
    Q(s2, "select balance from acct where id = 1", "90"); /* still the snapshot */
    ST(s2, "update acct set balance = 92 where id = 1", "40001");
    ST(s2, "commit", "25S03");
    Q(s2, "select balance from acct where id = 1", "91");

    /* other rows of the same table: no conflict */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "update acct set balance = 1 where id = 1", "00000");
    ST(s2, "update acct set balance = 2 where id = 2", "00000");
    ST(s1, "commit", "00000");
    ST(s2, "commit", "00000");
    Q(s1, "select id, balance from acct", "1|1;2|2");

    /* a rolled-back writer releases the row */
    ST(s1, "begin", "00000");
    ST(s1, "update acct set balance = 50 where id = 1", "00000");
    ST(s1, "rollback", "00000");
    ST(s2, "update acct set balance = 60 where id = 1", "00000");
    Q(s1, "select balance from acct where id = 1", "60");
}

static void test_appends_never_conflict(void)
{
    fresh_table();
    ST(s1, "create table log (msg varchar(20))", "00000");
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "insert into log values ('one')", "00000");
    ST(s2, "insert into log values ('two')", "00000");
    ST(s1, "insert into log values ('three')", "00000");
    ST(s2, "commit", "00000");
    ST(s1, "commit", "00000");
    Q(s1, "select msg from log", "one;three;two");
}

static void test_keys_across_transactions(void)
{
    fresh_table();
    /* a duplicate of a committed key */
    ST(s1, "insert into acct (id) values (1)", "23000");
    /* a duplicate of a key another running transaction inserted */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "insert into acct (id) values (10)", "00000");
    ST(s2, "insert into acct (id) values (10)", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    /* a key freed by a delete in the same transaction can be reused */
    ST(s1, "begin", "00000");
    ST(s1, "delete from acct where id = 10", "00000");
    ST(s1, "insert into acct (id, owner) values (10, 'new')", "00000");
    ST(s1, "commit", "00000");
    Q(s2, "select owner from acct where id = 10", "new");
    /* a key held by another transaction's pending delete is still taken */
    ST(s1, "begin", "00000");
    ST(s1, "delete from acct where id = 10", "00000");
    ST(s2, "insert into acct (id) values (10)", "40001");
    ST(s1, "rollback", "00000");
    ST(s2, "insert into acct (id) values (10)", "23000");
    /* changing a key collides with a concurrent update of the row */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "update acct set balance = 7 where id = 3", "00000");
    ST(s2, "update acct set id = 33 where id = 3", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    /* a duplicate within one statement */
    ST(s1, "insert into acct (id) values (20), (20)", "23000");
    Q(s1, "select id from acct where id = 20", "");
    /* composite and unique keys; NULLs never collide in UNIQUE */
    ST(s1, "create table pair (a int, b int, c varchar(5) unique, primary key (a, b))", "00000");
    ST(s1, "insert into pair values (1, 1, null), (1, 2, null), (2, 1, 'x')", "00000");
    ST(s1, "insert into pair values (1, 2, 'y')", "23000");
    ST(s1, "insert into pair values (3, 3, 'x')", "23000");
    ST(s1, "insert into pair values (null, 3, 'z')", "23000");
    Q(s1, "select c from pair where a = 2 and b = 1", "x");
    ST(s1, "create table twopk (a int primary key, b int primary key)", "42000");
    ST(s1, "create table badkey (a int, primary key (nosuch))", "42S22");
}

static void test_defaults(void)
{
    ST(s1,
       "create table d (a int, b varchar(8) default 'none', c double default -1.5, "
       "e boolean default true, f int default null)",
       "00000");
    ST(s1, "insert into d (a) values (1)", "00000");
    Q(s1, "select * from d", "1|none|-1.5|true|NULL");
    ST(s1, "create table bad (a int default 'x')", "22018");
    ST(s1, "create table bad (a varchar(2) default 'long')", "22001");
}

static void test_update_sees_own_writes_once(void)
{
    fresh_table();
    /* every row once, even though UPDATE appends new versions to the table it scans */
    ST(s1, "update acct set balance = balance + 1", "00000");
    Q(s1, "select id, balance from acct", "1|101;2|201;3|301");
    ST(s1, "begin", "00000");
    ST(s1, "update acct set balance = balance + 1", "00000");
    ST(s1, "update acct set balance = balance + 1 where id = 1", "00000");
    Q(s1, "select balance from acct where id = 1", "103");
    Q(s2, "select balance from acct where id = 1", "101");
    ST(s1, "commit", "00000");
    Q(s2, "select id, balance from acct", "1|103;2|202;3|302");
}

static void test_failed_update_leaves_nothing(void)
{
    fresh_table();
    /* the third row fails: the first two must not change */
    ST(s1, "update acct set balance = 1000 / (balance - 300)", "22012");
    Q(s1, "select id, balance from acct", "1|100;2|200;3|300");
    ST(s1, "update acct set id = 2", "23000");
    Q(s1, "select id, balance from acct", "1|100;2|200;3|300");
    /* keys are checked against the statement's result, not row by row */
    ST(s1, "update acct set id = id + 1", "00000");
    Q(s1, "select id, balance from acct", "2|100;3|200;4|300");
}

static void update_many(eng_session *s, int n)
{
    eng_error err;
    eng_stmt *st;
    const char *sql = "update acct set balance = balance + 1 where id = ?";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s, sql, strlen(sql), &st, &err), 0);
    for (int i = 0; i < n; i++) {
        eng_value p = {.type = ENG_TYPE_INTEGER, .u.i = 1 + i % 3};
        if (eng_stmt_execute(st, &p, 1, &err) != 0) {
            CU_FAIL(err.message);
            break;
        }
    }
    eng_stmt_free(st);
}

static void test_old_versions_are_reclaimed(void)
{
    fresh_table();
    eng_db_stats before, stats;
    eng_db_get_stats(db, &before);
    update_many(s1, 30000);
    eng_db_get_stats(db, &stats);
    /* 30,000 versions would take 15 more segments; reclaimed, a few at most remain. */
    CU_ASSERT_TRUE(stats.segments <= before.segments + 3);
    Q(s1, "select id, balance from acct", "1|10100;2|10200;3|10300");
}

static void test_reclaiming_respects_old_snapshots(void)
{
    fresh_table();
    eng_db_stats before, stats;
    eng_db_get_stats(db, &before);
    ST(s2, "begin", "00000");
    Q(s2, "select balance from acct where id = 1", "100");
    update_many(s1, 9000);
    eng_db_get_stats(db, &stats);
    CU_ASSERT_TRUE(stats.segments >= before.segments + 4); /* held back by s2's snapshot */
    Q(s2, "select id, balance from acct", "1|100;2|200;3|300");
    ST(s2, "commit", "00000");
    update_many(s1, 3000);
    eng_db_get_stats(db, &stats);
    CU_ASSERT_TRUE(stats.segments <= before.segments + 3);
    Q(s2, "select id, balance from acct", "1|4100;2|4200;3|4300");
}

static void test_dropped_tables_are_freed(void)
{
    eng_db_stats before, stats;
    eng_db_get_stats(db, &before);
    for (int i = 0; i < 50; i++) {
        ST(s1, "create table scratch (a int)", "00000");
        ST(s1, "insert into scratch values (1), (2)", "00000");
        ST(s1, "drop table scratch", "00000");
    }
    eng_db_get_stats(db, &stats);
    CU_ASSERT_TRUE(stats.segments <= before.segments + 1);
}

static void test_alter_table(void)
{
    fresh_table();
    ST(s1, "alter table acct add column note varchar(5) default 'n/a'", "00000");
    Q(s1, "select id, note from acct", "1|n/a;2|n/a;3|n/a");
    ST(s1, "alter table acct drop column owner", "00000");
    Q(s1, "select * from acct where id = 2", "2|200|n/a");
    ST(s1, "insert into acct values (2, 1, 'x')", "23000"); /* the key survived */
    ST(s1, "alter table acct add balance int", "42S21");
    ST(s1, "alter table acct drop nosuch", "42S22");
    ST(s1, "alter table acct add must int not null", "23000");
    ST(s1, "alter table nosuch add a int", "42S02");

    /* Transactional: others see the old table until commit; rollback restores it. */
    ST(s1, "begin", "00000");
    ST(s1, "alter table acct add extra int default 7", "00000");
    Q(s1, "select extra from acct where id = 1", "7");
    ST(s2, "select extra from acct", "42S22");
    ST(s1, "rollback", "00000");
    ST(s1, "select extra from acct", "42S22");
    Q(s1, "select id from acct", "1;2;3");
}

static void test_alter_conflicts(void)
{
    fresh_table();
    /* A writer still running when the ALTER commits cannot commit into the old table. */
    ST(s2, "begin", "00000");
    ST(s2, "insert into acct (id) values (9)", "00000");
    ST(s1, "alter table acct add column c int", "00000");
    ST(s2, "commit", "40001");
    Q(s1, "select id from acct where id = 9", "");
    /* An ALTER whose snapshot predates a committed write would lose it: 40001. */
    ST(s1, "begin", "00000");
    Q(s1, "select id from acct where id = 1", "1");
    ST(s2, "update acct set balance = 5 where id = 1", "00000");
    ST(s1, "alter table acct drop column c", "40001");
    ST(s1, "rollback", "00000");
    /* Two ALTERs at once: the second conflicts. */
    ST(s1, "begin", "00000");
    ST(s2, "begin", "00000");
    ST(s1, "alter table acct add column d int", "00000");
    ST(s2, "alter table acct add column e int", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    Q(s2, "select id, balance, d from acct where id = 1", "1|5|NULL");
}

/* Scans skip the stamps of a segment whose rows are all committed and never deleted
 * (tbl_all_visible); rows inserted or deleted by others, committed or not, and rolled back
 * inserts must still count as the snapshot sees them. */
static void test_whole_segment_scans(void)
{
    ST(s1, "drop table if exists seg", "00000");
    ST(s1, "create table seg (x integer)", "00000");
    ST(s1, "insert into seg values (1)", "00000");
    for (int i = 0; i < 11; i++) /* 2,048 rows: one full segment */
        ST(s1, "insert into seg select x + 1 from seg", "00000");
    Q(s1, "select count(*), sum(x) from seg", "2048|13312");
    ST(s2, "begin", "00000");
    Q(s2, "select count(*) from seg", "2048");
    ST(s1, "insert into seg values (100)", "00000"); /* a second segment, after s2's snapshot */
    Q(s2, "select count(*) from seg", "2048");
    Q(s1, "select count(*) from seg", "2049");
    ST(s2, "commit", "00000");
    ST(s1, "begin", "00000");
    ST(s1, "insert into seg select x from seg where x = 100", "00000");
    Q(s1, "select count(*) from seg", "2050");
    Q(s2, "select count(*) from seg", "2049");
    ST(s1, "rollback", "00000");
    Q(s1, "select count(*) from seg", "2049");
    ST(s1, "begin", "00000");
    ST(s1, "delete from seg where x = 1", "00000");
    Q(s1, "select count(*) from seg", "2048");
    Q(s2, "select count(*) from seg", "2049");
    ST(s1, "commit", "00000");
    Q(s2, "select count(*) from seg", "2048");
    ST(s1, "drop table seg", "00000");
}

/* The single value a prepared one-row query returns when executed now. */
static long long run_prepared(eng_stmt *st)
{
    eng_error err;
    const eng_chunk *c = NULL;
    if (eng_stmt_execute(st, NULL, 0, &err) != 0 || eng_stmt_fetch(st, &c, &err) != 1 ||
        c->count != 1)
        return -1;
    char buf[32];
    eng_vector_text(&c->cols[0], 0, buf, sizeof buf);
    eng_stmt_close_cursor(st);
    return atoll(buf);
}

/* Views are rows of a system table: every version of one stays findable, and a change
 * committed by another session makes prepared plans bind again, as DDL does. */
static void test_views_across_versions_and_sessions(void)
{
    ST(s1, "create view vv as select 0 as x", "00000");
    for (int i = 1; i <= 12; i++) { /* more versions of the key than a lookup first asks for */
        char sql[64];
        snprintf(sql, sizeof sql, "create or replace view vv as select %d as x", i);
        ST(s1, sql, "00000");
    }
    Q(s1, "select x from vv", "12");
    eng_stmt *st;
    eng_error err;
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s2, "select x from vv", 16, &st, &err), 0);
    CU_ASSERT_EQUAL(run_prepared(st), 12);
    ST(s1, "begin", "00000");
    ST(s1, "create or replace view vv as select 13 as x", "00000");
    CU_ASSERT_EQUAL(run_prepared(st), 12); /* not committed yet */
    ST(s1, "commit", "00000");
    CU_ASSERT_EQUAL(run_prepared(st), 13);
    ST(s1, "drop view vv", "00000");
    CU_ASSERT_EQUAL(run_prepared(st), -1); /* binds again, and the view is gone */
    eng_stmt_free(st);
}

/* A table and a view share one namespace, also across concurrent transactions: of two
 * creating the same name, the later statement gets 40001 whichever kind comes first. */
static void test_table_and_view_names_across_transactions(void)
{
    ST(s1, "begin", "00000");
    ST(s1, "create table tv1 (a int)", "00000");
    ST(s2, "begin", "00000");
    ST(s2, "create view tv1 as select 1 as a", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    ST(s2, "create view tv1 as select 1 as a", "42S01");

    ST(s1, "begin", "00000");
    ST(s1, "create view tv2 as select 1 as b", "00000");
    ST(s2, "begin", "00000");
    ST(s2, "create table tv2 (a int)", "40001");
    ST(s2, "rollback", "00000");
    ST(s2, "begin", "00000");
    ST(s2, "create table tv2 as select 2 as a", "40001");
    ST(s2, "rollback", "00000");
    ST(s1, "commit", "00000");
    ST(s2, "create table tv2 (a int)", "42S01");

    /* A view committed after a transaction began is a conflict for it, not "exists". */
    ST(s2, "begin", "00000");
    Q(s2, "select count(*) from tv1", "0"); /* the snapshot is taken */
    ST(s1, "create view tv3 as select 3 as c", "00000");
    ST(s2, "create table tv3 (a int)", "40001");
    ST(s2, "rollback", "00000");

    /* Replaced and dropped views leave versions behind; none of them stops a table. */
    for (int i = 0; i < 20; i++)
        ST(s1, "create or replace view tv4 as select 4 as d", "00000");
    ST(s1, "drop view tv4", "00000");
    ST(s2, "create table tv4 (a int)", "00000");
    ST(s1, "create table if not exists tv1 (a int)", "00000");
    ST(s1, "drop table tv1", "00000");
    ST(s1, "drop table tv4", "00000");
    ST(s1, "drop view tv2", "00000");
    ST(s1, "drop view tv3", "00000");
}

static CU_TestInfo mvcc_tests[] = {
    {"table and view names across transactions", test_table_and_view_names_across_transactions},
    {"views across versions and sessions", test_views_across_versions_and_sessions},
    {"UPDATE and DELETE", test_update_and_delete},
    {"row counts", test_row_counts},
    {"write-write conflicts", test_write_write_conflicts},
    {"appends never conflict", test_appends_never_conflict},
    {"keys across transactions", test_keys_across_transactions},
    {"DEFAULT values", test_defaults},
    {"UPDATE sees its own writes once", test_update_sees_own_writes_once},
    {"a failed UPDATE leaves nothing", test_failed_update_leaves_nothing},
    {"old versions are reclaimed", test_old_versions_are_reclaimed},
    {"reclaiming respects old snapshots", test_reclaiming_respects_old_snapshots},
    {"dropped tables are freed", test_dropped_tables_are_freed},
    {"ALTER TABLE", test_alter_table},
    {"ALTER TABLE conflicts", test_alter_conflicts},
    {"scans of whole committed segments", test_whole_segment_scans},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"mvcc", setup, teardown, NULL, NULL, mvcc_tests})
