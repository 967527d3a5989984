/*
 * Catalog functions, part one: the machinery (arguments, patterns, reading the engine's
 * catalog, handing a result to the statement), SQLTables, SQLColumns, and the functions
 * whose results are always empty because Eider has no such objects. Keys and indexes are
 * in catalog_keys.c, SQLGetTypeInfo in typeinfo.c.
 */
#include "catalog.h"

#include "convert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

SQLRETURN drv_cat_begin(drv_stmt *st, const drv_rows_col *cols, uint32_t ncols, drv_rows **out)
{
    if (drv_not_needing_data(st) != SQL_SUCCESS)
        return SQL_ERROR;
    if (st->cursor)
        return drv_diag_add(&st->h, SQL_ERROR, "24000",
                            "a cursor is open on this statement; close it first");
    pthread_mutex_lock(&st->dbc->session_lock);
    drv_stmt_reset(st);
    pthread_mutex_unlock(&st->dbc->session_lock);
    *out = drv_rows_new(cols, ncols);
    return *out ? SQL_SUCCESS : drv_diag_nomem(&st->h);
}

SQLRETURN drv_cat_finish(drv_stmt *st, drv_rows *rows, const uint32_t *order, uint32_t nkeys)
{
    drv_rows_sort(rows, order, nkeys);
    if (drv_rows_finish(rows) != 0) {
        drv_rows_free(rows);
        return drv_diag_nomem(&st->h);
    }
    st->rows = rows;
    st->executed = true;
    st->cursor = true;
    st->chunk = NULL;
    st->on_row = false;
    st->rows_fetched = 0;
    st->rowset_len = 0;
    st->rows_affected = -1;
    return drv_result_opened(st);
}

void drv_cat_add(drv_cat_query *q, const eng_value *row)
{
    if (drv_rows_add(q->rows, row) != 0)
        q->failed = true;
}

/* LIKE for catalog patterns: % any run, _ one character, \ escapes; letters match in any
 * case, as Eider's names do. */
static bool drv_like(const char *p, const char *s)
{
    for (; *p; p++) {
        if (*p == '%') {
            while (p[1] == '%')
                p++;
            if (!p[1])
                return true;
            for (const char *t = s; *t; t++)
                if (drv_like(p + 1, t))
                    return true;
            return false;
        }
        if (!*s)
            return false;
        if (*p == '_') {
            s++;
            while ((*s & 0xC0) == 0x80) /* the rest of a UTF-8 character */
                s++;
            continue;
        }
        if (*p == '\\' && p[1])
            p++;
        if (tolower((unsigned char)*p) != tolower((unsigned char)*s))
            return false;
        s++;
    }
    return !*s;
}

/* An identifier argument (SQL_ATTR_METADATA_ID): "quoted" is taken as written. */
static bool drv_ident_equal(const char *arg, const char *name)
{
    size_t n = strlen(arg);
    if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"')
        return strlen(name) == n - 2 && strncmp(arg + 1, name, n - 2) == 0;
    return strcasecmp(arg, name) == 0;
}

bool drv_cat_match(const drv_stmt *st, const char *arg, const char *name)
{
    if (!arg)
        return true;
    return st->metadata_id ? drv_ident_equal(arg, name) : drv_like(arg, name);
}

/* Catalog and schema arguments: Eider has neither, so only "", NULL and patterns that
 * match anything (such as %) let a table through. */
static bool drv_cat_no_schema(const drv_stmt *st, const char *arg)
{
    if (!arg || !*arg)
        return true;
    return !st->metadata_id && drv_like(arg, "");
}

SQLRETURN drv_cat_need(drv_stmt *st, const char *arg, const char *what)
{
    if (arg || !st->metadata_id)
        return SQL_SUCCESS;
    return drv_diag_add(&st->h, SQL_ERROR, "HY009",
                        "%s must not be NULL when SQL_ATTR_METADATA_ID is on", what);
}

static void drv_cat_visit(const eng_meta_table *t, void *ctx)
{
    drv_cat_query *q = ctx;
    if (drv_cat_match(q->st, q->table, t->name))
        q->row(q, t);
}

