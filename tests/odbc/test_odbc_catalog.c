/*
 * Catalog functions through the driver manager (driver/src/catalog*.c, typeinfo.c): the
 * result shapes of the ODBC reference, patterns and identifiers, SQLTables' special cases,
 * views, keys and indexes, type information, and a connection's own uncommitted tables.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

/* Renders the whole result of a catalog call like ou_query ("a|b;c|NULL"). */
static const char *rows_of(SQLHSTMT st)
{
    const char *rows = ou_rows(st);
    SQLCloseCursor(st);
    return rows;
}

/* The column names of the open result, comma-separated. */
static const char *names_of(SQLHSTMT st)
{
    static char out[1024];
    size_t len = 0;
    SQLSMALLINT ncols = 0;
    SQLNumResultCols(st, &ncols);
    out[0] = '\0';
    for (SQLSMALLINT c = 1; c <= ncols; c++) {
        char name[64];
        SQLSMALLINT nl, type, digits, nullable;
        SQLULEN size;
        SQLDescribeCol(st, (SQLUSMALLINT)c, (SQLCHAR *)name, sizeof name, &nl, &type, &size,
                       &digits, &nullable);
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", c > 1 ? "," : "", name);
    }
    return out;
}

static SQLHSTMT stmt(void)
{
    SQLHSTMT st;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
    return st;
}

