/*
 * Byte buffer and reader for the log's record encoding.
 */
#include "bytebuf.h"

#include <stdlib.h>
#include <string.h>

void bb_init(bytebuf *b)
{
    memset(b, 0, sizeof *b);
}

void bb_free(bytebuf *b)
{
    free(b->data);
    bb_init(b);
}

void bb_put(bytebuf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void bb_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

void bb_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

uint32_t bb_get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t bb_get64(const unsigned char *p)
{
    return (uint64_t)bb_get32(p) | (uint64_t)bb_get32(p + 4) << 32;
}

void bb_put_u8(bytebuf *b, uint8_t v)
{
    bb_put(b, &v, 1);
}

void bb_put_u32(bytebuf *b, uint32_t v)
{
    unsigned char p[4];
    bb_le32(p, v);
    bb_put(b, p, 4);
}

void bb_put_u64(bytebuf *b, uint64_t v)
{
    unsigned char p[8];
    bb_le64(p, v);
    bb_put(b, p, 8);
}

void bb_put_str(bytebuf *b, const char *s, uint32_t len)
{
    bb_put_u32(b, len);
    bb_put(b, s, len);
}

const void *br_bytes(bytereader *r, size_t n)
{
    if (r->bad || r->left < n) {
        r->bad = true;
        return NULL;
    }
    const void *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

uint8_t br_u8(bytereader *r)
{
    const unsigned char *p = br_bytes(r, 1);
    return p ? p[0] : 0;
}

uint32_t br_u32(bytereader *r)
{
    const unsigned char *p = br_bytes(r, 4);
    return p ? bb_get32(p) : 0;
}

uint64_t br_u64(bytereader *r)
{
    const unsigned char *p = br_bytes(r, 8);
    return p ? bb_get64(p) : 0;
}

const char *br_str(bytereader *r, uint32_t *len)
{
    *len = br_u32(r);
    const char *p = br_bytes(r, *len);
    if (!p)
        *len = 0;
    return p;
}
