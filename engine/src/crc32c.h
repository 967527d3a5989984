/*
 * CRC-32C (Castagnoli), the checksum of log records and file headers. Uses the SSE4.2
 * instruction when the CPU has it, a table otherwise; both give the same values.
 */
#ifndef EIDER_CRC32C_H
#define EIDER_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
