/*
 * SQLGetInfo and SQLGetFunctions. Only what is true is claimed: a capability bit is set
 * when the engine or driver implements it, so tools that read these (pyodbc, BI tools)
 * generate SQL the engine accepts. Unknown info types are HY096.
 */
#include "drv.h"
#include "escape.h"

#include <string.h>

#define STR(id, s)                                                                                 \
    case id:                                                                                       \
        *out = (drv_info_value){IV_STR, s, 0};                                                     \
        return SQL_SUCCESS
#define U16(id, n)                                                                                 \
    case id:                                                                                       \
        *out = (drv_info_value){IV_U16, NULL, n};                                                  \
        return SQL_SUCCESS
#define U32(id, n)                                                                                 \
    case id:                                                                                       \
        *out = (drv_info_value){IV_U32, NULL, n};                                                  \
        return SQL_SUCCESS

/* Both cursor types: read-only; SQL_ATTR_MAX_ROWS limits queries and catalog results. */
#define DRV_CA2 (SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT | SQL_CA2_MAX_ROWS_CATALOG)

/* {fn CONVERT(x, type)} becomes CAST(x AS type): the SQL_CVT_* targets the engine's CAST
 * reaches from a value of the SQL type `which` names (SQL_CONVERT_*); the caller keeps those
 * the translator can name. Text converts to and from everything; numbers among themselves
 * (BIT only with integers); DATE with TIMESTAMP, TIMESTAMP to DATE and TIME; binary strings
 * with text; INTERVAL to text. */
static SQLUINTEGER info_convert(SQLUSMALLINT which)
{
    const SQLUINTEGER text = SQL_CVT_CHAR | SQL_CVT_VARCHAR | SQL_CVT_LONGVARCHAR | SQL_CVT_WCHAR |
                             SQL_CVT_WVARCHAR | SQL_CVT_WLONGVARCHAR;
    const SQLUINTEGER ints = SQL_CVT_BIGINT | SQL_CVT_INTEGER | SQL_CVT_SMALLINT | SQL_CVT_TINYINT;
    const SQLUINTEGER numbers =
        ints | SQL_CVT_DOUBLE | SQL_CVT_FLOAT | SQL_CVT_REAL | SQL_CVT_DECIMAL | SQL_CVT_NUMERIC;
    const SQLUINTEGER binary = SQL_CVT_BINARY | SQL_CVT_VARBINARY | SQL_CVT_LONGVARBINARY;
    switch (which) {
    case SQL_CONVERT_BIGINT:
    case SQL_CONVERT_INTEGER:
    case SQL_CONVERT_SMALLINT:
    case SQL_CONVERT_TINYINT:
        return numbers | SQL_CVT_BIT | text;
    case SQL_CONVERT_DOUBLE:
    case SQL_CONVERT_FLOAT:
    case SQL_CONVERT_REAL:
    case SQL_CONVERT_DECIMAL:
    case SQL_CONVERT_NUMERIC:
        return numbers | text;
    case SQL_CONVERT_BIT:
        return ints | SQL_CVT_BIT | text;
    case SQL_CONVERT_CHAR:
    case SQL_CONVERT_VARCHAR:
    case SQL_CONVERT_LONGVARCHAR:
    case SQL_CONVERT_WCHAR:
    case SQL_CONVERT_WVARCHAR:
    case SQL_CONVERT_WLONGVARCHAR:
        return numbers | SQL_CVT_BIT | text | SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP |
               binary;
    case SQL_CONVERT_DATE:
        return SQL_CVT_DATE | SQL_CVT_TIMESTAMP | text;
    case SQL_CONVERT_TIME:
        return SQL_CVT_TIME | text;
    case SQL_CONVERT_TIMESTAMP:
        return SQL_CVT_TIMESTAMP | SQL_CVT_DATE | SQL_CVT_TIME | text;
    case SQL_CONVERT_BINARY:
    case SQL_CONVERT_VARBINARY:
    case SQL_CONVERT_LONGVARBINARY:
        return binary | text;
    case SQL_CONVERT_INTERVAL_DAY_TIME:
    case SQL_CONVERT_INTERVAL_YEAR_MONTH: /* Eider's INTERVAL, which casts to text */
        return text;
    default: /* GUID */
        return 0;
    }
}

