/*
 * Checkpoint tests (engine/src/dbckpt.c, ckpt.c, dbfile.c): what a checkpoint writes comes
 * back after reopening, together with what was committed after it; automatic checkpoints
 * keep the log bounded under steady updates while a reader holds an old snapshot; images
 * alternate so the file stays bounded; a damaged image or a newer format is refused; a full
 * disk fails the commit cleanly and leaves the database usable.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static int setup(void)
{
    if (eu_temp_folder("ckpt", "ckpt.eider", dir, path) != 0)
        return 1;
    return 0;
}

static int teardown(void)
{
    return eu_remove_folder(dir) == 0 ? 0 : 1;
}

static eng_db *open_db(eng_session **s, uint64_t checkpoint_bytes)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {.checkpoint_bytes = checkpoint_bytes};
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "open failed: %s %s\n", err.sqlstate, err.message);
        return NULL;
    }
    if (s && eng_session_open(db, s, &err) != 0) {
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

static off_t file_size(const char *suffix)
{
    char p[160];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    struct stat st;
    return stat(p, &st) == 0 ? st.st_size : -1;
}

#define ST(sql, expected) CU_ASSERT_STRING_EQUAL(eu_state(s, sql), expected)
#define Q(sql, expected)  CU_ASSERT_STRING_EQUAL(eu_query_sorted(s, sql), expected)

static void test_checkpoint_and_reopen(void)
{
    eng_session *s;
    eng_db *db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    ST("create table t (id int primary key, s varchar(20) default 'x', d double)", "00000");
    ST("insert into t values (1, 'one', 1.5), (2, 'two', null), (3, 'three', 3)", "00000");
    ST("update t set d = 22 where id = 2", "00000");
    ST("delete from t where id = 3", "00000");
    ST("create table gone (a int)", "00000");
    ST("drop table gone", "00000");
    ST("checkpoint", "00000");
    CU_ASSERT_EQUAL(file_size(".wal.old"), -1); /* the rotated log is gone */
    /* Changes after the checkpoint go to the fresh log and refer to rows the image holds. */
    ST("insert into t (id, d) values (4, 4)", "00000");
    ST("update t set s = 'ONE' where id = 1", "00000");
    ST("delete from t where id = 2", "00000");
    ST("create table u (a int)", "00000");
    ST("insert into u values (7)", "00000");
    eng_db_stats stats;
    eng_db_get_stats(db, &stats);
    CU_ASSERT_EQUAL(stats.checkpoints, 1);
    CU_ASSERT_TRUE(stats.image_bytes > 0);
    close_db(db, s);

    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    Q("select * from t", "1|ONE|1.5;4|x|4");
    Q("select * from u", "7");
    ST("select * from gone", "42S02");
    ST("insert into t (id) values (4)", "23000"); /* the index was rebuilt */
    ST("insert into t (id) values (2)", "00000");
    ST("checkpoint", "00000");
    ST("checkpoint", "00000"); /* nothing new: a no-op */
    close_db(db, s);

    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    Q("select id from t", "1;2;4");
    close_db(db, s);
}

static int copy_file(const char *from_suffix, const char *to_suffix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s%s' '%s%s'", path, from_suffix, path, to_suffix);
    return system(cmd);
}

/* Logs whose records the image in force already holds (a crash between the header switch
 * and deleting NAME.wal.old leaves one; so does a log carried back by hand) are cut by the
 * next checkpoint without writing the image again. */
