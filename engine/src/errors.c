/*
 * The SQLSTATE table, expanded from sqlstates.def, and the error setter.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *state;
    const char *title;
} err_table[ENG_ERRCODE_COUNT] = {
#define ENG_ERRCODE(name, state, title) [name] = {state, title},
#include "eider/sqlstates.def"
#undef ENG_ERRCODE
};

const char *eng_errcode_sqlstate(eng_errcode code)
{
    if ((unsigned)code >= ENG_ERRCODE_COUNT)
        code = ENG_E_GENERAL;
    return err_table[code].state;
}

const char *eng_errcode_title(eng_errcode code)
{
    if ((unsigned)code >= ENG_ERRCODE_COUNT)
        code = ENG_E_GENERAL;
    return err_table[code].title;
}

int err_set(eng_error *err, eng_errcode code, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = code;
    memcpy(err->sqlstate, eng_errcode_sqlstate(code), 6);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void err_clear(eng_error *err)
{
    if (!err)
        return;
    err->code = ENG_OK;
    memcpy(err->sqlstate, "00000", 6);
    err->message[0] = '\0';
}
