/*
 * Queries: WITH, set operations (INTERSECT binds tighter than UNION and EXCEPT), SELECT
 * blocks, FROM trees with joins, ORDER BY, LIMIT / OFFSET / FETCH FIRST.
 */
#include "errors.h"
#include "parse_int.h"

#include <string.h>

bool parse_at_query(const parser *p)
{
    if (lex_is_kw(&p->tok, "select") || lex_is_kw(&p->tok, "with"))
        return true;
    if (!lex_is_punct(&p->tok, "("))
        return false;
    /* "(" starts a query when, after any further "(", a SELECT or WITH follows. */
    lexer save = p->lx;
    lex_token t;
    do {
        t = lex_next(&save);
    } while (lex_is_punct(&t, "("));
    return lex_is_kw(&t, "select") || lex_is_kw(&t, "with");
}

static bool parse_push(parser *p, ptr_list *l, void *item)
{
    if (!item)
        return false;
    if (ptr_list_push(p->a, l, item) != 0)
        return parse_nomem(p), false;
    return true;
}

static ast_select_item *parse_select_item(parser *p)
{
    ast_select_item *item = arena_alloc(p->a, sizeof *item);
    if (!item)
        return parse_nomem(p);
    if (lex_is_punct(&p->tok, "*")) {
        item->expr = parse_new_expr(p, AST_STAR, p->tok.pos);
        parse_advance(p);
        return item->expr ? item : NULL;
    }
    /* t.* needs two tokens of look-ahead: peek with a copy of the lexer. */
    if (p->tok.kind == TK_IDENT || p->tok.kind == TK_QIDENT) {
        lexer save = p->lx;
        lex_token dot = lex_next(&save);
        lex_token star = lex_next(&save);
        if (lex_is_punct(&dot, ".") && lex_is_punct(&star, "*")) {
            size_t pos = p->tok.pos;
            const char *table = parse_identifier(p, "a table name");
            if (!table)
                return NULL;
            parse_advance(p);
            parse_advance(p);
            item->expr = parse_new_expr(p, AST_STAR, pos);
            if (!item->expr)
                return NULL;
            item->expr->u.star_table = table;
            return item;
        }
    }
    item->text_start = (uint32_t)p->tok.pos;
    if (!(item->expr = parse_expr(p)))
        return NULL;
    item->text_end = (uint32_t)p->prev_end;
    if (!parse_alias(p, &item->alias))
        return NULL;
    return item;
}

static ast_from *parse_from_item(parser *p);

static ast_from *parse_new_from(parser *p, ast_from_kind kind, size_t pos)
{
    ast_from *f = arena_alloc(p->a, sizeof *f);
    if (!f)
        return parse_nomem(p);
    f->kind = kind;
    f->pos = (uint32_t)pos;
    return f;
}

/* [AS] alias [(c1, c2, ...)] */
static bool parse_from_alias(parser *p, ast_from *f)
{
    if (!parse_alias(p, &f->alias))
        return false;
    if (f->alias && lex_is_punct(&p->tok, "("))
        return parse_name_list(p, &f->col_aliases, "a column name");
    return true;
}

/* table [alias] | schema.table [alias] | function(args) [alias] | (query) alias |
 * (from item) */
static ast_from *parse_from_primary(parser *p)
{
    size_t pos = p->tok.pos;
    ast_from *f;
    if (lex_is_punct(&p->tok, "(")) {
        if (parse_at_query(p)) {
            parse_advance(p);
            if (!(f = parse_new_from(p, FROM_SUBQUERY, pos)) || !(f->query = parse_query(p)) ||
                !parse_expect_punct(p, ")") || !parse_from_alias(p, f))
                return NULL;
            return f;
        }
        parse_advance(p);
        f = parse_from_item(p);
        if (!f || !parse_expect_punct(p, ")"))
            return NULL;
        return f;
    }
    const char *name = parse_identifier(p, "a table name");
    if (!name)
        return NULL;
    if (lex_is_punct(&p->tok, "(")) {
        if (!(f = parse_new_from(p, FROM_FUNCTION, pos)))
            return NULL;
        f->name = name;
        parse_advance(p);
        if (!lex_is_punct(&p->tok, ")")) {
            do {
                if (!parse_push(p, &f->args, parse_expr(p)))
                    return NULL;
            } while (parse_accept_punct(p, ","));
        }
        if (!parse_expect_punct(p, ")") || !parse_from_alias(p, f))
            return NULL;
        return f;
    }
    if (!(f = parse_new_from(p, FROM_TABLE, pos)))
        return NULL;
    f->name = name;
    if (parse_accept_punct(p, ".")) {
        f->schema = name;
        if (!(f->name = parse_identifier(p, "a table name")))
            return NULL;
    }
    return parse_from_alias(p, f) ? f : NULL;
}

