/*
 * Recursive-descent SQL parser: statement text to an ast_stmt in the caller's arena.
 * One statement per call; a trailing semicolon is allowed.
 */
#ifndef EIDER_PARSER_H
#define EIDER_PARSER_H

#include "arena.h"
#include "ast.h"

int parse_statement(arena *a, const char *sql, size_t len, ast_stmt **out, eng_error *err);

/* Parses a type name such as "VARCHAR(20)" (used by the parser and by tests). */
int parse_type_name(const char *text, eng_type *out, eng_error *err);

#endif
