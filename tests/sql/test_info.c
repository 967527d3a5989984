/*
 * SQLGetInfo is honest about the SQL Eider runs (driver/src/info.c): for every capability
 * bit it reports, a statement using that capability is run through the driver manager and
 * must succeed with the expected answer; and every capability this file has a statement for
 * must be reported. A bit added to info.c (or a function added to the escape translator)
 * without a statement here fails the first check; one removed fails the second.
 */
#include "../common/test_main.h"
#include "../odbc/odbc_util.h"

#include <stdio.h>
#include <string.h>

static SQLHDBC dbc;

/* Runs sql and renders its rows ("1|a;2|NULL"), or "ERROR <state> <message>"; a
 * statement that is not a query gives "". */
static const char *run(const char *sql)
{
    if (strncmp(sql, "select", 6) != 0) {
        const char *state = ou_exec(dbc, sql);
        return strcmp(state, "00000") == 0 ? "" : state;
    }
    const char *got = ou_query(dbc, sql);
    if (strncmp(got, "ERROR", 5) == 0) {
        static char buf[1024];
        SQLHSTMT st;
        SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
        SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
        snprintf(buf, sizeof buf, "ERROR %s %s", ou_state(SQL_HANDLE_STMT, st),
                 ou_message(SQL_HANDLE_STMT, st));
        SQLFreeHandle(SQL_HANDLE_STMT, st);
        return buf;
    }
    return got;
}

/* A capability, and a statement that uses it; expected NULL: any answer. */
typedef struct sample {
    SQLUSMALLINT info;
    SQLUINTEGER bit;
    const char *sql;
    const char *expected;
} sample;

#define S(info, bit, sql, expected)                                                                \
    {                                                                                              \
        info, bit, sql, expected                                                                   \
    }

