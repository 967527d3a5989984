/*
 * The exported catalog functions, ANSI and W. Each converts its string arguments to UTF-8
 * (NULL stays NULL) and calls catalog.c, catalog_keys.c or typeinfo.c.
 */
#include "drv.h"

#include "catalog.h"

#include <stdlib.h>

/* A string argument as UTF-8: a malloc'd copy, or NULL for a NULL argument. */
static char *drv_arg(bool wide, const void *s, SQLSMALLINT len)
{
    if (!s)
        return NULL;
    return wide ? drv_wstr_in(s, len) : drv_str_in(s, len);
}

#define ARGS_FREE(...)                                                                             \
    do {                                                                                           \
        char *all_[] = {__VA_ARGS__};                                                              \
        for (size_t i_ = 0; i_ < sizeof all_ / sizeof *all_; i_++)                                 \
            free(all_[i_]);                                                                        \
    } while (0)

static SQLRETURN drv_tables_call(SQLHSTMT h, bool wide, const void *c, SQLSMALLINT cl,
                                 const void *s, SQLSMALLINT sl, const void *t, SQLSMALLINT tl,
                                 const void *ty, SQLSMALLINT tyl)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, c, cl), *b = drv_arg(wide, s, sl), *d = drv_arg(wide, t, tl),
         *e = drv_arg(wide, ty, tyl);
    SQLRETURN rc = drv_tables(st, a, b, d, e);
    ARGS_FREE(a, b, d, e);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLTables(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                    SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl, SQLCHAR *ty,
                                    SQLSMALLINT tyl)
{
    return drv_tables_call(h, false, c, cl, s, sl, t, tl, ty, tyl);
}

DRV_API SQLRETURN SQL_API SQLTablesW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                     SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl, SQLWCHAR *ty,
                                     SQLSMALLINT tyl)
{
    return drv_tables_call(h, true, c, cl, s, sl, t, tl, ty, tyl);
}

static SQLRETURN drv_columns_call(SQLHSTMT h, bool wide, const void *c, SQLSMALLINT cl,
                                  const void *s, SQLSMALLINT sl, const void *t, SQLSMALLINT tl,
                                  const void *col, SQLSMALLINT coll)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, c, cl), *b = drv_arg(wide, s, sl), *d = drv_arg(wide, t, tl),
         *e = drv_arg(wide, col, coll);
    SQLRETURN rc = drv_columns(st, a, b, d, e, wide);
    ARGS_FREE(a, b, d, e);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLColumns(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                     SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl, SQLCHAR *col,
                                     SQLSMALLINT coll)
{
    return drv_columns_call(h, false, c, cl, s, sl, t, tl, col, coll);
}

DRV_API SQLRETURN SQL_API SQLColumnsW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                      SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl, SQLWCHAR *col,
                                      SQLSMALLINT coll)
{
    return drv_columns_call(h, true, c, cl, s, sl, t, tl, col, coll);
}

static SQLRETURN drv_pk_call(SQLHSTMT h, bool wide, const void *c, SQLSMALLINT cl, const void *s,
                             SQLSMALLINT sl, const void *t, SQLSMALLINT tl)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, c, cl), *b = drv_arg(wide, s, sl), *d = drv_arg(wide, t, tl);
    SQLRETURN rc = drv_primary_keys(st, a, b, d);
    ARGS_FREE(a, b, d);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLPrimaryKeys(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                         SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl)
{
    return drv_pk_call(h, false, c, cl, s, sl, t, tl);
}

DRV_API SQLRETURN SQL_API SQLPrimaryKeysW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                          SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl)
{
    return drv_pk_call(h, true, c, cl, s, sl, t, tl);
}

static SQLRETURN drv_fk_call(SQLHSTMT h, bool wide, const void *pc, SQLSMALLINT pcl, const void *ps,
                             SQLSMALLINT psl, const void *pt, SQLSMALLINT ptl, const void *fc,
                             SQLSMALLINT fcl, const void *fs, SQLSMALLINT fsl, const void *ft,
                             SQLSMALLINT ftl)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, pc, pcl), *b = drv_arg(wide, ps, psl), *c = drv_arg(wide, pt, ptl),
         *d = drv_arg(wide, fc, fcl), *e = drv_arg(wide, fs, fsl), *f = drv_arg(wide, ft, ftl);
    SQLRETURN rc = drv_foreign_keys(st, a, b, c, d, e, f);
    ARGS_FREE(a, b, c, d, e, f);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLForeignKeys(SQLHSTMT h, SQLCHAR *pc, SQLSMALLINT pcl, SQLCHAR *ps,
                                         SQLSMALLINT psl, SQLCHAR *pt, SQLSMALLINT ptl, SQLCHAR *fc,
                                         SQLSMALLINT fcl, SQLCHAR *fs, SQLSMALLINT fsl, SQLCHAR *ft,
                                         SQLSMALLINT ftl)
{
    return drv_fk_call(h, false, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft, ftl);
}

DRV_API SQLRETURN SQL_API SQLForeignKeysW(SQLHSTMT h, SQLWCHAR *pc, SQLSMALLINT pcl, SQLWCHAR *ps,
                                          SQLSMALLINT psl, SQLWCHAR *pt, SQLSMALLINT ptl,
                                          SQLWCHAR *fc, SQLSMALLINT fcl, SQLWCHAR *fs,
                                          SQLSMALLINT fsl, SQLWCHAR *ft, SQLSMALLINT ftl)
{
    return drv_fk_call(h, true, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft, ftl);
}

