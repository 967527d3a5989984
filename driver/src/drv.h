/*
 * Eider ODBC driver internals: the handle structures, diagnostics, and the functions the
 * exported ANSI (odbc_a.c) and Unicode (odbc_w.c) entry points share. Everything here is
 * hidden; only SQL* names leave the library (driver/eiderodbc.map), and nothing inside
 * calls an exported SQL* name, because under the driver manager those would bind to the
 * manager's functions instead of ours.
 *
 * Strings inside the driver are UTF-8. The entry points convert at the boundary.
 *
 * Locking: every entry point locks the handle it is called on. Statement functions that
 * reach the engine also take the connection's session lock, because statements of one
 * connection share its engine session (and its transaction).
 */
#ifndef EIDER_DRV_H
#define EIDER_DRV_H

#include "eider/engine.h"
#include "eider/pool.h"

#include <pthread.h>
#include <sql.h>
#include <sqlext.h>
#include <stdbool.h>

#define DRV_MAGIC_ENV   0x45454e56u /* "EENV" */
#define DRV_MAGIC_DBC   0x45444243u /* "EDBC" */
#define DRV_MAGIC_STMT  0x45535454u /* "ESTT" */
#define DRV_MAGIC_DESC  0x45445343u /* "EDSC" */
#define DRV_MAGIC_FREED 0xdeadbeefu

#define DRV_NAME         "Eider"
#define DRV_VERSION      "00.01.0000"
#define DRV_ODBC_VERSION "03.80"

typedef struct drv_diag_rec {
    char state[6];
    SQLINTEGER native;
    char *message; /* UTF-8, with the [Eider] prefix */
} drv_diag_rec;

typedef struct drv_diag {
    drv_diag_rec *recs;
    int n, cap;
    SQLRETURN rc;   /* return code of the last function (SQL_DIAG_RETURNCODE) */
    int error_next; /* records ODBC 2's SQLError has returned */
} drv_diag;

typedef struct drv_handle {
    unsigned magic;
    pthread_mutex_t lock;
    drv_diag diag;
} drv_handle;

typedef struct drv_dbc drv_dbc;
typedef struct drv_stmt drv_stmt;
typedef struct drv_desc drv_desc;     /* desc.h */
typedef struct drv_rows drv_rows;     /* rows.h */
typedef struct drv_scroll drv_scroll; /* scroll.c */

typedef struct drv_env {
    drv_handle h;
    SQLINTEGER odbc_version;
    drv_dbc *dbcs; /* guarded by h.lock */
} drv_env;

struct drv_dbc {
    drv_handle h;
    drv_env *env;
    drv_dbc *next; /* in env->dbcs */
    pthread_mutex_t session_lock;
    pool_lease *lease;     /* set while connected */
    eng_session *session;  /* the session held now (transaction mode: only while needed) */
    unsigned open_cursors; /* engine cursors open on this connection (session_lock) */
    /* Transaction mode: commits of this connection whose session already went back to the
     * pool and which are still waiting for their log sync. The next borrow waits for them,
     * so the connection always reads its own commits (session_lock, committed). */
    unsigned commits_in_flight;
    pthread_cond_t committed;
    char *dsn;
    char *database;     /* the canonical path, once connected */
    bool read_only;     /* SQL_ATTR_ACCESS_MODE */
    bool dsn_read_only; /* AccessMode=READ_ONLY: what a reset returns to */
    SQLUINTEGER autocommit;
    SQLUINTEGER login_timeout;
    drv_stmt *stmts; /* guarded by h.lock */
    drv_desc *descs; /* explicitly allocated descriptors, guarded by h.lock */
};

/* One parameter of one parameter set, as the descriptors bind it (execute.c hands it to
 * convert.c). */
typedef struct drv_param {
    bool bound;
    SQLSMALLINT io_type, c_type, sql_type;
    SQLULEN column_size;
    SQLSMALLINT digits;
    SQLPOINTER value;
    SQLLEN buffer_length;
    SQLLEN *ind;
} drv_param;