static const sample samples[] = {
    /* {fn ...} string functions */
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_ASCII, "select {fn ascii('a')}", "97"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_BIT_LENGTH, "select {fn bit_length('ab')}", "16"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR, "select {fn char(65)}", "A"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_CHAR_LENGTH, "select {fn char_length('abc')}", "3"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_CHARACTER_LENGTH, "select {fn character_length('ab')}", "2"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_CONCAT, "select {fn concat('a', 'b')}", "ab"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_INSERT, "select {fn insert('abcdef', 2, 3, 'X')}", "aXef"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LCASE, "select {fn lcase('AbC')}", "abc"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LEFT, "select {fn left('abc', 2)}", "ab"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LENGTH, "select {fn length('ab  ')}", "2"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE_2, "select {fn locate('b', 'abcb')}", "2"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LOCATE, "select {fn locate('b', 'abcb', 3)}", "4"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_LTRIM, "select {fn ltrim('  a ')}", "a "),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_OCTET_LENGTH, "select {fn octet_length('ab')}", "2"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_POSITION, "select {fn position('b' in 'abc')}", "2"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_REPEAT, "select {fn repeat('ab', 2)}", "abab"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_REPLACE, "select {fn replace('abcb', 'b', 'x')}", "axcx"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_RIGHT, "select {fn right('abc', 2)}", "bc"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_RTRIM, "select {fn rtrim(' a  ')}", " a"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_SPACE, "select {fn concat({fn space(2)}, 'x')}", "  x"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_SUBSTRING, "select {fn substring('abcdef', 2, 3)}", "bcd"),
    S(SQL_STRING_FUNCTIONS, SQL_FN_STR_UCASE, "select {fn ucase('aBc')}", "ABC"),
    /* {fn ...} numeric functions */
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ABS, "select {fn abs(-2)}", "2"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_CEILING, "select {fn ceiling(1.2e0)}", "2"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_DEGREES, "select {fn round({fn degrees(1e0)}, 3)}",
      "57.296"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_EXP, "select {fn exp(0)}", "1"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_FLOOR, "select {fn floor(1.7e0)}", "1"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG, "select {fn log(1)}", "0"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_LOG10, "select {fn log10(100)}", "2"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_MOD, "select {fn mod(7, 3)}", "1"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_PI, "select {fn round({fn pi()}, 4)}", "3.1416"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_POWER, "select {fn power(2, 3)}", "8"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_RADIANS, "select {fn round({fn radians(180)}, 4)}",
      "3.1416"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_ROUND, "select {fn round(2.345, 2)}, {fn round(2.5e0)}",
      "2.35|3"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SIGN, "select {fn sign(-3)}", "-1"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_SQRT, "select {fn sqrt(4)}", "2"),
    S(SQL_NUMERIC_FUNCTIONS, SQL_FN_NUM_TRUNCATE,
      "select {fn truncate(1.7e0)}, {fn truncate(-1.27, 1)}", "1|-1.2"),
    /* {fn ...} date and time functions */
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURDATE, "select {fn curdate()} = current_date", "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_DATE, "select {fn current_date()} = current_date",
      "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIME, "select {fn current_time()} is not null",
      "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURRENT_TIMESTAMP,
      "select {fn current_timestamp()} is not null", "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_CURTIME, "select {fn curtime()} is not null", "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYNAME, "select {fn dayname({d '2024-01-01'})}", "Monday"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFMONTH, "select {fn dayofmonth({d '2024-01-07'})}",
      "7"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFWEEK, "select {fn dayofweek({d '2024-01-01'})}", "2"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_DAYOFYEAR, "select {fn dayofyear({d '2024-02-01'})}", "32"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_EXTRACT, "select {fn extract(year from {d '2024-02-01'})}",
      "2024"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_HOUR, "select {fn hour({ts '2024-01-01 10:11:12'})}", "10"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MINUTE, "select {fn minute({t '10:11:12'})}", "11"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTH, "select {fn month({d '2024-03-01'})}", "3"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_MONTHNAME, "select {fn monthname({d '2024-03-01'})}",
      "March"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_NOW, "select {fn now()} is not null", "1"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_QUARTER, "select {fn quarter({d '2024-05-01'})}", "2"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_SECOND, "select {fn second({ts '2024-01-01 10:11:12'})}",
      "12"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPADD,
      "select {fn timestampadd(SQL_TSI_DAY, 1, {ts '2024-01-31 10:00:00'})}",
      "2024-02-01 10:00:00"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_TIMESTAMPDIFF,
      "select {fn timestampdiff(SQL_TSI_DAY, {d '2024-01-01'}, {d '2024-03-01'})}", "60"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_WEEK, "select {fn week({d '2024-01-10'})}", "2"),
    S(SQL_TIMEDATE_FUNCTIONS, SQL_FN_TD_YEAR, "select {fn year({d '2024-01-10'})}", "2024"),
    /* TIMESTAMPADD / TIMESTAMPDIFF intervals */
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_SECOND,
      "select {fn timestampadd(SQL_TSI_SECOND, 2, {ts '2024-01-01 10:00:00'})}",
      "2024-01-01 10:00:02"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_MINUTE,
      "select {fn timestampadd(SQL_TSI_MINUTE, 2, {ts '2024-01-01 10:00:00'})}",
      "2024-01-01 10:02:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_HOUR,
      "select {fn timestampadd(SQL_TSI_HOUR, 2, {ts '2024-01-01 10:00:00'})}",
      "2024-01-01 12:00:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_DAY,
      "select {fn timestampadd(SQL_TSI_DAY, 2, {ts '2024-01-01 10:00:00'})}",
      "2024-01-03 10:00:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_WEEK,
      "select {fn timestampadd(SQL_TSI_WEEK, 2, {ts '2024-01-01 10:00:00'})}",
      "2024-01-15 10:00:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_MONTH,
      "select {fn timestampadd(SQL_TSI_MONTH, 2, {ts '2024-01-31 10:00:00'})}",
      "2024-03-31 10:00:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_QUARTER,
      "select {fn timestampadd(SQL_TSI_QUARTER, 1, {ts '2024-01-01 10:00:00'})}",
      "2024-04-01 10:00:00"),
    S(SQL_TIMEDATE_ADD_INTERVALS, SQL_FN_TSI_YEAR,
      "select {fn timestampadd(SQL_TSI_YEAR, 1, {ts '2024-02-29 10:00:00'})}",
      "2025-02-28 10:00:00"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_SECOND,
      "select {fn timestampdiff(SQL_TSI_SECOND, {ts '2024-01-01 10:00:00'}, "
      "{ts '2024-01-01 10:01:30'})}",
      "90"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_MINUTE,
      "select {fn timestampdiff(SQL_TSI_MINUTE, {ts '2024-01-01 10:00:00'}, "
      "{ts '2024-01-01 11:30:00'})}",
      "90"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_HOUR,
      "select {fn timestampdiff(SQL_TSI_HOUR, {ts '2024-01-01 10:00:00'}, "
      "{ts '2024-01-02 11:00:00'})}",
      "25"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_DAY,
      "select {fn timestampdiff(SQL_TSI_DAY, {d '2024-01-01'}, {d '2024-01-31'})}", "30"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_WEEK,
      "select {fn timestampdiff(SQL_TSI_WEEK, {d '2024-01-01'}, {d '2024-01-31'})}", "4"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_MONTH,
      "select {fn timestampdiff(SQL_TSI_MONTH, {d '2024-01-15'}, {d '2024-04-15'})}", "3"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_QUARTER,
      "select {fn timestampdiff(SQL_TSI_QUARTER, {d '2024-01-15'}, {d '2024-07-15'})}", "2"),
    S(SQL_TIMEDATE_DIFF_INTERVALS, SQL_FN_TSI_YEAR,
      "select {fn timestampdiff(SQL_TSI_YEAR, {d '2020-01-15'}, {d '2024-01-15'})}", "4"),
    /* {fn ...} system functions */
    S(SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_DBNAME, "select {fn database()} is not null", "1"),
    S(SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_IFNULL, "select {fn ifnull(null, 3)}", "3"),
    S(SQL_SYSTEM_FUNCTIONS, SQL_FN_SYS_USERNAME, "select {fn user()} is null", NULL),
    /* conversions */
    S(SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST, "select cast(12 as varchar(5)) || 'x'", "12x"),
    S(SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CONVERT, "select {fn convert('12', SQL_INTEGER)} + 1",
      "13"),
    /* SQL-92 predicates, value expressions and functions */
    S(SQL_SQL92_PREDICATES, SQL_SP_COMPARISON, "select a from t where a <> 1", "2;3"),
    S(SQL_SQL92_PREDICATES, SQL_SP_ISNULL, "select a from t where b is null", "3"),
    S(SQL_SQL92_PREDICATES, SQL_SP_ISNOTNULL, "select count(*) from t where b is not null", "2"),
    S(SQL_SQL92_PREDICATES, SQL_SP_BETWEEN, "select a from t where a between 2 and 2", "2"),
    S(SQL_SQL92_PREDICATES, SQL_SP_IN, "select a from t where a in (2, 5)", "2"),
    S(SQL_SQL92_PREDICATES, SQL_SP_LIKE, "select a from t where b like 'x%'", "1"),
    S(SQL_SQL92_PREDICATES, SQL_SP_EXISTS,
      "select count(*) from t where exists (select 1 from t u where u.a > t.a)", "2"),
    S(SQL_SQL92_PREDICATES, SQL_SP_QUANTIFIED_COMPARISON,
      "select a from t where a >= all (select a from t)", "3"),
    S(SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_CASE,
      "select case when a = 1 then 'one' else 'more' end from t where a < 3 order by a",
      "one;more"),
    S(SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_CAST, "select cast('7' as integer) * 2", "14"),
    S(SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_COALESCE,
      "select coalesce(b, 'none') from t where a = 3", "none"),
    S(SQL_SQL92_VALUE_EXPRESSIONS, SQL_SVE_NULLIF, "select nullif(a, 1) from t where a = 1",
      "NULL"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_LOWER, "select lower('AbC')", "abc"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_UPPER, "select upper('AbC')", "ABC"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_SUBSTRING, "select substring('abcdef' from 2 for 3)",
      "bcd"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_TRIM_BOTH, "select trim(both 'x' from 'xxaxx')", "a"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_TRIM_LEADING, "select trim(leading 'x' from 'xxaxx')",
      "axx"),
    S(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_TRIM_TRAILING, "select trim(trailing 'x' from 'xxaxx')",
      "xxa"),
    S(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_CHAR_LENGTH, "select char_length('abc')", "3"),
    S(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_CHARACTER_LENGTH,
      "select character_length('abc')", "3"),
    S(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_EXTRACT,
      "select extract(month from date '2024-05-06')", "5"),
    S(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_OCTET_LENGTH, "select octet_length('ab')", "2"),
    S(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, SQL_SNVF_POSITION, "select position('c' in 'abc')", "3"),
    S(SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_DATE, "select current_date > date '2000-01-01'",
      "1"),
    S(SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_TIME, "select current_time is not null", "1"),
    S(SQL_SQL92_DATETIME_FUNCTIONS, SQL_SDF_CURRENT_TIMESTAMP,
      "select current_timestamp > timestamp '2000-01-01 00:00:00'", "1"),
    /* joins */
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_CROSS_JOIN,
      "select count(*) from t cross join t u", "9"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_INNER_JOIN,
      "select count(*) from t inner join t u on t.a = u.a", "3"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_LEFT_OUTER_JOIN,
      "select count(u.a) from t left outer join t u on t.a = u.a + 1", "2"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_RIGHT_OUTER_JOIN,
      "select count(*), count(t.a) from t right join t u on t.a = u.a + 1", "3|2"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_FULL_OUTER_JOIN,
      "select count(*) from t full join t u on t.a = u.a + 1", "4"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_NATURAL_JOIN,
      "select count(*) from t natural join t u", "2"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_EXCEPT_JOIN,
      "select a from t except select 1 order by 1", "2;3"),
    S(SQL_SQL92_RELATIONAL_JOIN_OPERATORS, SQL_SRJO_INTERSECT_JOIN,
      "select a from t intersect select 2", "2"),
    /* {oj ...} */
    S(SQL_OJ_CAPABILITIES, SQL_OJ_LEFT,
      "select count(u.a) from {oj t left outer join t u on t.a = u.a + 1}", "2"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_RIGHT,
      "select count(t.a) from {oj t right outer join t u on t.a = u.a + 1}", "2"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_FULL,
      "select count(*) from {oj t full outer join t u on t.a = u.a + 1}", "4"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_NESTED,
      "select count(v.a) from {oj t left outer join t u on t.a = u.a left outer join t v on "
      "u.a = v.a + 1}",
      "2"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_NOT_ORDERED,
      "select count(u.a) from {oj t left outer join t u on u.a + 1 = t.a}", "2"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_INNER,
      "select count(*) from {oj t left outer join t u on t.a = u.a inner join t v on v.a = t.a}",
      "3"),
    S(SQL_OJ_CAPABILITIES, SQL_OJ_ALL_COMPARISON_OPS,
      "select count(*) from {oj t left outer join t u on t.a < u.a}", "4"),
    /* aggregates */
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_ALL, "select sum(all a) from t", "6"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_AVG, "select avg(a) from t", "2"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_COUNT, "select count(b), count(*) from t", "2|3"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_DISTINCT, "select count(distinct a % 2) from t", "2"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_MAX, "select max(b) from t", "y"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_MIN, "select min(a) from t", "1"),
    S(SQL_AGGREGATE_FUNCTIONS, SQL_AF_SUM, "select sum(a) from t", "6"),
    /* datetime literals */
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_DATE, "select date '2024-01-02'", "2024-01-02"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_TIME, "select time '10:11:12'", "10:11:12"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_TIMESTAMP, "select timestamp '2024-01-02 10:11:12'",
      "2024-01-02 10:11:12"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_YEAR,
      "select date '2024-01-02' + interval '1' year", "2025-01-02 00:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_MONTH,
      "select date '2024-01-31' + interval '1' month", "2024-02-29 00:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_DAY,
      "select date '2024-01-02' + interval '30' day", "2024-02-01 00:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_HOUR,
      "select timestamp '2024-01-02 10:00:00' + interval '3' hour", "2024-01-02 13:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_MINUTE,
      "select timestamp '2024-01-02 10:00:00' + interval '3' minute", "2024-01-02 10:03:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_SECOND,
      "select timestamp '2024-01-02 10:00:00' + interval '3' second", "2024-01-02 10:00:03"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_YEAR_TO_MONTH,
      "select date '2024-01-02' + interval '1-2' year to month", "2025-03-02 00:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_DAY_TO_HOUR,
      "select date '2024-01-02' + interval '1 02' day to hour", "2024-01-03 02:00:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_DAY_TO_MINUTE,
      "select date '2024-01-02' + interval '1 02:03' day to minute", "2024-01-03 02:03:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_DAY_TO_SECOND,
      "select date '2024-01-02' + interval '1 02:03:04' day to second", "2024-01-03 02:03:04"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_HOUR_TO_MINUTE,
      "select date '2024-01-02' + interval '02:03' hour to minute", "2024-01-02 02:03:00"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_HOUR_TO_SECOND,
      "select date '2024-01-02' + interval '02:03:04' hour to second", "2024-01-02 02:03:04"),
    S(SQL_DATETIME_LITERALS, SQL_DL_SQL92_INTERVAL_MINUTE_TO_SECOND,
      "select date '2024-01-02' + interval '03:04' minute to second", "2024-01-02 00:03:04"),
    /* queries */
    S(SQL_UNION, SQL_U_UNION, "select a from t where a < 3 union select 1 order by 1", "1;2"),
    S(SQL_UNION, SQL_U_UNION_ALL,
      "select count(*) from (select a from t union all select a "
      "from t) x",
      "6"),
    S(SQL_SUBQUERIES, SQL_SQ_COMPARISON, "select a from t where a = (select max(a) from t)", "3"),
    S(SQL_SUBQUERIES, SQL_SQ_EXISTS,
      "select count(*) from t where not exists (select 1 from t u where u.a < t.a)", "1"),
    S(SQL_SUBQUERIES, SQL_SQ_IN, "select a from t where a in (select a + 2 from t)", "3"),
    S(SQL_SUBQUERIES, SQL_SQ_QUANTIFIED,
      "select a from t where a < any (select a from t) "
      "order by a",
      "1;2"),
    S(SQL_SUBQUERIES, SQL_SQ_CORRELATED_SUBQUERIES,
      "select a, (select count(*) from t u where u.a < t.a) from t order by a", "1|0;2|1;3|2"),
    /* statements */
    S(SQL_CREATE_TABLE, SQL_CT_CREATE_TABLE, "create table info_c1 (x int)", ""),
    S(SQL_CREATE_TABLE, SQL_CT_COLUMN_CONSTRAINT, "create table info_c2 (x int not null unique)",
      ""),
    S(SQL_CREATE_TABLE, SQL_CT_COLUMN_DEFAULT, "create table info_c3 (x int default 7)", ""),
    S(SQL_CREATE_TABLE, SQL_CT_TABLE_CONSTRAINT,
      "create table info_c4 (x int, y int, primary key (x, y))", ""),
    S(SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN, "alter table info_c1 add column y int", ""),
    S(SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN_SINGLE, "alter table info_c1 add z int not null", ""),
    S(SQL_ALTER_TABLE, SQL_AT_ADD_COLUMN_DEFAULT, "alter table info_c1 add w int default 3", ""),
    S(SQL_ALTER_TABLE, SQL_AT_DROP_COLUMN, "alter table info_c1 drop column y", ""),
    S(SQL_CREATE_VIEW, SQL_CV_CREATE_VIEW, "create view info_v as select a from t where a > 1", ""),
    S(SQL_DROP_VIEW, SQL_DV_DROP_VIEW, "drop view info_v", ""),
    S(SQL_INSERT_STATEMENT, SQL_IS_INSERT_LITERALS, "insert into t2 values (1)", ""),
    S(SQL_INSERT_STATEMENT, SQL_IS_INSERT_SEARCHED, "insert into t2 select a from t", ""),
    S(SQL_INFO_SCHEMA_VIEWS, SQL_ISV_TABLES,
      "select table_name from information_schema.tables where table_name = 't'", "t"),
    S(SQL_INFO_SCHEMA_VIEWS, SQL_ISV_COLUMNS,
      "select column_name from information_schema.columns where table_name = 't' order by "
      "ordinal_position",
      "a;b"),
};

