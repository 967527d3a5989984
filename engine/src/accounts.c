/*
 * Accounts: CREATE / ALTER / DROP USER, and checking a password at connect.
 *
 * Accounts are rows of a hidden table, "$users" (name, salt, hash, iterations, role), so
 * they are transactional, logged and checkpointed like any data. SQL cannot name it (the
 * binder refuses names starting with '$'). Passwords are stored as PBKDF2-HMAC-SHA256 of a
 * random 16-byte salt, ENG_PBKDF2_ITERATIONS iterations, and compared in constant time.
 * The first account of a database is always an owner, so a database cannot lock itself
 * out; once accounts exist only owners may manage them, and the last owner cannot be
 * dropped or demoted.
 */
#include "stmt.h"

#include "errors.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ACCT_TABLE "$users"
#define ACCT_SALT  16
#define ACCT_HASH  32

enum { ACCT_NAME, ACCT_SALT_COL, ACCT_HASH_COL, ACCT_ITERATIONS, ACCT_ROLE, ACCT_NCOLS };

static void acct_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static bool acct_unhex(const eng_str *s, unsigned char *out, size_t n)
{
    if (s->len != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s->ptr[2 * i + k];
            v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10 : c - '0');
        }
        out[i] = (unsigned char)v;
    }
    return true;
}

static int acct_pbkdf2(const char *pw, size_t len, const unsigned char *salt, int iterations,
                       unsigned char *out, eng_error *err)
{
    if (PKCS5_PBKDF2_HMAC(pw, (int)len, salt, ACCT_SALT, iterations, EVP_sha256(), ACCT_HASH,
                          out) != 1)
        return err_set(err, ENG_E_GENERAL, "cannot hash a password (OpenSSL PBKDF2 failed)");
    return 0;
}

/* The accounts table t sees, with a reference, or NULL. */
static tbl_table *acct_table(eng_db *db, const txn *t)
{
    return cat_find(&db->catalog, ACCT_TABLE, t);
}

/* Claims an account's row for a change or a drop (db_claim_row). */
static int acct_claim(eng_db *db, tbl_table *tb, txn *t, uint64_t row, const char *name,
                      eng_error *err)
{
    int rc = db_claim_row(db, tb, t, row);
    if (rc > 0)
        return err_set(err, ENG_E_CONFLICT,
                       "Transaction conflict: account \"%s\" was changed by a concurrent "
                       "transaction; roll back and retry",
                       name);
    return rc < 0 ? err_set(err, ENG_E_NOMEM, "out of memory changing an account") : 0;
}

/* The live row of account `name`; -1 when there is none. */
static int64_t acct_find(tbl_table *tb, const char *name, const txn *t)
{
    eng_value key = {.type = ENG_TYPE_VARCHAR, .u.s = {name, (uint32_t)strlen(name)}};
    return txn_find_visible(tb, tb->keys[0].index, &key, t);
}

/* Counts live accounts, and owners among them. */
static void acct_count(tbl_table *tb, const txn *t, uint64_t *all, uint64_t *owners)
{
    *all = *owners = 0;
    for (uint64_t row = 0; txn_next_visible(tb, t, &row); row++) {
        eng_value role;
        tbl_get(tb, row, ACCT_ROLE, &role);
        (*all)++;
        *owners += role.u.i == ENG_ROLE_OWNER;
    }
}

uint64_t eng_db_accounts_version(eng_db *db)
{
    return __atomic_load_n(&db->accounts_version, __ATOMIC_ACQUIRE);
}

bool eng_db_has_accounts(eng_db *db)
{
    txn snap;
    db_snapshot(db_commit_ts(db), &snap);
    tbl_table *tb = acct_table(db, &snap);
    if (!tb)
        return false;
    uint64_t all, owners;
    acct_count(tb, &snap, &all, &owners);
    tbl_unref(tb);
    return all > 0;
}

