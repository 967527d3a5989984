/*
 * Scalar values: casts between the engine's types with the SQL standard's errors
 * (22018 invalid text for the target type, 22003 out of range), and the text forms of
 * numbers and booleans.
 */
#ifndef EIDER_VALUE_H
#define EIDER_VALUE_H

#include "arena.h"
#include "eider/engine.h"

/* Casts `in` to type `to`; strings produced are allocated in `a`. A NULL stays NULL.
 * VARCHAR(n) targets are not length-checked here (see val_check_width). */
int val_cast(const eng_value *in, eng_type to, arena *a, eng_value *out, eng_error *err);
/* Characters (not bytes) in a UTF-8 string. */
uint32_t val_utf8_chars(const char *s, uint32_t len);
/* 22001 when a string is longer than VARCHAR(width) allows (what an INSERT checks). */
int val_check_width(const eng_str *s, uint32_t width, const char *column, eng_error *err);
/* Writes the canonical text of a double (shortest form that reads back the same). */
int val_format_double(double d, char *buf, size_t size);
/* Can a value of type `from` be cast to `to` at all? */
bool val_castable(eng_type_id from, eng_type_id to);

#endif