/* Reads a join's type words; false when the current token starts no join. */
static bool parse_join_kind(parser *p, ast_join_kind *kind, bool *natural)
{
    *natural = parse_accept_kw(p, "natural");
    if (parse_accept_kw(p, "cross")) {
        *kind = JOIN_CROSS;
    } else if (parse_accept_kw(p, "inner")) {
        *kind = JOIN_INNER;
    } else if (parse_accept_kw(p, "left")) {
        *kind = JOIN_LEFT;
        parse_accept_kw(p, "outer");
    } else if (parse_accept_kw(p, "right")) {
        *kind = JOIN_RIGHT;
        parse_accept_kw(p, "outer");
    } else if (parse_accept_kw(p, "full")) {
        *kind = JOIN_FULL;
        parse_accept_kw(p, "outer");
    } else if (lex_is_kw(&p->tok, "join")) {
        *kind = JOIN_INNER;
    } else {
        if (*natural)
            parse_fail(p, "JOIN");
        return false;
    }
    return true;
}

static ast_from *parse_from_item(parser *p)
{
    ast_from *left = parse_from_primary(p);
    while (left) {
        size_t pos = p->tok.pos;
        ast_join_kind kind;
        bool natural;
        if (!parse_join_kind(p, &kind, &natural))
            return p->failed ? NULL : left;
        if (!parse_expect_kw(p, "join"))
            return NULL;
        ast_from *j = parse_new_from(p, FROM_JOIN, pos);
        if (!j || !(j->right = parse_from_primary(p)))
            return NULL;
        j->left = left;
        j->join = kind;
        j->natural = natural;
        if (kind != JOIN_CROSS && !natural) {
            if (parse_accept_kw(p, "on")) {
                if (!(j->on = parse_expr(p)))
                    return NULL;
            } else if (parse_accept_kw(p, "using")) {
                if (!parse_name_list(p, &j->using, "a column name"))
                    return NULL;
            } else {
                return parse_fail(p, "ON or USING");
            }
        }
        left = j;
    }
    return left;
}

/* FROM a, b JOIN c ON ...: commas are cross joins, loosest of all. */
static ast_from *parse_from_list(parser *p)
{
    ast_from *left = parse_from_item(p);
    while (left && lex_is_punct(&p->tok, ",")) {
        ast_from *j = parse_new_from(p, FROM_JOIN, p->tok.pos);
        parse_advance(p);
        if (!j || !(j->right = parse_from_item(p)))
            return NULL;
        j->left = left;
        j->join = JOIN_CROSS;
        left = j;
    }
    return left;
}

static ast_select *parse_select_block(parser *p)
{
    ast_select *s = arena_alloc(p->a, sizeof *s);
    if (!s)
        return parse_nomem(p);
    s->pos = (uint32_t)p->tok.pos;
    if (!parse_expect_kw(p, "select"))
        return NULL;
    if (parse_accept_kw(p, "distinct"))
        s->distinct = true;
    else
        parse_accept_kw(p, "all");
    do {
        if (!parse_push(p, &s->items, parse_select_item(p)))
            return NULL;
    } while (parse_accept_punct(p, ","));
    if (parse_accept_kw(p, "from") && !(s->from = parse_from_list(p)))
        return NULL;
    if (parse_accept_kw(p, "where") && !(s->where = parse_expr(p)))
        return NULL;
    if (parse_accept_kw(p, "group")) {
        if (!parse_expect_kw(p, "by"))
            return NULL;
        do {
            if (!parse_push(p, &s->group_by, parse_expr(p)))
                return NULL;
        } while (parse_accept_punct(p, ","));
    }
    if (parse_accept_kw(p, "having") && !(s->having = parse_expr(p)))
        return NULL;
    return s;
}

static ast_query *parse_new_query(parser *p, size_t pos)
{
    ast_query *q = arena_alloc(p->a, sizeof *q);
    if (!q)
        return parse_nomem(p);
    q->pos = (uint32_t)pos;
    return q;
}

/* SELECT block | ( query ) */
static ast_query *parse_set_primary(parser *p)
{
    size_t pos = p->tok.pos;
    if (parse_accept_punct(p, "(")) {
        ast_query *q = parse_query(p);
        if (!q || !parse_expect_punct(p, ")"))
            return NULL;
        return q;
    }
    if (!lex_is_kw(&p->tok, "select"))
        return parse_fail(p, "SELECT");
    ast_query *q = parse_new_query(p, pos);
    if (!q || !(q->select = parse_select_block(p)))
        return NULL;
    return q;
}

/* Combines two queries with a set operator: [ALL | DISTINCT] right. */
static ast_query *parse_setop(parser *p, ast_query *left, ast_setop op, size_t pos,
                              ast_query *(*next)(parser *))
{
    ast_query *q = parse_new_query(p, pos);
    if (!q)
        return NULL;
    q->op = op;
    if (parse_accept_kw(p, "all"))
        q->all = true;
    else
        parse_accept_kw(p, "distinct");
    q->left = left;
    if (!(q->right = next(p)))
        return NULL;
    return q;
}

