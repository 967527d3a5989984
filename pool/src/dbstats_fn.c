/*
 * eider_db_stats(): the engine's counters of every database this process has open, as a
 * table function (`SELECT * FROM eider_db_stats()`): commits and the log syncs they shared
 * (group commit), the log's size, memory held by table segments, and checkpoints. The
 * benchmark reads it to report fsyncs per commit; monitoring reads it like any table.
 */
#include "pool_int.h"

#include <stdio.h>
#include <string.h>

enum {
    DS_DATABASE,
    DS_ACCESS,
    DS_COMMITS,
    DS_LOG_SYNCS,
    DS_LOG_BYTES,
    DS_COMMIT_TS,
    DS_SEGMENTS,
    DS_TABLE_BYTES,
    DS_CHECKPOINTS,
    DS_CHECKPOINT_TS,
    DS_IMAGE_BYTES,
    DS_NCOLS
};

#define DS_BIGINT(name)                                                                            \
    {                                                                                              \
        name, "", {ENG_TYPE_BIGINT, 0}, false                                                      \
    }

static const eng_column ds_cols[DS_NCOLS] = {
    [DS_DATABASE] = {"database", "", {ENG_TYPE_VARCHAR, 0}, false},
    [DS_ACCESS] = {"access_mode", "", {ENG_TYPE_VARCHAR, 0}, false},
    [DS_COMMITS] = DS_BIGINT("commits"),
    [DS_LOG_SYNCS] = DS_BIGINT("log_syncs"),
    [DS_LOG_BYTES] = DS_BIGINT("log_bytes"),
    [DS_COMMIT_TS] = DS_BIGINT("commit_ts"),
    [DS_SEGMENTS] = DS_BIGINT("segments"),
    [DS_TABLE_BYTES] = DS_BIGINT("table_bytes"),
    [DS_CHECKPOINTS] = DS_BIGINT("checkpoints"),
    [DS_CHECKPOINT_TS] = DS_BIGINT("checkpoint_ts"),
    [DS_IMAGE_BYTES] = DS_BIGINT("image_bytes"),
};

typedef struct ds_walk {
    eng_table_fn_emit emit;
    void *emit_ctx;
    int rc;
} ds_walk;

static eng_value ds_int(uint64_t v)
{
    return (eng_value){.type = ENG_TYPE_BIGINT, .u.i = (int64_t)v};
}

static eng_value ds_text(const char *s)
{
    return (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {s, (uint32_t)strlen(s)}};
}

static void ds_row(const char *path, eng_db *db, bool read_only, void *arg)
{
    ds_walk *w = arg;
    if (w->rc != 0)
        return;
    eng_db_stats s;
    eng_db_get_stats(db, &s);
    eng_value row[DS_NCOLS] = {
        [DS_DATABASE] = ds_text(path),
        [DS_ACCESS] = ds_text(read_only ? "READ_ONLY" : "READ_WRITE"),
        [DS_COMMITS] = ds_int(s.commits),
        [DS_LOG_SYNCS] = ds_int(s.log_syncs),
        [DS_LOG_BYTES] = ds_int(s.log_bytes),
        [DS_COMMIT_TS] = ds_int(s.commit_ts),
        [DS_SEGMENTS] = ds_int(s.segments),
        [DS_TABLE_BYTES] = ds_int(s.table_bytes),
        [DS_CHECKPOINTS] = ds_int(s.checkpoints),
        [DS_CHECKPOINT_TS] = ds_int(s.checkpoint_ts),
        [DS_IMAGE_BYTES] = ds_int(s.image_bytes),
    };
    w->rc = w->emit(w->emit_ctx, row);
}

static int ds_fn(void *ctx, eng_table_fn_emit emit, void *emit_ctx, char *msg)
{
    (void)ctx;
    ds_walk w = {emit, emit_ctx, 0};
    if (pool_instance_each(ds_row, &w) != 0) {
        snprintf(msg, ENG_MAX_MESSAGE, "out of memory listing the open databases");
        return -1;
    }
    return w.rc;
}

void pool_register_db_stats_function(void)
{
    (void)eng_register_table_function("eider_db_stats", DS_NCOLS, ds_cols, ds_fn, NULL);
}
