/*
 * Scalar functions by name: string functions (lengths and positions in characters),
 * numeric functions, and the names ODBC applications send inside {fn ...} (UCASE,
 * LCASE, IFNULL, CURDATE, DAYOFMONTH, CONVERT, TIMESTAMPADD, TIMESTAMPDIFF ...). Each
 * entry says how many arguments a function takes; bind_scalar converts them and types
 * the result.
 */
#include "bind_int.h"

#include "errors.h"
#include "value.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct scalar_def {
    const char *name;
    bx_fn fn;
    uint8_t min, max;
} scalar_def;

static const scalar_def bs_defs[] = {
    {"length", FN_LENGTH, 1, 1},
    {"char_length", FN_LENGTH, 1, 1},
    {"character_length", FN_LENGTH, 1, 1},
    {"len", FN_LENGTH, 1, 1},
    {"octet_length", FN_OCTET_LENGTH, 1, 1},
    {"lower", FN_LOWER, 1, 1},
    {"lcase", FN_LOWER, 1, 1},
    {"upper", FN_UPPER, 1, 1},
    {"ucase", FN_UPPER, 1, 1},
    {"substring", FN_SUBSTRING, 2, 3},
    {"substr", FN_SUBSTRING, 2, 3},
    {"trim", FN_TRIM, 1, 2},
    {"btrim", FN_TRIM, 1, 2},
    {"ltrim", FN_LTRIM, 1, 2},
    {"rtrim", FN_RTRIM, 1, 2},
    {"position", FN_POSITION, 2, 2},
    {"locate", FN_POSITION, 2, 3},
    {"strpos", FN_POSITION, 2, 2},
    {"instr", FN_POSITION, 2, 2},
    {"concat", FN_CONCAT, 1, 255},
    {"replace", FN_REPLACE, 3, 3},
    {"left", FN_LEFT, 2, 2},
    {"right", FN_RIGHT, 2, 2},
    {"repeat", FN_REPEAT, 2, 2},
    {"reverse", FN_REVERSE, 1, 1},
    {"lpad", FN_LPAD, 2, 3},
    {"rpad", FN_RPAD, 2, 3},
    {"ascii", FN_ASCII, 1, 1},
    {"chr", FN_CHR, 1, 1},
    {"char", FN_CHR, 1, 1},
    {"space", FN_SPACE, 1, 1},
    {"abs", FN_ABS, 1, 1},
    {"sign", FN_SIGN, 1, 1},
    {"round", FN_ROUND, 1, 2},
    {"trunc", FN_TRUNC, 1, 2},
    {"truncate", FN_TRUNC, 1, 2},
    {"floor", FN_FLOOR, 1, 1},
    {"ceil", FN_CEIL, 1, 1},
    {"ceiling", FN_CEIL, 1, 1},
    {"mod", FN_MOD, 2, 2},
    {"power", FN_POWER, 2, 2},
    {"pow", FN_POWER, 2, 2},
    {"sqrt", FN_SQRT, 1, 1},
    {"exp", FN_EXP, 1, 1},
    {"ln", FN_LN, 1, 1},
    {"log", FN_LOG10, 1, 1},
    {"log10", FN_LOG10, 1, 1},
    {"random", FN_RANDOM, 0, 0},
    {"overlay", FN_OVERLAY, 3, 4},
    {"rand", FN_RANDOM, 0, 0},
};

static bexpr *bs_node(binder *b, bx_fn fn, eng_type type, bexpr **args, uint32_t n, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_FUNC, type, pos);
    if (!e)
        return NULL;
    e->u.func.fn = fn;
    e->u.func.args = args;
    e->u.func.nargs = n;
    e->nullable = false;
    for (uint32_t i = 0; i < n; i++)
        e->nullable |= args[i]->nullable;
    return e;
}

static bool bs_text(binder *b, bexpr **e)
{
    return (*e = bind_coerce(b, *e, bind_type(ENG_TYPE_VARCHAR))) != NULL;
}

static bool bs_int(binder *b, bexpr **e)
{
    return (*e = bind_coerce(b, *e, bind_type(ENG_TYPE_BIGINT))) != NULL;
}

