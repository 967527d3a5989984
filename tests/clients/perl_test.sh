#!/usr/bin/env bash
# Perl DBI + DBD::ODBC (Debian's libdbd-odbc-perl) against the registered driver: see
# perl_test.pl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"
perl "$here/perl_test.pl" "eider_client"
