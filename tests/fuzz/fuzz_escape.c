/*
 * libFuzzer target for the escape-sequence translator (driver/src/escape.c). For any bytes:
 * no crash and no read outside [sql, sql + len) (the input is an exact-size heap copy with
 * no NUL after it, so AddressSanitizer sees any overrun); text with neither "{" nor "--(*"
 * is returned unchanged; a translation is NUL-terminated, keeps the number of parameter
 * markers (checked without the long form) and has no escape left in it (translating it again
 * changes nothing); an error has a five-character SQLSTATE and a position inside the text.
 */
#include "escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz_escape: %s\n", what);
    abort();
}

static bool fuzz_has_long_form(const char *s, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, "--(*", 4) == 0)
            return true;
    return false;
}

/* The end of the quoted token that starts at s[i] (a ' or "): after its closing quote. */
static size_t fuzz_quoted_end(const char *s, size_t n, size_t i)
{
    char q = s[i];
    for (i++; i < n; i++) {
        if (s[i] != q)
            continue;
        if (i + 1 < n && s[i + 1] == q) {
            i++;
            continue;
        }
        return i + 1;
    }
    return n;
}

/*
 * The "?" markers the engine would see: outside quotes and comments. (Only for text
 * without the long form, whose opener and closer look like comments.)
 */
static size_t fuzz_markers(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            i = fuzz_quoted_end(s, n, i);
        } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
                ;
            i = i + 1 < n ? i + 2 : n;
        } else {
            count += c == '?';
            i++;
        }
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *sql = malloc(size ? size : 1);
    if (!sql)
        return 0;
    if (size)
        memcpy(sql, data, size);
    char *out = NULL;
    size_t n = 0;
    esc_error err;
    int rc = esc_translate(sql, size, &out, &n, &err);
    bool long_form = fuzz_has_long_form(sql, size);
    bool plain = !memchr(sql, '{', size) && !long_form;
    if (plain && rc != ESC_UNCHANGED)
        fuzz_fail("text without escapes was not returned unchanged");
    if (rc == ESC_UNCHANGED && (out || n != size))
        fuzz_fail("unchanged, but with an output");
    if (rc == ESC_ERROR) {
        if (out || strlen(err.sqlstate) != 5 || err.pos > size ||
            !strstr(err.message, "(position "))
            fuzz_fail("a malformed error");
    } else if (rc == ESC_TRANSLATED) {
        if (!out || out[n] != '\0')
            fuzz_fail("the translation is not NUL-terminated");
        if (!long_form && fuzz_markers(sql, size) != fuzz_markers(out, n))
            fuzz_fail("the translation changed the number of parameter markers");
        char *again = NULL;
        size_t again_n;
        esc_error err2;
        if (esc_translate(out, n, &again, &again_n, &err2) != ESC_UNCHANGED)
            fuzz_fail("the translation still holds an escape");
        free(out);
    } else if (rc != ESC_UNCHANGED) {
        fuzz_fail("an unknown return value");
    }
    free(sql);
    return 0;
}
