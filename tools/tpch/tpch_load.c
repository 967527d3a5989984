/*
 * tpch_load.c: creates the schema (schema.sql) and loads every table through ODBC with
 * prepared INSERTs. Values are bound column-wise as parameter arrays of o->array_rows rows
 * when the driver keeps SQL_ATTR_PARAMSET_SIZE (else one row per SQLExecute), and a
 * transaction commits every o->txn_rows rows. Orders and their lines are generated
 * together (an order's total price and status come from its lines), so both tables load
 * in one pass. With o->tbl_dir the rows go to '|'-separated files instead (table.tbl, as
 * dbgen writes them but without the trailing separator), to load the same data into a
 * peer such as DuckDB.
 */
#include "tpch.h"
#include "tpch_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { TL_INT, TL_TEXT, TL_MONEY, TL_DATE } tl_kind;

typedef struct tl_col {
    tl_kind kind;
    int width; /* text: the column's length */
    size_t elem;
    char *buf;
    SQLLEN *ind;
} tl_col;

/* One table's prepared INSERT and its bound arrays. */
typedef struct tl_batch {
    const char *table;
    SQLHSTMT st;
    int ncols, cap, n;
    tl_col cols[16];
    int64_t rows;
    FILE *out; /* writing a .tbl file instead */
} tl_batch;

/* Shared by the batches of one load: when to commit. */
typedef struct tl_load {
    SQLHDBC dbc;
    const tpch_opts *o;
    int64_t since_commit;
    tl_batch *open[2];
    int nopen;
} tl_load;

/* kinds: one letter per column, i (integer), t<width> (text), m (money), d (date). */
static bool tl_open(tl_load *L, tl_batch *b, const char *table, const char *kinds)
{
    memset(b, 0, sizeof *b);
    b->table = table;
    if (L->o->tbl_dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.tbl", L->o->tbl_dir, table);
        if (!(b->out = fopen(path, "w"))) {
            perror(path);
            return false;
        }
        b->cap = 1;
        L->open[L->nopen++] = b;
        return true;
    }
    char sql[512];
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", table);
    for (const char *k = kinds; *k; k++) {
        tl_col *c = &b->cols[b->ncols++];
        switch (*k) {
        case 'i':
            c->kind = TL_INT;
            c->elem = sizeof(int64_t);
            break;
        case 't': {
            char *end;
            c->kind = TL_TEXT;
            c->width = (int)strtol(k + 1, &end, 10);
            k = end - 1;
            c->elem = (size_t)c->width + 1;
            break;
        }
        case 'm':
            c->kind = TL_MONEY;
            c->elem = 24;
            break;
        default:
            c->kind = TL_DATE;
            c->elem = sizeof(SQL_DATE_STRUCT);
            break;
        }
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", b->ncols > 1 ? ", " : "");
    }
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, L->dbc, &b->st)))
        return false;
    if (!SQL_SUCCEEDED(SQLPrepare(b->st, (SQLCHAR *)sql, SQL_NTS))) {
        to_diag(sql, SQL_HANDLE_STMT, b->st);
        return false;
    }
    b->cap = L->o->array_rows > 1 ? L->o->array_rows : 1;
    if (b->cap > 1) { /* keep the array only if the driver does */
        SQLULEN got = 1;
        if (!SQL_SUCCEEDED(
                SQLSetStmtAttr(b->st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(uintptr_t)b->cap, 0)) ||
            !SQL_SUCCEEDED(SQLGetStmtAttr(b->st, SQL_ATTR_PARAMSET_SIZE, &got, 0, NULL)) ||
            got != (SQLULEN)b->cap) {
            b->cap = 1;
            SQLSetStmtAttr(b->st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
        }
    }
    for (int i = 0; i < b->ncols; i++) {
        tl_col *c = &b->cols[i];
        c->buf = calloc((size_t)b->cap, c->elem);
        c->ind = calloc((size_t)b->cap, sizeof *c->ind);
        if (!c->buf || !c->ind)
            return false;
        SQLSMALLINT ctype, stype, digits = 0;
        SQLULEN size;
        switch (c->kind) {
        case TL_INT:
            ctype = SQL_C_SBIGINT, stype = SQL_BIGINT, size = 19;
            break;
        case TL_TEXT:
            ctype = SQL_C_CHAR, stype = SQL_VARCHAR, size = (SQLULEN)c->width;
            break;
        case TL_MONEY:
            ctype = SQL_C_CHAR, stype = SQL_DECIMAL, size = 15, digits = 2;
            break;
        default:
            ctype = SQL_C_TYPE_DATE, stype = SQL_TYPE_DATE, size = 10;
            break;
        }
        if (!SQL_SUCCEEDED(SQLBindParameter(b->st, (SQLUSMALLINT)(i + 1), SQL_PARAM_INPUT, ctype,
                                            stype, size, digits, c->buf, (SQLLEN)c->elem,
                                            c->ind))) {
            to_diag("bind", SQL_HANDLE_STMT, b->st);
            return false;
        }
    }
    L->open[L->nopen++] = b;
    return true;
}

