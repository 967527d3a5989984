/*
 * The write-ahead log beside the database file (NAME.wal): a header naming the database
 * it belongs to, then one self-delimiting, checksummed record per committed transaction
 * (docs/file-format.md). A commit is acknowledged after its record is written and, with
 * Synchronous=FULL, fdatasync'ed. Replay stops at the first incomplete or damaged record
 * and cuts the file there: a torn tail is never half-applied.
 *
 * Group commit: records are written under the caller's commit lock (so the log's order is
 * the commit order), and made durable by wal_sync outside it. One caller at a time runs
 * fdatasync and covers everything written so far; callers that arrive meanwhile wait for
 * that sync or the next one, so concurrent commits share fsyncs.
 */
#ifndef EIDER_WAL_H
#define EIDER_WAL_H

#include "eider/engine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WAL_RECORD_HEADER 20 /* u32 length, u32 payload CRC, u64 commit ts, u32 header CRC */

typedef struct wal_log wal_log;

int wal_open(const char *db_path, uint64_t db_uuid, bool read_only, eng_sync sync, wal_log **out,
             eng_error *err);
/* The log a checkpoint rotated away (NAME.wal.old), if a crash left it: *out is NULL when
 * there is none. */
int wal_open_old(const char *db_path, uint64_t db_uuid, bool read_only, wal_log **out,
                 eng_error *err);
/* Drops a reference; the last one closes the file (a clean close trims the preallocated
 * tail). The opener holds the first reference. */
void wal_close(wal_log *w);
void wal_ref(wal_log *w);

/* Checkpoint rotation: renames this log to NAME.wal.old and creates a fresh, synced
 * NAME.wal in *fresh. Caller holds the commit lock. */
int wal_rotate(wal_log *w, const char *db_path, wal_log **fresh, eng_error *err);
/* Deletes the file of a log whose records a checkpoint covers (NAME.wal.old). */
int wal_remove(wal_log *w, eng_error *err);

typedef int (*wal_apply_fn)(void *ctx, uint64_t commit_ts, const unsigned char *payload, size_t len,
                            eng_error *err);
/* Applies, in order, every complete record newer than `after` (records a checkpoint covers
 * are skipped); *last_ts gets the newest commit timestamp seen. */
int wal_replay(wal_log *w, wal_apply_fn apply, void *ctx, uint64_t after, uint64_t *last_ts,
               eng_error *err);

/* Writes a record (not yet synced); *lsn gets the log offset just past it. `rec` has
 * WAL_RECORD_HEADER bytes of room in front of the payload (rec_len includes them);
 * payload_crc is the CRC-32C of the payload alone, computed outside the commit lock.
 * Callers serialise wal_append (the commit lock). */
int wal_append(wal_log *w, unsigned char *rec, size_t rec_len, uint32_t payload_crc,
               uint64_t commit_ts, uint64_t *lsn, eng_error *err);
/* Returns once everything up to lsn is durable (Synchronous=FULL; otherwise at once): the
 * number of fdatasync calls this caller made as the group's leader (0 when another
 * caller's sync covered it), or -1. A leader runs `synced(ctx)` (when given) after each
 * successful fdatasync, before it wakes the callers that sync covered. */
int wal_sync(wal_log *w, uint64_t lsn, void (*synced)(void *ctx), void *ctx, eng_error *err);
/* Whether everything up to lsn is durable (always, unless Synchronous=FULL). Lock-free. */
bool wal_durable(const wal_log *w, uint64_t lsn);
uint64_t wal_size(const wal_log *w);
/* Whether the log holds no record. */
bool wal_empty(const wal_log *w);
/* Whether the log refuses commits: an fdatasync (or the cut after a failed write) failed. */
bool wal_broken(const wal_log *w);

#endif
