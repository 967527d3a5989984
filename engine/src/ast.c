/*
 * Helpers for the parse tree: the arena-backed pointer list and operator spellings.
 */
#include "ast.h"

#include <string.h>

int ptr_list_push(arena *a, ptr_list *l, void *item)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        void **items = arena_alloc(a, cap * sizeof *items);
        if (!items)
            return -1;
        if (l->n)
            memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = item;
    return 0;
}

const char *ast_op_text(ast_op op)
{
    static const char *const text[] = {
        [OP_ADD] = "+",   [OP_SUB] = "-",     [OP_MUL] = "*",   [OP_DIV] = "/",
        [OP_MOD] = "%",   [OP_CONCAT] = "||", [OP_EQ] = "=",    [OP_NE] = "<>",
        [OP_LT] = "<",    [OP_LE] = "<=",     [OP_GT] = ">",    [OP_GE] = ">=",
        [OP_AND] = "AND", [OP_OR] = "OR",     [OP_NOT] = "NOT", [OP_NEG] = "-",
    };
    return text[op];
}