int eng_db_authenticate(eng_db *db, const char *user, const char *password, size_t len,
                        eng_role *role, eng_error *err)
{
    txn snap;
    db_snapshot(db_commit_ts(db), &snap);
    tbl_table *tb = acct_table(db, &snap);
    int64_t row = tb && user ? acct_find(tb, user, &snap) : -1;
    unsigned char salt[ACCT_SALT], want[ACCT_HASH], got[ACCT_HASH];
    eng_value v[ACCT_NCOLS];
    bool ok = row >= 0;
    for (int c = 0; ok && c < ACCT_NCOLS; c++)
        tbl_get(tb, (uint64_t)row, (uint32_t)c, &v[c]);
    ok = ok && acct_unhex(&v[ACCT_SALT_COL].u.s, salt, ACCT_SALT) &&
         acct_unhex(&v[ACCT_HASH_COL].u.s, want, ACCT_HASH);
    /* Hash even for an unknown account, so timing does not tell which ones exist. */
    if (!ok) {
        memset(salt, 0, sizeof salt);
        memset(want, 0xff, sizeof want);
    }
    int iterations = ok ? (int)v[ACCT_ITERATIONS].u.i : ENG_PBKDF2_ITERATIONS;
    int rc = acct_pbkdf2(password ? password : "", password ? len : 0, salt, iterations, got, err);
    ok = ok && rc == 0 && CRYPTO_memcmp(got, want, ACCT_HASH) == 0;
    OPENSSL_cleanse(got, sizeof got);
    if (ok)
        *role = (eng_role)v[ACCT_ROLE].u.i;
    tbl_unref(tb);
    if (rc != 0)
        return -1;
    return ok ? 0
              : err_set(err, ENG_E_AUTH, "authentication failed for account \"%s\"",
                        user ? user : "");
}

/* The password a statement carries: its literal, or its parameter's value. */
static bool acct_password(const eng_stmt *st, const ast_expr *e, eng_str *out)
{
    if (e->kind == AST_LITERAL && e->u.literal.type == ENG_TYPE_VARCHAR) {
        *out = e->u.literal.u.s;
        return true;
    }
    if (e->kind == AST_PARAM && st->params && !st->params[e->u.param].is_null) {
        *out = st->params[e->u.param].u.s;
        return true;
    }
    return false;
}

/* The accounts table for t, created inside t when it does not exist yet. */
static tbl_table *acct_table_for_write(eng_stmt *st, txn *t, eng_error *err)
{
    eng_db *db = st->session->db;
    tbl_table *tb = acct_table(db, t);
    if (tb)
        return tb;
    tbl_column cols[ACCT_NCOLS] = {
        {"name", {ENG_TYPE_VARCHAR, 128}, true, false, {0}},
        {"salt", {ENG_TYPE_VARCHAR, 2 * ACCT_SALT}, true, false, {0}},
        {"hash", {ENG_TYPE_VARCHAR, 2 * ACCT_HASH}, true, false, {0}},
        {"iterations", {ENG_TYPE_INTEGER, 0}, true, false, {0}},
        {"role", {ENG_TYPE_INTEGER, 0}, true, false, {0}},
    };
    uint32_t key_col = ACCT_NAME;
    tbl_key key = {true, 1, &key_col, NULL};
    if (cat_create_table(&db->catalog, t, ACCT_TABLE, ACCT_NCOLS, cols, 1, &key, err) != 0)
        return NULL;
    return acct_table(db, t);
}

static int acct_may_manage(const eng_stmt *st, tbl_table *tb, const txn *t, eng_error *err)
{
    const eng_session *s = st->session;
    uint64_t all = 0, owners = 0;
    if (tb)
        acct_count(tb, t, &all, &owners);
    if (all == 0 || (s->account && s->role == ENG_ROLE_OWNER))
        return 0;
    return err_set(err, ENG_E_SYNTAX, "only an owner account may create, change or drop accounts");
}