/* A parameter whose value comes at execution (SQLPutData), collected in pieces. */
typedef struct drv_dae {
    bool active; /* this parameter waits for data */
    bool got;    /* SQLPutData has sent something */
    char *data;
    SQLLEN len; /* bytes so far, or SQL_NULL_DATA */
    size_t cap;
} drv_dae;

struct drv_stmt {
    drv_handle h;
    drv_dbc *dbc;
    drv_stmt *next;      /* in dbc->stmts */
    eng_stmt *es;        /* the prepared statement, or NULL */
    drv_rows *rows;      /* a result the driver made (catalog functions), or NULL */
    SQLULEN cursor_type; /* SQL_CURSOR_FORWARD_ONLY or SQL_CURSOR_STATIC */
    drv_scroll *scroll;  /* a static cursor's kept result, or NULL */
    int64_t scroll_pos;  /* its rowset's first row; -1 before the start, rows after the end */
    bool executed;       /* SQLExecute ran since the last prepare */
    bool cursor;         /* a result set is open */
    bool engine_cursor;  /* the engine's cursor is open (counted in dbc->open_cursors) */
    const eng_chunk *chunk;
    uint32_t row;         /* current row in chunk; valid after a fetch */
    bool on_row;          /* SQLFetch positioned on a row */
    int getdata_col;      /* column of the last SQLGetData, for pieces */
    size_t getdata_off;   /* bytes of that column already returned */
    drv_desc *impl;       /* the four implicit descriptors, indexed by drv_desc_kind */
    drv_desc *ard, *apd;  /* the application descriptors in use (implicit or explicit) */
    SQLULEN rowset_pos;   /* block cursors: the row of the rowset SQLGetData reads */
    SQLULEN rowset_len;   /* rows in the current rowset */
    SQLLEN rows_affected; /* SQLRowCount: of the last execution (all its parameter sets) */
    drv_dae *dae;         /* data at execution: one per parameter, while need_data */
    uint32_t dae_n;
    int dae_current; /* the parameter SQLPutData fills, -1 before the first SQLParamData */
    bool need_data;  /* SQLExecute returned SQL_NEED_DATA: only ParamData/PutData/Cancel */
    char cursor_name[129];
    SQLULEN max_length;
    SQLULEN max_rows;      /* SQL_ATTR_MAX_ROWS: 0 for all */
    SQLULEN rows_fetched;  /* rows of this result handed out so far */
    SQLULEN rowset_size2;  /* SQL_ROWSET_SIZE, for ODBC 2's SQLExtendedFetch */
    bool noscan;           /* SQL_ATTR_NOSCAN: no escape translation */
    bool metadata_id;      /* SQL_ATTR_METADATA_ID: catalog arguments are identifiers */
    SQLULEN query_timeout; /* seconds; handed to the engine statement (eng_stmt_set_timeout) */
    /* Guards `es` for SQLCancel, which runs on another thread without the handle's lock:
     * the owner takes it to replace or free es, SQLCancel to interrupt it. */
    pthread_mutex_t cancel_lock;
    /* Atomic: SQLCancel came while a call that runs the engine several times (a parameter
     * array, filling a static cursor) was under way; it stops between two runs, where the
     * engine's own interrupt would find nothing running. */
    bool cancel_requested;
};

/* SQLCancel between the engine runs of one call (drv_stmt.cancel_requested): HY008 for the
 * caller to return, or SQL_SUCCESS. drv_cancel_arm clears a request at the call's start. */
void drv_cancel_arm(drv_stmt *st);
SQLRETURN drv_cancel_check(drv_stmt *st);

/* Handles. drv_valid checks a handle's magic; the entry points return SQL_INVALID_HANDLE
 * when it fails. */
bool drv_valid(const void *h, unsigned magic);
void drv_handle_init(drv_handle *h, unsigned magic);
void drv_handle_destroy(drv_handle *h);
SQLRETURN drv_alloc_handle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE *output);
SQLRETURN drv_free_handle(SQLSMALLINT type, SQLHANDLE h);
void drv_stmt_reset(drv_stmt *st); /* frees the engine statement and the cursor */

