/*
 * Helpers for engine tests: run SQL on a session and render results as text, so a test
 * states the expected rows in one string ("1|a;2|NULL").
 */
#ifndef EIDER_ENGINE_UTIL_H
#define EIDER_ENGINE_UTIL_H

#include "eider/engine.h"

/* Executes sql; returns 0, or -1 with *err set. Result rows are rendered into out (rows
 * separated by ';', columns by '|'), which may be NULL. */
int eu_exec(eng_session *s, const char *sql, char *out, size_t cap, eng_error *err);
/* Executes sql and returns the rendered rows in a static buffer, or "ERROR <state>". */
const char *eu_query(eng_session *s, const char *sql);
/* Like eu_query with the rows sorted, for results whose order SQL leaves open. */
const char *eu_query_sorted(eng_session *s, const char *sql);
/* The SQLSTATE an execution of sql fails with, or "00000". */
const char *eu_state(eng_session *s, const char *sql);
/* Executes sql with parameters. */
const char *eu_query_params(eng_session *s, const char *sql, const eng_value *params, uint32_t n);

/* A fresh folder /tmp/eider-TAG-XXXXXX for a test's files: its path in dir (64 bytes) and
 * the database file `name` in it in path (128 bytes). 0, or -1. */
int eu_temp_folder(const char *tag, const char *name, char dir[64], char path[128]);
/* Removes a folder and everything in it: 0, or -1. */
int eu_remove_folder(const char *dir);

#endif