/* Writes the row of an account (a new version of it when `old` >= 0). */
static int acct_write(eng_stmt *st, txn *t, tbl_table *tb, const char *name, const eng_str *pw,
                      int role, int64_t old, eng_error *err)
{
    eng_value v[ACCT_NCOLS];
    char salt_hex[2 * ACCT_SALT + 1], hash_hex[2 * ACCT_HASH + 1];
    if (old >= 0)
        for (int c = 0; c < ACCT_NCOLS; c++)
            tbl_get(tb, (uint64_t)old, (uint32_t)c, &v[c]);
    v[ACCT_NAME] = (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {name, (uint32_t)strlen(name)}};
    if (pw) {
        unsigned char salt[ACCT_SALT], hash[ACCT_HASH];
        if (RAND_bytes(salt, sizeof salt) != 1)
            return err_set(err, ENG_E_GENERAL, "cannot generate a salt");
        if (acct_pbkdf2(pw->ptr, pw->len, salt, ENG_PBKDF2_ITERATIONS, hash, err) != 0)
            return -1;
        acct_hex(salt, ACCT_SALT, salt_hex);
        acct_hex(hash, ACCT_HASH, hash_hex);
        OPENSSL_cleanse(hash, sizeof hash);
        v[ACCT_SALT_COL] = (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {salt_hex, 2 * ACCT_SALT}};
        v[ACCT_HASH_COL] = (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {hash_hex, 2 * ACCT_HASH}};
        v[ACCT_ITERATIONS] = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = ENG_PBKDF2_ITERATIONS};
    }
    if (role >= 0)
        v[ACCT_ROLE] = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = role};
    if (old >= 0 && acct_claim(st->session->db, tb, t, (uint64_t)old, name, err) != 0)
        return -1;
    return exec_append_rows(tb, t, v, 1, NULL, NULL, err);
}

int exec_user(eng_stmt *st, txn *t, eng_error *err)
{
    const ast_user *u = &st->ast->u.user;
    eng_db *db = st->session->db;
    ast_stmt_kind kind = st->ast->kind;
    if (u->name[0] == '\0' || strlen(u->name) > 128)
        return err_set(err, ENG_E_SYNTAX, "an account name must have 1 to 128 characters");
    tbl_table *tb = acct_table(db, t);
    int rc = acct_may_manage(st, tb, t, err);
    int64_t row = rc == 0 && tb ? acct_find(tb, u->name, t) : -1;
    eng_str pw;
    bool has_pw = u->password && acct_password(st, u->password, &pw);
    if (rc == 0 && u->password && !has_pw)
        rc = err_set(err, ENG_E_SYNTAX, "the password of account \"%s\" is missing", u->name);
    uint64_t all = 0, owners = 0;
    if (rc == 0 && tb)
        acct_count(tb, t, &all, &owners);
    bool owner_row = false;
    if (rc == 0 && row >= 0) {
        eng_value role;
        tbl_get(tb, (uint64_t)row, ACCT_ROLE, &role);
        owner_row = role.u.i == ENG_ROLE_OWNER;
    }
    if (rc == 0 && kind == STMT_CREATE_USER) {
        if (row >= 0) {
            rc = err_set(err, ENG_E_SYNTAX, "account \"%s\" already exists", u->name);
        } else {
            tbl_unref(tb);
            tb = acct_table_for_write(st, t, err);
            /* The first account is an owner, whatever was asked: someone must manage. */
            int role = all == 0 ? ENG_ROLE_OWNER : u->role >= 0 ? u->role : ENG_ROLE_READ_WRITE;
            rc = tb ? acct_write(st, t, tb, u->name, &pw, role, -1, err) : -1;
        }
    } else if (rc == 0 && row < 0) {
        if (!(kind == STMT_DROP_USER && u->if_exists))
            rc = err_set(err, ENG_E_SYNTAX, "account \"%s\" does not exist", u->name);
    } else if (rc == 0 && owner_row && owners == 1 &&
               (kind == STMT_DROP_USER || (u->role >= 0 && u->role != ENG_ROLE_OWNER))) {
        rc = err_set(err, ENG_E_SYNTAX,
                     "account \"%s\" is the last owner; make another account an owner first",
                     u->name);
    } else if (rc == 0 && kind == STMT_ALTER_USER) {
        rc = acct_write(st, t, tb, u->name, has_pw ? &pw : NULL, u->role, row, err);
    } else if (rc == 0) { /* DROP USER */
        rc = acct_claim(db, tb, t, (uint64_t)row, u->name, err);
    }
    tbl_unref(tb);
    return rc;
}

void stmt_wipe_secrets(eng_stmt *st)
{
    if (!st->ast || (st->ast->kind != STMT_CREATE_USER && st->ast->kind != STMT_ALTER_USER))
        return;
    const ast_expr *pw = st->ast->u.user.password;
    if (pw && pw->kind == AST_LITERAL && pw->u.literal.u.s.ptr)
        OPENSSL_cleanse((void *)pw->u.literal.u.s.ptr, pw->u.literal.u.s.len);
    OPENSSL_cleanse(st->sql, st->sql_len);
}
