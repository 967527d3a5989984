/*
 * eider_pool_stats(): the pool statistics as a table function, so that any client reads
 * them with SQL (`SELECT * FROM eider_pool_stats()`). One row per pool of this process,
 * registered with the engine once, the first time a pool is used. Percentiles come from the
 * log2 histogram of acquire times: each is the upper bound of the bucket that holds it.
 */
#include "pool_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum {
    SF_DATABASE,
    SF_ACCOUNT,
    SF_MODE,
    SF_ACTIVE,
    SF_IDLE,
    SF_WAITING,
    SF_MAX,
    SF_ACQUIRED,
    SF_CREATED,
    SF_DESTROYED,
    SF_TIMEOUTS,
    SF_AUTH_FAILURES,
    SF_CONFLICTS,
    SF_P50,
    SF_P99,
    SF_HISTOGRAM,
    SF_NCOLS
};

static const eng_column sf_cols[SF_NCOLS] = {
    [SF_DATABASE] = {"database", "", {ENG_TYPE_VARCHAR, 0}, false},
    [SF_ACCOUNT] = {"account", "", {ENG_TYPE_VARCHAR, 0}, false},
    [SF_MODE] = {"mode", "", {ENG_TYPE_VARCHAR, 0}, false},
    [SF_ACTIVE] = {"active", "", {ENG_TYPE_INTEGER, 0}, false},
    [SF_IDLE] = {"idle", "", {ENG_TYPE_INTEGER, 0}, false},
    [SF_WAITING] = {"waiting", "", {ENG_TYPE_INTEGER, 0}, false},
    [SF_MAX] = {"max_sessions", "", {ENG_TYPE_INTEGER, 0}, false},
    [SF_ACQUIRED] = {"acquired", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_CREATED] = {"created", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_DESTROYED] = {"destroyed", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_TIMEOUTS] = {"timeouts", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_AUTH_FAILURES] = {"auth_failures", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_CONFLICTS] = {"conflicts", "", {ENG_TYPE_BIGINT, 0}, false},
    [SF_P50] = {"acquire_p50_us", "", {ENG_TYPE_BIGINT, 0}, true},
    [SF_P99] = {"acquire_p99_us", "", {ENG_TYPE_BIGINT, 0}, true},
    [SF_HISTOGRAM] = {"acquire_histogram", "", {ENG_TYPE_VARCHAR, 0}, false},
};

typedef struct sf_walk {
    eng_table_fn_emit emit;
    void *emit_ctx;
    int rc;
} sf_walk;

/* The upper bound in microseconds of the bucket holding the q-quantile (q in per mille), or
 * -1 when no acquire was recorded or it falls in the last, open bucket. */
static int64_t sf_quantile(const uint64_t *hist, uint64_t total, unsigned q)
{
    if (total == 0)
        return -1;
    uint64_t want = (total * q + 999) / 1000, seen = 0;
    for (int b = 0; b < POOL_HISTOGRAM; b++) {
        seen += hist[b];
        if (seen >= want)
            return b == POOL_HISTOGRAM - 1 ? -1 : (int64_t)1 << b;
    }
    return -1;
}

/* "<1:120 <2:3 <4:1 >=16384:0": the non-empty buckets, each "<bound:count" in microseconds. */
static void sf_histogram(const uint64_t *hist, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int b = 0; b < POOL_HISTOGRAM && len < cap; b++) {
        if (!hist[b])
            continue;
        int n = b == POOL_HISTOGRAM - 1
                    ? snprintf(out + len, cap - len, "%s>=%llu:%llu", len ? " " : "",
                               1ull << (b - 1), (unsigned long long)hist[b])
                    : snprintf(out + len, cap - len, "%s<%llu:%llu", len ? " " : "", 1ull << b,
                               (unsigned long long)hist[b]);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

static eng_value sf_text(const char *s)
{
    return (eng_value){.type = ENG_TYPE_VARCHAR, .u.s = {s, (uint32_t)strlen(s)}};
}

static eng_value sf_int(eng_type_id type, int64_t v)
{
    if (v < 0)
        return (eng_value){.type = ENG_TYPE_NULL, .is_null = true};
    return (eng_value){.type = type, .u.i = v};
}

static void sf_row(const pool_stats *s, void *arg)
{
    sf_walk *w = arg;
    if (w->rc != 0)
        return;
    uint64_t total = 0;
    for (int b = 0; b < POOL_HISTOGRAM; b++)
        total += s->acquire_us[b];
    char hist[POOL_HISTOGRAM * 32];
    sf_histogram(s->acquire_us, hist, sizeof hist);
    eng_value row[SF_NCOLS] = {
        [SF_DATABASE] = sf_text(s->database),
        [SF_ACCOUNT] = sf_text(s->account),
        [SF_MODE] = sf_text(s->mode),
        [SF_ACTIVE] = sf_int(ENG_TYPE_INTEGER, s->active),
        [SF_IDLE] = sf_int(ENG_TYPE_INTEGER, s->idle),
        [SF_WAITING] = sf_int(ENG_TYPE_INTEGER, s->waiting),
        [SF_MAX] = sf_int(ENG_TYPE_INTEGER, s->max),
        [SF_ACQUIRED] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->acquired),
        [SF_CREATED] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->created),
        [SF_DESTROYED] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->destroyed),
        [SF_TIMEOUTS] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->timeouts),
        [SF_AUTH_FAILURES] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->auth_failures),
        [SF_CONFLICTS] = sf_int(ENG_TYPE_BIGINT, (int64_t)s->conflicts),
        [SF_P50] = sf_int(ENG_TYPE_BIGINT, sf_quantile(s->acquire_us, total, 500)),
        [SF_P99] = sf_int(ENG_TYPE_BIGINT, sf_quantile(s->acquire_us, total, 990)),
        [SF_HISTOGRAM] = sf_text(hist),
    };
    w->rc = w->emit(w->emit_ctx, row);
}

static int sf_fn(void *ctx, eng_table_fn_emit emit, void *emit_ctx, char *msg)
{
    (void)ctx;
    (void)msg;
    sf_walk w = {emit, emit_ctx, 0};
    pool_for_each_stats(sf_row, &w);
    return w.rc;
}

static pthread_once_t sf_once = PTHREAD_ONCE_INIT;

static void sf_register_once(void)
{
    /* Cannot fail: the names are short and only the pool registers functions. */
    (void)eng_register_table_function("eider_pool_stats", SF_NCOLS, sf_cols, sf_fn, NULL);
    pool_register_db_stats_function();
}

void pool_register_stats_function(void)
{
    pthread_once(&sf_once, sf_register_once);
}
