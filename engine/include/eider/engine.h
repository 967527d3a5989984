/*
 * Eider engine: the public C API of the embedded database.
 *
 * SQL text goes in, result chunks (column vectors of up to ENG_VECTOR_SIZE values) come
 * out. The engine knows nothing of ODBC; the pool owns database instances and the driver
 * converts chunks into the application's buffers. Every failing call fills an eng_error
 * with a SQLSTATE from sqlstates.def and a message a person can act on.
 *
 * Threading: an eng_db may be used by any number of threads at once. A session and the
 * statements prepared on it are used by one thread at a time (the caller serialises).
 */
#ifndef EIDER_ENGINE_H
#define EIDER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENG_VECTOR_SIZE 2048
#define ENG_MAX_MESSAGE 512

typedef enum eng_errcode {
#define ENG_ERRCODE(name, state, title) name,
#include "eider/sqlstates.def"
#undef ENG_ERRCODE
    ENG_ERRCODE_COUNT
} eng_errcode;

typedef struct eng_error {
    eng_errcode code;
    char sqlstate[6];
    char message[ENG_MAX_MESSAGE];
} eng_error;

/* The SQLSTATE and the title of a code (static strings). */
const char *eng_errcode_sqlstate(eng_errcode code);
const char *eng_errcode_title(eng_errcode code);

typedef enum eng_type_id {
    ENG_TYPE_NULL = 0,  /* the type of a bare NULL; never a column type */
    ENG_TYPE_BOOLEAN,   /* stored as uint8_t 0/1 */
    ENG_TYPE_INTEGER,   /* int32_t */
    ENG_TYPE_BIGINT,    /* int64_t */
    ENG_TYPE_DOUBLE,    /* double (also REAL: stored as a double) */
    ENG_TYPE_VARCHAR,   /* eng_str */
    ENG_TYPE_SMALLINT,  /* int16_t */
    ENG_TYPE_DECIMAL,   /* eng_int128: the value times 10^scale (see ENG_DECIMAL_*) */
    ENG_TYPE_DATE,      /* int32_t: days since 1970-01-01 */
    ENG_TYPE_TIME,      /* int64_t: microseconds since midnight */
    ENG_TYPE_TIMESTAMP, /* int64_t: microseconds since 1970-01-01 00:00:00, no time zone */
    ENG_TYPE_INTERVAL,  /* eng_interval */
    ENG_TYPE_BLOB,      /* eng_str of bytes */
} eng_type_id;

typedef struct eng_type {
    eng_type_id id;
    /* VARCHAR(n) and BLOB: maximum characters (bytes); DECIMAL(p,s): ENG_DECIMAL_WIDTH(p, s);
     * 0 for other types */
    uint32_t width;
} eng_type;

#define ENG_DECIMAL_MAX_PRECISION 38
#define ENG_DECIMAL_WIDTH(p, s)   ((uint32_t)(p) << 8 | (uint32_t)(s))
#define ENG_DECIMAL_PRECISION(t)  ((t).width >> 8)
#define ENG_DECIMAL_SCALE(t)      ((t).width & 0xFF)

/* A 128-bit two's complement integer in two halves (the layout of a little-endian
 * __int128): DECIMAL values. Copy it with memcpy; vectors do not guarantee 16-byte
 * alignment. */
typedef struct eng_int128 {
    uint64_t lo;
    int64_t hi;
} eng_int128;

/* An INTERVAL: months, days and microseconds are kept apart, as in PostgreSQL, because a
 * month has no fixed number of days and a day no fixed number of seconds across daylight
 * saving changes. */
typedef struct eng_interval {
    int32_t months;
    int32_t days;
    int64_t micros;
} eng_interval;

/* The length limit reported for VARCHAR without (n), and the largest n accepted. */
#define ENG_VARCHAR_MAX 65535

/* A string: bytes in UTF-8, not NUL-terminated, owned by the chunk or the table. */
typedef struct eng_str {
    const char *ptr;
    uint32_t len;
} eng_str;

