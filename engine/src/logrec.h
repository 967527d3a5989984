/*
 * Log record payloads: what a committed transaction did, in logical form (tables created
 * and dropped, rows appended with their values), and how replay re-applies it.
 */
#ifndef EIDER_LOGREC_H
#define EIDER_LOGREC_H

#include "bytebuf.h"
#include "catalog.h"
#include "txn.h"

/* Appends the payload for t's write set to b (after any bytes already there). */
int logrec_encode(const txn *t, bytebuf *b, eng_error *err);
/* Re-applies one payload, stamping everything with commit timestamp ts. */
int logrec_apply(cat_catalog *cat, uint64_t ts, const unsigned char *payload, size_t len,
                 eng_error *err);

/* Pieces shared with checkpoint images (ckpt.c). */
void logrec_put_value(bytebuf *b, eng_type_id type, const eng_value *v);
void logrec_get_value(bytereader *r, eng_type_id type, eng_value *v);
/* A table's definition (id, name, columns with defaults, keys), and its restoring into the
 * catalog as created at ts. */
void logrec_put_table_def(const tbl_table *tb, bytebuf *b);
int logrec_restore_table_def(cat_catalog *cat, uint64_t ts, bytereader *r, eng_error *err);
/* Makes rows [0, end) of a table exist, new ones dead until something fills them. */
int logrec_extend(tbl_table *tb, uint64_t end, eng_error *err);

#endif
