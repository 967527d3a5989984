/*
 * ODBCINSTGetProperties: the DSN properties that unixODBC's GUI tools (ODBCConfig, the Qt
 * plugin behind SQLManageDataSources) show when someone adds or edits an Eider DSN, one
 * per key of docs/dsn-keys.md, with list boxes for the keys that are a choice and the
 * driver's defaults as starting values.
 *
 * unixODBC builds the head of the list itself (Name, Description, Driver), passes its last
 * node here, and later frees every node with ODBCINSTDestructProperties: free() of the
 * node, of aPromptData and of pszHelp, nothing else. It unloads this library as soon as
 * this returns, so nothing in the list may point into it: each node's choices live in one
 * malloc'd block, the pointer array followed by the strings, released by that one free().
 *
 * The tools save what the user typed with SQLWritePrivateProfileString, not through
 * ConfigDSN, so the starting values matter: a numeric key left empty would be refused by
 * the driver at connect, a default is not.
 */
#include "ois.h"

#include <odbcinstext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **ois_choices_copy(const char *const *choices)
{
    size_t n = 0, bytes = 0;
    for (; choices[n]; n++)
        bytes += strlen(choices[n]) + 1;
    char **block = malloc((n + 1) * sizeof *block + bytes);
    if (!block)
        return NULL;
    char *s = (char *)(block + n + 1);
    for (size_t i = 0; i < n; i++) {
        block[i] = s;
        s = stpcpy(s, choices[i]) + 1;
    }
    block[n] = NULL;
    return block;
}

static HODBCINSTPROPERTY ois_property(const ois_key *k)
{
    HODBCINSTPROPERTY p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    snprintf(p->szName, sizeof p->szName, "%s", k->name);
    snprintf(p->szValue, sizeof p->szValue, "%s", k->value);
    p->nPromptType = k->prompt;
    p->pszHelp = strdup(k->help);
    p->aPromptData = k->choices ? ois_choices_copy(k->choices) : NULL;
    if (!p->pszHelp || (k->choices && !p->aPromptData)) {
        free(p->pszHelp);
        free(p->aPromptData);
        free(p);
        return NULL;
    }
    return p;
}

int INSTAPI ODBCINSTGetProperties(HODBCINSTPROPERTY last)
{
    if (!last)
        return ODBCINST_ERROR;
    while (last->pNext)
        last = last->pNext;
    for (size_t i = 0; i < ois_key_count; i++) {
        /* unixODBC puts Description at the head of every list itself. */
        if (strcmp(ois_keys[i].name, "Description") == 0)
            continue;
        HODBCINSTPROPERTY p = ois_property(&ois_keys[i]);
        if (!p)
            return ODBCINST_ERROR; /* what is linked so far is freed by the caller */
        last->pNext = p;
        last = p;
    }
    return ODBCINST_SUCCESS;
}