/* One value, used for parameters. Integers of every width, dates, times and timestamps
 * travel in i; DECIMAL in dec (with the scale of its type); BLOB in s. */
typedef struct eng_value {
    eng_type_id type;
    bool is_null;
    uint8_t scale; /* DECIMAL: the value is u.dec / 10^scale */
    union {
        bool b;
        int64_t i;
        double d;
        eng_str s;
        eng_int128 dec;
        eng_interval iv;
    } u;
} eng_value;

/* A column vector of a result chunk: data points at values of the C type its type.id names
 * (see eng_type_id); nulls[i] is 1 when row i is NULL (a NULL pointer means no row is
 * NULL). */
typedef struct eng_vector {
    eng_type type;
    const void *data;
    const uint8_t *nulls;
} eng_vector;

typedef struct eng_chunk {
    uint32_t count;
    uint32_t ncols;
    const eng_vector *cols;
} eng_chunk;

static inline bool eng_vector_is_null(const eng_vector *v, uint32_t row)
{
    return v->nulls && v->nulls[row];
}

/* A result column's description. */
typedef struct eng_column {
    const char *name;
    const char *table; /* base table name, or "" for an expression */
    eng_type type;
    bool nullable;
} eng_column;

typedef enum eng_sync {
    ENG_SYNC_FULL = 0, /* fsync the log on every commit */
    ENG_SYNC_NORMAL,   /* write the log on commit, fsync at checkpoints */
    ENG_SYNC_OFF,      /* leave writing to the operating system */
} eng_sync;

typedef struct eng_open_opts {
    bool read_only;
    eng_sync sync;
    /* Log size that starts an automatic checkpoint; 0: the default, 16 MiB. */
    uint64_t checkpoint_bytes;
} eng_open_opts;

typedef struct eng_db eng_db;
typedef struct eng_session eng_session;
typedef struct eng_stmt eng_stmt;

/* Database: path is a file (created if absent) or ":memory:" for a private in-memory
 * database. The caller guarantees one eng_db per file per process (the pool does). */
int eng_db_open(const char *path, const eng_open_opts *opts, eng_db **out, eng_error *err);
void eng_db_close(eng_db *db);
const char *eng_db_path(const eng_db *db);
/* Writes a checkpoint now (what SQL CHECKPOINT does): the tables into the database file,
 * then the log is cut. Readers and writers keep working meanwhile. */
int eng_db_checkpoint(eng_db *db, eng_error *err);

typedef struct eng_db_stats {
    uint64_t commits;       /* write transactions committed since open */
    uint64_t log_syncs;     /* fdatasync calls for commits (group commit: fewer than commits) */
    uint64_t log_bytes;     /* size of the write-ahead log */
    uint64_t commit_ts;     /* the newest commit timestamp */
    uint64_t segments;      /* row segments held in memory, over all tables */
    uint64_t table_bytes;   /* bytes those segments take */
    uint64_t checkpoints;   /* checkpoints written since open */
    uint64_t checkpoint_ts; /* the commit timestamp the newest checkpoint covers */
    uint64_t image_offset;  /* where that checkpoint starts in the database file */
    uint64_t image_bytes;   /* its size */
} eng_db_stats;
void eng_db_get_stats(eng_db *db, eng_db_stats *out);
/* Whether the database refuses every commit until it is reopened: syncing its log failed
 * (58030), so what the log holds on disk is unknown. Reads go on working. */
bool eng_db_failed(eng_db *db);

/* The tables as the newest snapshot sees them. */
typedef struct eng_table_info {
    const char *name;
    uint32_t columns;
    uint32_t keys;      /* PRIMARY KEY and UNIQUE constraints */
    uint64_t rows;      /* live rows */
    uint64_t positions; /* row positions in use, dead versions included */
    uint64_t segments;  /* segments in memory */
} eng_table_info;
void eng_db_tables(eng_db *db, void (*fn)(const eng_table_info *t, void *ctx), void *ctx);
/* Checks every table: each live row readable, each key's index finding every live row
 * and no two live rows with one key. Writes one line per problem into report; returns the
 * number of problems. */
