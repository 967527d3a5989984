/*
 * Connection string parsing and formatting (the grammar is in connstr.h).
 */
#include "connstr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *cs_trimmed(const char *b, const char *e)
{
    while (b < e && isspace((unsigned char)*b))
        b++;
    while (e > b && isspace((unsigned char)e[-1]))
        e--;
    char *s = malloc((size_t)(e - b) + 1);
    if (s) {
        memcpy(s, b, (size_t)(e - b));
        s[e - b] = '\0';
    }
    return s;
}

static cs_status cs_add(cs_list *l, char *key, char *value)
{
    if (!key || !value) {
        free(key);
        free(value);
        return CS_NOMEM;
    }
    if (cs_get(l, key)) { /* the first occurrence wins */
        free(key);
        free(value);
        return CS_OK;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        cs_pair *p = realloc(l->pairs, cap * sizeof *p);
        if (!p) {
            free(key);
            free(value);
            return CS_NOMEM;
        }
        l->pairs = p;
        l->cap = cap;
    }
    l->pairs[l->n++] = (cs_pair){key, value};
    return CS_OK;
}

/* Reads a braced value starting at the "{"; *end gets the position after the "}". */
static char *cs_braced(const char *s, const char **end)
{
    size_t n = 0;
    const char *p = s + 1;
    for (;; p++) {
        if (!*p)
            return NULL;
        if (*p == '}') {
            if (p[1] == '}') {
                p++;
                n++;
                continue;
            }
            break;
        }
        n++;
    }
    char *v = malloc(n + 1);
    if (!v)
        return NULL;
    size_t k = 0;
    for (const char *q = s + 1; q < p; q++) {
        v[k++] = *q;
        if (*q == '}')
            q++;
    }
    v[k] = '\0';
    *end = p + 1;
    return v;
}

cs_status cs_parse(const char *s, cs_list *out, size_t *error_pos)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    while (*p) {
        while (*p == ';' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *key_start = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        if (*p != '=') {
            *error_pos = (size_t)(key_start - s);
            return CS_MISSING_EQUALS;
        }
        char *key = cs_trimmed(key_start, p);
        if (key && !*key) {
            free(key);
            *error_pos = (size_t)(key_start - s);
            return CS_EMPTY_KEY;
        }
        p++; /* "=" */
        while (*p == ' ' || *p == '\t')
            p++;
        char *value;
        if (*p == '{') {
            const char *end;
            const char *brace = p;
            value = cs_braced(p, &end);
            if (!value) {
                free(key);
                *error_pos = (size_t)(brace - s);
                return CS_UNTERMINATED_BRACE;
            }
            p = end;
            while (*p && *p != ';')
                p++; /* text between "}" and ";" is ignored */
        } else {
            const char *v = p;
            while (*p && *p != ';')
                p++;
            value = cs_trimmed(v, p);
        }
        cs_status st = cs_add(out, key, value);
        if (st != CS_OK)
            return st;
    }
    return CS_OK;
}

void cs_free(cs_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->pairs[i].key);
        free(l->pairs[i].value);
    }
    free(l->pairs);
    memset(l, 0, sizeof *l);
}

const char *cs_get(const cs_list *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->pairs[i].key, key) == 0)
            return l->pairs[i].value;
    return NULL;
}

cs_status cs_set_default(cs_list *l, const char *key, const char *value)
{
    if (cs_get(l, key))
        return CS_OK;
    return cs_add(l, strdup(key), strdup(value));
}

static bool cs_needs_braces(const char *v)
{
    if (!*v)
        return false;
    if (isspace((unsigned char)v[0]) || isspace((unsigned char)v[strlen(v) - 1]))
        return true;
    return strpbrk(v, ";{}") != NULL;
}

char *cs_format(const cs_list *l)
{
    size_t size = 1;
    for (size_t i = 0; i < l->n; i++)
        size += strlen(l->pairs[i].key) + 2 * strlen(l->pairs[i].value) + 4;
    char *out = malloc(size);
    if (!out)
        return NULL;
    char *p = out;
    for (size_t i = 0; i < l->n; i++) {
        const char *v = l->pairs[i].value;
        size_t klen = strlen(l->pairs[i].key);
        memcpy(p, l->pairs[i].key, klen);
        p += klen;
        *p++ = '=';
        bool braces = cs_needs_braces(v);
        if (braces)
            *p++ = '{';
        for (; *v; v++) {
            *p++ = *v;
            if (braces && *v == '}')
                *p++ = '}';
        }
        if (braces)
            *p++ = '}';
        *p++ = ';';
    }
    *p = '\0';
    return out;
}

const char *cs_status_text(cs_status s)
{
    switch (s) {
    case CS_OK:
        return "ok";
    case CS_NOMEM:
        return "out of memory";
    case CS_UNTERMINATED_BRACE:
        return "a value opened with { has no closing }";
    case CS_MISSING_EQUALS:
        return "an attribute has no =value";
    case CS_EMPTY_KEY:
        return "an attribute has an empty name";
    }
    return "unknown";
}
