#!/usr/bin/env bash
# pyodbc (Debian's python3-pyodbc) against the registered driver: see pyodbc_test.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client_env.sh"
/usr/bin/python3 "$here/pyodbc_test.py" "DSN=eider_client"
