/*
 * A growable byte buffer for building log records, and a bounds-checked reader for
 * decoding them. Integers are little-endian.
 */
#ifndef EIDER_BYTEBUF_H
#define EIDER_BYTEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bytebuf {
    unsigned char *data;
    size_t len, cap;
    bool oom; /* an append failed; the content is incomplete */
} bytebuf;

void bb_init(bytebuf *b);
void bb_free(bytebuf *b);
void bb_put(bytebuf *b, const void *p, size_t n);
void bb_put_u8(bytebuf *b, uint8_t v);
void bb_put_u32(bytebuf *b, uint32_t v);
void bb_put_u64(bytebuf *b, uint64_t v);
void bb_put_str(bytebuf *b, const char *s, uint32_t len);

typedef struct bytereader {
    const unsigned char *p;
    size_t left;
    bool bad; /* read past the end: the record is malformed */
} bytereader;

uint8_t br_u8(bytereader *r);
uint32_t br_u32(bytereader *r);
uint64_t br_u64(bytereader *r);
/* Returns a pointer into the record (not NUL-terminated) and its length. */
const char *br_str(bytereader *r, uint32_t *len);
const void *br_bytes(bytereader *r, size_t n);

void bb_le32(unsigned char *p, uint32_t v);
void bb_le64(unsigned char *p, uint64_t v);
uint32_t bb_get32(const unsigned char *p);
uint64_t bb_get64(const unsigned char *p);

#endif