/* The bitmask info types this file checks. */
static const SQLUSMALLINT masks[] = {
    SQL_STRING_FUNCTIONS,
    SQL_NUMERIC_FUNCTIONS,
    SQL_TIMEDATE_FUNCTIONS,
    SQL_TIMEDATE_ADD_INTERVALS,
    SQL_TIMEDATE_DIFF_INTERVALS,
    SQL_SYSTEM_FUNCTIONS,
    SQL_CONVERT_FUNCTIONS,
    SQL_SQL92_PREDICATES,
    SQL_SQL92_VALUE_EXPRESSIONS,
    SQL_SQL92_STRING_FUNCTIONS,
    SQL_SQL92_NUMERIC_VALUE_FUNCTIONS,
    SQL_SQL92_DATETIME_FUNCTIONS,
    SQL_SQL92_RELATIONAL_JOIN_OPERATORS,
    SQL_OJ_CAPABILITIES,
    SQL_AGGREGATE_FUNCTIONS,
    SQL_DATETIME_LITERALS,
    SQL_UNION,
    SQL_SUBQUERIES,
    SQL_CREATE_TABLE,
    SQL_ALTER_TABLE,
    SQL_CREATE_VIEW,
    SQL_DROP_VIEW,
    SQL_INSERT_STATEMENT,
    SQL_INFO_SCHEMA_VIEWS,
};

