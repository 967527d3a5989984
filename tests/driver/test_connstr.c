/*
 * Connection string parser tests (driver/src/connstr.c).
 */
#include "../common/test_main.h"
#include "connstr.h"

#include <stdlib.h>
#include <string.h>

static void test_simple_pairs(void)
{
    cs_list l;
    size_t pos;
    CU_ASSERT_EQUAL_FATAL(cs_parse(" DSN = eider ;Database=/tmp/x.eider;;uid=bob;", &l, &pos),
                          CS_OK);
    CU_ASSERT_EQUAL(l.n, 3);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "dsn"), "eider");
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "DATABASE"), "/tmp/x.eider");
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "UID"), "bob");
    CU_ASSERT_PTR_NULL(cs_get(&l, "PWD"));
    cs_free(&l);
}

static void test_braces(void)
{
    cs_list l;
    size_t pos;
    CU_ASSERT_EQUAL_FATAL(
        cs_parse("Driver={Eider Driver};PWD={a;b}}c};Database={ /spaced path }", &l, &pos), CS_OK);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "Driver"), "Eider Driver");
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "pwd"), "a;b}c");
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "Database"), " /spaced path ");
    char *s = cs_format(&l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "Driver=Eider Driver;PWD={a;b}}c};Database={ /spaced path };");
    cs_list again;
    CU_ASSERT_EQUAL(cs_parse(s, &again, &pos), CS_OK);
    CU_ASSERT_STRING_EQUAL(cs_get(&again, "PWD"), "a;b}c");
    CU_ASSERT_STRING_EQUAL(cs_get(&again, "Database"), " /spaced path ");
    cs_free(&again);
    free(s);
    cs_free(&l);
}

static void test_first_occurrence_wins(void)
{
    cs_list l;
    size_t pos;
    CU_ASSERT_EQUAL_FATAL(cs_parse("Database=a;DATABASE=b", &l, &pos), CS_OK);
    CU_ASSERT_EQUAL(l.n, 1);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "database"), "a");
    CU_ASSERT_EQUAL(cs_set_default(&l, "Database", "c"), CS_OK);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "database"), "a");
    CU_ASSERT_EQUAL(cs_set_default(&l, "AccessMode", "READ_ONLY"), CS_OK);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "accessmode"), "READ_ONLY");
    cs_free(&l);
}

static void test_malformed(void)
{
    cs_list l;
    size_t pos = 99;
    CU_ASSERT_EQUAL(cs_parse("DSN=x;PWD={abc", &l, &pos), CS_UNTERMINATED_BRACE);
    CU_ASSERT_EQUAL(pos, 10);
    cs_free(&l);
    CU_ASSERT_EQUAL(cs_parse("DSN=x;garbage;", &l, &pos), CS_MISSING_EQUALS);
    CU_ASSERT_EQUAL(pos, 6);
    cs_free(&l);
    CU_ASSERT_EQUAL(cs_parse("=value", &l, &pos), CS_EMPTY_KEY);
    cs_free(&l);
    CU_ASSERT_EQUAL(cs_parse("", &l, &pos), CS_OK);
    CU_ASSERT_EQUAL(l.n, 0);
    cs_free(&l);
    CU_ASSERT_STRING_EQUAL(cs_status_text(CS_UNTERMINATED_BRACE),
                           "a value opened with { has no closing }");
}

static void test_empty_values(void)
{
    cs_list l;
    size_t pos;
    CU_ASSERT_EQUAL_FATAL(cs_parse("UID=;PWD={}", &l, &pos), CS_OK);
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "UID"), "");
    CU_ASSERT_STRING_EQUAL(cs_get(&l, "PWD"), "");
    char *s = cs_format(&l);
    CU_ASSERT_STRING_EQUAL(s, "UID=;PWD=;");
    free(s);
    cs_free(&l);
}

static CU_TestInfo connstr_tests[] = {
    {"simple pairs", test_simple_pairs},
    {"braces", test_braces},
    {"first occurrence wins", test_first_occurrence_wins},
    {"malformed strings", test_malformed},
    {"empty values", test_empty_values},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"connstr", NULL, NULL, NULL, NULL, connstr_tests})
