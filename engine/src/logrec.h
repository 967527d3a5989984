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

#endif
