/*
 * Eider's DSN keys as the setup library presents them (docs/dsn-keys.md is the reference),
 * and the check of a key's value.
 *
 * The check is the driver's own: driver/src/keys.c is compiled into this library, so a DSN
 * refused here is exactly one the driver would refuse at connect (08001), and a value the
 * driver accepts is never refused here. The table's starting values are the driver's
 * defaults (the pool's for the Pool* keys); tests/odbcinst/test_setup.c holds them against
 * pool_config_defaults(), so they cannot drift apart unnoticed.
 */
#include "ois.h"

#include "keys.h"

#include <odbcinstext.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const ois_access_modes[] = {"READ_WRITE", "READ_ONLY", NULL};
static const char *const ois_sync_modes[] = {"FULL", "NORMAL", "OFF", NULL};
static const char *const ois_yes_no[] = {"Yes", "No", NULL};
static const char *const ois_pool_modes[] = {"Session", "Transaction", NULL};

const ois_key ois_keys[] = {
    {"Description", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "", "Free text, shown by tools."},
    {"Database", ODBCINST_PROMPTTYPE_FILENAME, NULL, "",
     "The database file (created if missing; its folder must exist), ~/path, or :memory:. "
     "Empty: your own default database, ~/.local/share/eider/default.eider."},
    {"AccessMode", ODBCINST_PROMPTTYPE_LISTBOX, ois_access_modes, "READ_WRITE",
     "READ_ONLY shares the file with other reading processes and refuses every write."},
    {"UID", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "",
     "The account, for a database that has accounts; ignored while it has none."},
    {"PWD", ODBCINST_PROMPTTYPE_TEXTEDIT_PASSWORD, NULL, "",
     "The account's password. odbc.ini keeps it as plain text: prefer giving it when "
     "connecting."},
    {"Synchronous", ODBCINST_PROMPTTYPE_LISTBOX, ois_sync_modes, "FULL",
     "FULL: a commit returns once it is on disk. NORMAL and OFF: a power failure can lose "
     "the last commits."},
    {"Pooling", ODBCINST_PROMPTTYPE_LISTBOX, ois_yes_no, "Yes",
     "Keep sessions warm between connections. No: a session per connection."},
    {"PoolMode", ODBCINST_PROMPTTYPE_LISTBOX, ois_pool_modes, "Session",
     "Session: a connection holds its session until it disconnects. Transaction: only for "
     "each transaction."},
    {"PoolMaxSessions", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "100",
     "Sessions per database and account, 1 to 100000; further connections wait."},
    {"PoolMinIdle", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "0", "Idle sessions kept warm."},
    {"PoolIdleTimeout", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "60000",
     "Milliseconds before an idle session beyond PoolMinIdle closes."},
    {"PoolAcquireTimeout", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "30000",
     "Milliseconds a connection waits for a busy pool before it fails with HYT00."},
    {"PoolMaxLifetime", ODBCINST_PROMPTTYPE_TEXTEDIT, NULL, "1800000",
     "Milliseconds after which a session is replaced; 0: never."},
    {"ConfigFile", ODBCINST_PROMPTTYPE_FILENAME, NULL, "",
     "Configuration file with pool settings per database and account. Empty: "
     "~/.config/eider/eider.ini, then /etc/eider/eider.ini."},
};
const size_t ois_key_count = sizeof ois_keys / sizeof *ois_keys;

const ois_key *ois_key_find(const char *name)
{
    for (size_t i = 0; i < ois_key_count; i++)
        if (strcasecmp(name, ois_keys[i].name) == 0)
            return &ois_keys[i];
    return NULL;
}

int ois_key_check(const char *key, const char *value, char *msg, size_t size)
{
    if (!drv_key_known(key) && !drv_key_dsn_only(key)) {
        char names[400] = "";
        for (size_t i = 0; i < ois_key_count; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     ois_keys[i].name);
        return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                        "unknown key \"%s\": an Eider DSN takes %s (see docs/dsn-keys.md)", key,
                        names);
    }
    if (!*value)
        return 0;
    pool_request scratch = {0};
    const char *expect = drv_key_apply(key, value, &scratch);
    if (expect)
        return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                        "invalid value \"%s\" for %s: expected %s", value, key, expect);
    return 0;
}
