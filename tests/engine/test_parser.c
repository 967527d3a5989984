/*
 * Parser tests (engine/src/parser.c): statement shapes, literals, parameters, and the
 * errors a person sees for bad SQL.
 */
#include "../common/test_main.h"
#include "arena.h"
#include "parser.h"

#include <string.h>

static arena A;
static eng_error E;

static ast_stmt *parse(const char *sql)
{
    ast_stmt *st = NULL;
    arena_reset(&A);
    if (parse_statement(&A, sql, strlen(sql), &st, &E) != 0)
        return NULL;
    return st;
}

static const char *fail_state(const char *sql)
{
    return parse(sql) ? "00000" : E.sqlstate;
}

static void test_select_shapes(void)
{
    ast_stmt *st = parse("SELECT a, b AS bee, c cee, * FROM t x WHERE a > 1 LIMIT 5 OFFSET 2;");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(st->kind, STMT_SELECT);
    const ast_select *s = st->u.query->select;
    CU_ASSERT_EQUAL(s->items.n, 4);
    const ast_select_item *b = s->items.items[1], *c = s->items.items[2];
    CU_ASSERT_STRING_EQUAL(b->alias, "bee");
    CU_ASSERT_STRING_EQUAL(c->alias, "cee");
    CU_ASSERT_EQUAL(((ast_select_item *)s->items.items[3])->expr->kind, AST_STAR);
    CU_ASSERT_EQUAL_FATAL(s->from->kind, FROM_TABLE);
    CU_ASSERT_STRING_EQUAL(s->from->name, "t");
    CU_ASSERT_STRING_EQUAL(s->from->alias, "x");
    CU_ASSERT_PTR_NOT_NULL(s->where);
    CU_ASSERT_PTR_NOT_NULL(st->u.query->limit);
    CU_ASSERT_PTR_NOT_NULL(st->u.query->offset);
}

static void test_precedence(void)
{
    ast_stmt *st = parse("select 1 + 2 * 3 = 7 or not a is null and b");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    const ast_expr *e = ((ast_select_item *)st->u.query->select->items.items[0])->expr;
    CU_ASSERT_EQUAL_FATAL(e->kind, AST_BINARY);
    CU_ASSERT_EQUAL(e->u.binary.op, OP_OR);
    const ast_expr *cmp = e->u.binary.left;
    CU_ASSERT_EQUAL(cmp->u.binary.op, OP_EQ);
    CU_ASSERT_EQUAL(cmp->u.binary.left->u.binary.op, OP_ADD);
    CU_ASSERT_EQUAL(cmp->u.binary.left->u.binary.right->u.binary.op, OP_MUL);
    const ast_expr *and = e->u.binary.right;
    CU_ASSERT_EQUAL(and->u.binary.op, OP_AND);
    CU_ASSERT_EQUAL(and->u.binary.left->kind, AST_UNARY);
    CU_ASSERT_EQUAL(and->u.binary.left->u.unary.arg->kind, AST_IS_NULL);
}

static void test_literals(void)
{
    ast_stmt *st = parse("select 2147483647, 2147483648, -9223372036854775808, 1.5e3, "
                         "'it''s', \"Quoted \"\"Name\"\"\", null, true");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    ast_expr *v[8];
    for (int i = 0; i < 8; i++)
        v[i] = ((ast_select_item *)st->u.query->select->items.items[i])->expr;
    CU_ASSERT_EQUAL(v[0]->u.literal.type, ENG_TYPE_INTEGER);
    CU_ASSERT_EQUAL(v[1]->u.literal.type, ENG_TYPE_BIGINT);
    CU_ASSERT_EQUAL(v[2]->u.literal.u.i, INT64_MIN);
    CU_ASSERT_EQUAL(v[3]->u.literal.type, ENG_TYPE_DOUBLE);
    CU_ASSERT_DOUBLE_EQUAL(v[3]->u.literal.u.d, 1500.0, 1e-9);
    CU_ASSERT_EQUAL(v[4]->u.literal.u.s.len, 4);
    CU_ASSERT_NSTRING_EQUAL(v[4]->u.literal.u.s.ptr, "it's", 4);
    CU_ASSERT_EQUAL(v[5]->kind, AST_COLUMN);
    CU_ASSERT_STRING_EQUAL(v[5]->u.column.name, "Quoted \"Name\"");
    CU_ASSERT_TRUE(v[6]->u.literal.is_null);
    CU_ASSERT_TRUE(v[7]->u.literal.u.b);
    CU_ASSERT_STRING_EQUAL(fail_state("select 1000000000000000000000000000000000000000"), "22003");
}

