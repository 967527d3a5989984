/*
 * Value conversions between the engine and the application's C buffers.
 */
#ifndef EIDER_CONVERT_H
#define EIDER_CONVERT_H

#include "drv.h"

/* The C type SQL_C_DEFAULT stands for with a column of engine type t. */
SQLSMALLINT drv_default_c_type(eng_type_id t);

/* Writes row `row` of v as C type c_type. offset: for SQLGetData in pieces, the bytes of
 * this value already returned (updated); NULL for bound columns (one piece, truncated). */
SQLRETURN drv_value_out(drv_handle *h, const eng_vector *v, uint32_t row, SQLSMALLINT c_type,
                        SQLPOINTER out, SQLLEN cap, SQLLEN *ind, size_t *offset);

/* Reads bound parameter p (1-based index for messages) into *out. Text converted from
 * UTF-16 is malloc'd in *owned, which the caller frees after execution. */
SQLRETURN drv_param_in(drv_handle *h, const drv_param *p, unsigned index, eng_value *out,
                       char **owned);

#endif
