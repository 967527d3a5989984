/*
 * The log's direct-write format (engine/src/wal_write.c): concurrent commits share runs,
 * several records written together and padded to the log's alignment. Replay follows the
 * runs, and a damaged record inside a run ends the log right there: the records after it,
 * in the same run and in later ones, are never applied, and new commits continue after
 * the last good record. Also: a log written without direct writes (Synchronous=NORMAL)
 * is read and continued by a Synchronous=FULL open, and the other way round.
 */
#include "../common/engine_util.h"
#include "../common/test_main.h"

#include "bytebuf.h"
#include "wal_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define THREADS 4
#define COMMITS 150

static char dir[64];
static char path[128];
static char wal[160];

static int setup(void)
{
    if (eu_temp_folder("walruns", "runs.eider", dir, path) != 0)
        return 1;
    snprintf(wal, sizeof wal, "%s.wal", path);
    return 0;
}

static int teardown(void)
{
    return eu_remove_folder(dir) == 0 ? 0 : 1;
}

static eng_db *open_db(eng_sync sync)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {.sync = sync};
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "open failed: %s %s\n", err.sqlstate, err.message);
        return NULL;
    }
    return db;
}

static const char *query(eng_db *db, const char *sql)
{
    eng_session *s;
    eng_error err;
    if (eng_session_open(db, &s, &err) != 0)
        return "no session";
    const char *r = eu_query(s, sql);
    eng_session_close(s);
    return r;
}

typedef struct {
    eng_db *db;
    int id, failures;
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    eng_session *s;
    eng_error err;
    if (eng_session_open(w->db, &s, &err) != 0) {
        w->failures = COMMITS;
        return NULL;
    }
    char sql[96];
    for (int i = 0; i < COMMITS; i++) {
        snprintf(sql, sizeof sql, "insert into t values (%d)", w->id * 1000 + i);
        if (eu_exec(s, sql, NULL, 0, &err) != 0)
            w->failures++;
    }
    eng_session_close(s);
    return NULL;
}

static unsigned char *read_file(const char *p, size_t *size)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    struct stat st;
    fstat(fileno(f), &st);
    *size = (size_t)st.st_size;
    unsigned char *buf = malloc(*size + 1);
    if (buf && fread(buf, 1, *size, f) != *size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* The records of the log: their offsets, and whether each ends a run. Returns the count. */
static int walk_log(const unsigned char *buf, size_t size, uint32_t align, uint64_t *offs,
                    bool *ends, int max)
{
    uint64_t off = wal_round(WAL_FILE_HEADER, align);
    int n = 0;
    while (n < max && off + WAL_RECORD_HEADER <= size) {
        uint32_t word = bb_get32(buf + off), len = word & ~WAL_RUN_END;
        if (len == 0 || off + WAL_RECORD_HEADER + len > size)
            break;
        offs[n] = off;
        ends[n] = (word & WAL_RUN_END) != 0;
        off += WAL_RECORD_HEADER + len;
        if (ends[n++])
            off = wal_round(off, align);
    }
    return n;
}

static void test_damage_inside_a_run_ends_the_log(void)
{
    eng_db *db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "create table t (a int)"), "");
    writer w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (writer){db, i + 1, 0};
        pthread_create(&th[i], NULL, writer_main, &w[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CU_ASSERT_EQUAL(w[i].failures, 0);
    }
    eng_db_close(db);

    size_t size = 0;
    unsigned char *buf = read_file(wal, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    uint32_t version = bb_get32(buf + 8), align = bb_get32(buf + 12);
    if (version < 2) {
        /* This file system does not take O_DIRECT writes: no runs to damage. */
        fprintf(stderr, "(the log in %s is not written directly; skipped) ", dir);
        free(buf);
        return;
    }
    enum { MAX = 1 + THREADS * COMMITS };
    static uint64_t offs[MAX];
    static bool ends[MAX];
    int n = walk_log(buf, size, align, offs, ends, MAX);
    CU_ASSERT_EQUAL_FATAL(n, MAX); /* every commit, create table included */
    /* Concurrent commits shared runs; damage the first record after the table's creation
     * that is not the first of its run. */
    int victim = -1;
    for (int i = 2; i < n && victim < 0; i++)
        if (!ends[i - 1])
            victim = i;
    CU_ASSERT_TRUE_FATAL(victim > 1);
    buf[offs[victim] + WAL_RECORD_HEADER] ^= 0x5a; /* its payload: the CRC no longer holds */
    FILE *f = fopen(wal, "r+b");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, (long)(offs[victim] + WAL_RECORD_HEADER), SEEK_SET);
    fputc(buf[offs[victim] + WAL_RECORD_HEADER], f);
    fclose(f);
    free(buf);

    db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    char want[32];
    snprintf(want, sizeof want, "%d", victim - 1); /* the records before it, less the create */
    CU_ASSERT_STRING_EQUAL(query(db, "select count(*) from t"), want);
    CU_ASSERT_STRING_EQUAL(query(db, "insert into t values (-1)"), "");
    eng_db_close(db);
    struct stat st;
    CU_ASSERT_EQUAL(stat(wal, &st), 0);
    CU_ASSERT_TRUE((uint64_t)st.st_size > offs[victim]);

    db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    snprintf(want, sizeof want, "%d", victim);
    CU_ASSERT_STRING_EQUAL(query(db, "select count(*) from t"), want);
    CU_ASSERT_STRING_EQUAL(query(db, "select count(*) from t where a = -1"), "1");
    CU_ASSERT_STRING_EQUAL(query(db, "checkpoint"), "");
    eng_db_close(db);
}

static void test_normal_log_continued_by_full(void)
{
    CU_ASSERT_EQUAL(unlink(path), 0);
    CU_ASSERT_EQUAL(unlink(wal), 0);
    eng_db *db = open_db(ENG_SYNC_NORMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "create table t (a int)"), "");
    CU_ASSERT_STRING_EQUAL(query(db, "insert into t values (1)"), "");
    eng_db_close(db);
    db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "insert into t values (2)"), "");
    eng_db_close(db);
    db = open_db(ENG_SYNC_NORMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "insert into t values (3)"), "");
    CU_ASSERT_STRING_EQUAL(query(db, "select a from t order by a"), "1;2;3");
    eng_db_close(db);

    /* And the other way: a log written directly, continued through the page cache. */
    CU_ASSERT_EQUAL(unlink(path), 0);
    CU_ASSERT_EQUAL(unlink(wal), 0);
    db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "create table t (a int)"), "");
    CU_ASSERT_STRING_EQUAL(query(db, "insert into t values (1)"), "");
    eng_db_close(db);
    for (int i = 2; i <= 4; i++) {
        db = open_db(i % 2 ? ENG_SYNC_FULL : ENG_SYNC_NORMAL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(db);
        char sql[64];
        snprintf(sql, sizeof sql, "insert into t values (%d), (%d)", i, i * 10);
        CU_ASSERT_STRING_EQUAL(query(db, sql), "");
        eng_db_close(db);
    }
    db = open_db(ENG_SYNC_FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_STRING_EQUAL(query(db, "select a from t order by a"), "1;2;3;4;20;30;40");
    eng_db_close(db);
}

static CU_TestInfo runs_tests[] = {
    {"a damaged record inside a run ends the log", test_damage_inside_a_run_ends_the_log},
    {"logs are continued across Synchronous modes", test_normal_log_continued_by_full},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"wal runs", setup, teardown, NULL, NULL, runs_tests})