static void tl_close(tl_batch *b)
{
    if (b->out)
        fclose(b->out);
    b->out = NULL;
    if (b->st)
        SQLFreeHandle(SQL_HANDLE_STMT, b->st);
    for (int i = 0; i < b->ncols; i++) {
        free(b->cols[i].buf);
        free(b->cols[i].ind);
    }
    b->st = NULL;
    b->ncols = 0;
}

static void tl_int(tl_batch *b, int col, int64_t v)
{
    if (b->out) {
        fprintf(b->out, "%s%lld", col ? "|" : "", (long long)v);
        return;
    }
    tl_col *c = &b->cols[col];
    ((int64_t *)(void *)c->buf)[b->n] = v;
    c->ind[b->n] = 0;
}

static void tl_text(tl_batch *b, int col, const char *s)
{
    if (b->out) {
        fprintf(b->out, "%s%s", col ? "|" : "", s);
        return;
    }
    tl_col *c = &b->cols[col];
    char *dst = c->buf + (size_t)b->n * c->elem;
    size_t n = strlen(s);
    if (n > (size_t)c->width)
        n = (size_t)c->width;
    memcpy(dst, s, n);
    dst[n] = '\0';
    c->ind[b->n] = SQL_NTS;
}

static void tl_money(tl_batch *b, int col, int64_t cents)
{
    if (b->out) {
        char t[24];
        tg_money_text(cents, t);
        fprintf(b->out, "%s%s", col ? "|" : "", t);
        return;
    }
    tl_col *c = &b->cols[col];
    tg_money_text(cents, c->buf + (size_t)b->n * c->elem);
    c->ind[b->n] = SQL_NTS;
}

static void tl_date(tl_batch *b, int col, int32_t days)
{
    if (b->out) {
        char t[11];
        tg_date_text(days, t);
        fprintf(b->out, "%s%s", col ? "|" : "", t);
        return;
    }
    tl_col *c = &b->cols[col];
    int y, m, d;
    gen_civil_from_days(days, &y, &m, &d);
    SQL_DATE_STRUCT *v = (SQL_DATE_STRUCT *)(void *)c->buf + b->n;
    v->year = (SQLSMALLINT)y;
    v->month = (SQLUSMALLINT)m;
    v->day = (SQLUSMALLINT)d;
    c->ind[b->n] = 0;
}

static bool tl_flush(tl_batch *b)
{
    if (b->n == 0)
        return true;
    if (b->out) {
        b->rows += b->n;
        b->n = 0;
        return fputc('\n', b->out) != EOF;
    }
    if (b->cap > 1 && b->n != b->cap)
        SQLSetStmtAttr(b->st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(uintptr_t)b->n, 0);
    SQLRETURN rc = SQLExecute(b->st);
    if (b->cap > 1 && b->n != b->cap)
        SQLSetStmtAttr(b->st, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)(uintptr_t)b->cap, 0);
    if (!SQL_SUCCEEDED(rc)) {
        char what[64];
        snprintf(what, sizeof what, "insert into %s", b->table);
        to_diag(what, SQL_HANDLE_STMT, b->st);
        return false;
    }
    b->rows += b->n;
    b->n = 0;
    return true;
}