static void test_covered_logs_are_cut(void)
{
    eng_session *s;
    eng_db *db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    ST("create table c (id int primary key, v varchar(10))", "00000");
    ST("insert into c values (1, 'a'), (2, 'b')", "00000");
    ST("update c set v = 'B' where id = 2", "00000");
    CU_ASSERT_EQUAL(copy_file(".wal", ".saved"), 0); /* records up to now */
    ST("checkpoint", "00000");
    eng_db_stats before;
    eng_db_get_stats(db, &before);
    close_db(db, s);
    for (int as_old = 0; as_old < 2; as_old++) {
        CU_ASSERT_EQUAL(copy_file(".saved", as_old ? ".wal.old" : ".wal"), 0);
        db = open_db(&s, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(db);
        Q("select * from c", "1|a;2|B");
        ST("checkpoint", "00000");
        CU_ASSERT_EQUAL(file_size(".wal.old"), -1);
        CU_ASSERT_EQUAL(file_size(".wal"), 32); /* the file header alone */
        eng_db_stats after;
        eng_db_get_stats(db, &after);
        CU_ASSERT_EQUAL(after.checkpoints, 0); /* no image written */
        CU_ASSERT_EQUAL(after.image_offset, before.image_offset);
        close_db(db, s);
    }
    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    Q("select * from c", "1|a;2|B");
    close_db(db, s);
}

static void test_images_alternate(void)
{
    eng_session *s;
    eng_db *db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    off_t largest = 0;
    for (int i = 0; i < 8; i++) {
        ST("insert into u values (8)", "00000");
        ST("checkpoint", "00000");
        off_t size = file_size("");
        if (size > largest)
            largest = size;
    }
    eng_db_stats stats;
    eng_db_get_stats(db, &stats);
    /* Two images at most, plus the headers: the file does not grow per checkpoint. */
    CU_ASSERT_TRUE((uint64_t)largest <= 3 * 4096 + 2 * stats.image_bytes + 2 * 4096);
    close_db(db, s);
}

static void test_automatic_checkpoints_bound_the_log(void)
{
    eng_session *s, *reader;
    eng_error err;
    eng_db *db = open_db(&s, 64 * 1024);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_EQUAL_FATAL(eng_session_open(db, &reader, &err), 0);
    ST("create table hot (id int primary key, n bigint, pad varchar(100))", "00000");
    ST("insert into hot values (1, 0, 'padding padding padding padding padding'), "
       "(2, 0, 'padding')",
       "00000");
    /* A reader holding an old snapshot must not stop checkpoints (DuckDB's #9150). */
    CU_ASSERT_STRING_EQUAL(eu_state(reader, "begin"), "00000");
    CU_ASSERT_STRING_EQUAL(eu_query(reader, "select n from hot where id = 1"), "0");
    eng_stmt *st;
    const char *sql = "update hot set n = n + 1 where id = 1";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s, sql, strlen(sql), &st, &err), 0);
    uint64_t largest_log = 0;
    for (int i = 0; i < 3000; i++) {
        CU_ASSERT_EQUAL_FATAL(eng_stmt_execute(st, NULL, 0, &err), 0);
        eng_db_stats stats;
        eng_db_get_stats(db, &stats);
        if (stats.log_bytes > largest_log)
            largest_log = stats.log_bytes;
    }
    eng_stmt_free(st);
    eng_db_stats stats;
    for (int wait = 0; wait < 200; wait++) { /* the checkpointer runs in the background */
        eng_db_get_stats(db, &stats);
        if (stats.checkpoints > 0)
            break;
        usleep(10000);
    }
    CU_ASSERT_TRUE(stats.checkpoints > 0);
    /* 3,000 records of ~200 bytes would be ~600 KB; checkpoints keep it near 64 KB. */
    CU_ASSERT_TRUE(largest_log < 256 * 1024);
    CU_ASSERT_STRING_EQUAL(eu_query(reader, "select n from hot where id = 1"), "0");
    CU_ASSERT_STRING_EQUAL(eu_state(reader, "commit"), "00000");
    eng_session_close(reader);
    close_db(db, s);
    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    Q("select id, n from hot", "1|3000;2|0");
    close_db(db, s);
}

static void churn_segments(const eng_table_info *t, void *ctx)
{
    if (strcmp(t->name, "churn") == 0)
        *(uint64_t *)ctx = t->segments;
}

static uint64_t segments_of_churn(eng_db *db)
{
    uint64_t n = UINT64_MAX;
    eng_db_tables(db, churn_segments, &n);
    return n;
}

/* Updating a few rows over and over spreads their versions over many segments; the
 * reclaimer frees the dead ones while the database runs, and a reopened database must not
 * bring them back: the image's rows sit at their old positions, and the gaps between them
 * are dead. */
static void test_reopen_holds_only_live_segments(void)
{
    eng_session *s;
    eng_error err;
    eng_db *db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    ST("create table churn (id int primary key, n bigint)", "00000");
    ST("insert into churn values (1, 0), (2, 0), (3, 0)", "00000");
    eng_stmt *st;
    const char *sql = "update churn set n = n + 1";
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s, sql, strlen(sql), &st, &err), 0);
    for (int i = 0; i < 20000; i++) /* 60,000 versions: 30 segments of positions */
        CU_ASSERT_EQUAL_FATAL(eng_stmt_execute(st, NULL, 0, &err), 0);
    eng_stmt_free(st);
    ST("checkpoint", "00000");
    close_db(db, s);
    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    /* 30 segments of positions before; now only the one holding the live rows. */
    CU_ASSERT_EQUAL(segments_of_churn(db), 1);
    Q("select id, n from churn", "1|20000;2|20000;3|20000");
    /* More churn after the reopen: the segments the live rows were in die and go too. */
    CU_ASSERT_EQUAL_FATAL(eng_prepare(s, sql, strlen(sql), &st, &err), 0);
    for (int i = 0; i < 20000; i++)
        CU_ASSERT_EQUAL_FATAL(eng_stmt_execute(st, NULL, 0, &err), 0);
    eng_stmt_free(st);
    uint64_t n = 0;
    for (int wait = 0; wait < 200 && (n = segments_of_churn(db)) > 3; wait++)
        usleep(10000); /* the reclaimer runs after commits */
    CU_ASSERT_TRUE(n <= 3);
    close_db(db, s);
}

