/*
 * eider-odbc: registers the Eider driver and its DSNs with unixODBC, through unixODBC's
 * installer API (so ODBCSYSINI, ODBCINSTINI and ODBCINI apply as they do to every ODBC
 * program). DSNs are added and removed by the driver manager calling the setup library's
 * ConfigDSN, which checks every key as the driver will. See docs/setup.md.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char cli_usage[] =
    "usage: eider-odbc COMMAND [ARGUMENTS]\n"
    "\n"
    "  register-driver [--path LIB] [--setup LIB]\n"
    "        register (or update) driver Eider in odbcinst.ini. LIB defaults to\n"
    "        " EIDER_LIBDIR "/libeiderodbc.so; the setup library to libeiderodbcS.so\n"
    "        in the same folder. Drivers are machine-wide: this needs root, or ODBCSYSINI.\n"
    "  unregister-driver\n"
    "        lower the driver's usage count; at zero its section is removed\n"
    "  add-dsn NAME [--user|--system] [--replace] [KEY=VALUE ...]\n"
    "        add an Eider DSN; keys and values as in docs/dsn-keys.md, e.g.\n"
    "        Database=/srv/app.eider AccessMode=READ_ONLY. An existing DSN of that\n"
    "        name is kept unless --replace is given.\n"
    "  list-dsns [--user|--system]\n"
    "        the Eider DSNs and their databases (both levels by default)\n"
    "  show-dsn NAME [--user|--system]\n"
    "        a DSN's keys (passwords hidden); by default the one a connection would use\n"
    "  remove-dsn NAME [--user|--system]\n"
    "        remove an Eider DSN\n"
    "\n"
    "DSNs are user DSNs unless --system is given: a user DSN is yours alone ($ODBCINI, or\n"
    "~/.odbc.ini) and needs no privileges; a system DSN (odbc.ini in $ODBCSYSINI, or /etc)\n"
    "is seen by every user and needs root.\n"
    "Exit status: 0 done, 1 failed, 2 wrong usage.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"register-driver", cli_register_driver},
        {"unregister-driver", cli_unregister_driver},
        {"add-dsn", cli_add_dsn},
        {"list-dsns", cli_list_dsns},
        {"show-dsn", cli_show_dsn},
        {"remove-dsn", cli_remove_dsn},
    };
    if (argc < 2) {
        fputs(cli_usage, stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(cli_usage, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        for (int a = 2; a < argc; a++)
            if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
                fputs(cli_usage, stdout);
                return CLI_OK;
            }
        int rc = commands[i].run(argc - 2, argv + 2);
        if (rc == CLI_USAGE)
            fprintf(stderr, "eider-odbc: wrong arguments for %s (see eider-odbc --help)\n",
                    argv[1]);
        return rc;
    }
    fprintf(stderr, "eider-odbc: unknown command \"%s\"\n\n%s", argv[1], cli_usage);
    return CLI_USAGE;
}