uint64_t eng_db_check(eng_db *db, char *report, size_t cap);

/* Accounts (CREATE USER ...). A database with no accounts is open to everyone; once it has
 * one, the pool authenticates every connection and gives its session the account's role. */
typedef enum eng_role {
    ENG_ROLE_OWNER = 0,  /* everything, including managing accounts */
    ENG_ROLE_READ_WRITE, /* reads and writes data and tables */
    ENG_ROLE_READ_ONLY,  /* reads only */
} eng_role;

bool eng_db_has_accounts(eng_db *db);
/* Changes whenever accounts change (a commit touching them); callers cache on it. */
uint64_t eng_db_accounts_version(eng_db *db);
/* Checks a password (PBKDF2-HMAC-SHA256, constant-time comparison): 0 and *role set, or
 * -1 with 28000. The message never says whether the account exists. */
int eng_db_authenticate(eng_db *db, const char *user, const char *password, size_t len,
                        eng_role *role, eng_error *err);
/* The PBKDF2 iterations new passwords get. */
#define ENG_PBKDF2_ITERATIONS 600000

/* Sessions carry transaction state. Closing a session rolls back its open transaction. */
int eng_session_open(eng_db *db, eng_session **out, eng_error *err);
void eng_session_close(eng_session *s);
/* Autocommit on (the default): each statement is its own transaction. Turning it on
 * commits an open transaction, as ODBC requires. */
int eng_session_set_autocommit(eng_session *s, bool on, eng_error *err);
bool eng_session_autocommit(const eng_session *s);
bool eng_session_in_transaction(const eng_session *s);
/* A read-only session refuses every statement that writes (25006), even on a read-write
 * database. */
void eng_session_set_read_only(eng_session *s, bool on);
bool eng_session_read_only(const eng_session *s);
/* The account a session acts for (NULL: none, on a database without accounts). A
 * read-only account cannot write; only owners manage accounts. */
void eng_session_set_account(eng_session *s, const char *name, eng_role role);
int eng_session_commit(eng_session *s, eng_error *err);
int eng_session_rollback(eng_session *s, eng_error *err);
/* eng_session_commit in two halves, so that a pool can lend the session to another
 * connection while this commit waits for its log sync: start ends the session's
 * transaction and writes its log record (a conflict or other failure is reported here, the
 * transaction rolled back), and the session is free at once; wait, on any thread, blocks
 * until the commit is durable and visible (or reports a failed sync: nothing committed)
 * and frees it. start sets *out to NULL when there is nothing to wait for; wait accepts
 * NULL. Every started commit must be waited for. */
typedef struct eng_commit eng_commit;
int eng_session_commit_start(eng_session *s, eng_commit **out, eng_error *err);
int eng_commit_wait(eng_commit *c, eng_error *err);

/* Back to a fresh session's state, for reuse by a pool: an open transaction is rolled
 * back, autocommit on, read-only off. The account stays. Statements prepared on the
 * session stay valid; their cursors must be closed first. */
void eng_session_reset(eng_session *s);
eng_db *eng_session_db(const eng_session *s);

/* Statements. Prepare parses and binds, so the result columns and the parameter count are
 * known before execution. */
int eng_prepare(eng_session *s, const char *sql, size_t len, eng_stmt **out, eng_error *err);
void eng_stmt_free(eng_stmt *st);
/* Moves a statement (with no open cursor) to another session of the same database, so a
 * connection that borrows a session per transaction keeps its prepared statements. */
void eng_stmt_set_session(eng_stmt *st, eng_session *s);
uint32_t eng_stmt_param_count(const eng_stmt *st);
/* The type a parameter is converted to (inferred from where it stands). */
eng_type eng_stmt_param_type(const eng_stmt *st, uint32_t index);
/* Result columns (0 for statements that return no rows). */
uint32_t eng_stmt_column_count(const eng_stmt *st);
const eng_column *eng_stmt_column(const eng_stmt *st, uint32_t index);