/* Flushes every open batch and commits. */
static bool tl_commit(tl_load *L)
{
    for (int i = 0; i < L->nopen; i++)
        if (!tl_flush(L->open[i]))
            return false;
    L->since_commit = 0;
    return L->o->tbl_dir || to_commit(L->dbc);
}

/* The current row of b is complete. */
static bool tl_row(tl_load *L, tl_batch *b)
{
    if (++b->n == b->cap && !tl_flush(b))
        return false;
    if (++L->since_commit >= L->o->txn_rows)
        return tl_commit(L);
    return true;
}

/* Commits what is left and closes the batches. */
static bool tl_finish(tl_load *L, double started)
{
    bool ok = tl_commit(L);
    double secs = to_now() - started;
    for (int i = 0; i < L->nopen; i++) {
        tl_batch *b = L->open[i];
        if (ok)
            printf("%s %-8s %10lld rows in %7.2f s (%.0f rows/s)\n",
                   L->o->tbl_dir ? "wrote " : "loaded", b->table, (long long)b->rows, secs,
                   secs > 0 ? (double)b->rows / secs : 0.0);
        tl_close(b);
    }
    L->nopen = 0;
    return ok;
}

static bool tl_small_tables(tl_load *L)
{
    tl_batch b;
    double t0 = to_now();
    if (!tl_open(L, &b, "region", "it25t152"))
        return false;
    for (int64_t i = 0; i < 5; i++) {
        tg_region r;
        tg_region_row(i, &r);
        tl_int(&b, 0, r.regionkey);
        tl_text(&b, 1, r.name);
        tl_text(&b, 2, r.comment);
        if (!tl_row(L, &b))
            return false;
    }
    if (!tl_finish(L, t0))
        return false;
    t0 = to_now();
    if (!tl_open(L, &b, "nation", "it25it152"))
        return false;
    for (int64_t i = 0; i < 25; i++) {
        tg_nation r;
        tg_nation_row(i, &r);
        tl_int(&b, 0, r.nationkey);
        tl_text(&b, 1, r.name);
        tl_int(&b, 2, r.regionkey);
        tl_text(&b, 3, r.comment);
        if (!tl_row(L, &b))
            return false;
    }
    return tl_finish(L, t0);
}

static bool tl_suppliers(tl_load *L, double sf)
{
    tl_batch b;
    double t0 = to_now();
    if (!tl_open(L, &b, "supplier", "it25t40it15mt101"))
        return false;
    for (int64_t i = 0, n = tg_suppliers(sf); i < n; i++) {
        tg_supplier r;
        tg_supplier_row(sf, i, &r);
        tl_int(&b, 0, r.suppkey);
        tl_text(&b, 1, r.name);
        tl_text(&b, 2, r.address);
        tl_int(&b, 3, r.nationkey);
        tl_text(&b, 4, r.phone);
        tl_money(&b, 5, r.acctbal);
        tl_text(&b, 6, r.comment);
        if (!tl_row(L, &b))
            return false;
    }
    return tl_finish(L, t0);
}

static bool tl_customers(tl_load *L, double sf)
{
    tl_batch b;
    double t0 = to_now();
    if (!tl_open(L, &b, "customer", "it25t40it15mt10t117"))
        return false;
    for (int64_t i = 0, n = tg_customers(sf); i < n; i++) {
        tg_customer r;
        tg_customer_row(sf, i, &r);
        tl_int(&b, 0, r.custkey);
        tl_text(&b, 1, r.name);
        tl_text(&b, 2, r.address);
        tl_int(&b, 3, r.nationkey);
        tl_text(&b, 4, r.phone);
        tl_money(&b, 5, r.acctbal);
        tl_text(&b, 6, r.mktsegment);
        tl_text(&b, 7, r.comment);
        if (!tl_row(L, &b))
            return false;
    }
    return tl_finish(L, t0);
}

