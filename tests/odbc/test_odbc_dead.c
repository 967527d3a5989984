/*
 * SQL_ATTR_CONNECTION_DEAD through the driver manager: false while the database works,
 * true once its log failed to sync (the database then refuses commits until reopened,
 * docs/durability.md). (On a closed connection the driver manager answers 08003 itself.)
 *
 * A disk that fails cannot be had without privileges, so this program defines fdatasync and
 * pwrite (the log's direct writes) itself (exported: ENABLE_EXPORTS in tests/CMakeLists.txt),
 * which the dynamic linker prefers to the C library's for the driver too. They fail with
 * EIO for log files while `fail_log_syncs` is set and otherwise make the real system call.
 */
#include "../common/test_main.h"
#include "odbc_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int fail_log_syncs;

/* Whether a call on fd is to fail. */
static bool failing_log(int fd)
{
    if (!__atomic_load_n(&fail_log_syncs, __ATOMIC_RELAXED))
        return false;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n > 4 && memcmp(path + n - 4, ".wal", 4) == 0) {
        errno = EIO;
        return true;
    }
    return false;
}

int fdatasync(int fd);
int fdatasync(int fd)
{
    return failing_log(fd) ? -1 : (int)syscall(SYS_fdatasync, fd);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return failing_log(fd) ? -1 : syscall(SYS_pwrite64, fd, buf, n, (long)off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    return pwrite(fd, buf, n, off);
}

static SQLUINTEGER dead(SQLHDBC dbc)
{
    SQLUINTEGER v = 12345;
    CU_ASSERT_EQUAL(SQLGetConnectAttr(dbc, SQL_ATTR_CONNECTION_DEAD, &v, 0, NULL), SQL_SUCCESS);
    return v;
}

static void test_connection_dead(void)
{
    const char *conn = ou_conn("dead.eider", "Synchronous=FULL");
    SQLHDBC dbc = ou_connect(conn), other = ou_connect(conn);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(other);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "create table t (a int)"), "00000");
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into t values (1)"), "00000");
    CU_ASSERT_EQUAL(dead(dbc), SQL_CD_FALSE);

    __atomic_store_n(&fail_log_syncs, 1, __ATOMIC_RELAXED);
    CU_ASSERT_STRING_EQUAL(ou_exec(dbc, "insert into t values (2)"), "58030");
    __atomic_store_n(&fail_log_syncs, 0, __ATOMIC_RELAXED);
    /* The log stays refused: every connection to the database is dead for writing. */
    CU_ASSERT_EQUAL(dead(dbc), SQL_CD_TRUE);
    CU_ASSERT_EQUAL(dead(other), SQL_CD_TRUE);
    CU_ASSERT_STRING_EQUAL(ou_exec(other, "insert into t values (3)"), "58030");
    CU_ASSERT_STRING_EQUAL(ou_query(other, "select a from t"), "1");
    ou_disconnect(other);
    ou_disconnect(dbc);
}

static void test_memory_database_lives(void)
{
    SQLHDBC dbc = ou_connect("Driver={Eider};Database=:memory:");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dbc);
    CU_ASSERT_EQUAL(dead(dbc), SQL_CD_FALSE);
    ou_disconnect(dbc);
}

static int setup(void)
{
    return ou_setup();
}

static int teardown(void)
{
    ou_teardown();
    return 0;
}

static CU_TestInfo dead_tests[] = {
    {"SQL_ATTR_CONNECTION_DEAD after a failed log sync", test_connection_dead},
    {"an in-memory database is alive", test_memory_database_lives},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"odbc connection dead", setup, teardown, NULL, NULL, dead_tests})
