/*
 * Catalog functions: result sets describing the database, in the exact shapes of the ODBC
 * reference, answered from the engine's catalog at the connection's snapshot (its open
 * transaction's, so its own uncommitted CREATE TABLE is listed). Eider has neither catalogs
 * nor schemas: TABLE_CAT and TABLE_SCHEM are NULL.
 *
 * String arguments arrive as UTF-8 copies (NULL for a NULL argument). `wide`: the W entry
 * point was called, so text columns are described as SQL_WVARCHAR, as SQLDescribeColW
 * does.
 */
#ifndef EIDER_CATALOG_H
#define EIDER_CATALOG_H

#include "drv.h"

#include "rows.h"

#include "eider/meta.h"

SQLRETURN drv_tables(drv_stmt *st, const char *cat, const char *schem, const char *table,
                     const char *types);
SQLRETURN drv_columns(drv_stmt *st, const char *cat, const char *schem, const char *table,
                      const char *column, bool wide);
SQLRETURN drv_primary_keys(drv_stmt *st, const char *cat, const char *schem, const char *table);
SQLRETURN drv_foreign_keys(drv_stmt *st, const char *pk_cat, const char *pk_schem,
                           const char *pk_table, const char *fk_cat, const char *fk_schem,
                           const char *fk_table);
SQLRETURN drv_statistics(drv_stmt *st, const char *cat, const char *schem, const char *table,
                         SQLUSMALLINT unique);
SQLRETURN drv_special_columns(drv_stmt *st, SQLUSMALLINT kind, const char *cat, const char *schem,
                              const char *table, SQLUSMALLINT scope, SQLUSMALLINT nullable,
                              bool wide);
SQLRETURN drv_procedures(drv_stmt *st);
SQLRETURN drv_procedure_columns(drv_stmt *st);
SQLRETURN drv_table_privileges(drv_stmt *st);
SQLRETURN drv_column_privileges(drv_stmt *st);
SQLRETURN drv_get_type_info(drv_stmt *st, SQLSMALLINT type, bool wide);

/* Shared by catalog.c, catalog_keys.c and typeinfo.c. */
typedef struct drv_cat_query {
    drv_stmt *st;
    const char *cat, *schem, *table; /* the arguments naming tables */
    void (*row)(struct drv_cat_query *q, const eng_meta_table *t);
    drv_rows *rows;
    const void *arg; /* the function's own arguments */
    bool wide;
    bool odbc2;  /* an ODBC 2 application: SQL_DATE rather than SQL_TYPE_DATE ... */
    bool failed; /* out of memory */
} drv_cat_query;

/* Result columns: text, SMALLINT and INTEGER, as the reference types them. */
#define VC(n, null)                                                                                \
    {                                                                                              \
        n, ENG_TYPE_VARCHAR, null                                                                  \
    }
#define SI(n, null)                                                                                \
    {                                                                                              \
        n, ENG_TYPE_SMALLINT, null                                                                 \
    }
#define IN(n, null)                                                                                \
    {                                                                                              \
        n, ENG_TYPE_INTEGER, null                                                                  \
    }

/* Starts a catalog result: the statement must have no open cursor. */
SQLRETURN drv_cat_begin(drv_stmt *st, const drv_rows_col *cols, uint32_t ncols, drv_rows **out);
/* Hands the finished rows to the statement as its open result. */
SQLRETURN drv_cat_finish(drv_stmt *st, drv_rows *rows, const uint32_t *order, uint32_t nkeys);
/* Calls q->row for every table the arguments name. */
SQLRETURN drv_cat_each_table(drv_cat_query *q);
/* Whether an argument naming a catalog object matches `name` (NULL arguments match all). */
bool drv_cat_match(const drv_stmt *st, const char *arg, const char *name);
/* A NULL argument where SQL_ATTR_METADATA_ID requires one: HY009. */
SQLRETURN drv_cat_need(drv_stmt *st, const char *arg, const char *what);
void drv_cat_add(drv_cat_query *q, const eng_value *row);

/* The DATA_TYPE of an engine type for SQLColumns, SQLSpecialColumns and SQLGetTypeInfo:
 * text as SQL_WVARCHAR for the W entry points, dates and times in ODBC 2 codes for ODBC 2
 * applications (the driver manager maps SQLDescribeCol's, not result sets). */
SQLSMALLINT drv_cat_sql_type(SQLSMALLINT concise, bool wide, bool odbc2);
/* A value that is NULL when 0 (NUM_PREC_RADIX, SQL_DATETIME_SUB). */
eng_value drv_val_nonzero(int64_t i);

#endif
