/*
 * Filling an eng_error: the code's SQLSTATE from the one table (sqlstates.def) and a
 * formatted message.
 */
#ifndef EIDER_ERRORS_H
#define EIDER_ERRORS_H

#include "eider/engine.h"

/* Sets *err (when err is not NULL) and returns -1, so callers can `return err_set(...)`. */
int err_set(eng_error *err, eng_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void err_clear(eng_error *err);

#endif
