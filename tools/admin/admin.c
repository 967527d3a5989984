/*
 * eider-admin: looks after a database file directly (not through ODBC).
 *
 *   eider-admin info FILE        header, log, checkpoint and tables
 *   eider-admin check FILE       verifies checksums, replays the log, checks every table
 *   eider-admin checkpoint FILE  writes a checkpoint now, cutting the log
 *
 * info and check open the file read-only (they share it with other readers and are
 * refused while a process has it open read-write); checkpoint opens it read-write.
 * Exit status: 0 fine, 1 problems found or the file could not be opened, 2 usage.
 */
#include "eider/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static long long admin_size(const char *path, const char *suffix)
{
    char p[4096];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

static eng_db *admin_open(const char *path, bool read_only)
{
    eng_db *db;
    eng_error err;
    eng_open_opts o = {.read_only = read_only};
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "eider-admin: %s does not exist\n", path);
        return NULL;
    }
    if (eng_db_open(path, &o, &db, &err) != 0) {
        fprintf(stderr, "eider-admin: [%s] %s\n", err.sqlstate, err.message);
        return NULL;
    }
    return db;
}

static void admin_print_table(const eng_table_info *t, void *ctx)
{
    (void)ctx;
    printf("  %-24s %6u columns %3u keys %12llu rows %12llu positions %6llu segments\n", t->name,
           t->columns, t->keys, (unsigned long long)t->rows, (unsigned long long)t->positions,
           (unsigned long long)t->segments);
}

static void admin_print_stats(eng_db *db, const char *path)
{
    eng_db_stats s;
    eng_db_get_stats(db, &s);
    printf("database      %s (%lld bytes)\n", path, admin_size(path, ""));
    printf("log           %lld bytes (%s.wal)", admin_size(path, ".wal"), path);
    long long old = admin_size(path, ".wal.old");
    if (old >= 0)
        printf(", plus %lld bytes in %s.wal.old (an interrupted checkpoint)", old, path);
    printf("\ncommitted     up to timestamp %llu\n", (unsigned long long)s.commit_ts);
    if (s.checkpoint_ts)
        printf("checkpoint    timestamp %llu, image of %llu bytes at offset %llu\n",
               (unsigned long long)s.checkpoint_ts, (unsigned long long)s.image_bytes,
               (unsigned long long)s.image_offset);
    else
        printf("checkpoint    none yet: everything is in the log\n");
    printf("memory        %llu segments, %llu bytes of table data\n",
           (unsigned long long)s.segments, (unsigned long long)s.table_bytes);
}

static int admin_info(const char *path)
{
    eng_db *db = admin_open(path, true);
    if (!db)
        return 1;
    admin_print_stats(db, path);
    printf("tables\n");
    eng_db_tables(db, admin_print_table, NULL);
    eng_db_close(db);
    return 0;
}

static int admin_check(const char *path)
{
    /* Opening verifies the headers and the checkpoint's block checksums and replays the
     * log (whose records are checksummed too): a damaged file fails here already. */
    eng_db *db = admin_open(path, true);
    if (!db)
        return 1;
    static char report[65536];
    uint64_t problems = eng_db_check(db, report, sizeof report);
    eng_db_close(db);
    if (problems) {
        fputs(report, stdout);
        printf("%s: %llu problems\n", path, (unsigned long long)problems);
        return 1;
    }
    printf("%s: ok (headers, checkpoint checksums, log records, rows and keys)\n", path);
    return 0;
}

static int admin_checkpoint(const char *path)
{
    eng_db *db = admin_open(path, false);
    if (!db)
        return 1;
    eng_error err;
    long long before = admin_size(path, ".wal");
    int rc = eng_db_checkpoint(db, &err);
    if (rc != 0)
        fprintf(stderr, "eider-admin: checkpoint failed: [%s] %s\n", err.sqlstate, err.message);
    else
        printf("checkpoint written; log %lld -> %lld bytes\n", before, admin_size(path, ".wal"));
    eng_db_close(db);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s info|check|checkpoint DATABASE-FILE\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "info") == 0)
        return admin_info(argv[2]);
    if (strcmp(argv[1], "check") == 0)
        return admin_check(argv[2]);
    if (strcmp(argv[1], "checkpoint") == 0)
        return admin_checkpoint(argv[2]);
    fprintf(stderr, "usage: %s info|check|checkpoint DATABASE-FILE\n", argv[0]);
    return 2;
}