static ast_query *parse_set_term(parser *p)
{
    ast_query *q = parse_set_primary(p);
    while (q && lex_is_kw(&p->tok, "intersect")) {
        size_t pos = p->tok.pos;
        parse_advance(p);
        q = parse_setop(p, q, SETOP_INTERSECT, pos, parse_set_primary);
    }
    return q;
}

static ast_query *parse_set_expr(parser *p)
{
    ast_query *q = parse_set_term(p);
    while (q && (lex_is_kw(&p->tok, "union") || lex_is_kw(&p->tok, "except"))) {
        ast_setop op = lex_is_kw(&p->tok, "union") ? SETOP_UNION : SETOP_EXCEPT;
        size_t pos = p->tok.pos;
        parse_advance(p);
        q = parse_setop(p, q, op, pos, parse_set_term);
    }
    return q;
}

/* WITH name [(columns)] AS (query), ... */
static bool parse_with(parser *p, ptr_list *ctes)
{
    parse_accept_kw(p, "recursive");
    do {
        ast_cte *c = arena_alloc(p->a, sizeof *c);
        if (!c)
            return parse_nomem(p), false;
        c->pos = (uint32_t)p->tok.pos;
        if (!(c->name = parse_identifier(p, "a name for the WITH query")))
            return false;
        if (lex_is_punct(&p->tok, "(") && !parse_name_list(p, &c->columns, "a column name"))
            return false;
        if (!parse_expect_kw(p, "as") || !parse_expect_punct(p, "(") ||
            !(c->query = parse_query(p)) || !parse_expect_punct(p, ")") || !parse_push(p, ctes, c))
            return false;
    } while (parse_accept_punct(p, ","));
    return true;
}

/* LIMIT n | OFFSET n [ROW|ROWS] | FETCH {FIRST|NEXT} [n] {ROW|ROWS} ONLY, in any order. */
static bool parse_limits(parser *p, ast_query *q)
{
    for (;;) {
        if (!q->limit && parse_accept_kw(p, "limit")) {
            if (parse_accept_kw(p, "all"))
                continue;
            if (!(q->limit = parse_expr(p)))
                return false;
        } else if (!q->offset && parse_accept_kw(p, "offset")) {
            if (!(q->offset = parse_expr(p)))
                return false;
            if (!parse_accept_kw(p, "rows"))
                parse_accept_kw(p, "row");
        } else if (!q->limit && parse_accept_kw(p, "fetch")) {
            if (!parse_accept_kw(p, "first") && !parse_expect_kw(p, "next"))
                return false;
            if (lex_is_kw(&p->tok, "row") || lex_is_kw(&p->tok, "rows")) {
                ast_expr *one = parse_new_expr(p, AST_LITERAL, p->tok.pos);
                if (!one)
                    return false;
                one->u.literal.type = ENG_TYPE_INTEGER;
                one->u.literal.u.i = 1;
                q->limit = one;
            } else if (!(q->limit = parse_unary(p))) {
                return false;
            }
            if (!parse_accept_kw(p, "rows") && !parse_expect_kw(p, "row"))
                return false;
            if (!parse_expect_kw(p, "only"))
                return false;
        } else {
            return true;
        }
    }
}

ast_query *parse_query(parser *p)
{
    size_t pos = p->tok.pos;
    ptr_list ctes = {0};
    if (parse_accept_kw(p, "with")) {
        if (lex_is_kw(&p->tok, "recursive"))
            return parse_error(p, ENG_E_FEATURE, "WITH RECURSIVE is not supported (position %zu)",
                               p->tok.pos + 1);
        if (!parse_with(p, &ctes))
            return NULL;
    }
    ast_query *q = parse_set_expr(p);
    if (!q)
        return NULL;
    bool has_order = lex_is_kw(&p->tok, "order");
    bool has_limit =
        lex_is_kw(&p->tok, "limit") || lex_is_kw(&p->tok, "offset") || lex_is_kw(&p->tok, "fetch");
    /* A parenthesized query that already has its own ORDER BY / LIMIT (or WITH) gets a
     * wrapper, so each clause applies where it was written. */
    if ((has_order || has_limit || ctes.n) &&
        (q->order_by.n || q->limit || q->offset || q->ctes.n)) {
        ast_query *w = parse_new_query(p, pos);
        if (!w)
            return NULL;
        w->left = q;
        q = w;
    }
    q->ctes = ctes;
    if (parse_accept_kw(p, "order")) {
        if (!parse_expect_kw(p, "by") || !parse_order_list(p, &q->order_by))
            return NULL;
    }
    if (!parse_limits(p, q))
        return NULL;
    return q;
}