static bool tl_parts(tl_load *L, double sf)
{
    tl_batch b;
    double t0 = to_now();
    if (!tl_open(L, &b, "part", "it55t25t10t25it10mt23"))
        return false;
    for (int64_t i = 0, n = tg_parts(sf); i < n; i++) {
        tg_part r;
        tg_part_row(sf, i, &r);
        tl_int(&b, 0, r.partkey);
        tl_text(&b, 1, r.name);
        tl_text(&b, 2, r.mfgr);
        tl_text(&b, 3, r.brand);
        tl_text(&b, 4, r.type);
        tl_int(&b, 5, r.size);
        tl_text(&b, 6, r.container);
        tl_money(&b, 7, r.retailprice);
        tl_text(&b, 8, r.comment);
        if (!tl_row(L, &b))
            return false;
    }
    return tl_finish(L, t0);
}

static bool tl_orders(tl_load *L, double sf)
{
    tl_batch ob, lb;
    double t0 = to_now();
    if (!tl_open(L, &ob, "orders", "iit1mdt15t15it79") ||
        !tl_open(L, &lb, "lineitem", "iiiimmmmt1t1dddt25t10t44"))
        return false;
    char flag[2] = "", status[2] = "";
    for (int64_t i = 0, n = tg_orders(sf); i < n; i++) {
        tg_order r;
        tg_order_row(sf, i, &r);
        tl_int(&ob, 0, r.orderkey);
        tl_int(&ob, 1, r.custkey);
        status[0] = r.orderstatus;
        tl_text(&ob, 2, status);
        tl_money(&ob, 3, r.totalprice);
        tl_date(&ob, 4, r.orderdate);
        tl_text(&ob, 5, r.orderpriority);
        tl_text(&ob, 6, r.clerk);
        tl_int(&ob, 7, r.shippriority);
        tl_text(&ob, 8, r.comment);
        if (!tl_row(L, &ob))
            return false;
        for (int k = 0; k < r.nlines; k++) {
            const tg_line *l = &r.lines[k];
            tl_int(&lb, 0, r.orderkey);
            tl_int(&lb, 1, l->partkey);
            tl_int(&lb, 2, l->suppkey);
            tl_int(&lb, 3, l->linenumber);
            tl_money(&lb, 4, l->quantity * 100);
            tl_money(&lb, 5, l->extendedprice);
            tl_money(&lb, 6, l->discount);
            tl_money(&lb, 7, l->tax);
            flag[0] = l->returnflag;
            tl_text(&lb, 8, flag);
            status[0] = l->linestatus;
            tl_text(&lb, 9, status);
            tl_date(&lb, 10, l->shipdate);
            tl_date(&lb, 11, l->commitdate);
            tl_date(&lb, 12, l->receiptdate);
            tl_text(&lb, 13, l->shipinstruct);
            tl_text(&lb, 14, l->shipmode);
            tl_text(&lb, 15, l->comment);
            if (!tl_row(L, &lb))
                return false;
        }
    }
    return tl_finish(L, t0);
}

/* Runs the statements of the schema script, split at semicolons outside quotes and
 * comments; pieces holding only comments are skipped. */
static bool tl_schema(SQLHDBC dbc, const char *path)
{
    char *text = to_read_file(path);
    if (!text)
        return false;
    bool ok = true, content = false;
    char *start = text;
    for (char *p = text; ok && *p; p++) {
        if (*p == '\'') {
            while (*++p && *p != '\'')
                ;
            if (!*p)
                break;
        } else if (p[0] == '-' && p[1] == '-') {
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        } else if (*p == ';') {
            *p = '\0';
            if (content)
                ok = to_exec(dbc, start);
            start = p + 1;
            content = false;
            continue;
        }
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            content = true;
    }
    if (ok && content)
        ok = to_exec(dbc, start);
    free(text);
    return ok && to_commit(dbc);
}

bool tpch_load(SQLHDBC dbc, const tpch_opts *o)
{
    if (!o->tbl_dir && !tl_schema(dbc, o->schema))
        return false;
    tl_load L = {.dbc = dbc, .o = o};
    bool ok = tl_small_tables(&L) && tl_suppliers(&L, o->scale) && tl_customers(&L, o->scale) &&
              tl_parts(&L, o->scale) && tl_orders(&L, o->scale);
    for (int i = 0; i < L.nopen; i++)
        tl_close(L.open[i]);
    return ok;
}
