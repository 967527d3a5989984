/*
 * The tables behind the escape translator (escape_table.c): the ODBC scalar functions with
 * their Eider spellings, the SQL_TSI_* intervals and the CONVERT types. Internal to
 * escape.c and escape_table.c.
 */
#ifndef EIDER_ESCAPE_TABLE_H
#define EIDER_ESCAPE_TABLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * One ODBC scalar function at one argument count.
 *
 * emit is the Eider text. In it, $1 .. $9 stand for the translated argument (trimmed);
 * @1 .. @9 for the argument in parentheses unless it is a single operand (a name, literal,
 * marker, call or parenthesized expression), for use next to operators; $I1 for an
 * SQL_TSI_* interval argument as the quantity of one interval ("'1' DAY"), $P1 for it as
 * DATEDIFF's unit ("'day'"), $T2 for an SQL type argument as an Eider type name. A
 * template uses only arguments 1 .. min; further arguments (up to max) are dropped.
 *
 * info and bit: the SQLGetInfo type (SQL_STRING_FUNCTIONS, ...) and the SQL_FN_* bit that
 * this row stands for; esc_functions_mask() ORs them.
 */
typedef struct esc_fn {
    int info;
    const char *name;
    unsigned char min, max;
    const char *emit;
    uint32_t bit;
} esc_fn;

/* The intervals of TIMESTAMPADD and TIMESTAMPDIFF (SQL_TSI_ + name). NULL: unsupported. */
typedef struct esc_tsi {
    const char *name;
    uint32_t bit;     /* SQL_FN_TSI_* */
    const char *add;  /* one interval, after INTERVAL */
    const char *diff; /* DATEDIFF's unit */
} esc_tsi;

/* The types of CONVERT (SQL_ + name) and Eider's type for each. NULL: Eider has none. */
typedef struct esc_type {
    const char *name;
    uint32_t cvt; /* SQL_CVT_* */
    const char *eider;
} esc_type;

extern const esc_fn esc_fns[];
extern const size_t esc_nfns;
extern const esc_tsi esc_intervals[];
extern const size_t esc_nintervals;
extern const esc_type esc_types[];
extern const size_t esc_ntypes;

#endif
