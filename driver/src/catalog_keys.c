/*
 * Catalog functions, part two: keys and indexes. Eider's PRIMARY KEY and UNIQUE
 * constraints each have a hash index; they are unnamed in SQL, so the catalog names them
 * as PostgreSQL would: <table>_pkey, and <table>_key<n> for the n-th UNIQUE constraint.
 * There are no foreign keys.
 */
#include "catalog.h"

#include "convert.h"

#include <stdio.h>
#include <string.h>

static void drv_key_name(const eng_meta_table *t, uint32_t k, char *buf, size_t cap)
{
    if (t->keys[k].primary) {
        snprintf(buf, cap, "%s_pkey", t->name);
        return;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i <= k; i++)
        n += !t->keys[i].primary;
    snprintf(buf, cap, "%s_key%u", t->name, n);
}

static SQLRETURN drv_cat_run(drv_stmt *st, const drv_rows_col *cols, uint32_t ncols,
                             drv_cat_query *q, const uint32_t *order, uint32_t nkeys)
{
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, cols, ncols, &rows);
    if (rc != SQL_SUCCESS)
        return rc;
    q->st = st;
    q->rows = rows;
    if (q->row)
        rc = drv_cat_each_table(q);
    if (rc == SQL_ERROR) {
        drv_rows_free(rows);
        return rc;
    }
    return drv_cat_finish(st, rows, order, nkeys);
}

/* ---- SQLPrimaryKeys ---- */

static const drv_rows_col drv_pk_cols[] = {
    VC("TABLE_CAT", true),    VC("TABLE_SCHEM", true), VC("TABLE_NAME", false),
    VC("COLUMN_NAME", false), SI("KEY_SEQ", false),    VC("PK_NAME", true),
};

static void drv_pk_row(drv_cat_query *q, const eng_meta_table *t)
{
    for (uint32_t k = 0; k < t->nkeys; k++) {
        if (!t->keys[k].primary)
            continue;
        char name[300];
        drv_key_name(t, k, name, sizeof name);
        for (uint32_t i = 0; i < t->keys[k].ncols; i++) {
            eng_value row[] = {drv_val_null(),       drv_val_null(),
                               drv_val_str(t->name), drv_val_str(t->cols[t->keys[k].cols[i]].name),
                               drv_val_int(i + 1),   drv_val_str(name)};
            drv_cat_add(q, row);
        }
    }
}

SQLRETURN drv_primary_keys(drv_stmt *st, const char *cat, const char *schem, const char *table)
{
    if (!table)
        return drv_diag_add(&st->h, SQL_ERROR, "HY009", "the table name must not be NULL");
    /* The table argument is an ordinary argument, not a pattern. */
    bool id = st->metadata_id;
    st->metadata_id = true;
    drv_cat_query q = {.cat = cat, .schem = schem, .table = table, .row = drv_pk_row};
    static const uint32_t order[] = {0, 1, 2, 4};
    SQLRETURN rc = drv_cat_run(st, drv_pk_cols, 6, &q, order, 4);
    st->metadata_id = id;
    return rc;
}

/* ---- SQLForeignKeys: none ---- */

static const drv_rows_col drv_fk_cols[] = {
    VC("PKTABLE_CAT", true),    VC("PKTABLE_SCHEM", true),  VC("PKTABLE_NAME", false),
    VC("PKCOLUMN_NAME", false), VC("FKTABLE_CAT", true),    VC("FKTABLE_SCHEM", true),
    VC("FKTABLE_NAME", false),  VC("FKCOLUMN_NAME", false), SI("KEY_SEQ", false),
    SI("UPDATE_RULE", true),    SI("DELETE_RULE", true),    VC("FK_NAME", true),
    VC("PK_NAME", true),        SI("DEFERRABILITY", true),
};

SQLRETURN drv_foreign_keys(drv_stmt *st, const char *pk_cat, const char *pk_schem,
                           const char *pk_table, const char *fk_cat, const char *fk_schem,
                           const char *fk_table)
{
    (void)pk_cat, (void)pk_schem, (void)fk_cat, (void)fk_schem;
    if (!pk_table && !fk_table)
        return drv_diag_add(&st->h, SQL_ERROR, "HY009",
                            "give the primary-key table, the foreign-key table, or both");
    drv_cat_query q = {0};
    return drv_cat_run(st, drv_fk_cols, 14, &q, NULL, 0);
}

/* ---- SQLStatistics ---- */

static const drv_rows_col drv_stat_cols[] = {
    VC("TABLE_CAT", true),
    VC("TABLE_SCHEM", true),
    VC("TABLE_NAME", false),
    SI("NON_UNIQUE", true),
    VC("INDEX_QUALIFIER", true),
    VC("INDEX_NAME", true),
    SI("TYPE", false),
    SI("ORDINAL_POSITION", true),
    VC("COLUMN_NAME", true),
    VC("ASC_OR_DESC", true),
    IN("CARDINALITY", true),
    IN("PAGES", true),
    VC("FILTER_CONDITION", true),
};