static void test_tables(void)
{
    SQLHSTMT st = stmt();
    CU_ASSERT_EQUAL(SQLTables(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0), SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(names_of(st), "TABLE_CAT,TABLE_SCHEM,TABLE_NAME,TABLE_TYPE,REMARKS");
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|customers|TABLE|;NULL|NULL|orders|TABLE|");
    /* Patterns, in any case; _ and \ escapes. */
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"ORD%", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|orders|TABLE|");
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"o_ders", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|orders|TABLE|");
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"o\\_ders", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    /* Type lists: only TABLE exists. */
    SQLTables(st, NULL, 0, NULL, 0, NULL, 0, (SQLCHAR *)"'VIEW','TABLE'", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|customers|TABLE|;NULL|NULL|orders|TABLE|");
    SQLTables(st, NULL, 0, NULL, 0, NULL, 0, (SQLCHAR *)"VIEW", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    /* A schema Eider does not have finds nothing; % finds everything. */
    SQLTables(st, NULL, 0, (SQLCHAR *)"public", SQL_NTS, NULL, 0, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLTables(st, NULL, 0, (SQLCHAR *)"%", SQL_NTS, (SQLCHAR *)"cust%", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|customers|TABLE|");
    /* The special cases: catalogs, schemas (none) and table types. */
    SQLTables(st, (SQLCHAR *)SQL_ALL_CATALOGS, SQL_NTS, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0, NULL,
              0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLTables(st, (SQLCHAR *)"", 0, (SQLCHAR *)SQL_ALL_SCHEMAS, SQL_NTS, (SQLCHAR *)"", 0, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLTables(st, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0, (SQLCHAR *)"", 0,
              (SQLCHAR *)SQL_ALL_TABLE_TYPES, SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|NULL|TABLE|NULL;NULL|NULL|NULL|VIEW|NULL");
    /* SQL_ATTR_METADATA_ID: arguments are identifiers, % is a character. */
    SQLSetStmtAttr(st, SQL_ATTR_METADATA_ID, (SQLPOINTER)SQL_TRUE, 0);
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"ORDERS", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|orders|TABLE|");
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"ord%", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    CU_ASSERT_EQUAL(SQLColumns(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY009");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_columns(void)
{
    SQLHSTMT st = stmt();
    CU_ASSERT_EQUAL(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"orders", SQL_NTS, NULL, 0),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(names_of(st),
                           "TABLE_CAT,TABLE_SCHEM,TABLE_NAME,COLUMN_NAME,DATA_TYPE,TYPE_NAME,"
                           "COLUMN_SIZE,BUFFER_LENGTH,DECIMAL_DIGITS,NUM_PREC_RADIX,NULLABLE,"
                           "REMARKS,COLUMN_DEF,SQL_DATA_TYPE,SQL_DATETIME_SUB,CHAR_OCTET_LENGTH,"
                           "ORDINAL_POSITION,IS_NULLABLE");
    CU_ASSERT_STRING_EQUAL(
        rows_of(st), "NULL|NULL|orders|id|4|INTEGER|10|4|0|10|0||NULL|4|NULL|NULL|1|NO;"
                     "NULL|NULL|orders|customer|4|INTEGER|10|4|0|10|1||NULL|4|NULL|NULL|2|YES;"
                     "NULL|NULL|orders|note|12|VARCHAR|30|120|NULL|NULL|1||'n/a'|12|NULL|120|3|YES;"
                     "NULL|NULL|orders|total|8|DOUBLE|15|8|NULL|10|0||0|8|NULL|NULL|4|NO");
    /* A column pattern (names match in any case, as they do in SQL). */
    SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"%", SQL_NTS, (SQLCHAR *)"X%", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"%", SQL_NTS, (SQLCHAR *)"N%", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st),
                           "NULL|NULL|customers|name|12|VARCHAR|50|200|NULL|NULL|1||NULL|12|"
                           "NULL|200|3|YES;"
                           "NULL|NULL|orders|note|12|VARCHAR|30|120|NULL|NULL|1||'n/a'|12|NULL|"
                           "120|3|YES");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

/* Views: listed as VIEW after the tables, their columns described as a query over them
 * would be, no keys or statistics. */
static void test_views(void)
{
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create view big_orders (order_id, total, label) as "
                                        "select id, total, note || '!' from orders "
                                        "where total > 100"),
                           "00000");
    SQLHSTMT st = stmt();
    SQLTables(st, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|customers|TABLE|;NULL|NULL|orders|TABLE|;"
                                        "NULL|NULL|big_orders|VIEW|");
    SQLTables(st, NULL, 0, NULL, 0, NULL, 0, (SQLCHAR *)"'VIEW'", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|big_orders|VIEW|");
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"BIG%", SQL_NTS, (SQLCHAR *)"TABLE", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    CU_ASSERT_EQUAL(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"big_orders", SQL_NTS, NULL, 0),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(
        rows_of(st),
        "NULL|NULL|big_orders|order_id|4|INTEGER|10|4|0|10|0||NULL|4|NULL|NULL|1|NO;"
        "NULL|NULL|big_orders|total|8|DOUBLE|15|8|NULL|10|0||NULL|8|NULL|NULL|2|NO;"
        "NULL|NULL|big_orders|label|12|VARCHAR|31|124|NULL|NULL|1||NULL|12|NULL|124|3|YES");
    SQLPrimaryKeys(st, NULL, 0, NULL, 0, (SQLCHAR *)"big_orders", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLStatistics(st, NULL, 0, NULL, 0, (SQLCHAR *)"big_orders", SQL_NTS, SQL_INDEX_ALL, SQL_QUICK);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    /* A view whose table is gone is still listed, with no columns. */
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table scratch (x int)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create view scratch_v as select x from scratch"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "drop table scratch"), "00000");
    SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR *)"scratch%", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|scratch_v|VIEW|");
    SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR *)"scratch_v", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "drop view scratch_v"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "drop view big_orders"), "00000");
    SQLTables(st, NULL, 0, NULL, 0, NULL, 0, (SQLCHAR *)"VIEW", SQL_NTS);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_keys_and_indexes(void)
{
    SQLHSTMT st = stmt();
    CU_ASSERT_EQUAL(SQLPrimaryKeys(st, NULL, 0, NULL, 0, (SQLCHAR *)"ORDERS", SQL_NTS),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(names_of(st),
                           "TABLE_CAT,TABLE_SCHEM,TABLE_NAME,COLUMN_NAME,KEY_SEQ,PK_NAME");
    CU_ASSERT_STRING_EQUAL(rows_of(st), "NULL|NULL|orders|id|1|orders_pkey");
    CU_ASSERT_EQUAL(SQLPrimaryKeys(st, NULL, 0, NULL, 0, NULL, 0), SQL_ERROR);
    CU_ASSERT_STRING_EQUAL(ou_state(SQL_HANDLE_STMT, st), "HY009");
    /* The table's line, then one line per key column. */
    CU_ASSERT_EQUAL(SQLStatistics(st, NULL, 0, NULL, 0, (SQLCHAR *)"customers", SQL_NTS,
                                  SQL_INDEX_ALL, SQL_QUICK),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(rows_of(st),
                           "NULL|NULL|customers|NULL|NULL|NULL|0|NULL|NULL|NULL|2|NULL|NULL;"
                           "NULL|NULL|customers|0|NULL|customers_key1|2|1|email|NULL|NULL|NULL|"
                           "NULL;"
                           "NULL|NULL|customers|0|NULL|customers_pkey|2|1|region|NULL|NULL|NULL|"
                           "NULL;"
                           "NULL|NULL|customers|0|NULL|customers_pkey|2|2|cid|NULL|NULL|NULL|NULL");
    /* The best row identifier is the primary key. */
    CU_ASSERT_EQUAL(SQLSpecialColumns(st, SQL_BEST_ROWID, NULL, 0, NULL, 0, (SQLCHAR *)"customers",
                                      SQL_NTS, SQL_SCOPE_SESSION, SQL_NULLABLE),
                    SQL_SUCCESS);
    CU_ASSERT_STRING_EQUAL(rows_of(st),
                           "2|region|12|VARCHAR|10|40|NULL|1;2|cid|4|INTEGER|10|4|0|1");
    SQLSpecialColumns(st, SQL_ROWVER, NULL, 0, NULL, 0, (SQLCHAR *)"customers", SQL_NTS,
                      SQL_SCOPE_SESSION, SQL_NULLABLE);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    /* No foreign keys, procedures or privileges; well-formed empty results. */
    CU_ASSERT_EQUAL(SQLForeignKeys(st, NULL, 0, NULL, 0, (SQLCHAR *)"orders", SQL_NTS, NULL, 0,
                                   NULL, 0, NULL, 0),
                    SQL_SUCCESS);
    SQLSMALLINT n = 0;
    SQLNumResultCols(st, &n);
    CU_ASSERT_EQUAL(n, 14);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    CU_ASSERT_EQUAL(SQLProcedures(st, NULL, 0, NULL, 0, NULL, 0), SQL_SUCCESS);
    SQLNumResultCols(st, &n);
    CU_ASSERT_EQUAL(n, 8);
    CU_ASSERT_STRING_EQUAL(rows_of(st), "");
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_type_info(void)
{
    SQLHSTMT st = stmt();
    CU_ASSERT_EQUAL(SQLGetTypeInfo(st, SQL_INTEGER), SQL_SUCCESS);
    SQLSMALLINT n = 0;
    SQLNumResultCols(st, &n);
    CU_ASSERT_EQUAL(n, 19);
    CU_ASSERT_STRING_EQUAL(rows_of(st),
                           "INTEGER|4|10|NULL|NULL|NULL|1|0|2|0|0|0|INTEGER|0|0|4|NULL|10|NULL");
    /* Every type, ordered by DATA_TYPE, each size finite. */
    SQLGetTypeInfo(st, SQL_ALL_TYPES);
    SQLSMALLINT last = -32768;
    int rows = 0;
    while (SQL_SUCCEEDED(SQLFetch(st))) {
        SQLSMALLINT type;
        SQLINTEGER size;
        SQLLEN ind;
        SQLGetData(st, 2, SQL_C_SSHORT, &type, 0, NULL);
        SQLGetData(st, 3, SQL_C_SLONG, &size, 0, &ind);
        CU_ASSERT_TRUE(type >= last);
        CU_ASSERT_TRUE(ind != SQL_NULL_DATA && size > 0);
        last = type;
        rows++;
    }
    CU_ASSERT_TRUE(rows >= 5);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void test_own_transaction(void)
{
    /* A table this connection created in its open transaction is listed for it, not for
     * others, until it commits. */
    SQLHDBC other = ou_connect(ou_conn("catalog.eider", ""));
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table draft (x int)"), "00000");
    SQLHSTMT mine = stmt(), theirs;
    SQLAllocHandle(SQL_HANDLE_STMT, other, &theirs);
    SQLTables(mine, NULL, 0, NULL, 0, (SQLCHAR *)"draft", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(mine), "NULL|NULL|draft|TABLE|");
    SQLTables(theirs, NULL, 0, NULL, 0, (SQLCHAR *)"draft", SQL_NTS, NULL, 0);
    CU_ASSERT_STRING_EQUAL(rows_of(theirs), "");
    SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    SQLFreeHandle(SQL_HANDLE_STMT, mine);
    SQLFreeHandle(SQL_HANDLE_STMT, theirs);
    ou_disconnect(other);
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("catalog.eider", ""));
    if (!dbc)
        return -1;
    static const char *const ddl[] = {
        "create table orders (id int primary key, customer int, note varchar(30) default "
        "'n/a', total double not null default 0)",
        "create table customers (region varchar(10), cid int, name varchar(50), email "
        "varchar(80) unique, primary key (region, cid))",
        "insert into customers values ('eu', 1, 'Ann', 'ann@example.org')",
        "insert into customers values ('us', 1, 'Bob', NULL)",
    };
    return OU_EXEC_ALL(dbc, ddl);
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo catalog_tests[] = {
    {"SQLTables", test_tables},
    {"SQLColumns", test_columns},
    {"views", test_views},
    {"keys and indexes", test_keys_and_indexes},
    {"SQLGetTypeInfo", test_type_info},
    {"a connection's own uncommitted table", test_own_transaction},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc catalog", setup, teardown, NULL, NULL, catalog_tests})
