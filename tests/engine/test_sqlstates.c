/*
 * The SQLSTATE table (engine/include/eider/sqlstates.def) and its documentation stay in
 * step: docs/sqlstates.md must list every state the engine can raise.
 */
#include "../common/test_main.h"
#include "eider/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_docs_list_every_state(void)
{
    FILE *f = fopen(EIDER_SOURCE_DIR "/docs/sqlstates.md", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (int code = 0; code < ENG_ERRCODE_COUNT; code++) {
        char needle[16];
        snprintf(needle, sizeof needle, "| %s |", eng_errcode_sqlstate(code));
        if (!strstr(text, needle)) {
            fprintf(stderr, "docs/sqlstates.md does not list %s (%s)\n", eng_errcode_sqlstate(code),
                    eng_errcode_title(code));
            CU_FAIL("a SQLSTATE is missing from docs/sqlstates.md");
        }
    }
}

static void test_codes_are_well_formed(void)
{
    for (int code = 0; code < ENG_ERRCODE_COUNT; code++) {
        const char *s = eng_errcode_sqlstate(code);
        CU_ASSERT_EQUAL(strlen(s), 5);
        CU_ASSERT_TRUE(strlen(eng_errcode_title(code)) > 0);
    }
    CU_ASSERT_STRING_EQUAL(eng_errcode_sqlstate(ENG_E_CONFLICT), "40001");
    CU_ASSERT_STRING_EQUAL(eng_errcode_sqlstate((eng_errcode)9999), "HY000");
}

static CU_TestInfo sqlstate_tests[] = {
    {"docs list every state", test_docs_list_every_state},
    {"codes are well formed", test_codes_are_well_formed},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"sqlstates", NULL, NULL, NULL, NULL, sqlstate_tests})