static SQLRETURN drv_stat_call(SQLHSTMT h, bool wide, const void *c, SQLSMALLINT cl, const void *s,
                               SQLSMALLINT sl, const void *t, SQLSMALLINT tl, SQLUSMALLINT unique)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, c, cl), *b = drv_arg(wide, s, sl), *d = drv_arg(wide, t, tl);
    SQLRETURN rc = drv_statistics(st, a, b, d, unique);
    ARGS_FREE(a, b, d);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLStatistics(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                        SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl,
                                        SQLUSMALLINT unique, SQLUSMALLINT reserved)
{
    (void)reserved; /* SQL_QUICK or SQL_ENSURE: the answer is the same either way */
    return drv_stat_call(h, false, c, cl, s, sl, t, tl, unique);
}

DRV_API SQLRETURN SQL_API SQLStatisticsW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                         SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl,
                                         SQLUSMALLINT unique, SQLUSMALLINT reserved)
{
    (void)reserved;
    return drv_stat_call(h, true, c, cl, s, sl, t, tl, unique);
}

static SQLRETURN drv_special_call(SQLHSTMT h, bool wide, SQLUSMALLINT kind, const void *c,
                                  SQLSMALLINT cl, const void *s, SQLSMALLINT sl, const void *t,
                                  SQLSMALLINT tl, SQLUSMALLINT scope, SQLUSMALLINT nullable)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    char *a = drv_arg(wide, c, cl), *b = drv_arg(wide, s, sl), *d = drv_arg(wide, t, tl);
    SQLRETURN rc = drv_special_columns(st, kind, a, b, d, scope, nullable, wide);
    ARGS_FREE(a, b, d);
    return drv_leave(&st->h, rc);
}

DRV_API SQLRETURN SQL_API SQLSpecialColumns(SQLHSTMT h, SQLUSMALLINT kind, SQLCHAR *c,
                                            SQLSMALLINT cl, SQLCHAR *s, SQLSMALLINT sl, SQLCHAR *t,
                                            SQLSMALLINT tl, SQLUSMALLINT scope,
                                            SQLUSMALLINT nullable)
{
    return drv_special_call(h, false, kind, c, cl, s, sl, t, tl, scope, nullable);
}

DRV_API SQLRETURN SQL_API SQLSpecialColumnsW(SQLHSTMT h, SQLUSMALLINT kind, SQLWCHAR *c,
                                             SQLSMALLINT cl, SQLWCHAR *s, SQLSMALLINT sl,
                                             SQLWCHAR *t, SQLSMALLINT tl, SQLUSMALLINT scope,
                                             SQLUSMALLINT nullable)
{
    return drv_special_call(h, true, kind, c, cl, s, sl, t, tl, scope, nullable);
}

/* Procedures and privileges: Eider has neither, so the arguments do not matter. */
static SQLRETURN drv_empty_call(SQLHSTMT h, SQLRETURN (*fn)(drv_stmt *))
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    return drv_leave(&st->h, fn(st));
}

DRV_API SQLRETURN SQL_API SQLProcedures(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                        SQLSMALLINT sl, SQLCHAR *p, SQLSMALLINT pl)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)p, (void)pl;
    return drv_empty_call(h, drv_procedures);
}

DRV_API SQLRETURN SQL_API SQLProceduresW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                         SQLSMALLINT sl, SQLWCHAR *p, SQLSMALLINT pl)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)p, (void)pl;
    return drv_empty_call(h, drv_procedures);
}

DRV_API SQLRETURN SQL_API SQLProcedureColumns(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                              SQLSMALLINT sl, SQLCHAR *p, SQLSMALLINT pl,
                                              SQLCHAR *col, SQLSMALLINT coll)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)p, (void)pl, (void)col, (void)coll;
    return drv_empty_call(h, drv_procedure_columns);
}

DRV_API SQLRETURN SQL_API SQLProcedureColumnsW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                               SQLSMALLINT sl, SQLWCHAR *p, SQLSMALLINT pl,
                                               SQLWCHAR *col, SQLSMALLINT coll)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)p, (void)pl, (void)col, (void)coll;
    return drv_empty_call(h, drv_procedure_columns);
}

DRV_API SQLRETURN SQL_API SQLTablePrivileges(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                             SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)t, (void)tl;
    return drv_empty_call(h, drv_table_privileges);
}

DRV_API SQLRETURN SQL_API SQLTablePrivilegesW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                              SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)t, (void)tl;
    return drv_empty_call(h, drv_table_privileges);
}

DRV_API SQLRETURN SQL_API SQLColumnPrivileges(SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
                                              SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl,
                                              SQLCHAR *col, SQLSMALLINT coll)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)t, (void)tl, (void)col, (void)coll;
    return drv_empty_call(h, drv_column_privileges);
}

DRV_API SQLRETURN SQL_API SQLColumnPrivilegesW(SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
                                               SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl,
                                               SQLWCHAR *col, SQLSMALLINT coll)
{
    (void)c, (void)cl, (void)s, (void)sl, (void)t, (void)tl, (void)col, (void)coll;
    return drv_empty_call(h, drv_column_privileges);
}

DRV_API SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_type_info(st, type, false));
}

DRV_API SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT h, SQLSMALLINT type)
{
    DRV_ENTER(st, drv_stmt, h, DRV_MAGIC_STMT);
    return drv_leave(&st->h, drv_get_type_info(st, type, true));
}