/* Entry and exit of every API function: validates and locks the handle and clears its
 * diagnostics (NULL: invalid handle); drv_leave settles the return code and unlocks. */
drv_handle *drv_enter(SQLHANDLE h, unsigned magic);
SQLRETURN drv_leave(drv_handle *h, SQLRETURN rc);

#define DRV_API __attribute__((visibility("default")))

/* The start of an entry point: validates and locks the handle, or returns
 * SQL_INVALID_HANDLE. */
#define DRV_ENTER(var, type, handle, magic)                                                        \
    type *var = (type *)drv_enter(handle, magic);                                                  \
    if (!var)                                                                                      \
        return SQL_INVALID_HANDLE;

/* Diagnostics. */
void drv_diag_clear(drv_handle *h);
/* Adds a record and returns rc (SQL_ERROR or SQL_SUCCESS_WITH_INFO) to the caller. */
SQLRETURN drv_diag_add(drv_handle *h, SQLRETURN rc, const char *state, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
SQLRETURN drv_diag_engine(drv_handle *h, const eng_error *err);
SQLRETURN drv_diag_nomem(drv_handle *h);
/* 01S02: the value asked for is not supported and `to` is in force instead. */
SQLRETURN drv_changed(drv_handle *h, const char *what, const char *to);
SQLRETURN drv_finish(drv_handle *h, SQLRETURN rc);
drv_handle *drv_handle_of(SQLSMALLINT type, SQLHANDLE h);

/* The value of a diagnostic field, for both the ANSI and the W entry point. */
typedef struct drv_diag_value {
    enum { DV_STR, DV_INT, DV_SMALLINT, DV_LEN } kind;
    const char *str;
    SQLLEN num;
} drv_diag_value;
SQLRETURN drv_get_diag_field(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec, SQLSMALLINT field,
                             drv_diag_value *out);

/* Strings at the API boundary. */
char *drv_str_in(const SQLCHAR *s, SQLINTEGER len); /* malloc'd copy; len may be SQL_NTS */
char *drv_wstr_in(const SQLWCHAR *s, SQLINTEGER len);
/* Copy out; *out_len gets the full length (bytes or characters); true when truncated. */
bool drv_str_out(const char *s, SQLCHAR *buf, SQLLEN cap, SQLLEN *out_len);
bool drv_wstr_out(const char *s, SQLWCHAR *buf, SQLLEN cap_chars, SQLLEN *out_chars);
/* Stores a string result, reporting 01004 on truncation. in_bytes: cap and length are in
 * bytes (for W functions that take SQLPOINTER buffers). */
SQLRETURN drv_put_str(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                      SQLLEN cap, SQLLEN *out_len);
SQLRETURN drv_put_str_small(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                            SQLLEN cap, SQLSMALLINT *out_len);
SQLRETURN drv_put_str_int(drv_handle *h, const char *s, bool wide, bool in_bytes, SQLPOINTER buf,
                          SQLLEN cap, SQLINTEGER *out_len);

/* UTF-8 <-> UTF-16 */
size_t drv_utf8_to_utf16(const char *s, size_t len, SQLWCHAR *out, size_t cap);
char *drv_utf16_to_utf8(const SQLWCHAR *s, size_t nchars, size_t *out_len);
size_t drv_wcslen(const SQLWCHAR *s);

/* The connection's session (session.c). Callers hold dbc->session_lock. drv_session
 * returns the session statements run on, borrowing one in transaction mode (NULL with a
 * diagnostic on h when none can be had); drv_session_settle hands it back in transaction
 * mode once no transaction and no cursor needs it. */
eng_session *drv_session(drv_dbc *dbc, drv_handle *h);
void drv_session_settle(drv_dbc *dbc);
void drv_cursor_opened(drv_stmt *st);
void drv_cursor_closed(drv_stmt *st); /* engine cursor gone: may settle */
/* Resets a connection for reuse (SQL_ATTR_RESET_CONNECTION). */
SQLRETURN drv_reset_connection(drv_dbc *dbc);
/* Counts a 40001 in the pool's statistics. */
void drv_note_engine_error(drv_dbc *dbc, const eng_error *err);

/* Connections. */
SQLRETURN drv_connect(drv_dbc *dbc, const char *conn_str, char **out_conn_str);
SQLRETURN drv_disconnect(drv_dbc *dbc);
SQLRETURN drv_end_tran(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT completion);

/* Attributes. */
SQLRETURN drv_set_env_attr(drv_env *env, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len);
SQLRETURN drv_get_env_attr(drv_env *env, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER cap,
                           SQLINTEGER *len);
SQLRETURN drv_set_connect_attr(drv_dbc *dbc, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len);
/* String attributes come back through *str (UTF-8) for the caller to convert. */
SQLRETURN drv_get_connect_attr(drv_dbc *dbc, SQLINTEGER attr, SQLPOINTER value, const char **str);
SQLRETURN drv_set_stmt_attr(drv_stmt *st, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len);
SQLRETURN drv_get_stmt_attr(drv_stmt *st, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER cap,
                            SQLINTEGER *len);

/* Statements. */
SQLRETURN drv_prepare(drv_stmt *st, const char *sql, size_t len);
SQLRETURN drv_execute(drv_stmt *st);
SQLRETURN drv_exec_direct(drv_stmt *st, const char *sql, size_t len);
/* The SQL the engine runs for the application's text: ODBC escape sequences translated.
 * *out is NULL when the text needs no change, else malloc'd. */
SQLRETURN drv_translate_sql(drv_handle *h, const char *sql, size_t len, char **out);
SQLRETURN drv_bind_parameter(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT io, SQLSMALLINT c_type,
                             SQLSMALLINT sql_type, SQLULEN size, SQLSMALLINT digits,
                             SQLPOINTER value, SQLLEN cap, SQLLEN *ind);
SQLRETURN drv_num_params(drv_stmt *st, SQLSMALLINT *n);
/* Parameter `index` (1-based, bound) of parameter set `row`, as convert.c reads it. */
void drv_param_of(drv_stmt *st, uint32_t index, SQLULEN row, drv_param *p);
SQLRETURN drv_execute_now(drv_stmt *st);
/* HY010 while the statement waits for data at execution, else SQL_SUCCESS. */
SQLRETURN drv_not_needing_data(drv_stmt *st);
/* Data at execution: SQL_NEED_DATA when a bound parameter waits for SQLPutData. */
SQLRETURN drv_dae_start(drv_stmt *st);
void drv_dae_clear(drv_stmt *st);
SQLRETURN drv_param_data(drv_stmt *st, SQLPOINTER *token);
SQLRETURN drv_put_data(drv_stmt *st, SQLPOINTER data, SQLLEN len);
SQLRETURN drv_describe_param(drv_stmt *st, SQLUSMALLINT n, SQLSMALLINT *type, SQLULEN *size,
                             SQLSMALLINT *digits, SQLSMALLINT *nullable);
SQLRETURN drv_row_count(drv_stmt *st, SQLLEN *count);
SQLRETURN drv_num_result_cols(drv_stmt *st, SQLSMALLINT *n);
/* The statement's result columns: of its prepared statement or of a driver-made result.
 * drv_result_known is false when there is neither (HY010 for describing functions). */
bool drv_result_known(const drv_stmt *st);
uint32_t drv_result_ncols(const drv_stmt *st);
const eng_column *drv_result_column(const drv_stmt *st, uint32_t i);
/* Column description; *name is UTF-8 owned by the statement. */
SQLRETURN drv_describe_col(drv_stmt *st, SQLUSMALLINT col, const char **name, SQLSMALLINT *type,
                           SQLULEN *size, SQLSMALLINT *digits, SQLSMALLINT *nullable);
SQLRETURN drv_col_attribute(drv_stmt *st, SQLUSMALLINT col, SQLUSMALLINT field, const char **str,
                            SQLLEN *num);
SQLRETURN drv_fetch(drv_stmt *st);
SQLRETURN drv_fetch_scroll(drv_stmt *st, SQLSMALLINT orientation, SQLLEN offset);
/* Fetching internals shared with scroll.c. */
int drv_pull_chunk(drv_stmt *st, const eng_chunk **out);
SQLRETURN drv_fill_rowset(drv_stmt *st, uint64_t start);
void drv_close_engine_cursor(drv_stmt *st);
/* Static cursors: the whole result kept in the driver (scroll.c). */
SQLRETURN drv_scroll_open(drv_stmt *st);
void drv_scroll_free(drv_scroll *sc);
SQLRETURN drv_scroll_fetch(drv_stmt *st, SQLSMALLINT orientation, SQLLEN offset);
int drv_scroll_next_row(drv_stmt *st, uint64_t row);
uint64_t drv_scroll_rows(const drv_stmt *st);
/* Opens the result the statement just produced: a static cursor keeps it whole. */
SQLRETURN drv_result_opened(drv_stmt *st);
SQLRETURN drv_get_data(drv_stmt *st, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                       SQLLEN cap, SQLLEN *ind);
SQLRETURN drv_bind_col(drv_stmt *st, SQLUSMALLINT col, SQLSMALLINT c_type, SQLPOINTER value,
                       SQLLEN cap, SQLLEN *ind);
SQLRETURN drv_close_cursor(drv_stmt *st, bool must_be_open);
SQLRETURN drv_free_stmt(drv_stmt *st, SQLUSMALLINT option);
SQLRETURN drv_more_results(drv_stmt *st);

/* SQLGetInfo: the value as a string or a number; *is_str tells which. */
typedef struct drv_info_value {
    enum { IV_STR, IV_U16, IV_U32, IV_ULEN } kind;
    const char *str;
    SQLULEN num;
} drv_info_value;
SQLRETURN drv_get_info(drv_dbc *dbc, SQLUSMALLINT type, drv_info_value *out);
SQLRETURN drv_get_functions(drv_dbc *dbc, SQLUSMALLINT id, SQLUSMALLINT *supported);
bool drv_function_supported(SQLUSMALLINT id);

/* Shared by the ANSI and W entry points (odbc_a.c). */
SQLRETURN drv_connect3(drv_dbc *dbc, char *dsn, char *uid, char *pwd); /* frees its args */
SQLRETURN drv_connect_out(drv_dbc *dbc, char *cs, bool given, bool wide, SQLPOINTER out,
                          SQLSMALLINT cap, SQLSMALLINT *out_len);
SQLRETURN drv_info_out(drv_dbc *dbc, const drv_info_value *v, bool wide, SQLPOINTER value,
                       SQLSMALLINT cap, SQLSMALLINT *len);
SQLRETURN drv_get_diag_rec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec, bool wide,
                           SQLPOINTER state, SQLINTEGER *native, SQLPOINTER msg, SQLSMALLINT cap,
                           SQLSMALLINT *msg_len);