static SQLUINTEGER info_mask(SQLUSMALLINT info)
{
    SQLUINTEGER v = 0;
    CU_ASSERT_EQUAL(SQLGetInfo(dbc, info, &v, sizeof v, NULL), SQL_SUCCESS);
    return v;
}

static void test_claimed_bits_work(void)
{
    for (size_t m = 0; m < sizeof masks / sizeof *masks; m++) {
        SQLUINTEGER mask = info_mask(masks[m]);
        for (int bit = 0; bit < 32; bit++) {
            SQLUINTEGER b = (SQLUINTEGER)1 << bit;
            if (!(mask & b))
                continue;
            bool found = false;
            for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
                const sample *x = &samples[s];
                if (x->info != masks[m] || x->bit != b)
                    continue;
                found = true;
                const char *got = run(x->sql);
                bool ok = strncmp(got, "ERROR", 5) != 0 &&
                          (!x->expected || strcmp(got, x->expected) == 0);
                if (!ok)
                    printf("\n  info %u bit 0x%x: %s\n    got %s, expected %s", masks[m], b, x->sql,
                           got, x->expected ? x->expected : "success");
                CU_ASSERT(ok);
            }
            if (!found)
                printf("\n  info %u claims bit 0x%x, which no statement here checks", masks[m], b);
            CU_ASSERT(found);
        }
    }
}

