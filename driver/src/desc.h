/*
 * Descriptors: where bindings live. Every statement has four: the application's row and
 * parameter descriptors (ARD: SQLBindCol, block cursors; APD: SQLBindParameter, parameter
 * arrays) and the implementation's (IRD: the result's columns, read from the engine; IPD:
 * the parameters' SQL types). An application may allocate ARDs and APDs of its own and
 * hand them to statements (SQL_ATTR_APP_ROW_DESC / SQL_ATTR_APP_PARAM_DESC).
 */
#ifndef EIDER_DESC_H
#define EIDER_DESC_H

#include "drv.h"

typedef enum drv_desc_kind { DRV_ARD, DRV_APD, DRV_IRD, DRV_IPD } drv_desc_kind;

typedef struct drv_desc_rec {
    SQLSMALLINT type;          /* SQL_DESC_TYPE (verbose: SQL_DATETIME for dates) */
    SQLSMALLINT concise_type;  /* C type (ARD, APD) or SQL type (IPD) */
    SQLSMALLINT datetime_code; /* SQL_DESC_DATETIME_INTERVAL_CODE */
    SQLPOINTER data_ptr;
    SQLLEN octet_length; /* the buffer's length */
    SQLLEN *octet_length_ptr;
    SQLLEN *indicator_ptr;
    SQLULEN length; /* IPD: column size */
    SQLSMALLINT precision, scale;
    SQLSMALLINT parameter_type; /* IPD: SQL_PARAM_INPUT ... */
    SQLSMALLINT nullable;
    char *name; /* IPD: SQL_DESC_NAME */
} drv_desc_rec;

struct drv_desc {
    drv_handle h; /* explicit descriptors are handles of their own */
    drv_desc_kind kind;
    bool explicit_alloc;
    drv_dbc *dbc;
    drv_stmt *stmt; /* implicit descriptors: their statement */
    drv_desc *next; /* explicit: in dbc->descs */
    SQLULEN array_size;
    SQLUSMALLINT *array_status_ptr;
    SQLULEN *rows_processed_ptr;
    SQLULEN bind_type; /* SQL_BIND_BY_COLUMN or the size of a row's struct */
    SQLLEN *bind_offset_ptr;
    SQLSMALLINT count;
    SQLSMALLINT cap;
    drv_desc_rec *recs; /* recs[0]: the bookmark record (unused); 1..count */
};

void drv_desc_init(drv_desc *d, drv_desc_kind kind, drv_dbc *dbc, drv_stmt *stmt);
void drv_desc_free_recs(drv_desc *d);
/* Record n (1-based), growing count when n is beyond it; NULL when out of memory. */
drv_desc_rec *drv_desc_rec_at(drv_desc *d, SQLSMALLINT n);
/* Record n if it exists and is bound (has a data or indicator pointer), else NULL. */
const drv_desc_rec *drv_desc_bound(const drv_desc *d, SQLSMALLINT n);
/* Drops trailing unbound records (after an unbind), as the reference describes. */
void drv_desc_trim(drv_desc *d);

/* Where row `row` of an array binding puts its value, indicator and length. */
typedef struct drv_cell {
    SQLPOINTER value;
    SQLLEN *ind;
    SQLLEN *len;
} drv_cell;
drv_cell drv_desc_cell(const drv_desc *d, const drv_desc_rec *r, SQLULEN row);

/* The size in bytes of a fixed-length C type, 0 for character and binary types. */
SQLLEN drv_c_type_size(SQLSMALLINT c_type);
/* Sets a record's type from a concise C or SQL type (TYPE, CONCISE_TYPE and the datetime
 * code, as SQLSetDescField's consistency rules require). */
void drv_desc_set_type(drv_desc_rec *r, SQLSMALLINT concise);

/* SQLGetDescField / SQLSetDescField / SQLCopyDesc. String values come back UTF-8 in
 * *str (the caller converts), others in *num. */
SQLRETURN drv_desc_get_field(drv_desc *d, drv_handle *diag, SQLSMALLINT rec, SQLSMALLINT field,
                             const char **str, SQLLEN *num);
SQLRETURN drv_desc_set_field(drv_desc *d, SQLSMALLINT rec, SQLSMALLINT field, SQLPOINTER value,
                             const char *str);
SQLRETURN drv_desc_copy(drv_desc *src, drv_desc *dst);

/* Explicitly allocated descriptors (SQLAllocHandle / SQLFreeHandle with SQL_HANDLE_DESC). */
SQLRETURN drv_desc_alloc(drv_dbc *dbc, SQLHANDLE *out);
SQLRETURN drv_desc_free(drv_desc *d);

#endif