SQLRETURN drv_diag_field(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT rec, SQLSMALLINT field,
                         bool wide, SQLPOINTER value, SQLSMALLINT cap, SQLSMALLINT *len);

/* SQL types of engine types (convert.c). */
SQLSMALLINT drv_sql_type(eng_type t);
SQLULEN drv_column_size(eng_type t);
SQLLEN drv_display_size(eng_type t);
SQLSMALLINT drv_decimal_digits(eng_type t);
/* More of a type's description (typedesc.c), after the reference's Appendix D. */
SQLLEN drv_octet_length(eng_type t);         /* the transfer octet length */
SQLSMALLINT drv_num_prec_radix(eng_type t);  /* 10 for numbers, 0 otherwise */
bool drv_has_decimal_digits(eng_type t);     /* false: DECIMAL_DIGITS is NULL */
SQLSMALLINT drv_verbose_type(SQLSMALLINT c); /* SQL_DATETIME for dates and times */
SQLSMALLINT drv_datetime_sub(SQLSMALLINT c); /* SQL_CODE_DATE ..., or 0 */
SQLSMALLINT drv_odbc2_type(SQLSMALLINT c);   /* SQL_DATE for SQL_TYPE_DATE ... */
bool drv_odbc2_app(const drv_stmt *st);      /* the environment asked for ODBC 2 */

#endif
