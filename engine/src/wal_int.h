/*
 * The log's state, shared by wal.c (files: open, header, replay, rotation) and
 * wal_write.c (appending records and making them durable).
 */
#ifndef EIDER_WAL_INT_H
#define EIDER_WAL_INT_H

#include "wal.h"

#include <pthread.h>

#define WAL_FILE_HEADER 32
#define WAL_VERSION     2 /* 2: records start on `align` boundaries; 1: packed (align 1) */
/* Buffers for direct writes are aligned to this and records never need more. */
#define WAL_MAX_ALIGN 4096u

/* The run-end mark in a record's length word (wal_write.c). */
#define WAL_RUN_END 0x80000000u

/* A record on its way to the disk. */
struct wal_ticket {
    uint64_t end;            /* buffered mode: the log offset past its (padded) bytes */
    uint64_t lsn;            /* where the record's own bytes end (what wal_ticket_lsn reports) */
    unsigned char *buf;      /* direct mode: the record until written */
    size_t len;              /* direct mode: its length */
    int state;               /* direct mode: queued or being written (sync_lock) */
    uint64_t run;            /* direct mode: the run writing it, 0 before (sync_lock) */
    bool durable;            /* atomic: written and everything before it durable */
    bool failed;             /* atomic: its write failed; never durable */
    int refs;                /* atomic: the owner and, in direct mode, the queue */
    struct wal_ticket *next; /* the queue, in commit order (sync_lock) */
};

struct wal_log {
    int fd;
    int dfd; /* O_DIRECT | O_DSYNC writer when direct writes work here, else -1 */
    char *path;
    uint32_t align;   /* records start on multiples of this (1 in a version 1 log) */
    uint64_t start;   /* where the first record goes */
    uint64_t end;     /* next record's offset: changed under the commit lock (direct mode: by
                         the writer), read atomically */
    uint64_t rec_end; /* where the last record's own bytes end: a clean close trims to it */
    uint64_t db_uuid;
    eng_sync sync;
    bool read_only;
    bool broken; /* atomic: a sync or write failed in a way that leaves the disk unknown */
    pthread_mutex_t sync_lock;
    pthread_cond_t sync_cond;
    uint64_t synced;    /* bytes known durable (written under sync_lock, read atomically) */
    bool syncing;       /* a caller is in fdatasync (sync_lock) */
    uint64_t allocated; /* file size, including the preallocated tail (commit lock; in
                           direct mode the writer's) */
    /* Direct mode: records not yet durable, in commit order (sync_lock). */
    struct wal_ticket *pending, *pending_tail;
    int queued;         /* of them, not yet being written */
    bool writing;       /* a run is being written; its writer alone uses end, rec_end,
                           allocated and run */
    unsigned char *run; /* the writer's aligned buffer */
    size_t run_cap;
    int fail_errno;             /* of the last failed write */
    int expect;                 /* records the next write waits for (see wal_write.c) */
    uint64_t expect_until;      /* ... until this CLOCK_MONOTONIC time, in ns */
    bool gathering;             /* a writer waits on gather_cond */
    pthread_cond_t gather_cond; /* CLOCK_MONOTONIC */
    uint64_t runs;              /* runs started (sync_lock) */
    uint32_t wake[2];           /* futex words committers sleep on, by run parity */
    int refs;                   /* atomic */
};

static inline uint64_t wal_round(uint64_t x, uint32_t align)
{
    return (x + align - 1) / align * align;
}

int wal_io_error(eng_error *err, const char *what, const char *path);

#endif