SQLRETURN drv_get_info(drv_dbc *dbc, SQLUSMALLINT type, drv_info_value *out)
{
    switch (type) {
        /* The driver and the data source */
        STR(SQL_DRIVER_NAME, "libeiderodbc.so");
        STR(SQL_DRIVER_VER, DRV_VERSION);
        STR(SQL_DRIVER_ODBC_VER, DRV_ODBC_VERSION);
        STR(SQL_ODBC_VER, DRV_ODBC_VERSION);
        STR(SQL_DBMS_NAME, DRV_NAME);
        STR(SQL_DBMS_VER, DRV_VERSION);
        STR(SQL_DATA_SOURCE_NAME, dbc->dsn ? dbc->dsn : "");
        STR(SQL_SERVER_NAME, dbc->database ? dbc->database : "");
        STR(SQL_DATABASE_NAME, dbc->database ? dbc->database : "");
        STR(SQL_USER_NAME, "");
        STR(SQL_DATA_SOURCE_READ_ONLY, dbc->read_only ? "Y" : "N");
        STR(SQL_ACCESSIBLE_TABLES, "Y");
        STR(SQL_ACCESSIBLE_PROCEDURES, "N");
        STR(SQL_PROCEDURES, "N");
        STR(SQL_NEED_LONG_DATA_LEN, "N");
        STR(SQL_DESCRIBE_PARAMETER, "Y");
        STR(SQL_MULT_RESULT_SETS, "N");
        STR(SQL_MULTIPLE_ACTIVE_TXN, "Y");
        STR(SQL_ROW_UPDATES, "N");
        STR(SQL_COLUMN_ALIAS, "Y");
        STR(SQL_EXPRESSIONS_IN_ORDERBY, "Y");
        STR(SQL_ORDER_BY_COLUMNS_IN_SELECT, "N");
        STR(SQL_OUTER_JOINS, "Y");
        STR(SQL_LIKE_ESCAPE_CLAUSE, "Y");
        STR(SQL_INTEGRITY, "N");
        STR(SQL_MAX_ROW_SIZE_INCLUDES_LONG, "Y");
        STR(SQL_CATALOG_NAME, "N");
        STR(SQL_CATALOG_NAME_SEPARATOR, "");
        STR(SQL_CATALOG_TERM, "");
        STR(SQL_SCHEMA_TERM, "");
        STR(SQL_PROCEDURE_TERM, "");
        STR(SQL_TABLE_TERM, "table");
        STR(SQL_IDENTIFIER_QUOTE_CHAR, "\"");
        STR(SQL_SEARCH_PATTERN_ESCAPE, "\\");
        STR(SQL_SPECIAL_CHARACTERS, "");
        STR(SQL_KEYWORDS, "");
        STR(SQL_COLLATION_SEQ, "UTF-8 binary");
        /* Transactions: snapshot isolation, reported as REPEATABLE READ (as PostgreSQL
         * does for its snapshot isolation); DDL is transactional. */
        U16(SQL_TXN_CAPABLE, SQL_TC_ALL);
        U32(SQL_DEFAULT_TXN_ISOLATION, SQL_TXN_REPEATABLE_READ);
        U32(SQL_TXN_ISOLATION_OPTION, SQL_TXN_REPEATABLE_READ);
        U16(SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CB_PRESERVE);
        U16(SQL_CURSOR_ROLLBACK_BEHAVIOR, SQL_CB_PRESERVE);
        /* Limits (0 = none) */
        U16(SQL_MAX_DRIVER_CONNECTIONS, 0);
        U16(SQL_MAX_CONCURRENT_ACTIVITIES, 0);
        U16(SQL_MAX_COLUMN_NAME_LEN, 0);
        U16(SQL_MAX_TABLE_NAME_LEN, 0);
        U16(SQL_MAX_IDENTIFIER_LEN, 128);
        U16(SQL_MAX_SCHEMA_NAME_LEN, 0);
        U16(SQL_MAX_CATALOG_NAME_LEN, 0);
        U16(SQL_MAX_CURSOR_NAME_LEN, 0);
        U16(SQL_MAX_COLUMNS_IN_SELECT, 0);
        U16(SQL_MAX_COLUMNS_IN_GROUP_BY, 0);
        U16(SQL_MAX_COLUMNS_IN_INDEX, 0);
        U16(SQL_MAX_COLUMNS_IN_ORDER_BY, 0);
        U16(SQL_MAX_TABLES_IN_SELECT, 0);
        U16(SQL_MAX_PROCEDURE_NAME_LEN, 0);
        U16(SQL_MAX_USER_NAME_LEN, 0);
        U32(SQL_MAX_INDEX_SIZE, 0);
        U32(SQL_MAX_BINARY_LITERAL_LEN, 0);
        U16(SQL_MAX_COLUMNS_IN_TABLE, 0);
        U32(SQL_MAX_STATEMENT_LEN, 0);
        U32(SQL_MAX_ROW_SIZE, 0);
        U32(SQL_MAX_CHAR_LITERAL_LEN, 0);
        /* Cursors: forward-only or static (scroll.c), read-only; SQLSetPos positions only.
         * tests/odbc/test_odbc_getinfo.c uses every bit claimed here. */
        U32(SQL_SCROLL_OPTIONS, SQL_SO_FORWARD_ONLY | SQL_SO_STATIC);
        U32(SQL_FETCH_DIRECTION, SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST |
                                     SQL_FD_FETCH_PRIOR | SQL_FD_FETCH_ABSOLUTE |
                                     SQL_FD_FETCH_RELATIVE);
        U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1,
            SQL_CA1_NEXT | SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION);
        U32(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2, DRV_CA2);
        U32(SQL_STATIC_CURSOR_ATTRIBUTES1, SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE |
                                               SQL_CA1_LOCK_NO_CHANGE | SQL_CA1_POS_POSITION);
        U32(SQL_STATIC_CURSOR_ATTRIBUTES2, DRV_CA2);
        U32(SQL_KEYSET_CURSOR_ATTRIBUTES1, 0);
        U32(SQL_KEYSET_CURSOR_ATTRIBUTES2, 0);
        U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES1, 0);
        U32(SQL_DYNAMIC_CURSOR_ATTRIBUTES2, 0);
        U32(SQL_SCROLL_CONCURRENCY, SQL_SCCO_READ_ONLY);
        U32(SQL_CURSOR_SENSITIVITY, SQL_INSENSITIVE);
        U32(SQL_POS_OPERATIONS, 0);
        U32(SQL_LOCK_TYPES, 0);
        U32(SQL_BOOKMARK_PERSISTENCE, 0);
        U32(SQL_STATIC_SENSITIVITY, 0);
        U32(SQL_GETDATA_EXTENSIONS, SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND);
        U32(SQL_ASYNC_MODE, SQL_AM_NONE);
        U32(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, 0);
        U32(SQL_PARAM_ARRAY_ROW_COUNTS, SQL_PARC_NO_BATCH);
        U32(SQL_PARAM_ARRAY_SELECTS, SQL_PAS_NO_SELECT);
        U32(SQL_BATCH_SUPPORT, 0);
        U32(SQL_BATCH_ROW_COUNT, 0);
        /* SQL language */
        U32(SQL_ODBC_INTERFACE_CONFORMANCE, SQL_OIC_CORE);
        U32(SQL_SQL_CONFORMANCE, SQL_SC_SQL92_ENTRY);
        U16(SQL_ODBC_SQL_CONFORMANCE, SQL_OSC_MINIMUM);
        U16(SQL_ODBC_API_CONFORMANCE, SQL_OAC_LEVEL1);
        U16(SQL_CONCAT_NULL_BEHAVIOR, SQL_CB_NULL);
        U16(SQL_NULL_COLLATION, SQL_NC_HIGH);
        U16(SQL_IDENTIFIER_CASE, SQL_IC_MIXED);
        U16(SQL_QUOTED_IDENTIFIER_CASE, SQL_IC_MIXED);
        U16(SQL_CORRELATION_NAME, SQL_CN_ANY);
        U16(SQL_NON_NULLABLE_COLUMNS, SQL_NNC_NON_NULL);
        /* the select list's columns must be grouped; GROUP BY may name others */
        U16(SQL_GROUP_BY, SQL_GB_GROUP_BY_CONTAINS_SELECT);
        U16(SQL_CATALOG_LOCATION, 0);
        U32(SQL_CATALOG_USAGE, 0);
        U32(SQL_SCHEMA_USAGE, 0);
        U16(SQL_FILE_USAGE, SQL_FILE_NOT_SUPPORTED);
        U32(SQL_DDL_INDEX, 0);
        U32(SQL_CREATE_TABLE, SQL_CT_CREATE_TABLE | SQL_CT_COLUMN_CONSTRAINT |
                                  SQL_CT_COLUMN_DEFAULT | SQL_CT_TABLE_CONSTRAINT);
        U32(SQL_DROP_TABLE, SQL_DT_DROP_TABLE);
        U32(SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN | SQL_AT_ADD_COLUMN_SINGLE |
                                 SQL_AT_ADD_COLUMN_DEFAULT | SQL_AT_DROP_COLUMN);
        U32(SQL_CREATE_VIEW, SQL_CV_CREATE_VIEW);
        U32(SQL_DROP_VIEW, SQL_DV_DROP_VIEW);
        U32(SQL_INSERT_STATEMENT, SQL_IS_INSERT_LITERALS | SQL_IS_INSERT_SEARCHED);
        U32(SQL_SQL92_PREDICATES, SQL_SP_COMPARISON | SQL_SP_ISNULL | SQL_SP_ISNOTNULL |
                                      SQL_SP_BETWEEN | SQL_SP_IN | SQL_SP_LIKE | SQL_SP_EXISTS |
                                      SQL_SP_QUANTIFIED_COMPARISON);
        U32(SQL_SQL92_RELATIONAL_JOIN_OPERATORS,
            SQL_SRJO_CROSS_JOIN | SQL_SRJO_INNER_JOIN | SQL_SRJO_LEFT_OUTER_JOIN |
                SQL_SRJO_RIGHT_OUTER_JOIN | SQL_SRJO_FULL_OUTER_JOIN | SQL_SRJO_NATURAL_JOIN |
                SQL_SRJO_EXCEPT_JOIN | SQL_SRJO_INTERSECT_JOIN);
        U32(SQL_SQL92_VALUE_EXPRESSIONS,
            SQL_SVE_CASE | SQL_SVE_CAST | SQL_SVE_COALESCE | SQL_SVE_NULLIF);
        U32(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_LOWER | SQL_SSF_UPPER | SQL_SSF_SUBSTRING |
                                            SQL_SSF_TRIM_BOTH | SQL_SSF_TRIM_LEADING |
                                            SQL_SSF_TRIM_TRAILING);
        U32(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_CHAR_LENGTH | SQL_SNVF_CHARACTER_LENGTH |
                                                   SQL_SNVF_EXTRACT | SQL_SNVF_OCTET_LENGTH |
                                                   SQL_SNVF_POSITION);
        U32(SQL_SQL92_DATETIME_FUNCTIONS,
            SQL_SDF_CURRENT_DATE | SQL_SDF_CURRENT_TIME | SQL_SDF_CURRENT_TIMESTAMP);
        U32(SQL_SQL92_ROW_VALUE_CONSTRUCTOR, SQL_SRVC_VALUE_EXPRESSION | SQL_SRVC_NULL);
        U32(SQL_SQL92_GRANT, 0);
        U32(SQL_SQL92_REVOKE, 0);
        U32(SQL_SQL92_FOREIGN_KEY_DELETE_RULE, 0);
        U32(SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, 0);
        U32(SQL_OJ_CAPABILITIES, SQL_OJ_LEFT | SQL_OJ_RIGHT | SQL_OJ_FULL | SQL_OJ_NESTED |
                                     SQL_OJ_NOT_ORDERED | SQL_OJ_INNER | SQL_OJ_ALL_COMPARISON_OPS);
        U32(SQL_AGGREGATE_FUNCTIONS, SQL_AF_ALL | SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_DISTINCT |
                                         SQL_AF_MAX | SQL_AF_MIN | SQL_AF_SUM);
        /* {fn ...}: what the escape translator maps to SQL the engine runs (tests/sql/
         * test_info.c runs one call of each function claimed) */
        U32(SQL_STRING_FUNCTIONS, esc_functions_mask(SQL_STRING_FUNCTIONS));
        U32(SQL_NUMERIC_FUNCTIONS, esc_functions_mask(SQL_NUMERIC_FUNCTIONS));
        U32(SQL_TIMEDATE_FUNCTIONS, esc_functions_mask(SQL_TIMEDATE_FUNCTIONS));
        U32(SQL_SYSTEM_FUNCTIONS, esc_functions_mask(SQL_SYSTEM_FUNCTIONS));
        U32(SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST | esc_functions_mask(SQL_CONVERT_FUNCTIONS));
        U32(SQL_TIMEDATE_ADD_INTERVALS, esc_functions_mask(SQL_TIMEDATE_ADD_INTERVALS));
        U32(SQL_TIMEDATE_DIFF_INTERVALS, esc_functions_mask(SQL_TIMEDATE_DIFF_INTERVALS));
        U32(SQL_DATETIME_LITERALS,
            SQL_DL_SQL92_DATE | SQL_DL_SQL92_TIME | SQL_DL_SQL92_TIMESTAMP |
                SQL_DL_SQL92_INTERVAL_YEAR | SQL_DL_SQL92_INTERVAL_MONTH |
                SQL_DL_SQL92_INTERVAL_DAY | SQL_DL_SQL92_INTERVAL_HOUR |
                SQL_DL_SQL92_INTERVAL_MINUTE | SQL_DL_SQL92_INTERVAL_SECOND |
                SQL_DL_SQL92_INTERVAL_YEAR_TO_MONTH | SQL_DL_SQL92_INTERVAL_DAY_TO_HOUR |
                SQL_DL_SQL92_INTERVAL_DAY_TO_MINUTE | SQL_DL_SQL92_INTERVAL_DAY_TO_SECOND |
                SQL_DL_SQL92_INTERVAL_HOUR_TO_MINUTE | SQL_DL_SQL92_INTERVAL_HOUR_TO_SECOND |
                SQL_DL_SQL92_INTERVAL_MINUTE_TO_SECOND);
        U32(SQL_UNION, SQL_U_UNION | SQL_U_UNION_ALL);
        U32(SQL_SUBQUERIES, SQL_SQ_COMPARISON | SQL_SQ_EXISTS | SQL_SQ_IN | SQL_SQ_QUANTIFIED |
                                SQL_SQ_CORRELATED_SUBQUERIES);
        U32(SQL_STANDARD_CLI_CONFORMANCE, SQL_SCC_XOPEN_CLI_VERSION1);
        U32(SQL_INDEX_KEYWORDS, SQL_IK_NONE);
        U32(SQL_INFO_SCHEMA_VIEWS, SQL_ISV_TABLES | SQL_ISV_COLUMNS);
        U32(SQL_ALTER_DOMAIN, 0);
        U32(SQL_CREATE_ASSERTION, 0);
        U32(SQL_CREATE_CHARACTER_SET, 0);
        U32(SQL_CREATE_COLLATION, 0);
        U32(SQL_CREATE_DOMAIN, 0);
        U32(SQL_CREATE_SCHEMA, 0);
        U32(SQL_CREATE_TRANSLATION, 0);
        U32(SQL_DROP_ASSERTION, 0);
        U32(SQL_DROP_CHARACTER_SET, 0);
        U32(SQL_DROP_COLLATION, 0);
        U32(SQL_DROP_DOMAIN, 0);
        U32(SQL_DROP_SCHEMA, 0);
        U32(SQL_DROP_TRANSLATION, 0);
    case SQL_CONVERT_BIGINT:
    case SQL_CONVERT_INTEGER:
    case SQL_CONVERT_SMALLINT:
    case SQL_CONVERT_TINYINT:
    case SQL_CONVERT_DOUBLE:
    case SQL_CONVERT_FLOAT:
    case SQL_CONVERT_REAL:
    case SQL_CONVERT_DECIMAL:
    case SQL_CONVERT_NUMERIC:
    case SQL_CONVERT_BIT:
    case SQL_CONVERT_CHAR:
    case SQL_CONVERT_VARCHAR:
    case SQL_CONVERT_LONGVARCHAR:
    case SQL_CONVERT_WCHAR:
    case SQL_CONVERT_WVARCHAR:
    case SQL_CONVERT_WLONGVARCHAR:
    case SQL_CONVERT_DATE:
    case SQL_CONVERT_TIME:
    case SQL_CONVERT_TIMESTAMP:
    case SQL_CONVERT_BINARY:
    case SQL_CONVERT_VARBINARY:
    case SQL_CONVERT_LONGVARBINARY:
    case SQL_CONVERT_GUID:
    case SQL_CONVERT_INTERVAL_DAY_TIME:
    case SQL_CONVERT_INTERVAL_YEAR_MONTH:
        *out = (drv_info_value){IV_U32, NULL, info_convert(type) & esc_convert_targets()};
        return SQL_SUCCESS;
    default:
        return drv_diag_add(&dbc->h, SQL_ERROR, "HY096", "unknown information type %u", type);
    }
}
