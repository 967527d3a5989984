/*
 * Engine test helpers: execute and render results as text.
 */
#include "engine_util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void eu_append(char *out, size_t cap, size_t *len, const char *fmt, const char *s, int n)
{
    if (!out || *len >= cap)
        return;
    int w = n >= 0 ? snprintf(out + *len, cap - *len, fmt, n, s)
                   : snprintf(out + *len, cap - *len, fmt, s);
    if (w > 0)
        *len += (size_t)w;
}

static void eu_render_value(const eng_vector *v, uint32_t r, char *out, size_t cap, size_t *len)
{
    char buf[64];
    if (eng_vector_is_null(v, r)) {
        eu_append(out, cap, len, "%s", "NULL", -1);
        return;
    }
    switch (v->type.id) {
    case ENG_TYPE_BOOLEAN:
        eu_append(out, cap, len, "%s", ((const uint8_t *)v->data)[r] ? "true" : "false", -1);
        return;
    case ENG_TYPE_INTEGER:
        snprintf(buf, sizeof buf, "%" PRId32, ((const int32_t *)v->data)[r]);
        break;
    case ENG_TYPE_BIGINT:
        snprintf(buf, sizeof buf, "%" PRId64, ((const int64_t *)v->data)[r]);
        break;
    case ENG_TYPE_DOUBLE:
        snprintf(buf, sizeof buf, "%g", ((const double *)v->data)[r]);
        break;
    case ENG_TYPE_VARCHAR: {
        eng_str s = ((const eng_str *)v->data)[r];
        eu_append(out, cap, len, "%.*s", s.ptr, (int)s.len);
        return;
    }
    default:
        snprintf(buf, sizeof buf, "?");
        break;
    }
    eu_append(out, cap, len, "%s", buf, -1);
}

static int eu_run(eng_session *s, const char *sql, const eng_value *params, uint32_t n, char *out,
                  size_t cap, eng_error *err)
{
    eng_stmt *st;
    size_t len = 0;
    if (out && cap)
        out[0] = '\0';
    if (eng_prepare(s, sql, strlen(sql), &st, err) != 0)
        return -1;
    if (eng_stmt_execute(st, params, n, err) != 0) {
        eng_stmt_free(st);
        return -1;
    }
    const eng_chunk *ch;
    int rc;
    bool first = true;
    while ((rc = eng_stmt_fetch(st, &ch, err)) == 1) {
        for (uint32_t r = 0; r < ch->count; r++) {
            if (!first)
                eu_append(out, cap, &len, "%s", ";", -1);
            first = false;
            for (uint32_t c = 0; c < ch->ncols; c++) {
                if (c)
                    eu_append(out, cap, &len, "%s", "|", -1);
                eu_render_value(&ch->cols[c], r, out, cap, &len);
            }
        }
    }
    eng_stmt_free(st);
    return rc < 0 ? -1 : 0;
}

int eu_exec(eng_session *s, const char *sql, char *out, size_t cap, eng_error *err)
{
    return eu_run(s, sql, NULL, 0, out, cap, err);
}

const char *eu_query_params(eng_session *s, const char *sql, const eng_value *params, uint32_t n)
{
    static char buf[65536];
    eng_error err;
    if (eu_run(s, sql, params, n, buf, sizeof buf, &err) != 0)
        snprintf(buf, sizeof buf, "ERROR %s %s", err.sqlstate, err.message);
    return buf;
}

const char *eu_query(eng_session *s, const char *sql)
{
    return eu_query_params(s, sql, NULL, 0);
}

static int eu_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *eu_query_sorted(eng_session *s, const char *sql)
{
    static char sorted[65536];
    const char *rows = eu_query(s, sql);
    if (strncmp(rows, "ERROR", 5) == 0)
        return rows;
    char copy[65536];
    snprintf(copy, sizeof copy, "%s", rows);
    char *parts[4096];
    size_t n = 0;
    for (char *save, *p = strtok_r(copy, ";", &save); p && n < 4096; p = strtok_r(NULL, ";", &save))
        parts[n++] = p;
    qsort(parts, n, sizeof *parts, eu_cmp);
    size_t len = 0;
    sorted[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(sorted + len, sizeof sorted - len, "%s%s", i ? ";" : "", parts[i]);
    return sorted;
}

const char *eu_state(eng_session *s, const char *sql)
{
    static char state[6];
    eng_error err;
    if (eu_run(s, sql, NULL, 0, NULL, 0, &err) != 0)
        memcpy(state, err.sqlstate, 6);
    else
        memcpy(state, "00000", 6);
    return state;
}

int eu_temp_folder(const char *tag, const char *name, char dir[64], char path[128])
{
    snprintf(dir, 64, "/tmp/eider-%s-XXXXXX", tag);
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, 128, "%s/%s", dir, name);
    return 0;
}

int eu_remove_folder(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}
