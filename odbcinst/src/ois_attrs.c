/*
 * Attribute lists as ConfigDSN receives them: "KEY=VALUE\0KEY=VALUE\0\0". The ODBC reference
 * allows no spaces around '='; people type them anyway, and an ini file trims them when it
 * is read, so they are trimmed here too.
 */
#include "ois.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *ois_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* The length of a double-NUL-terminated list, both final NULs included. */
static size_t ois_list_size(const char *list)
{
    const char *p = list;
    while (*p)
        p += strlen(p) + 1;
    return (size_t)(p - list) + 1;
}

int ois_attrs_parse(const char *list, ois_attrs *out, char *msg, size_t size)
{
    memset(out, 0, sizeof *out);
    if (!list)
        return 0;
    size_t len = ois_list_size(list);
    out->copy = malloc(len);
    if (!out->copy)
        return ois_fail(ODBC_ERROR_OUT_OF_MEM, msg, size, "out of memory");
    memcpy(out->copy, list, len);
    char *p = out->copy;
    while (*p) {
        char *entry = p;
        p += strlen(p) + 1;
        char *eq = strchr(entry, '=');
        if (!eq)
            return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                            "attribute \"%s\" is not KEY=VALUE", entry);
        *eq = '\0';
        const char *key = ois_trim(entry), *value = ois_trim(eq + 1);
        if (!*key)
            return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size,
                            "attribute \"=%s\" has no key", value);
        if (ois_attrs_get(out, key))
            return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size, "%s is given twice", key);
        if (out->n == OIS_ATTRS_MAX)
            return ois_fail(ODBC_ERROR_INVALID_KEYWORD_VALUE, msg, size, "more than %d attributes",
                            OIS_ATTRS_MAX);
        out->at[out->n++] = (ois_attr){key, value};
    }
    return 0;
}

const char *ois_attrs_get(const ois_attrs *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->at[i].key, key) == 0)
            return l->at[i].value;
    return NULL;
}

void ois_attrs_free(ois_attrs *l)
{
    free(l->copy);
    l->copy = NULL;
    l->n = 0;
}