/* Execute with nparams values (must equal the parameter count). A statement that returns
 * rows leaves a cursor open: fetch chunks until eng_stmt_fetch returns 0. */
int eng_stmt_execute(eng_stmt *st, const eng_value *params, uint32_t nparams, eng_error *err);
/* Rows changed by the last INSERT/UPDATE/DELETE, or -1 for other statements. */
int64_t eng_stmt_row_count(const eng_stmt *st);
/* 1 and *out set: a chunk (valid until the next fetch or close); 0: no more rows;
 * -1: error. */
int eng_stmt_fetch(eng_stmt *st, const eng_chunk **out, eng_error *err);
void eng_stmt_close_cursor(eng_stmt *st);

/* Stopping a running statement. eng_stmt_interrupt may be called from any thread while
 * another runs eng_stmt_execute or eng_stmt_fetch on st: the running call fails with
 * HY008 soon after (it looks once per vector of rows). With a timeout (ms, 0 for
 * none; set while nothing runs on st), each execute or fetch call that runs longer fails
 * with HYT00. Either way the statement had no effect: a write is undone with its
 * autocommit transaction, or leaves the open transaction aborted like any failed
 * statement. An interrupt while nothing runs is forgotten. */
void eng_stmt_interrupt(eng_stmt *st);
void eng_stmt_set_timeout(eng_stmt *st, uint64_t ms);

/* Memory per query: the working memory of one SELECT (hash tables, sorts, buffers, not
 * the tables themselves) is counted, and a query that would pass the limit fails with
 * 53200. The limit applies to queries started afterwards, in every database of the
 * process; 0 means none. Without a call it is EIDER_QUERY_MEMORY_LIMIT from the
 * environment (bytes, or with a K, M or G suffix), else half of the physical memory. */
void eng_set_query_memory_limit(uint64_t bytes);
uint64_t eng_query_memory_limit(void);
/* Threads one query may use: an aggregation over a big table scans it with this many (the
 * calling thread included). 0 means one per processor, the default, or what
 * EIDER_QUERY_THREADS says; 1 runs every query on the calling thread alone. At most 16. */
void eng_set_query_threads(int n);
int eng_query_threads(void);
/* The most memory the statement's last execution held at once (bytes). */
uint64_t eng_stmt_memory_peak(const eng_stmt *st);

/* The text of row `row` of a vector as a cast to VARCHAR writes it (the row must not be
 * NULL). Returns the length, which may exceed cap - 1, as snprintf does. */
size_t eng_vector_text(const eng_vector *v, uint32_t row, char *buf, size_t cap);

/* Table functions: an upper layer (the pool) registers, once per process, a function with
 * fixed result columns; `SELECT ... FROM name()` then calls it when the query opens and
 * reads the rows it emits (WHERE, ORDER BY, joins and the rest apply as to any table).
 * A row is one eng_value per column, converted to the column's type; strings are copied
 * by emit. emit returns 0, or -1 when the query cannot take more (the function should
 * then return at once). The function returns 0, or -1 with a message in msg (at most
 * ENG_MAX_MESSAGE bytes) that the query fails with (HY000). It runs on the querying
 * thread and must not call back into the engine. Registering a name again replaces the
 * earlier function. Returns 0, or -1 when the name is empty, too long, or the registry is
 * full (64 functions). */
typedef int (*eng_table_fn_emit)(void *emit_ctx, const eng_value *row);
typedef int (*eng_table_fn)(void *ctx, eng_table_fn_emit emit, void *emit_ctx, char *msg);
int eng_register_table_function(const char *name, uint32_t ncols, const eng_column *cols,
                                eng_table_fn fn, void *ctx);

/* The proleptic Gregorian calendar, for converting DATE (days since 1970-01-01) and the
 * day part of TIMESTAMP to and from year, month and day. */
int64_t eng_days_from_civil(int64_t year, int month, int day);
void eng_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* Names of types as SQL spells them ("INTEGER", "VARCHAR", ...). */
const char *eng_type_name(eng_type_id id);

#ifdef __cplusplus
}
#endif
#endif