SQLRETURN drv_cat_each_table(drv_cat_query *q)
{
    drv_stmt *st = q->st;
    q->odbc2 = drv_odbc2_app(st);
    if (!drv_cat_no_schema(st, q->cat) || !drv_cat_no_schema(st, q->schem))
        return SQL_SUCCESS; /* a catalog or schema Eider does not have: nothing */
    drv_dbc *dbc = st->dbc;
    pthread_mutex_lock(&dbc->session_lock);
    eng_session *s = drv_session(dbc, &st->h);
    eng_error err;
    int rc = s ? eng_session_tables(s, drv_cat_visit, q, &err) : -1;
    if (s)
        drv_session_settle(dbc);
    pthread_mutex_unlock(&dbc->session_lock);
    if (rc != 0)
        return s ? drv_diag_engine(&st->h, &err) : SQL_ERROR;
    return q->failed ? drv_diag_nomem(&st->h) : SQL_SUCCESS;
}

SQLSMALLINT drv_cat_sql_type(SQLSMALLINT concise, bool wide, bool odbc2)
{
    if (wide && concise == SQL_VARCHAR)
        return SQL_WVARCHAR;
    return odbc2 ? drv_odbc2_type(concise) : concise;
}

eng_value drv_val_nonzero(int64_t i)
{
    return i ? drv_val_int(i) : drv_val_null();
}

/* ---- SQLTables ---- */

static const drv_rows_col drv_tables_cols[] = {
    VC("TABLE_CAT", true),  VC("TABLE_SCHEM", true), VC("TABLE_NAME", true),
    VC("TABLE_TYPE", true), VC("REMARKS", true),
};

/* Whether a TableType list ("TABLE,VIEW", "'TABLE', 'VIEW'") asks for `type`. */
static bool drv_type_listed(const char *list, const char *type)
{
    if (!list || !*list)
        return true;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\'')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != '\'')
            p++;
        const char *end = p;
        while (end > start && end[-1] == ' ')
            end--;
        if ((size_t)(end - start) == strlen(type) && strncasecmp(start, type, strlen(type)) == 0)
            return true;
        if (*p == '\'')
            p++;
    }
    return false;
}

static void drv_tables_row(drv_cat_query *q, const eng_meta_table *t)
{
    const char *type = t->view ? "VIEW" : "TABLE";
    if (!drv_type_listed(q->arg, type))
        return;
    eng_value row[] = {drv_val_null(), drv_val_null(), drv_val_str(t->name), drv_val_str(type),
                       drv_val_str("")};
    drv_cat_add(q, row);
}

SQLRETURN drv_tables(drv_stmt *st, const char *cat, const char *schem, const char *table,
                     const char *types)
{
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, drv_tables_cols, 5, &rows);
    if (rc != SQL_SUCCESS)
        return rc;
    bool empty_schem = schem && !*schem, empty_table = table && !*table;
    bool empty_cat = cat && !*cat;
    static const uint32_t order[] = {3, 0, 1, 2};
    if (cat && strcmp(cat, SQL_ALL_CATALOGS) == 0 && empty_schem && empty_table)
        return drv_cat_finish(st, rows, order, 4); /* the catalogs: there are none */
    if (schem && strcmp(schem, SQL_ALL_SCHEMAS) == 0 && empty_cat && empty_table)
        return drv_cat_finish(st, rows, order, 4); /* the schemas: none either */
    /* The table types: the reference asks for empty strings beside "%"; LibreOffice (and
     * other clients) pass null pointers instead, which cannot mean a pattern either. */
    if (types && strcmp(types, SQL_ALL_TABLE_TYPES) == 0 && (!cat || empty_cat) &&
        (!schem || empty_schem) && (!table || empty_table)) {
        static const char *const kinds[] = {"TABLE", "VIEW"};
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
            eng_value row[] = {drv_val_null(), drv_val_null(), drv_val_null(),
                               drv_val_str(kinds[i]), drv_val_null()};
            if (drv_rows_add(rows, row) != 0) {
                drv_rows_free(rows);
                return drv_diag_nomem(&st->h);
            }
        }
        return drv_cat_finish(st, rows, order, 4);
    }
    drv_cat_query q = {.st = st,
                       .cat = cat,
                       .schem = schem,
                       .table = table,
                       .row = drv_tables_row,
                       .rows = rows,
                       .arg = types};
    rc = drv_cat_each_table(&q);
    if (rc == SQL_ERROR) {
        drv_rows_free(rows);
        return rc;
    }
    return drv_cat_finish(st, rows, order, 4);
}

