/* Installer messages: every failure of the setup library carries one (see ois.h). */
#include "ois.h"

#include <stdarg.h>
#include <stdio.h>

int ois_fail(int code, char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return code;
}