/* A numeric argument: text and flexible values read as DOUBLE. */
static bool bs_number(binder *b, bexpr **e, const char *name, uint32_t pos)
{
    if (bind_is_numeric((*e)->type.id))
        return true;
    if (bind_is_untyped_param(b, *e) || bind_is_null_literal(*e) || bind_is_string_literal(*e))
        return (*e = bind_coerce(b, *e, bind_type(ENG_TYPE_DOUBLE))) != NULL;
    err_set(b->err, ENG_E_TYPE_MISMATCH, "%s needs a number, not %s (position %u)", name,
            eng_type_name((*e)->type.id), pos + 1);
    return false;
}

static uint32_t bs_width(const bexpr *e)
{
    return e->type.id == ENG_TYPE_VARCHAR && e->type.width ? e->type.width : ENG_VARCHAR_MAX;
}

/* The result type of ABS, SIGN, ROUND, TRUNC, FLOOR, CEIL over x. */
static eng_type bs_numeric_result(bx_fn fn, const bexpr *x, bexpr *digits)
{
    eng_type t = x->type;
    if (t.id != ENG_TYPE_DECIMAL)
        return t;
    uint32_t p = ENG_DECIMAL_PRECISION(t), s = ENG_DECIMAL_SCALE(t);
    if (fn == FN_FLOOR || fn == FN_CEIL)
        return bind_decimal(p - s + 1, 0);
    if ((fn == FN_ROUND || fn == FN_TRUNC) &&
        (!digits || (digits->kind == BX_CONST && !digits->u.constant.is_null))) {
        int64_t d = digits ? digits->u.constant.u.i : 0;
        uint32_t ns = d < 0 ? 0 : d < (int64_t)s ? (uint32_t)d : s;
        return bind_decimal(p - s + ns + (fn == FN_ROUND), ns);
    }
    return t;
}

static bexpr *bs_bind(binder *b, const ast_expr *ae, const scalar_def *def, bexpr **args,
                      uint32_t n)
{
    const char *name = ae->u.func.name;
    uint32_t pos = ae->pos;
    bx_fn fn = def->fn;
    eng_type type = bind_type(ENG_TYPE_VARCHAR);
    bool ok = true;
    switch (fn) {
    case FN_LENGTH:
    case FN_OCTET_LENGTH:
    case FN_ASCII:
        ok = bs_text(b, &args[0]);
        type = bind_type(ENG_TYPE_INTEGER);
        break;
    case FN_LOWER:
    case FN_UPPER:
    case FN_REVERSE:
    case FN_TRIM:
    case FN_LTRIM:
    case FN_RTRIM:
        for (uint32_t i = 0; i < n && ok; i++)
            ok = bs_text(b, &args[i]);
        type.width = ok ? bs_width(args[0]) : 0;
        break;
    case FN_SUBSTRING:
    case FN_LEFT:
    case FN_RIGHT:
        ok = bs_text(b, &args[0]);
        for (uint32_t i = 1; i < n && ok; i++)
            ok = bs_int(b, &args[i]);
        type.width = ok ? bs_width(args[0]) : 0;
        break;
    case FN_POSITION:
        if (strcmp(name, "strpos") == 0 || strcmp(name, "instr") == 0) {
            bexpr *t = args[0]; /* (haystack, needle): make it (needle, haystack) */
            args[0] = args[1];
            args[1] = t;
        }
        ok = bs_text(b, &args[0]) && bs_text(b, &args[1]) && (n < 3 || bs_int(b, &args[2]));
        type = bind_type(ENG_TYPE_INTEGER);
        break;
    case FN_CONCAT: {
        uint64_t w = 0;
        for (uint32_t i = 0; i < n && ok; i++)
            if ((ok = bs_text(b, &args[i])))
                w += bs_width(args[i]);
        type.width = w < ENG_VARCHAR_MAX ? (uint32_t)w : ENG_VARCHAR_MAX;
        break;
    }
    case FN_REPLACE:
        for (uint32_t i = 0; i < n && ok; i++)
            ok = bs_text(b, &args[i]);
        break;
    case FN_OVERLAY:
        ok = bs_text(b, &args[0]) && bs_text(b, &args[1]) && bs_int(b, &args[2]) &&
             (n < 4 || bs_int(b, &args[3]));
        break;
    case FN_REPEAT:
    case FN_LPAD:
    case FN_RPAD:
        ok = bs_text(b, &args[0]) && bs_int(b, &args[1]) && (n < 3 || bs_text(b, &args[2]));
        break;
    case FN_CHR:
    case FN_SPACE:
        ok = bs_int(b, &args[0]);
        if (fn == FN_CHR)
            type.width = 1;
        break;
    case FN_ABS:
    case FN_SIGN:
    case FN_FLOOR:
    case FN_CEIL:
    case FN_ROUND:
    case FN_TRUNC:
        ok = bs_number(b, &args[0], name, pos) && (n < 2 || bs_int(b, &args[1]));
        type = ok ? bs_numeric_result(fn, args[0], n > 1 ? args[1] : NULL) : type;
        break;
    case FN_MOD:
        return bind_arith(b, OP_MOD, args[0], args[1], pos);
    case FN_POWER:
    case FN_SQRT:
    case FN_EXP:
    case FN_LN:
    case FN_LOG10:
        for (uint32_t i = 0; i < n && ok; i++)
            ok = bs_number(b, &args[i], name, pos) &&
                 (args[i] = bind_coerce(b, args[i], bind_type(ENG_TYPE_DOUBLE))) != NULL;
        type = bind_type(ENG_TYPE_DOUBLE);
        break;
    case FN_RANDOM:
        type = bind_type(ENG_TYPE_DOUBLE);
        break;
    default:
        break;
    }
    if (!ok)
        return NULL;
    bexpr *e = bs_node(b, fn, type, args, n, pos);
    if (e && fn == FN_CONCAT)
        e->nullable = false; /* CONCAT skips NULLs */
    return e ? bind_fold(b, e) : NULL;
}

