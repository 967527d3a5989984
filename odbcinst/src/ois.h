/*
 * Inside the setup library libeiderodbcS.so (prefix ois_): Eider's DSN keys as a property
 * list shows them, the check of a key's value (the driver's own check, driver/src/keys.c,
 * compiled in), attribute lists, the odbc.ini files of the two levels, and adding, changing
 * and removing DSNs through unixODBC's installer API. The eider-odbc CLI uses the same
 * pieces. Functions that can fail return 0 or an ODBC_ERROR_* installer code, with a
 * message for a person in msg.
 */
#ifndef EIDER_OIS_H
#define EIDER_OIS_H

#include <odbcinst.h>

#include <stdbool.h>
#include <stddef.h>

/* The driver's name in odbcinst.ini: part of Eider's public contract. */
#define OIS_DRIVER_NAME "Eider"
/* Room for one installer message; unixODBC keeps messages of up to 1024 bytes. */
#define OIS_MSG_MAX 1000

/* --- keys (ois_keys.c) --- */

typedef struct ois_key {
    const char *name;           /* spelled as docs/dsn-keys.md spells it */
    int prompt;                 /* ODBCINST_PROMPTTYPE_* */
    const char *const *choices; /* NULL-terminated, for list and combo boxes; else NULL */
    const char *value;          /* what a new DSN starts with: the driver's default or "" */
    const char *help;
} ois_key;

extern const ois_key ois_keys[];
extern const size_t ois_key_count;

/* The table entry for a key (case-insensitive), or NULL. */
const ois_key *ois_key_find(const char *name);
/* Whether key=value may be written to an Eider DSN: the driver's known keys with values the
 * driver accepts, and the keys the driver manager keeps in DSN sections. An empty value
 * always passes: it means "the default" and is never written. */
int ois_key_check(const char *key, const char *value, char *msg, size_t size);

/* --- attribute lists (ois_attrs.c) --- */

#define OIS_ATTRS_MAX 64

typedef struct ois_attr {
    const char *key, *value; /* trimmed, pointing into the list's own copy */
} ois_attr;

typedef struct ois_attrs {
    char *copy;
    size_t n;
    ois_attr at[OIS_ATTRS_MAX];
} ois_attrs;

/* Parses "KEY=VALUE\0KEY=VALUE\0\0" (NULL: no attributes). Refuses an entry without '=',
 * an empty key and a key given twice. Free with ois_attrs_free, also after a failure. */
int ois_attrs_parse(const char *list, ois_attrs *out, char *msg, size_t size);
const char *ois_attrs_get(const ois_attrs *l, const char *key);
void ois_attrs_free(ois_attrs *l);

/* --- files (ois_files.c) --- */

/* The odbc.ini of a level (ODBC_USER_DSN or ODBC_SYSTEM_DSN), as unixODBC finds it. */
void ois_ini_path(UWORD level, char *buf, size_t size);
/* The odbcinst.ini where drivers are registered. */
void ois_odbcinst_path(char *buf, size_t size);
/* Makes sure a file exists (created empty with mode) and can be written, before unixODBC
 * writes it: unixODBC refuses to create a missing system odbc.ini, and says only "request
 * failed" when it cannot write. hint follows the system error when permission is refused. */
int ois_file_prepare(const char *path, unsigned mode, const char *hint, char *msg, size_t size);
/* ois_file_prepare for the level's odbc.ini. */
int ois_ini_prepare(UWORD level, char *msg, size_t size);

/* --- DSNs (ois_dsn.c) --- */

/* Whether a DSN's Driver value names this driver: its name in odbcinst.ini or a path to
 * libeiderodbc.so. */
bool ois_driver_is_eider(const char *value, const char *driver);
/* ConfigDSN without the installer error buffer: request is one of ODBC_ADD_DSN,
 * ODBC_CONFIG_DSN, ODBC_REMOVE_DSN (at the user level, or at the level the driver manager
 * chose) or their _SYS_ variants (system level). Never prompts. */
int ois_config_dsn(WORD request, const char *driver, const char *attributes, char *msg,
                   size_t size);

/* --- messages (ois_error.c) --- */

/* Formats msg and returns code, so that a failure is one statement. */
int ois_fail(int code, char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