/* ---- SQLColumns ---- */

static const drv_rows_col drv_columns_cols[] = {
    VC("TABLE_CAT", true),         VC("TABLE_SCHEM", true),       VC("TABLE_NAME", false),
    VC("COLUMN_NAME", false),      SI("DATA_TYPE", false),        VC("TYPE_NAME", false),
    IN("COLUMN_SIZE", true),       IN("BUFFER_LENGTH", true),     SI("DECIMAL_DIGITS", true),
    SI("NUM_PREC_RADIX", true),    SI("NULLABLE", false),         VC("REMARKS", true),
    VC("COLUMN_DEF", true),        SI("SQL_DATA_TYPE", false),    SI("SQL_DATETIME_SUB", true),
    IN("CHAR_OCTET_LENGTH", true), IN("ORDINAL_POSITION", false), VC("IS_NULLABLE", true),
};

/* A column default as SQL text (COLUMN_DEF): a literal, quoted when it is text. */
static void drv_default_text(const eng_meta_column *c, char *buf, size_t cap)
{
    const eng_value *v = &c->default_value;
    if (v->is_null) {
        snprintf(buf, cap, "NULL");
        return;
    }
    switch (v->type) {
    case ENG_TYPE_VARCHAR: {
        size_t n = 0;
        buf[n++] = '\'';
        for (uint32_t i = 0; i < v->u.s.len && n + 3 < cap; i++) {
            if (v->u.s.ptr[i] == '\'')
                buf[n++] = '\'';
            buf[n++] = v->u.s.ptr[i];
        }
        buf[n++] = '\'';
        buf[n] = '\0';
        break;
    }
    case ENG_TYPE_DOUBLE:
        snprintf(buf, cap, "%.17g", v->u.d);
        break;
    case ENG_TYPE_BOOLEAN:
        snprintf(buf, cap, "%s", v->u.b ? "TRUE" : "FALSE");
        break;
    default:
        snprintf(buf, cap, "%lld", (long long)v->u.i);
    }
}

static void drv_columns_row(drv_cat_query *q, const eng_meta_table *t)
{
    const char *column = q->arg;
    for (uint32_t i = 0; i < t->ncols; i++) {
        const eng_meta_column *c = &t->cols[i];
        if (!drv_cat_match(q->st, column, c->name))
            continue;
        SQLSMALLINT concise = drv_sql_type(c->type);
        SQLSMALLINT type = drv_cat_sql_type(concise, q->wide, q->odbc2);
        bool bytes = concise == SQL_VARCHAR || concise == SQL_VARBINARY; /* CHAR_OCTET_LENGTH */
        char def[512];
        if (c->has_default)
            drv_default_text(c, def, sizeof def);
        eng_value row[] = {
            drv_val_null(),
            drv_val_null(),
            drv_val_str(t->name),
            drv_val_str(c->name),
            drv_val_int(type),
            drv_val_str(eng_type_name(c->type.id)),
            drv_val_int((int64_t)drv_column_size(c->type)),
            drv_val_int(drv_octet_length(c->type)),
            drv_has_decimal_digits(c->type) ? drv_val_int(drv_decimal_digits(c->type))
                                            : drv_val_null(),
            drv_val_nonzero(drv_num_prec_radix(c->type)),
            drv_val_int(c->nullable ? SQL_NULLABLE : SQL_NO_NULLS),
            drv_val_str(""),
            c->has_default ? drv_val_str(def) : drv_val_null(),
            drv_val_int(drv_verbose_type(type)),
            drv_val_nonzero(drv_datetime_sub(concise)),
            bytes ? drv_val_int(drv_octet_length(c->type)) : drv_val_null(),
            drv_val_int(i + 1),
            drv_val_str(c->nullable ? "YES" : "NO"),
        };
        drv_cat_add(q, row);
    }
}