/* ODBC's CONVERT(value, SQL_type) type names. */
static bool bs_odbc_type(const char *name, eng_type *out)
{
    static const struct {
        const char *name;
        eng_type_id id;
    } types[] = {
        {"sql_bigint", ENG_TYPE_BIGINT},
        {"sql_integer", ENG_TYPE_INTEGER},
        {"sql_smallint", ENG_TYPE_SMALLINT},
        {"sql_tinyint", ENG_TYPE_SMALLINT},
        {"sql_bit", ENG_TYPE_BOOLEAN},
        {"sql_double", ENG_TYPE_DOUBLE},
        {"sql_float", ENG_TYPE_DOUBLE},
        {"sql_real", ENG_TYPE_DOUBLE},
        {"sql_decimal", ENG_TYPE_DECIMAL},
        {"sql_numeric", ENG_TYPE_DECIMAL},
        {"sql_char", ENG_TYPE_VARCHAR},
        {"sql_varchar", ENG_TYPE_VARCHAR},
        {"sql_longvarchar", ENG_TYPE_VARCHAR},
        {"sql_wchar", ENG_TYPE_VARCHAR},
        {"sql_wvarchar", ENG_TYPE_VARCHAR},
        {"sql_date", ENG_TYPE_DATE},
        {"sql_type_date", ENG_TYPE_DATE},
        {"sql_time", ENG_TYPE_TIME},
        {"sql_type_time", ENG_TYPE_TIME},
        {"sql_timestamp", ENG_TYPE_TIMESTAMP},
        {"sql_type_timestamp", ENG_TYPE_TIMESTAMP},
        {"sql_binary", ENG_TYPE_BLOB},
        {"sql_varbinary", ENG_TYPE_BLOB},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        if (strcasecmp(types[i].name, name) == 0) {
            *out = bind_type(types[i].id);
            if (out->id == ENG_TYPE_DECIMAL)
                *out = bind_decimal(38, 10);
            return true;
        }
    }
    return false;
}

/* SQL_TSI_DAY ... for TIMESTAMPADD and TIMESTAMPDIFF: the field, or -1. */
static int bs_tsi(const ast_expr *ae)
{
    if (ae->kind != AST_COLUMN || ae->u.column.table)
        return -1;
    const char *n = ae->u.column.name;
    if (strncasecmp(n, "sql_tsi_", 8) == 0)
        n += 8;
    static const char *const names[] = {"frac_second", "second", "minute",  "hour", "day",
                                        "week",        "month",  "quarter", "year"};
    static const int fields[] = {DT_MICROSECOND, DT_SECOND, DT_MINUTE,  DT_HOUR, DT_DAY,
                                 DT_WEEK,        DT_MONTH,  DT_QUARTER, DT_YEAR};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(n, names[i]) == 0)
            return fields[i];
    return -1;
}