static void test_checked_bits_are_claimed(void)
{
    for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
        bool claimed = (info_mask(samples[s].info) & samples[s].bit) != 0;
        if (!claimed)
            printf("\n  info %u does not claim bit 0x%x (%s)", samples[s].info, samples[s].bit,
                   samples[s].sql);
        CU_ASSERT(claimed);
    }
}

/* One value of each SQL type CONVERT can start from, and the texts a target needs. */
static const struct {
    SQLUSMALLINT info;
    const char *value;
} sources[] = {
    {SQL_CONVERT_BIGINT, "cast(1 as bigint)"},
    {SQL_CONVERT_INTEGER, "cast(1 as integer)"},
    {SQL_CONVERT_SMALLINT, "cast(1 as smallint)"},
    {SQL_CONVERT_TINYINT, "cast(1 as smallint)"},
    {SQL_CONVERT_DOUBLE, "cast(1 as double precision)"},
    {SQL_CONVERT_FLOAT, "cast(1 as float)"},
    {SQL_CONVERT_REAL, "cast(1 as real)"},
    {SQL_CONVERT_DECIMAL, "cast(1 as decimal(5,2))"},
    {SQL_CONVERT_NUMERIC, "cast(1 as numeric(5,2))"},
    {SQL_CONVERT_BIT, "true"},
    {SQL_CONVERT_CHAR, NULL},
    {SQL_CONVERT_VARCHAR, NULL},
    {SQL_CONVERT_LONGVARCHAR, NULL},
    {SQL_CONVERT_WCHAR, NULL},
    {SQL_CONVERT_WVARCHAR, NULL},
    {SQL_CONVERT_WLONGVARCHAR, NULL},
    {SQL_CONVERT_DATE, "date '2024-01-02'"},
    {SQL_CONVERT_TIME, "time '10:11:12'"},
    {SQL_CONVERT_TIMESTAMP, "timestamp '2024-01-02 10:11:12'"},
    {SQL_CONVERT_BINARY, "cast('ab' as varbinary(4))"},
    {SQL_CONVERT_VARBINARY, "cast('ab' as varbinary(4))"},
    {SQL_CONVERT_LONGVARBINARY, "cast('ab' as varbinary(4))"},
    {SQL_CONVERT_GUID, NULL},
    {SQL_CONVERT_INTERVAL_DAY_TIME, "interval '1' day"},
    {SQL_CONVERT_INTERVAL_YEAR_MONTH, "interval '1' year"},
};