SQLRETURN drv_columns(drv_stmt *st, const char *cat, const char *schem, const char *table,
                      const char *column, bool wide)
{
    if (drv_cat_need(st, table, "the table name") != SQL_SUCCESS ||
        drv_cat_need(st, column, "the column name") != SQL_SUCCESS)
        return SQL_ERROR;
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, drv_columns_cols, 18, &rows);
    if (rc != SQL_SUCCESS)
        return rc;
    drv_cat_query q = {.st = st,
                       .cat = cat,
                       .schem = schem,
                       .table = table,
                       .row = drv_columns_row,
                       .rows = rows,
                       .arg = column,
                       .wide = wide};
    rc = drv_cat_each_table(&q);
    if (rc == SQL_ERROR) {
        drv_rows_free(rows);
        return rc;
    }
    static const uint32_t order[] = {0, 1, 2, 16};
    return drv_cat_finish(st, rows, order, 4);
}

/* ---- Objects Eider does not have: empty results of the right shape ---- */

static SQLRETURN drv_empty(drv_stmt *st, const drv_rows_col *cols, uint32_t ncols)
{
    drv_rows *rows;
    SQLRETURN rc = drv_cat_begin(st, cols, ncols, &rows);
    return rc == SQL_SUCCESS ? drv_cat_finish(st, rows, NULL, 0) : rc;
}

static const drv_rows_col drv_procedures_cols[] = {
    VC("PROCEDURE_CAT", true),    VC("PROCEDURE_SCHEM", true),   VC("PROCEDURE_NAME", false),
    IN("NUM_INPUT_PARAMS", true), IN("NUM_OUTPUT_PARAMS", true), IN("NUM_RESULT_SETS", true),
    VC("REMARKS", true),          SI("PROCEDURE_TYPE", true),
};

SQLRETURN drv_procedures(drv_stmt *st)
{
    return drv_empty(st, drv_procedures_cols, 8);
}

static const drv_rows_col drv_procedure_columns_cols[] = {
    VC("PROCEDURE_CAT", true),    VC("PROCEDURE_SCHEM", true),   VC("PROCEDURE_NAME", false),
    VC("COLUMN_NAME", false),     SI("COLUMN_TYPE", false),      SI("DATA_TYPE", false),
    VC("TYPE_NAME", false),       IN("COLUMN_SIZE", true),       IN("BUFFER_LENGTH", true),
    SI("DECIMAL_DIGITS", true),   SI("NUM_PREC_RADIX", true),    SI("NULLABLE", false),
    VC("REMARKS", true),          VC("COLUMN_DEF", true),        SI("SQL_DATA_TYPE", false),
    SI("SQL_DATETIME_SUB", true), IN("CHAR_OCTET_LENGTH", true), IN("ORDINAL_POSITION", false),
    VC("IS_NULLABLE", true),
};

SQLRETURN drv_procedure_columns(drv_stmt *st)
{
    return drv_empty(st, drv_procedure_columns_cols, 19);
}

static const drv_rows_col drv_table_privileges_cols[] = {
    VC("TABLE_CAT", true), VC("TABLE_SCHEM", true), VC("TABLE_NAME", false),  VC("GRANTOR", true),
    VC("GRANTEE", false),  VC("PRIVILEGE", false),  VC("IS_GRANTABLE", true),
};

SQLRETURN drv_table_privileges(drv_stmt *st)
{
    return drv_empty(st, drv_table_privileges_cols, 7);
}

static const drv_rows_col drv_column_privileges_cols[] = {
    VC("TABLE_CAT", true),    VC("TABLE_SCHEM", true),  VC("TABLE_NAME", false),
    VC("COLUMN_NAME", false), VC("GRANTOR", true),      VC("GRANTEE", false),
    VC("PRIVILEGE", false),   VC("IS_GRANTABLE", true),
};

SQLRETURN drv_column_privileges(drv_stmt *st)
{
    return drv_empty(st, drv_column_privileges_cols, 8);
}