static bexpr *bs_const_int(binder *b, int64_t v, uint32_t pos)
{
    bexpr *e = bind_new(b, BX_CONST, bind_type(ENG_TYPE_INTEGER), pos);
    if (e) {
        e->u.constant = (eng_value){.type = ENG_TYPE_INTEGER, .u.i = v};
        e->nullable = false;
    }
    return e;
}

/* ODBC forms whose arguments are keywords, bound before their arguments are. */
static bexpr *bs_odbc_special(binder *b, const ast_expr *ae, bool *handled)
{
    const char *name = ae->u.func.name;
    const ptr_list *args = &ae->u.func.args;
    *handled = false;
    if (strcmp(name, "convert") == 0 && args->n == 2) {
        const ast_expr *t = args->items[1];
        eng_type to;
        if (t->kind != AST_COLUMN || t->u.column.table || !bs_odbc_type(t->u.column.name, &to))
            return NULL;
        *handled = true;
        bexpr *x = bind_expr(b, args->items[0]);
        if (!x)
            return NULL;
        if (bind_is_untyped_param(b, x) || x->kind == BX_CONST)
            return bind_coerce(b, x, to);
        if (!val_castable(x->type.id, to.id)) {
            err_set(b->err, ENG_E_TYPE_MISMATCH, "cannot convert %s to %s (position %u)",
                    eng_type_name(x->type.id), eng_type_name(to.id), ae->pos + 1);
            return NULL;
        }
        bexpr *c = bind_new(b, BX_CAST, to, ae->pos);
        if (c) {
            c->u.cast_arg = x;
            c->nullable = x->nullable;
        }
        return c;
    }
    bool add = strcmp(name, "timestampadd") == 0, diff = strcmp(name, "timestampdiff") == 0;
    if ((add || diff) && args->n == 3) {
        int f = bs_tsi(args->items[0]);
        if (f < 0)
            return NULL;
        *handled = true;
        bexpr *x = bind_expr(b, args->items[1]), *y = x ? bind_expr(b, args->items[2]) : NULL;
        if (!y)
            return NULL;
        if (diff) {
            bexpr **v = arena_alloc(b->a, 3 * sizeof *v);
            if (!v)
                return bind_nomem(b), NULL;
            v[0] = bs_const_int(b, f, ae->pos);
            v[1] = x;
            v[2] = y;
            for (int i = 1; i < 3; i++) {
                if (v[i]->type.id != ENG_TYPE_TIMESTAMP &&
                    !(v[i] = bind_coerce(b, v[i], bind_type(ENG_TYPE_TIMESTAMP))))
                    return NULL;
            }
            return v[0] ? bs_node(b, FN_DATE_DIFF, bind_type(ENG_TYPE_BIGINT), v, 3, ae->pos)
                        : NULL;
        }
        /* TIMESTAMPADD(unit, n, ts): ts + n units, as interval arithmetic */
        static const struct {
            int field;
            const char *unit;
        } units[] = {{DT_MICROSECOND, "microsecond"},
                     {DT_SECOND, "second"},
                     {DT_MINUTE, "minute"},
                     {DT_HOUR, "hour"},
                     {DT_DAY, "day"},
                     {DT_WEEK, "week"},
                     {DT_MONTH, "month"},
                     {DT_QUARTER, "quarter"},
                     {DT_YEAR, "year"}};
        const char *unit = "day";
        for (size_t i = 0; i < sizeof units / sizeof *units; i++)
            if (units[i].field == f)
                unit = units[i].unit;
        eng_value one = {.type = ENG_TYPE_INTERVAL};
        dt_parse_interval("1", 1, unit, &one.u.iv);
        bexpr *iv = bind_new(b, BX_CONST, bind_type(ENG_TYPE_INTERVAL), ae->pos);
        if (!iv)
            return NULL;
        iv->u.constant = one;
        iv->nullable = false;
        if (!(x = bind_coerce(b, x, bind_type(ENG_TYPE_DOUBLE))))
            return NULL;
        bexpr *step = bind_arith(b, OP_MUL, iv, x, ae->pos);
        if (!step)
            return NULL;
        if (y->type.id != ENG_TYPE_TIMESTAMP && y->type.id != ENG_TYPE_DATE &&
            !(y = bind_coerce(b, y, bind_type(ENG_TYPE_TIMESTAMP))))
            return NULL;
        return bind_arith(b, OP_ADD, y, step, ae->pos);
    }
    return NULL;
}

