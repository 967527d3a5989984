/*
 * ODBC connection strings: "key=value;key={value with ; and }} inside};...".
 * Keys are case-insensitive and trimmed; a braced value is taken verbatim (with "}}" as
 * a literal "}"), a bare value is trimmed. Later duplicates do not override the first, as
 * the ODBC reference specifies for SQLDriverConnect.
 */
#ifndef EIDER_CONNSTR_H
#define EIDER_CONNSTR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cs_pair {
    char *key;
    char *value;
} cs_pair;

typedef struct cs_list {
    cs_pair *pairs;
    size_t n, cap;
} cs_list;

typedef enum cs_status {
    CS_OK = 0,
    CS_NOMEM,
    CS_UNTERMINATED_BRACE, /* "{" without its "}" */
    CS_MISSING_EQUALS,     /* a non-empty pair without "=" */
    CS_EMPTY_KEY,          /* "=value" */
} cs_status;

/* Parses s. On an error, *error_pos gets the byte offset where it was found. */
cs_status cs_parse(const char *s, cs_list *out, size_t *error_pos);
void cs_free(cs_list *l);
/* The value of key (case-insensitive), or NULL. */
const char *cs_get(const cs_list *l, const char *key);
/* Adds key=value unless the key is present. */
cs_status cs_set_default(cs_list *l, const char *key, const char *value);
/* Formats the list back, bracing values that need it. Returns a malloc'd string. */
char *cs_format(const cs_list *l);
const char *cs_status_text(cs_status s);

#endif