static void test_parameters_and_comments(void)
{
    ast_stmt *st = parse("-- a comment\nINSERT INTO t (a, b) VALUES (?, /* inline */ ?), (?, 3)");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(st->kind, STMT_INSERT);
    CU_ASSERT_EQUAL(st->nparams, 3);
    CU_ASSERT_EQUAL(st->u.insert.columns.n, 2);
    CU_ASSERT_EQUAL(st->u.insert.rows.n, 2);
    const ast_expr *third = ((ptr_list *)st->u.insert.rows.items[1])->items[0];
    CU_ASSERT_EQUAL(third->kind, AST_PARAM);
    CU_ASSERT_EQUAL(third->u.param, 2);
}

static void test_ddl(void)
{
    ast_stmt *st = parse("create table if not exists T1 (a int not null, b varchar(20), "
                         "c double precision, d character varying(3), e bool, f bigint null)");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_TRUE(st->u.create_table.if_not_exists);
    CU_ASSERT_EQUAL_FATAL(st->u.create_table.columns.n, 6);
    ast_column_def **c = (ast_column_def **)st->u.create_table.columns.items;
    CU_ASSERT_TRUE(c[0]->not_null);
    CU_ASSERT_EQUAL(c[1]->type.id, ENG_TYPE_VARCHAR);
    CU_ASSERT_EQUAL(c[1]->type.width, 20);
    CU_ASSERT_EQUAL(c[2]->type.id, ENG_TYPE_DOUBLE);
    CU_ASSERT_EQUAL(c[3]->type.width, 3);
    CU_ASSERT_EQUAL(c[4]->type.id, ENG_TYPE_BOOLEAN);
    CU_ASSERT_FALSE(c[5]->not_null);
    st = parse("DROP TABLE IF EXISTS t1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_TRUE(st->u.drop_table.if_exists);
    CU_ASSERT_EQUAL(parse("begin transaction")->kind, STMT_BEGIN);
    CU_ASSERT_EQUAL(parse("COMMIT WORK")->kind, STMT_COMMIT);
    CU_ASSERT_EQUAL(parse("rollback")->kind, STMT_ROLLBACK);
}

static void test_errors(void)
{
    CU_ASSERT_STRING_EQUAL(fail_state("selec 1"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("select from t"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("select 1 from"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state(""), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("select 'abc"), "42000");
    CU_ASSERT_PTR_NOT_NULL(strstr(E.message, "unterminated string"));
    CU_ASSERT_STRING_EQUAL(fail_state("select 1; select 2"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("create table t (a geometry)"), "0A000");
    CU_ASSERT_STRING_EQUAL(fail_state("create table t (a varchar(0))"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("create table t (a int references u)"), "0A000");
    CU_ASSERT_STRING_EQUAL(fail_state("create table t (a int default ?)"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("select a from where"), "42000");
    CU_ASSERT_STRING_EQUAL(fail_state("select 1 +"), "42000");
    CU_ASSERT_PTR_NOT_NULL(strstr(E.message, "end of statement"));
    CU_ASSERT_STRING_EQUAL(fail_state("select * form t"), "42000");
    CU_ASSERT_PTR_NOT_NULL(strstr(E.message, "\"form\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(E.message, "position"));
}

static int setup(void)
{
    arena_init(&A, 4096);
    return 0;
}

static int teardown(void)
{
    arena_free(&A);
    return 0;
}

static CU_TestInfo parser_tests[] = {
    {"select shapes", test_select_shapes},
    {"precedence", test_precedence},
    {"literals", test_literals},
    {"parameters and comments", test_parameters_and_comments},
    {"ddl and transaction control", test_ddl},
    {"syntax errors", test_errors},
    CU_TEST_INFO_NULL,
};

TEST_SUITES({"parser", setup, teardown, NULL, NULL, parser_tests})