/* ODBC and MySQL date parts as functions: YEAR(x) is EXTRACT(YEAR FROM x). */
static int bs_datepart(const char *name)
{
    static const struct {
        const char *name;
        int field;
    } parts[] = {{"year", DT_YEAR},      {"month", DT_MONTH},     {"day", DT_DAY},
                 {"dayofmonth", DT_DAY}, {"hour", DT_HOUR},       {"minute", DT_MINUTE},
                 {"second", DT_SECOND},  {"quarter", DT_QUARTER}, {"week", DT_WEEK},
                 {"dayofyear", DT_DOY},  {"dayofweek", DT_DOW}};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (strcmp(parts[i].name, name) == 0)
            return parts[i].field;
    return -1;
}

bexpr *bind_scalar(binder *b, const ast_expr *ae, bexpr **args, uint32_t n, bool *found)
{
    const char *name = ae->u.func.name;
    *found = true;
    for (size_t i = 0; i < sizeof bs_defs / sizeof *bs_defs; i++) {
        const scalar_def *def = &bs_defs[i];
        if (strcmp(def->name, name) != 0)
            continue;
        if (n < def->min || n > def->max) {
            if (def->min == def->max)
                err_set(b->err, ENG_E_SYNTAX, "%s takes %u argument%s, not %u (position %u)", name,
                        def->min, def->min == 1 ? "" : "s", n, ae->pos + 1);
            else
                err_set(b->err, ENG_E_SYNTAX, "%s takes %u to %u arguments, not %u (position %u)",
                        name, def->min, def->max, n, ae->pos + 1);
            return NULL;
        }
        return bs_bind(b, ae, def, args, n);
    }
    if (strcmp(name, "pi") == 0 && n == 0) {
        bexpr *e = bind_new(b, BX_CONST, bind_type(ENG_TYPE_DOUBLE), ae->pos);
        if (e) {
            e->u.constant = (eng_value){.type = ENG_TYPE_DOUBLE, .u.d = 3.14159265358979323846};
            e->nullable = false;
        }
        return e;
    }
    int part = bs_datepart(name);
    if (part >= 0 && n == 1) {
        bexpr **v = arena_alloc(b->a, 2 * sizeof *v);
        if (!v)
            return bind_nomem(b), NULL;
        v[0] = bs_const_int(b, part, ae->pos);
        v[1] = args[0];
        if (!v[0])
            return NULL;
        if (args[0]->type.id != ENG_TYPE_DATE && args[0]->type.id != ENG_TYPE_TIME &&
            args[0]->type.id != ENG_TYPE_TIMESTAMP &&
            !(v[1] = bind_coerce(b, args[0], bind_type(ENG_TYPE_TIMESTAMP))))
            return NULL;
        eng_type t = bind_type(part == DT_SECOND ? ENG_TYPE_DOUBLE : ENG_TYPE_BIGINT);
        bexpr *e = bs_node(b, FN_EXTRACT, t, v, 2, ae->pos);
        if (e && part == DT_DOW) { /* ODBC counts Sunday as 1 */
            bexpr *one = bind_new(b, BX_CONST, bind_type(ENG_TYPE_BIGINT), ae->pos);
            if (!one)
                return NULL;
            one->u.constant = (eng_value){.type = ENG_TYPE_BIGINT, .u.i = 1};
            one->nullable = false;
            e = bind_arith(b, OP_ADD, e, one, ae->pos);
        }
        return e ? bind_fold(b, e) : NULL;
    }
    *found = false;
    return NULL;
}

bexpr *bind_odbc_special(binder *b, const ast_expr *ae, bool *handled)
{
    return bs_odbc_special(b, ae, handled);
}