static void drv_stat_row(drv_cat_query *q, const eng_meta_table *t)
{
    if (t->view) /* statistics describe base tables; a view has neither rows nor indexes */
        return;
    /* The table's own line: its size (an upper bound: row positions, dead versions included;
     * SQL_QUICK is what the reference lets a driver answer cheaply). */
    eng_value first[] = {drv_val_null(),
                         drv_val_null(),
                         drv_val_str(t->name),
                         drv_val_null(),
                         drv_val_null(),
                         drv_val_null(),
                         drv_val_int(SQL_TABLE_STAT),
                         drv_val_null(),
                         drv_val_null(),
                         drv_val_null(),
                         drv_val_int(t->positions > INT32_MAX ? INT32_MAX : (int64_t)t->positions),
                         drv_val_null(),
                         drv_val_null()};
    drv_cat_add(q, first);
    for (uint32_t k = 0; k < t->nkeys; k++) {
        char name[300];
        drv_key_name(t, k, name, sizeof name);
        for (uint32_t i = 0; i < t->keys[k].ncols; i++) {
            eng_value row[] = {drv_val_null(),
                               drv_val_null(),
                               drv_val_str(t->name),
                               drv_val_int(SQL_FALSE), /* every index is unique */
                               drv_val_null(),
                               drv_val_str(name),
                               drv_val_int(SQL_INDEX_HASHED),
                               drv_val_int(i + 1),
                               drv_val_str(t->cols[t->keys[k].cols[i]].name),
                               drv_val_null(), /* a hash index has no order */
                               drv_val_null(),
                               drv_val_null(),
                               drv_val_null()};
            drv_cat_add(q, row);
        }
    }
}

SQLRETURN drv_statistics(drv_stmt *st, const char *cat, const char *schem, const char *table,
                         SQLUSMALLINT unique)
{
    if (!table)
        return drv_diag_add(&st->h, SQL_ERROR, "HY009", "the table name must not be NULL");
    if (unique != SQL_INDEX_UNIQUE && unique != SQL_INDEX_ALL)
        return drv_diag_add(&st->h, SQL_ERROR, "HY100", "invalid uniqueness option %u", unique);
    bool id = st->metadata_id;
    st->metadata_id = true;
    drv_cat_query q = {.cat = cat, .schem = schem, .table = table, .row = drv_stat_row};
    static const uint32_t order[] = {3, 6, 4, 5, 7};
    SQLRETURN rc = drv_cat_run(st, drv_stat_cols, 13, &q, order, 5);
    st->metadata_id = id;
    return rc;
}

/* ---- SQLSpecialColumns ---- */

static const drv_rows_col drv_special_cols[] = {
    SI("SCOPE", true),          VC("COLUMN_NAME", false),  SI("DATA_TYPE", false),
    VC("TYPE_NAME", false),     IN("COLUMN_SIZE", true),   IN("BUFFER_LENGTH", true),
    SI("DECIMAL_DIGITS", true), SI("PSEUDO_COLUMN", true),
};

typedef struct drv_special_args {
    SQLUSMALLINT nullable;
} drv_special_args;

/* The best row identifier: the primary key, else the first UNIQUE key whose columns are
 * all NOT NULL (or any UNIQUE key when the caller accepts nullable columns). */
static void drv_special_row(drv_cat_query *q, const eng_meta_table *t)
{
    const drv_special_args *a = q->arg;
    int best = -1;
    for (uint32_t k = 0; k < t->nkeys && best < 0; k++)
        if (t->keys[k].primary)
            best = (int)k;
    for (uint32_t k = 0; k < t->nkeys && best < 0; k++) {
        bool ok = true;
        for (uint32_t i = 0; i < t->keys[k].ncols; i++)
            ok = ok && (a->nullable == SQL_NULLABLE || !t->cols[t->keys[k].cols[i]].nullable);
        if (ok)
            best = (int)k;
    }
    for (uint32_t i = 0; best >= 0 && i < t->keys[best].ncols; i++) {
        const eng_meta_column *c = &t->cols[t->keys[best].cols[i]];
        SQLSMALLINT type = drv_cat_sql_type(drv_sql_type(c->type), q->wide, q->odbc2);
        eng_value row[] = {drv_val_int(SQL_SCOPE_SESSION),
                           drv_val_str(c->name),
                           drv_val_int(type),
                           drv_val_str(eng_type_name(c->type.id)),
                           drv_val_int((int64_t)drv_column_size(c->type)),
                           drv_val_int(drv_octet_length(c->type)),
                           drv_has_decimal_digits(c->type)
                               ? drv_val_int(drv_decimal_digits(c->type))
                               : drv_val_null(),
                           drv_val_int(SQL_PC_NOT_PSEUDO)};
        drv_cat_add(q, row);
    }
}

SQLRETURN drv_special_columns(drv_stmt *st, SQLUSMALLINT kind, const char *cat, const char *schem,
                              const char *table, SQLUSMALLINT scope, SQLUSMALLINT nullable,
                              bool wide)
{
    if (!table)
        return drv_diag_add(&st->h, SQL_ERROR, "HY009", "the table name must not be NULL");
    if (kind != SQL_BEST_ROWID && kind != SQL_ROWVER)
        return drv_diag_add(&st->h, SQL_ERROR, "HY097", "invalid identifier type %u", kind);
    if (scope != SQL_SCOPE_CURROW && scope != SQL_SCOPE_TRANSACTION && scope != SQL_SCOPE_SESSION)
        return drv_diag_add(&st->h, SQL_ERROR, "HY098", "invalid scope %u", scope);
    if (nullable != SQL_NO_NULLS && nullable != SQL_NULLABLE)
        return drv_diag_add(&st->h, SQL_ERROR, "HY099", "invalid nullable option %u", nullable);
    bool id = st->metadata_id;
    st->metadata_id = true;
    drv_special_args args = {nullable};
    /* Row versions (SQL_ROWVER): Eider has no column that changes on every update. */
    drv_cat_query q = {.cat = cat,
                       .schem = schem,
                       .table = table,
                       .row = kind == SQL_BEST_ROWID ? drv_special_row : NULL,
                       .arg = &args,
                       .wide = wide};
    SQLRETURN rc = drv_cat_run(st, drv_special_cols, 8, &q, NULL, 0);
    st->metadata_id = id;
    return rc;
}