static const struct {
    SQLUINTEGER bit;
    const char *name; /* CONVERT's type argument */
    const char *text; /* a text this type reads */
} targets[] = {
    {SQL_CVT_BIGINT, "SQL_BIGINT", "'1'"},
    {SQL_CVT_INTEGER, "SQL_INTEGER", "'1'"},
    {SQL_CVT_SMALLINT, "SQL_SMALLINT", "'1'"},
    {SQL_CVT_TINYINT, "SQL_TINYINT", "'1'"},
    {SQL_CVT_DOUBLE, "SQL_DOUBLE", "'1'"},
    {SQL_CVT_FLOAT, "SQL_FLOAT", "'1'"},
    {SQL_CVT_REAL, "SQL_REAL", "'1'"},
    {SQL_CVT_DECIMAL, "SQL_DECIMAL", "'1'"},
    {SQL_CVT_NUMERIC, "SQL_NUMERIC", "'1'"},
    {SQL_CVT_BIT, "SQL_BIT", "'1'"},
    {SQL_CVT_CHAR, "SQL_CHAR", "'1'"},
    {SQL_CVT_VARCHAR, "SQL_VARCHAR", "'1'"},
    {SQL_CVT_LONGVARCHAR, "SQL_LONGVARCHAR", "'1'"},
    {SQL_CVT_WCHAR, "SQL_WCHAR", "'1'"},
    {SQL_CVT_WVARCHAR, "SQL_WVARCHAR", "'1'"},
    {SQL_CVT_WLONGVARCHAR, "SQL_WLONGVARCHAR", "'1'"},
    {SQL_CVT_DATE, "SQL_DATE", "'2024-01-02'"},
    {SQL_CVT_TIME, "SQL_TIME", "'10:11:12'"},
    {SQL_CVT_TIMESTAMP, "SQL_TIMESTAMP", "'2024-01-02 10:11:12'"},
    {SQL_CVT_BINARY, "SQL_BINARY", "'ab'"},
    {SQL_CVT_VARBINARY, "SQL_VARBINARY", "'ab'"},
    {SQL_CVT_LONGVARBINARY, "SQL_LONGVARBINARY", "'ab'"},
    {SQL_CVT_GUID, "SQL_GUID", "'1'"},
};

