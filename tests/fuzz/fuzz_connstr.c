/*
 * libFuzzer target for the connection-string parser (driver/src/connstr.c): any text either
 * parses or reports an error position inside it, and whatever parses survives a round trip:
 * cs_format() of the pairs parses again to the same pairs, in the same order.
 */
#include "connstr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what, const char *text)
{
    fprintf(stderr, "fuzz_connstr: %s\n  text: %s\n", what, text);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1); /* the parser reads C strings: up to the first NUL */
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    cs_list l;
    size_t pos = SIZE_MAX;
    cs_status st = cs_parse(s, &l, &pos);
    if (st != CS_OK) {
        if (st != CS_NOMEM && pos > strlen(s))
            fuzz_fail("error position beyond the text", s);
        if (!*cs_status_text(st))
            fuzz_fail("empty status text", s);
        cs_free(&l);
        free(s);
        return 0;
    }
    char *formatted = cs_format(&l);
    if (formatted) {
        cs_list again;
        if (cs_parse(formatted, &again, &pos) != CS_OK)
            fuzz_fail("the formatted string does not parse", formatted);
        if (again.n != l.n)
            fuzz_fail("the round trip changed the number of pairs", formatted);
        for (size_t i = 0; i < l.n; i++)
            if (strcmp(l.pairs[i].key, again.pairs[i].key) != 0 ||
                strcmp(l.pairs[i].value, again.pairs[i].value) != 0)
                fuzz_fail("the round trip changed a pair", formatted);
        cs_free(&again);
        free(formatted);
    }
    cs_free(&l);
    free(s);
    return 0;
}
