/*
 * The housekeeper: one background thread for all pools of the process. Four times a
 * second it closes idle sessions that have waited longer than the pool's idle timeout
 * (keeping the minimum idle) or outlived their lifetime, warms sessions up to the minimum
 * idle, and lets a pool with no sessions left release its database, so a process that
 * stopped using a database no longer holds its file lock.
 */
#include "pool_int.h"

#include <stdlib.h>
#include <time.h>

static pthread_once_t hk_once = PTHREAD_ONCE_INIT;

static void hk_pool(pool *p, void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&p->lock);
    uint64_t now = pool_now_ms();
    /* The idle stack is newest first: walk to the old end, closing what expired. */
    pool_session **link = &p->idle;
    uint32_t kept = 0;
    while (*link) {
        pool_session *s = *link;
        bool too_long_idle =
            now - s->idle_since_ms >= p->cfg.idle_timeout_ms && kept >= p->cfg.min_idle;
        bool too_old = p->cfg.max_lifetime_ms && now - s->created_ms >= p->cfg.max_lifetime_ms;
        if (too_long_idle || too_old || !p->cfg.pooling) {
            *link = s->next;
            p->n_idle--;
            pool_destroy_session(p, s);
        } else {
            kept++;
            link = &s->next;
        }
    }
    while (p->cfg.pooling && p->inst && p->n_idle < p->cfg.min_idle &&
           p->n_idle + p->n_active < p->cfg.max_sessions) {
        pool_session *s;
        eng_error err;
        if (pool_create_session(p, &s, &err) != 0)
            break;
        s->idle_since_ms = now;
        s->next = p->idle;
        p->idle = s;
        p->n_idle++;
    }
    pool_release_instance_if_unused(p);
    pthread_mutex_unlock(&p->lock);
}

static void *hk_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec nap = {0, 250 * 1000000L};
        nanosleep(&nap, NULL);
        pool_directory_each(hk_pool, NULL);
    }
    return NULL;
}

static void hk_start(void)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, hk_main, NULL) != 0) {
        /* Without it idle sessions are only closed when connections come and go. */
    }
    pthread_attr_destroy(&attr);
}

void pool_housekeeper_start(void)
{
    pthread_once(&hk_once, hk_start);
}