/* SQL_CONVERT_<from>: every target it claims converts a value of that type, and every
 * target it does not claim is refused (GUID, which Eider lacks, has no value to try). */
static void test_convert_matrix(void)
{
    for (size_t s = 0; s < sizeof sources / sizeof *sources; s++) {
        if (sources[s].info == SQL_CONVERT_GUID) {
            CU_ASSERT_EQUAL(info_mask(SQL_CONVERT_GUID), 0);
            continue;
        }
        SQLUINTEGER mask = info_mask(sources[s].info);
        for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
            bool claimed = (mask & targets[t].bit) != 0;
            char sql[256];
            snprintf(sql, sizeof sql, "select {fn convert(%s, %s)} is not null",
                     sources[s].value ? sources[s].value : targets[t].text, targets[t].name);
            const char *got = run(sql);
            bool ran = strcmp(got, "1") == 0;
            if (ran != claimed)
                printf("\n  SQL_CONVERT %u %s %s: %s gave %s", sources[s].info,
                       claimed ? "claims" : "does not claim", targets[t].name, sql, got);
            CU_ASSERT_EQUAL(ran, claimed);
        }
    }
}

/* The Y/N and single-valued answers that describe the SQL. */
static void test_language_answers(void)
{
    char yn[8];
    SQLSMALLINT len;
    SQLUSMALLINT u16 = 0;
    SQLGetInfo(dbc, SQL_EXPRESSIONS_IN_ORDERBY, yn, sizeof yn, &len);
    CU_ASSERT_STRING_EQUAL(yn, "Y");
    CU_ASSERT_STRING_EQUAL(run("select a from t order by 0 - a"), "3;2;1");
    SQLGetInfo(dbc, SQL_ORDER_BY_COLUMNS_IN_SELECT, yn, sizeof yn, &len);
    CU_ASSERT_STRING_EQUAL(yn, "N");
    CU_ASSERT_STRING_EQUAL(run("select b from t where b is not null order by a desc"), "y;x");
    SQLGetInfo(dbc, SQL_OUTER_JOINS, yn, sizeof yn, &len);
    CU_ASSERT_STRING_EQUAL(yn, "Y");
    SQLGetInfo(dbc, SQL_LIKE_ESCAPE_CLAUSE, yn, sizeof yn, &len);
    CU_ASSERT_STRING_EQUAL(yn, "Y");
    CU_ASSERT_STRING_EQUAL(run("select count(*) from t where 'a%' like 'a!%' escape '!'"), "3");
    SQLGetInfo(dbc, SQL_GROUP_BY, &u16, sizeof u16, NULL);
    CU_ASSERT_EQUAL(u16, SQL_GB_GROUP_BY_CONTAINS_SELECT);
    CU_ASSERT_STRING_EQUAL(run("select count(*) from t group by a, b order by 1"), "1;1;1");
    CU_ASSERT_NSTRING_EQUAL(run("select b, count(*) from t"), "ERROR 42000", 11); /* ungrouped */
    SQLGetInfo(dbc, SQL_NULL_COLLATION, &u16, sizeof u16, NULL);
    CU_ASSERT_EQUAL(u16, SQL_NC_HIGH);
    CU_ASSERT_STRING_EQUAL(run("select b from t order by b"), "x;y;NULL");
    CU_ASSERT_STRING_EQUAL(run("select b from t order by b desc"), "NULL;y;x");
    SQLGetInfo(dbc, SQL_CONCAT_NULL_BEHAVIOR, &u16, sizeof u16, NULL);
    CU_ASSERT_EQUAL(u16, SQL_CB_NULL);
    CU_ASSERT_STRING_EQUAL(run("select 'a' || b from t where a = 3"), "NULL");
}

static int setup(void)
{
    if (ou_setup() != 0)
        return -1;
    dbc = ou_connect(ou_conn("info.eider", ""));
    if (!dbc)
        return -1;
    static const char *const st[] = {"create table t (a integer, b varchar(10))",
                                     "insert into t values (1, 'x'), (2, 'y'), (3, null)",
                                     "create table t2 (a integer)"};
    return OU_EXEC_ALL(dbc, st);
}

static int teardown(void)
{
    ou_disconnect(dbc);
    ou_teardown();
    return 0;
}

static CU_TestInfo info_tests[] = {
    {"every capability bit claimed works", test_claimed_bits_work},
    {"every capability checked is claimed", test_checked_bits_are_claimed},
    {"CONVERT's claimed conversions", test_convert_matrix},
    {"ORDER BY, GROUP BY, NULL order, LIKE ESCAPE", test_language_answers},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"SQLGetInfo honesty", setup, teardown, NULL, NULL, info_tests})
