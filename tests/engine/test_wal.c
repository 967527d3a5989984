/*
 * Durability tests (engine/src/wal.c, logrec.c, dbfile.c): committed work survives a
 * reopen, rolled-back and failed work does not, a torn log tail is cut rather than
 * applied, foreign and damaged files are refused with clear errors, and the file lock
 * keeps a second writer out.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static int setup(void)
{
    if (eu_temp_folder("wal", "test.eider", dir, path) != 0)
        return 1;
    return 0;
}

static int teardown(void)
{
    return eu_remove_folder(dir) == 0 ? 0 : 1;
}

static eng_db *open_db(eng_session **s)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {0};
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "open failed: %s %s\n", err.sqlstate, err.message);
        return NULL;
    }
    if (eng_session_open(db, s, &err) != 0) {
        eng_db_close(db);
        return NULL;
    }
    return db;
}

static void close_db(eng_db *db, eng_session *s)
{
    eng_session_close(s);
    eng_db_close(db);
}

static off_t wal_size(void)
{
    char wal[160];
    snprintf(wal, sizeof wal, "%s.wal", path);
    struct stat st;
    return stat(wal, &st) == 0 ? st.st_size : -1;
}

static void test_commits_survive_reopen(void)
{
    eng_session *s;
    eng_db *db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_state(s, "create table t (a int, s varchar(10), d double, "
                                       "b boolean, g bigint)"),
                           "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (1, 'one', 1.5, true, "
                                       "-9223372036854775808), (2, null, null, null, null)"),
                           "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "create table gone (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "drop table gone"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (3, 'rolled', 0, false, 0)"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "rollback"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (4, 'bad', 1 / 0, true, 1)"), "22012");
    close_db(db, s);

    db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_query(s, "select * from t"),
                           "1|one|1.5|true|-9223372036854775808;2|NULL|NULL|NULL|NULL");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "select * from gone"), "42S02");
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (5, 'five', 5, true, 5)"), "00000");
    close_db(db, s);

    db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_query(s, "select a from t"), "1;2;5");
    close_db(db, s);
}

static void test_torn_tail_is_cut(void)
{
    /* Sizes are read with the database closed: while open, the log has a preallocated
     * tail that a clean close trims. */
    off_t before = wal_size();
    eng_session *s;
    eng_db *db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (6, 'six', 6, true, 6)"), "00000");
    close_db(db, s);
    off_t after = wal_size();
    CU_ASSERT_TRUE_FATAL(after > before);

    /* Simulate a crash in the middle of writing the last record. */
    char wal[160];
    snprintf(wal, sizeof wal, "%s.wal", path);
    CU_ASSERT_EQUAL_FATAL(truncate(wal, after - 3), 0);
    db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_query(s, "select a from t"), "1;2;5");
    CU_ASSERT_EQUAL(wal_size(), before); /* the torn record was cut off */
    CU_ASSERT_STRING_EQUAL(eu_state(s, "insert into t values (7, 'seven', 7, true, 7)"), "00000");
    close_db(db, s);

    /* Garbage after the last record (a torn header) is ignored too. */
    int fd = open(wal, O_WRONLY | O_APPEND);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(write(fd, "\x10\x00\x00\x00garbage", 11), 11);
    close(fd);
    db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(eu_query(s, "select a from t"), "1;2;5;7");
    close_db(db, s);
}

static void test_second_writer_is_refused(void)
{
    eng_session *s;
    eng_db *db = open_db(&s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    eng_db *second;
    eng_error err;
    eng_open_opts rw = {0}, ro = {.read_only = true};
    CU_ASSERT_EQUAL(eng_db_open(path, &rw, &second, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "08001");
    char pid[32];
    snprintf(pid, sizeof pid, "pid %d", (int)getpid());
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, pid));
    CU_ASSERT_EQUAL(eng_db_open(path, &ro, &second, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "08001");
    close_db(db, s);

    /* Read-only opens share the file and cannot write. */
    eng_db *r1, *r2;
    CU_ASSERT_EQUAL_FATAL(eng_db_open(path, &ro, &r1, &err), 0);
    CU_ASSERT_EQUAL_FATAL(eng_db_open(path, &ro, &r2, &err), 0);
    CU_ASSERT_EQUAL(eng_db_open(path, &rw, &second, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "read-only"));
    eng_session *rs;
    CU_ASSERT_EQUAL_FATAL(eng_session_open(r2, &rs, &err), 0);
    CU_ASSERT_STRING_EQUAL(eu_query(rs, "select a from t"), "1;2;5;7");
    CU_ASSERT_STRING_EQUAL(eu_state(rs, "insert into t values (8, 'x', 0, true, 0)"), "25006");
    eng_session_close(rs);
    eng_db_close(r1);
    eng_db_close(r2);
}

static void test_foreign_files_are_refused(void)
{
    char other[160];
    snprintf(other, sizeof other, "%s/notadb", dir);
    FILE *f = fopen(other, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("this is a text file, not a database\n", f);
    fclose(f);
    eng_db *db;
    eng_error err;
    eng_open_opts o = {0};
    CU_ASSERT_EQUAL(eng_db_open(other, &o, &db, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "not an Eider database"));

    /* A log that belongs to another database is refused, not replayed. */
    char wal[160], other_db[160], other_wal[176];
    snprintf(wal, sizeof wal, "%s.wal", path);
    snprintf(other_db, sizeof other_db, "%s/other.eider", dir);
    snprintf(other_wal, sizeof other_wal, "%s.wal", other_db);
    CU_ASSERT_EQUAL_FATAL(eng_db_open(other_db, &o, &db, &err), 0);
    eng_db_close(db);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s", wal, other_wal);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    CU_ASSERT_EQUAL(eng_db_open(other_db, &o, &db, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "XX001");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "different database"));

    snprintf(other, sizeof other, "%s/no/such/folder/x.eider", dir);
    CU_ASSERT_EQUAL(eng_db_open(other, &o, &db, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "does not exist"));
}

static CU_TestInfo wal_tests[] = {
    {"commits survive a reopen", test_commits_survive_reopen},
    {"a torn log tail is cut", test_torn_tail_is_cut},
    {"a second writer is refused", test_second_writer_is_refused},
    {"foreign files are refused", test_foreign_files_are_refused},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"wal", setup, teardown, NULL, NULL, wal_tests})