static void test_damaged_image_is_refused(void)
{
    eng_session *s;
    eng_db *db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    ST("checkpoint", "00000");
    eng_db_stats stats;
    eng_db_get_stats(db, &stats);
    close_db(db, s);
    /* Flip one byte in the middle of the image. */
    int fd = open(path, O_RDWR);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    unsigned char byte;
    off_t at = (off_t)(stats.image_offset + stats.image_bytes / 2);
    CU_ASSERT_EQUAL(pread(fd, &byte, 1, at), 1);
    byte ^= 0x5a;
    CU_ASSERT_EQUAL(pwrite(fd, &byte, 1, at), 1);
    eng_db *bad;
    eng_error err;
    eng_open_opts o = {0};
    int rc = eng_db_open(path, &o, &bad, &err);
    /* Restore it before asserting, so later tests keep a good file. */
    byte ^= 0x5a;
    CU_ASSERT_EQUAL(pwrite(fd, &byte, 1, at), 1);
    close(fd);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        eng_db_close(bad);
        return;
    }
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "XX001");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "corrupt"));
    db = open_db(&s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    close_db(db, s);
}

static void test_newer_format_is_refused(void)
{
    char other[160];
    snprintf(other, sizeof other, "%s/newer.eider", dir);
    eng_db *db;
    eng_error err;
    eng_open_opts o = {0};
    CU_ASSERT_EQUAL_FATAL(eng_db_open(other, &o, &db, &err), 0);
    eng_db_close(db);
    /* Rewrite both header slots with format version 99 and a valid checksum. */
    int fd = open(other, O_RDWR);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    for (int slot = 0; slot < 2; slot++) {
        unsigned char h[64];
        CU_ASSERT_EQUAL(pread(fd, h, sizeof h, slot * 4096), 64);
        h[8] = 99;
        /* CRC-32C of bytes 0..59, bitwise: the test must not share the engine's code. */
        uint32_t crc = ~0u;
        for (int i = 0; i < 60; i++) {
            crc ^= h[i];
            for (int k = 0; k < 8; k++)
                crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        for (int i = 0; i < 4; i++)
            h[60 + i] = (unsigned char)(crc >> (8 * i));
        CU_ASSERT_EQUAL(pwrite(fd, h, sizeof h, slot * 4096), 64);
    }
    close(fd);
    CU_ASSERT_EQUAL(eng_db_open(other, &o, &db, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.sqlstate, "08001");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "newer version"));
}

/* In a child process (the file size limit must not hit the test runner): fill the log up
 * to a size limit, check the commit fails with 53100 and the database stays usable. */
static int full_disk_child(void)
{
    eng_session *s;
    eng_db *db = open_db(&s, 0);
    if (!db)
        return 10;
    if (strcmp(eu_state(s, "create table big (a int, b varchar(4000))"), "00000") != 0)
        return 11;
    if (strcmp(eu_state(s, "insert into big values (1, 'before')"), "00000") != 0)
        return 12;
    eng_db_stats stats;
    eng_db_get_stats(db, &stats);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {(rlim_t)stats.log_bytes + 1000, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &lim);
    char sql[4200];
    snprintf(sql, sizeof sql, "insert into big values (2, '%03999d')", 0);
    if (strcmp(eu_state(s, sql), "53100") != 0)
        return 13;
    if (strcmp(eu_query(s, "select a from big"), "1") != 0)
        return 14; /* the failed commit left nothing */
    lim.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &lim);
    if (strcmp(eu_state(s, "insert into big values (3, 'after')"), "00000") != 0)
        return 15; /* usable again once there is room */
    close_db(db, s);
    db = open_db(&s, 0);
    if (!db || strcmp(eu_query_sorted(s, "select a from big"), "1;3") != 0)
        return 16;
    close_db(db, s);
    return 0;
}

static void test_full_disk(void)
{
    pid_t pid = fork();
    CU_ASSERT_TRUE_FATAL(pid >= 0);
    if (pid == 0)
        _exit(full_disk_child());
    int status;
    waitpid(pid, &status, 0);
    CU_ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0)
        fprintf(stderr, "full-disk child failed at step %d\n", WEXITSTATUS(status));
    CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

static CU_TestInfo checkpoint_tests[] = {
    {"checkpoint and reopen", test_checkpoint_and_reopen},
    {"images alternate", test_images_alternate},
    {"logs the image covers are cut", test_covered_logs_are_cut},
    {"automatic checkpoints bound the log", test_automatic_checkpoints_bound_the_log},
    {"a reopened database holds only live segments", test_reopen_holds_only_live_segments},
    {"a damaged image is refused", test_damaged_image_is_refused},
    {"a newer format is refused", test_newer_format_is_refused},
    {"a full disk fails the commit cleanly", test_full_disk},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"checkpoint", setup, teardown, NULL, NULL, checkpoint_tests})
