/*
 * The common main() of Eider's CUnit test programs: each program defines its suites with
 * TEST_SUITES(...) and gets a main that runs them and exits non-zero on any failure.
 */
#ifndef EIDER_TEST_MAIN_H
#define EIDER_TEST_MAIN_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

int test_run(CU_SuiteInfo *suites);

#define TEST_SUITES(...)                                                                           \
    int main(void)                                                                                 \
    {                                                                                              \
        CU_SuiteInfo suites[] = {__VA_ARGS__, CU_SUITE_INFO_NULL};                                 \
        return test_run(suites);                                                                   \
    }

#endif
