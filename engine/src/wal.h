/*
 * The write-ahead log beside the database file (NAME.wal): a header naming the database
 * it belongs to, then one self-delimiting, checksummed record per committed transaction
 * (docs/file-format.md). A commit is acknowledged after its record is written and, with
 * Synchronous=FULL, fdatasync'ed. Replay stops at the first incomplete or damaged record
 * and cuts the file there: a torn tail is never half-applied.
 *
 * Group commit: records are queued under the caller's commit lock (so the log's order is
 * the commit order), and made durable by wal_sync outside it, where concurrent commits
 * share writes and syncs (wal_write.c says how).
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

/* A record on its way to the disk. */
typedef struct wal_ticket wal_ticket;

/* Queues a record (written at once or by wal_sync; not yet durable) and gives its ticket.
 * `rec` (malloc'ed) is the log's from now on, also on failure. It has
 * WAL_RECORD_HEADER bytes of room in front of the payload (rec_len includes them);
 * payload_crc is the CRC-32C of the payload alone, computed outside the commit lock.
 * Callers serialise wal_append (the commit lock), so the log's order is the commit order. */
int wal_append(wal_log *w, unsigned char *rec, size_t rec_len, uint32_t payload_crc,
               uint64_t commit_ts, wal_ticket **ticket, eng_error *err);
/* Returns once the ticket's record and everything before it are durable (Synchronous=FULL;
 * otherwise at once): the number of fdatasync calls or direct writes this caller made for
 * the group (0 when others' covered it), or -1. Whoever makes records durable runs
 * `synced(ctx)` (when given) before it wakes their committers. */
int wal_sync(wal_log *w, wal_ticket *ticket, void (*synced)(void *ctx), void *ctx, eng_error *err);
/* Whether the ticket's record is durable (always, unless Synchronous=FULL). Lock-free. */
bool wal_durable(const wal_log *w, const wal_ticket *ticket);
/* The log offset just past the ticket's record. */
uint64_t wal_ticket_lsn(const wal_ticket *ticket);
void wal_ticket_free(wal_ticket *ticket);
uint64_t wal_size(const wal_log *w);
/* Whether the log holds no record. */
bool wal_empty(const wal_log *w);
/* Whether the log refuses commits: an fdatasync (or the cut after a failed write) failed. */
bool wal_broken(const wal_log *w);

#endif
